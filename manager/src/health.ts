// Task health: the status of a task's latest result (the agent already applied
// degradedAboveMs and downAfter), or `stale` when no result arrived within two intervals
// plus a grace while the monitor is being collected, or `unknown` before any result.
import { performance } from 'node:perf_hooks';
import { taskTarget, type MonitorConfig, type Result, type Task } from '../../protocol/src/index.js';
import type { TaskState, TaskStatus } from './types.js';

/** Seconds added to two intervals before a silent task counts as stale. */
export const STALE_GRACE_S = 5;

export function staleAfterMs(task: Pick<Task, 'interval' | 'timeout'>): number {
  return (2 * task.interval + Math.max(STALE_GRACE_S, task.timeout)) * 1000;
}

interface Tracked {
  task: Task;
  status: TaskStatus;
  since: string;
  last?: Result;
  /** performance.now() of the last result (or of activation, before the first). */
  heardAt: number;
}

export class MonitorHealth {
  private tracked = new Map<string, Tracked>();
  private active = false;

  constructor(
    monitor: MonitorConfig,
    private readonly onChange: (t: TaskState) => void,
    /** Monotonic clock in ms (tests pass their own). */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.setTasks(monitor.tasks);
  }

  /** Follows a config change: keeps the state of tasks whose id is unchanged. */
  setTasks(tasks: readonly Task[]): void {
    const next = new Map<string, Tracked>();
    for (const task of tasks) {
      const old = this.tracked.get(task.id);
      next.set(task.id, old ? { ...old, task } : { task, status: 'unknown', since: new Date().toISOString(), heardAt: this.now() });
    }
    this.tracked = next;
  }

  /** While active (results are expected), silence makes a task stale. */
  setActive(active: boolean): void {
    if (active && !this.active) {
      const now = this.now();
      for (const t of this.tracked.values()) t.heardAt = Math.max(t.heardAt, now);
    }
    this.active = active;
  }

  record(result: Result): void {
    const t = this.tracked.get(result.taskId);
    if (!t) return; // a task removed from the config; its result is still stored
    t.last = result;
    t.heardAt = this.now();
    this.set(t, result.status);
  }

  /** Marks tasks stale whose silence exceeded their limit; call about once a second. */
  tick(): void {
    if (!this.active) return;
    const now = this.now();
    for (const t of this.tracked.values()) {
      if (t.status !== 'stale' && now - t.heardAt > staleAfterMs(t.task)) this.set(t, 'stale');
    }
  }

  snapshot(): TaskState[] {
    return [...this.tracked.values()].map((t) => this.view(t));
  }

  private set(t: Tracked, status: TaskStatus): void {
    if (t.status === status) return;
    t.status = status;
    t.since = new Date().toISOString();
    this.onChange(this.view(t));
  }

  private view(t: Tracked): TaskState {
    const state: TaskState = {
      id: t.task.id,
      type: t.task.type,
      target: taskTarget(t.task),
      interval: t.task.interval,
      status: t.status,
      since: t.since,
    };
    if (t.task.name !== undefined) state.name = t.task.name;
    if (t.last) state.last = t.last;
    return state;
  }
}

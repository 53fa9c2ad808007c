// Runs each task on an ideal schedule: next due = previous due + interval (no drift),
// first runs spread evenly (random start) across the interval, at most one run of a task in flight,
// at most `concurrency` runs in flight overall, each run cut off by its timeout.
// A probe that throws or hangs becomes a `down` result; stop() aborts every run at once.
import { performance } from 'node:perf_hooks';
import { canonicalJson, type Task } from '../../protocol/src/index.js';
import type { ProbeOutcome, ProbeRegistry } from './probes/types.js';
import { applyThresholds } from './thresholds.js';

export interface CompletedRun {
  task: Task;
  /** Agent clock (epoch ms) when the run started. */
  startedAtMs: number;
  /** performance.now() time the run was due (its grid slot; runNow: when asked). */
  dueAt: number;
  /** performance.now() time the probe was called. */
  startedAt: number;
  /** startedAt - dueAt: timer delay, loop stalls and waiting for a concurrency slot (≥ -1 ms: timer rounding). */
  lateMs: number;
  /** After downAfter / degradedAboveMs. */
  outcome: ProbeOutcome;
}

export interface SchedulerOptions {
  probes: ProbeRegistry;
  onResult: (run: CompletedRun) => void;
  /** Called as each run starts (before the probe), e.g. to measure start lateness. */
  onRunStart?: (task: Task, dueAt: number, startedAt: number) => void;
  /** Most runs in flight at once (default 256). */
  concurrency?: number;
  /** How long past its timeout a probe that ignores the abort is waited for (default 1000 ms). */
  graceMs?: number;
  /** For tests: where each first run lands within its interval, 0 ≤ r < 1 (default: evenly spread, random start). */
  random?: () => number;
}

export interface TaskSetChange {
  /** Unchanged: kept running on their schedule. */
  kept: number;
  added: number;
  /** Same id, new definition: restarted. */
  changed: number;
  removed: number;
}

interface Entry {
  task: Task;
  key: string;
  intervalMs: number;
  /** performance.now() time of the next run. */
  nextDue: number;
  /** performance.now() time the run now starting or waiting for a slot was due. */
  dueAt: number;
  timer: NodeJS.Timeout | null;
  run: { controller: AbortController; done: Promise<void> } | null;
  waiting: boolean;
  cancelled: boolean;
  failures: number;
  state: Record<string, unknown>;
}

/** (√5 − 1) / 2: successive multiples mod 1 stay as evenly spread as any sequence can. */
const GOLDEN_FRACTION = (Math.sqrt(5) - 1) / 2;

/** A timer firing this much before the due time (timer rounding) still starts the run. */
const EARLY_TOLERANCE_MS = 1;

class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly waitQueue: Entry[] = [];
  private inFlight = 0;
  private readonly concurrency: number;
  private readonly graceMs: number;
  private readonly random: (() => number) | null;
  /** Runs skipped because the previous run of the task was still going. */
  skippedRuns = 0;

  constructor(private readonly opts: SchedulerOptions) {
    this.concurrency = Math.max(1, opts.concurrency ?? 256);
    this.graceMs = opts.graceMs ?? 1000;
    this.random = opts.random ?? null;
  }

  get size(): number {
    return this.entries.size;
  }

  get running(): number {
    return this.inFlight;
  }

  tasks(): Task[] {
    return [...this.entries.values()].map((e) => e.task);
  }

  /**
   * Makes `tasks` the running set. A task whose id and definition are unchanged keeps
   * its schedule (and in-flight run); changed and new tasks start, removed ones stop.
   */
  setTasks(tasks: readonly Task[]): TaskSetChange {
    const next = new Map(tasks.map((t) => [t.id, t]));
    const change: TaskSetChange = { kept: 0, added: 0, changed: 0, removed: 0 };
    for (const [id, entry] of this.entries) {
      const task = next.get(id);
      if (task && canonicalJson(task) === entry.key) continue;
      if (task) change.changed++;
      else change.removed++;
      this.cancel(entry);
      this.entries.delete(id);
    }
    const now = performance.now();
    // Where the first runs land in their interval: a golden-ratio sequence from a random
    // start spreads n new tasks evenly (every 10 % slice gets ~n/10, no clumps of tasks due
    // in the same millisecond), where independent random draws leave slices ±30 % apart.
    let spread = Math.random();
    for (const task of tasks) {
      if (this.entries.has(task.id)) {
        change.kept++;
        continue;
      }
      const intervalMs = task.interval * 1000;
      spread = (spread + GOLDEN_FRACTION) % 1;
      const entry: Entry = {
        task,
        key: canonicalJson(task),
        intervalMs,
        nextDue: now + (this.random ? this.random() : spread) * intervalMs,
        dueAt: now,
        timer: null,
        run: null,
        waiting: false,
        cancelled: false,
        failures: 0,
        state: {},
      };
      this.entries.set(task.id, entry);
      this.arm(entry);
    }
    change.added = tasks.length - change.kept - change.changed;
    return change;
  }

  /** Runs one task now, outside its schedule. False if unknown or already running. */
  runNow(taskId: string): boolean {
    const entry = this.entries.get(taskId);
    if (!entry || entry.run || entry.waiting) return false;
    entry.dueAt = performance.now();
    this.launch(entry);
    return true;
  }

  /** Stops every task: timers cleared, in-flight runs aborted (their results dropped). */
  async stop(): Promise<void> {
    const runs: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.run) runs.push(entry.run.done);
      this.cancel(entry);
    }
    this.entries.clear();
    this.waitQueue.length = 0;
    await Promise.all(runs);
  }

  private cancel(entry: Entry): void {
    entry.cancelled = true;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    if (entry.waiting) {
      entry.waiting = false;
      const i = this.waitQueue.indexOf(entry);
      if (i >= 0) this.waitQueue.splice(i, 1);
    }
    entry.run?.controller.abort(new Error('task stopped'));
  }

  private arm(entry: Entry): void {
    const delay = Math.max(0, entry.nextDue - performance.now());
    entry.timer = setTimeout(() => this.due(entry), delay);
  }

  private due(entry: Entry): void {
    entry.timer = null;
    if (entry.cancelled) return;
    const now = performance.now();
    if (now < entry.nextDue - EARLY_TOLERANCE_MS) {
      // Timers count from the loop's cached clock, so one armed in a long loop turn fires
      // early by that turn's length: wait out the rest instead of starting early.
      this.arm(entry);
      return;
    }
    const dueAt = entry.nextDue;
    entry.nextDue += entry.intervalMs;
    if (entry.nextDue <= now) {
      // Fell behind (a stalled loop or a suspended machine): skip the missed runs, stay on the grid.
      entry.nextDue += Math.ceil((now - entry.nextDue) / entry.intervalMs) * entry.intervalMs;
      if (entry.nextDue <= now) entry.nextDue += entry.intervalMs;
    }
    this.arm(entry);
    if (entry.run || entry.waiting) {
      this.skippedRuns++;
      return;
    }
    entry.dueAt = dueAt;
    this.launch(entry);
  }

  private launch(entry: Entry): void {
    if (this.inFlight >= this.concurrency) {
      entry.waiting = true;
      this.waitQueue.push(entry);
      return;
    }
    this.inFlight++;
    const controller = new AbortController();
    const startedAtMs = Date.now(); // agent wall clock: the result's ts
    const dueAt = entry.dueAt;
    const startedAt = performance.now();
    this.opts.onRunStart?.(entry.task, dueAt, startedAt);
    const done = this.execute(entry, controller).then((raw) => {
      this.inFlight--;
      entry.run = null;
      this.startWaiting();
      if (entry.cancelled || (controller.signal.aborted && !(controller.signal.reason instanceof ProbeTimeout))) return;
      const { outcome, failures } = applyThresholds(entry.task, raw, entry.failures);
      entry.failures = failures;
      this.opts.onResult({ task: entry.task, startedAtMs, dueAt, startedAt, lateMs: startedAt - dueAt, outcome });
    });
    entry.run = { controller, done };
  }

  private startWaiting(): void {
    while (this.inFlight < this.concurrency && this.waitQueue.length) {
      const next = this.waitQueue.shift()!;
      next.waiting = false;
      if (!next.cancelled) this.launch(next);
    }
  }

  /** Never rejects: a throw, a bad outcome or a hang becomes a `down` outcome. */
  private async execute(entry: Entry, controller: AbortController): Promise<ProbeOutcome> {
    const task = entry.task;
    const timeoutMs = task.timeout * 1000;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const probe = this.opts.probes[task.type] as (t: Task, ctx: Parameters<ProbeRegistry['tcp']>[1]) => Promise<ProbeOutcome>;
    try {
      timeoutTimer = setTimeout(() => controller.abort(new ProbeTimeout(timeoutMs)), timeoutMs);
      const hung = new Promise<ProbeOutcome>((resolve) => {
        const giveUp = (): void => {
          graceTimer = setTimeout(
            () => resolve(down(`timeout: probe did not finish within ${timeoutMs} ms`)),
            this.graceMs,
          );
        };
        if (controller.signal.aborted) giveUp();
        else controller.signal.addEventListener('abort', giveUp, { once: true });
      });
      const outcome = await Promise.race([
        Promise.resolve().then(() => probe(task, { signal: controller.signal, timeoutMs, state: entry.state })),
        hung,
      ]);
      return isOutcome(outcome) ? outcome : down('internal: probe returned a malformed outcome');
    } catch (err) {
      return down(`internal: ${(err as Error)?.message ?? String(err)}`.slice(0, 2000));
    } finally {
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
    }
  }
}

function down(error: string): ProbeOutcome {
  return { status: 'down', latencyMs: null, error, details: {} };
}

function isOutcome(o: unknown): o is ProbeOutcome {
  if (!o || typeof o !== 'object') return false;
  const x = o as ProbeOutcome;
  return (
    (x.status === 'up' || x.status === 'degraded' || x.status === 'down') &&
    (x.latencyMs === null || (typeof x.latencyMs === 'number' && Number.isFinite(x.latencyMs) && x.latencyMs >= 0)) &&
    (x.error === null || typeof x.error === 'string') &&
    !!x.details && typeof x.details === 'object'
  );
}

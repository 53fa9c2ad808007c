// Which task status changes become a notification: a task going down, or recovering
// from down; at most one per task per minute; changes that arrive together (within the
// grouping window) become one message. The caller owns the timer that calls flush().
import type { TaskStatus } from './fleet-state.js';

export type NotifyMode = 'downAndRecover' | 'downOnly' | 'off';

export interface StatusChange {
  monitorId: string;
  taskId: string;
  label: string;
  from: TaskStatus;
  to: TaskStatus;
  error?: string | null;
}

export interface Notification {
  severity: 'warning' | 'info';
  message: string;
  /** The changes it covers, for "Show" actions. */
  changes: StatusChange[];
}

export const PER_TASK_INTERVAL_MS = 60_000;
export const GROUP_WINDOW_MS = 1500;

export class NotifyPolicy {
  private readonly lastNotified = new Map<string, number>();
  private pending: StatusChange[] = [];

  constructor(private mode: NotifyMode = 'downAndRecover') {}

  setMode(mode: NotifyMode): void {
    this.mode = mode;
    if (mode === 'off') this.pending = [];
  }

  /** Records a change; returns true when a flush should be scheduled (first pending one). */
  offer(change: StatusChange, now: number): boolean {
    if (!this.wants(change)) return false;
    const key = `${change.monitorId}\u0000${change.taskId}`;
    const last = this.lastNotified.get(key);
    if (last !== undefined && now - last < PER_TASK_INTERVAL_MS) return false;
    this.lastNotified.set(key, now);
    // A later change of the same task within the window replaces the earlier one.
    this.pending = this.pending.filter((p) => p.monitorId !== change.monitorId || p.taskId !== change.taskId);
    this.pending.push(change);
    return this.pending.length === 1;
  }

  /** The grouped notifications for everything offered since the last flush. */
  flush(): Notification[] {
    const changes = this.pending;
    this.pending = [];
    const down = changes.filter((c) => c.to === 'down');
    const recovered = changes.filter((c) => c.to !== 'down');
    const out: Notification[] = [];
    if (down.length === 1) {
      const c = down[0];
      out.push({ severity: 'warning', message: `NetCam: ${c.label} is down${c.error ? ` (${c.error})` : ''}`, changes: down });
    } else if (down.length > 1) {
      out.push({ severity: 'warning', message: `NetCam: ${down.length} tasks are down: ${listLabels(down)}`, changes: down });
    }
    if (recovered.length === 1) {
      out.push({ severity: 'info', message: `NetCam: ${recovered[0].label} recovered (${recovered[0].to})`, changes: recovered });
    } else if (recovered.length > 1) {
      out.push({ severity: 'info', message: `NetCam: ${recovered.length} tasks recovered: ${listLabels(recovered)}`, changes: recovered });
    }
    return out;
  }

  private wants(c: StatusChange): boolean {
    if (this.mode === 'off' || c.from === c.to) return false;
    if (c.to === 'down') return true;
    return this.mode === 'downAndRecover' && c.from === 'down' && (c.to === 'up' || c.to === 'degraded');
  }
}

function listLabels(changes: StatusChange[], max = 5): string {
  const names = changes.slice(0, max).map((c) => c.label);
  return changes.length > max ? `${names.join(', ')} and ${changes.length - max} more` : names.join(', ');
}

// The manager's public state types (what the tree, status bar and console render).
import type { Gap, Result, TaskType } from '../../protocol/src/index.js';

/**
 * A monitor's link:
 * - `idle`: not collecting (never started, or disconnected without stop);
 * - `connecting`: TCP/TLS/handshake in progress;
 * - `connected`: tasks running, results flowing;
 * - `backingOff`: the last attempt failed; the next one is at `nextRetryAt`;
 * - `stopped`: `stop` was sent and confirmed (or the link was stopped while down);
 * - `error`: a failure that retrying cannot fix (echo mismatch, missing/invalid secret,
 *   protocol version, another manager took over); `lastError` says which. `collect` retries.
 */
export type LinkState = 'idle' | 'connecting' | 'connected' | 'backingOff' | 'stopped' | 'error';

/** `unknown` before the first result; `stale` when none arrived within 2 intervals + grace. */
export type TaskStatus = 'up' | 'degraded' | 'down' | 'stale' | 'unknown';

export interface TaskState {
  id: string;
  name?: string;
  type: TaskType;
  target: string;
  interval: number;
  status: TaskStatus;
  /** ISO time (manager clock) of the last status change. */
  since: string;
  last?: Result;
}

export interface MonitorState {
  id: string;
  name?: string;
  host: string;
  port: number;
  link: LinkState;
  /** Epoch ms of the next connection attempt while `backingOff`. */
  nextRetryAt?: number;
  /** One line, never containing a secret. */
  lastError?: string;
  /** Epoch ms of the last frame from the agent (heartbeat or data) on the current link. */
  lastHeardAt?: number;
  tasks: TaskState[];
}

/** What the manager knows about a delivered result beyond the result itself. */
export interface ResultMeta {
  /** From the agent's backlog: its seq was at most the agent's `hello.lastSeq` at handshake,
   *  i.e. it was produced while no manager was connected. */
  backfilled: boolean;
}

export interface FleetState {
  monitors: MonitorState[];
}

export interface HistoryQuery {
  monitorId?: string;
  taskId?: string;
  /** Inclusive bounds on the result's `ts` (Date, epoch ms or ISO string). */
  from?: Date | number | string;
  to?: Date | number | string;
  /** At most this many results: the most recent ones (still returned oldest first). */
  limit?: number;
}

/** Per cent of results that were up or degraded (the service answered); null = no results in the window. */
export interface Uptime {
  h1: number | null;
  h24: number | null;
  d7: number | null;
}

/** A gap as stored and reported, with the monitor it belongs to. */
export interface GapRecord extends Gap {
  monitorId: string;
}

/** "N results lost between T1 and T2 (reason)". */
export function describeGap(gap: Gap): string {
  return `${gap.count} result${gap.count === 1 ? '' : 's'} lost between ${gap.fromTs} and ${gap.toTs} (${gap.reason})`;
}

/** "backing off (next try in 12 s)" and friends, for status bars and the CLI. */
export function describeLink(state: Pick<MonitorState, 'link' | 'nextRetryAt' | 'lastError'>, now = Date.now()): string {
  switch (state.link) {
    case 'backingOff': {
      const seconds = state.nextRetryAt === undefined ? 0 : Math.max(0, Math.ceil((state.nextRetryAt - now) / 1000));
      return `backing off (next try in ${seconds} s)`;
    }
    case 'error':
      return state.lastError ? `error: ${state.lastError}` : 'error';
    default:
      return state.link;
  }
}

// The host's side of the console stream, free of `vscode` so it is unit-tested in Node.
// It keeps the last N entries per monitor in ring buffers, posts new ones in batches while
// the webview is visible and has said `ready`, and replays what the webview missed when it
// (re)appears: VS Code drops messages posted to a hidden webview.
import type { ConsoleEntry, HostToWebview } from '../../../protocol/src/console-messages.js';
import type { Gap, Result } from '../../../protocol/src/result.js';
import { RingBuffer } from './ring-buffer.js';

export type PostToWebview = (message: HostToWebview) => boolean | PromiseLike<boolean>;

export interface ConsoleFeedOptions {
  /** Entries kept per monitor (default 5000). */
  perMonitor?: number;
  /** Rows the webview keeps at most (default 50 000); a snapshot sends no more. */
  maxRows?: number;
  /** Batching delay for live entries (default 50 ms). */
  flushMs?: number;
  /** Entries per snapshot message (default 2000). */
  snapshotChunk?: number;
}

export const DEFAULT_PER_MONITOR = 5000;
export const DEFAULT_MAX_ROWS = 50_000;

export class ConsoleFeed {
  private readonly rings = new Map<string, RingBuffer<ConsoleEntry>>();
  private nextKey = 1;
  private post: PostToWebview | null = null;
  private visible = false;
  private ready = false;
  /** Highest key handed to the webview in the current session. */
  private deliveredKey = 0;
  private pending: ConsoleEntry[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly perMonitor: number;
  readonly maxRows: number;
  private readonly flushMs: number;
  private readonly chunk: number;
  /** Entries evicted from the ring buffers (for the status line and tests). */
  evicted = 0;

  constructor(opts: ConsoleFeedOptions = {}) {
    this.perMonitor = opts.perMonitor ?? DEFAULT_PER_MONITOR;
    this.maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
    this.flushMs = opts.flushMs ?? 50;
    this.chunk = opts.snapshotChunk ?? 2000;
    if (!Number.isInteger(this.perMonitor) || this.perMonitor < 1) throw new Error(`perMonitor: must be an integer >= 1, got ${this.perMonitor}`);
  }

  addResult(result: Result, backfilled: boolean): ConsoleEntry {
    return this.add({ kind: 'result', key: this.nextKey++, result, backfilled }, result.monitorId);
  }

  addGap(monitorId: string, gap: Gap): ConsoleEntry {
    return this.add({ kind: 'gap', key: this.nextKey++, monitorId, gap }, monitorId);
  }

  private add(entry: ConsoleEntry, monitorId: string): ConsoleEntry {
    let ring = this.rings.get(monitorId);
    if (!ring) {
      ring = new RingBuffer(this.perMonitor);
      this.rings.set(monitorId, ring);
    }
    if (ring.push(entry)) this.evicted += 1;
    if (this.deliverable) {
      this.pending.push(entry);
      this.schedule();
    }
    return entry;
  }

  private get deliverable(): boolean {
    return this.post !== null && this.visible && this.ready;
  }

  /** Connects a webview. It receives nothing until it says `ready`. */
  attach(post: PostToWebview, visible: boolean): void {
    this.post = post;
    this.visible = visible;
    this.ready = false;
    this.pending = [];
  }

  /** The webview is gone (panel closed); the buffers keep filling. */
  detach(): void {
    this.post = null;
    this.ready = false;
    this.pending = [];
    this.cancelTimer();
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (!visible) {
      // Nothing posted while hidden would arrive: keep it in the rings instead.
      this.pending = [];
      this.cancelTimer();
    } else if (this.ready) {
      // A webview that kept its content: send what it missed.
      this.replay(this.deliveredKey, false);
    }
  }

  /** The `ready` handshake: send everything after `haveUpTo` (all, on a fresh webview). */
  onReady(haveUpTo: number | null): void {
    this.ready = true;
    this.pending = [];
    this.cancelTimer();
    if (!this.visible) return;
    this.replay(haveUpTo ?? 0, haveUpTo === null);
  }

  /** Entries after `afterKey`, oldest first, at most the webview's row cap (newest kept). */
  entriesAfter(afterKey: number): ConsoleEntry[] {
    const out: ConsoleEntry[] = [];
    for (const ring of this.rings.values()) {
      for (let i = ring.length - 1; i >= 0; i--) {
        const e = ring.at(i)!;
        if (e.key <= afterKey) break;
        out.push(e);
      }
    }
    out.sort((a, b) => a.key - b.key);
    return out.length > this.maxRows ? out.slice(out.length - this.maxRows) : out;
  }

  /** Every buffered entry of one monitor/task (chart fallback when history is unavailable). */
  entriesOf(monitorId: string): ConsoleEntry[] {
    return this.rings.get(monitorId)?.toArray() ?? [];
  }

  private replay(afterKey: number, reset: boolean): void {
    const entries = this.entriesAfter(afterKey);
    if (reset) {
      for (let i = 0; i === 0 || i < entries.length; i += this.chunk) {
        const part = entries.slice(i, i + this.chunk);
        this.send({ type: 'snapshot', reset: i === 0, entries: part, done: i + this.chunk >= entries.length, maxRows: this.maxRows }, part);
      }
    } else {
      for (let i = 0; i < entries.length; i += this.chunk) {
        const part = entries.slice(i, i + this.chunk);
        this.send({ type: 'entries', entries: part }, part);
      }
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.flushMs);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Posts the batched live entries now. */
  flush(): void {
    this.cancelTimer();
    if (!this.deliverable || !this.pending.length) return;
    const entries = this.pending;
    this.pending = [];
    for (let i = 0; i < entries.length; i += this.chunk) {
      const part = entries.slice(i, i + this.chunk);
      this.send({ type: 'entries', entries: part }, part);
    }
  }

  private send(message: HostToWebview, entries: readonly ConsoleEntry[]): void {
    const post = this.post;
    if (!post) return;
    const first = entries[0]?.key;
    const last = entries[entries.length - 1]?.key;
    if (last !== undefined) this.deliveredKey = Math.max(this.deliveredKey, last);
    const onDelivered = (ok: boolean) => {
      // Not delivered (the webview went away): it must say `ready` again before we post,
      // and a replay then resends from before this batch.
      if (!ok && this.post === post) {
        this.ready = false;
        if (first !== undefined) this.deliveredKey = Math.min(this.deliveredKey, first - 1);
      }
    };
    let r: boolean | PromiseLike<boolean>;
    try {
      r = post(message);
    } catch {
      r = false;
    }
    if (typeof r === 'boolean') onDelivered(r);
    else r.then(onDelivered, () => onDelivered(false));
  }

  /** Posts a non-entry message (monitors, chart data…) if the webview can take it. */
  postMessage(message: HostToWebview): boolean {
    if (!this.deliverable) return false;
    try {
      const r = this.post!(message);
      if (typeof r === 'boolean') return r;
      return true;
    } catch {
      return false;
    }
  }

  get isReady(): boolean {
    return this.ready && this.post !== null;
  }

  /** Drops every buffered entry (the console's Clear; the manager's history is untouched). */
  clear(): void {
    for (const ring of this.rings.values()) ring.clear();
    this.rings.clear();
    this.pending = [];
  }

  /** Buffered entries per monitor (tests, diagnostics). */
  sizes(): Record<string, number> {
    return Object.fromEntries([...this.rings].map(([id, r]) => [id, r.length]));
  }

  dispose(): void {
    this.detach();
    this.clear();
  }
}

// Manager-side history: append-only JSON Lines, one file per monitor per UTC day of the
// result's timestamp: <historyDir>/<monitor id, URI-encoded>/<YYYY-MM-DD>.jsonl. A line
// is a result object, or {"gap": {...}} for results the agent had to drop. Files older
// than the retention are deleted whole. The highest stored seq per monitor (what the
// manager sends as `start.after`) is recovered on open from the tails of the day files
// (and a small seq.json kept for when retention removed them all), so it survives restarts
// and a crash between write and ack at worst causes a resend that de-duplication drops.
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gap, Result } from '../../protocol/src/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { silentLogger, type Logger } from './log.js';
import type { GapRecord, HistoryQuery, Uptime } from './types.js';

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
const TAIL_BYTES = 64 * 1024;

export interface HistoryStoreOptions {
  retentionDays?: number;
  log?: Logger;
  /** Flush each batch to disk before it is acknowledged (default true). */
  fsync?: boolean;
  /** Clock for retention and uptime windows (tests). */
  now?: () => number;
  /** Called after each `datasync` of a day file (tests count group commits with it). */
  onDatasync?: (file: string) => void;
}

type Line = Result | { gap: GapRecord };

/** Appends waiting for the next group commit of one monitor's history. */
interface PendingCommit {
  lines: (readonly [string, Line])[];
  maxSeq: number;
  /** Settles once the commit that took these lines is on disk. */
  done: Promise<void>;
}

export function dayOf(ts: string | number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

function toMs(t: Date | number | string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`history query: not a time: ${String(t)}`);
  return ms;
}

export class HistoryStore {
  readonly retentionDays: number;
  private readonly log: Logger;
  private readonly fsync: boolean;
  private readonly now: () => number;
  private readonly seqs = new Map<string, Promise<number>>();
  private readonly writing = new Map<string, Promise<unknown>>();
  private readonly onDatasync: ((file: string) => void) | undefined;
  /** Per monitor: the queued commit that new appends join (not yet started). */
  private readonly pending = new Map<string, PendingCommit>();

  constructor(readonly dir: string, opts: HistoryStoreOptions = {}) {
    this.retentionDays = opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!(this.retentionDays >= 1)) throw new Error('history: retentionDays must be >= 1');
    this.log = opts.log ?? silentLogger;
    this.fsync = opts.fsync ?? true;
    this.now = opts.now ?? Date.now;
    this.onDatasync = opts.onDatasync;
  }

  private monitorDir(monitorId: string): string {
    return join(this.dir, encodeURIComponent(monitorId));
  }

  /** The highest seq stored for this monitor (0 if none): the `after` of the next `start`. */
  lastSeq(monitorId: string): Promise<number> {
    let seq = this.seqs.get(monitorId);
    if (!seq) {
      seq = this.recoverLastSeq(monitorId);
      this.seqs.set(monitorId, seq);
    }
    return seq;
  }

  /**
   * Forgets the stored seq baseline (the agent's numbering restarted, e.g. its data dir was
   * wiped); stored results are kept.
   */
  async resetSeq(monitorId: string, seq: number): Promise<void> {
    await this.serial(monitorId, async () => {
      this.seqs.set(monitorId, Promise.resolve(seq));
      await this.writeSeqFile(monitorId, seq);
    });
  }

  /**
   * Appends results (in seq order); resolves once they are on disk. Updates lastSeq.
   * Group commit: appends to one monitor made while its previous write+sync is in flight
   * are written and synced together by the next commit (one write and one datasync per day
   * file), in call order; each promise resolves after the sync covering its lines. There is
   * no timer: an append with nothing in flight starts its commit at once.
   */
  append(monitorId: string, results: readonly Result[]): Promise<void> {
    if (!results.length) return Promise.resolve();
    const lines: (readonly [string, Line])[] = results.map((r) => [r.ts, r] as const);
    return this.enqueueCommit(monitorId, lines, results[results.length - 1].seq);
  }

  /** Records a gap (it counts as stored for the seqs it covers); group-committed like append. */
  appendGap(monitorId: string, gap: Gap): Promise<void> {
    const record: GapRecord = { monitorId, fromSeq: gap.fromSeq, toSeq: gap.toSeq, count: gap.count, reason: gap.reason, fromTs: gap.fromTs, toTs: gap.toTs };
    return this.enqueueCommit(monitorId, [[gap.toTs, { gap: record }]], gap.toSeq);
  }

  /** Results matching the query, oldest first (by day file, then arrival order). */
  async query(q: HistoryQuery = {}): Promise<Result[]> {
    const out: Result[] = [];
    await this.scan(q, (line) => {
      if (!('gap' in line)) out.push(line);
    });
    return q.limit !== undefined && out.length > q.limit ? out.slice(out.length - q.limit) : out;
  }

  async gaps(q: HistoryQuery = {}): Promise<GapRecord[]> {
    const out: GapRecord[] = [];
    await this.scan({ ...q, taskId: undefined }, (line) => {
      if ('gap' in line) out.push(line.gap);
    });
    return q.limit !== undefined && out.length > q.limit ? out.slice(out.length - q.limit) : out;
  }

  /** Up-or-degraded share of results in the last hour, day and week, in per cent. */
  async uptime(monitorId: string, taskId: string): Promise<Uptime> {
    const now = this.now();
    const windows = { h1: now - 3_600_000, h24: now - DAY_MS, d7: now - 7 * DAY_MS };
    const counts = { h1: [0, 0], h24: [0, 0], d7: [0, 0] } as Record<keyof Uptime, [number, number]>;
    await this.scan({ monitorId, taskId, from: windows.d7, to: now }, (line) => {
      if ('gap' in line) return;
      const t = Date.parse(line.ts);
      const ok = line.status === 'down' ? 0 : 1;
      for (const key of ['h1', 'h24', 'd7'] as const) {
        if (t >= windows[key]) {
          counts[key][0] += ok;
          counts[key][1] += 1;
        }
      }
    });
    const pct = ([ok, all]: [number, number]) => (all ? Math.round((ok / all) * 100_000) / 1000 : null);
    return { h1: pct(counts.h1), h24: pct(counts.h24), d7: pct(counts.d7) };
  }

  async exportJson(q: HistoryQuery = {}): Promise<string> {
    return `${JSON.stringify(await this.query(q), null, 2)}\n`;
  }

  async exportCsv(q: HistoryQuery = {}): Promise<string> {
    const header = ['ts', 'monitorId', 'taskId', 'type', 'target', 'seq', 'status', 'latencyMs', 'error', 'details'];
    const rows = (await this.query(q)).map((r) =>
      [r.ts, r.monitorId, r.taskId, r.type, r.target, r.seq, r.status, r.latencyMs ?? '', r.error ?? '', JSON.stringify(r.details)].map(csvField).join(','),
    );
    return [header.join(','), ...rows].join('\r\n') + '\r\n';
  }

  /** Deletes day files older than the retention; returns how many were deleted. */
  async sweep(): Promise<number> {
    const cutoff = dayOf(this.now() - (this.retentionDays - 1) * DAY_MS); // keep `retentionDays` days including today
    let deleted = 0;
    for (const monitorId of await this.monitors()) {
      await this.serial(monitorId, async () => {
        const old = (await this.dayFiles(monitorId)).filter((d) => d < cutoff);
        if (!old.length) return;
        await this.writeSeqFile(monitorId, await this.lastSeq(monitorId));
        for (const day of old) {
          await rm(join(this.monitorDir(monitorId), `${day}.jsonl`), { force: true });
          deleted += 1;
        }
      });
    }
    if (deleted) this.log.info(`history: deleted ${deleted} day file(s) older than ${this.retentionDays} days`);
    return deleted;
  }

  /** Monitor ids that have history. */
  async monitors(): Promise<string[]> {
    try {
      const names = await readdir(this.dir, { withFileTypes: true });
      return names.filter((d) => d.isDirectory()).map((d) => decodeURIComponent(d.name));
    } catch {
      return [];
    }
  }

  /** Waits for pending writes and saves the seq baselines. */
  async close(): Promise<void> {
    await Promise.all([...this.writing.values()].map((p) => p.catch(() => undefined)));
    for (const [monitorId, seq] of this.seqs) {
      const value = await seq.catch(() => 0);
      if (value > 0) await this.writeSeqFile(monitorId, value).catch(() => undefined);
    }
  }

  // ---- internals

  private serial<T>(monitorId: string, fn: () => Promise<T>): Promise<T> {
    // Appends made after this task was queued must not join a commit queued before it.
    this.pending.delete(monitorId);
    const prev = this.writing.get(monitorId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    this.writing.set(monitorId, run.catch(() => undefined));
    return run;
  }

  /** Joins the monitor's queued commit, or queues a new one behind the work in flight. */
  private enqueueCommit(monitorId: string, lines: (readonly [string, Line])[], maxSeq: number): Promise<void> {
    const queued = this.pending.get(monitorId);
    if (queued) {
      for (const line of lines) queued.lines.push(line);
      queued.maxSeq = Math.max(queued.maxSeq, maxSeq);
      return queued.done;
    }
    const commit: PendingCommit = { lines, maxSeq, done: Promise.resolve() };
    commit.done = this.serial(monitorId, async () => {
      // From here on, new appends queue the next commit: they are not in this write.
      if (this.pending.get(monitorId) === commit) this.pending.delete(monitorId);
      await this.writeLines(monitorId, commit.lines);
      const prev = await this.lastSeq(monitorId);
      this.seqs.set(monitorId, Promise.resolve(Math.max(prev, commit.maxSeq)));
    });
    this.pending.set(monitorId, commit);
    return commit.done;
  }

  private async writeLines(monitorId: string, lines: readonly (readonly [string, Line])[]): Promise<void> {
    const dir = this.monitorDir(monitorId);
    // One string per day file, each line stringified once; results of one batch are
    // nearly always of one day, so this is one write and one datasync per commit.
    const byDay = new Map<string, string>();
    const days = new DayCache();
    for (const [ts, line] of lines) {
      const day = days.dayOf(ts);
      byDay.set(day, (byDay.get(day) ?? '') + JSON.stringify(line) + '\n');
    }
    for (const [day, text] of byDay) {
      const file = join(dir, `${day}.jsonl`);
      const handle = await openForAppend(file, dir);
      try {
        await handle.write(text);
        if (this.fsync) {
          await handle.datasync();
          this.onDatasync?.(file);
        }
      } finally {
        await handle.close();
      }
    }
  }

  private async writeSeqFile(monitorId: string, seq: number): Promise<void> {
    await writeFileAtomic(join(this.monitorDir(monitorId), 'seq.json'), `${JSON.stringify({ lastSeq: seq })}\n`, 0o600);
  }

  private async dayFiles(monitorId: string): Promise<string[]> {
    try {
      const names = await readdir(this.monitorDir(monitorId));
      return names.map((n) => DAY_FILE.exec(n)?.[1]).filter((d): d is string => !!d).sort();
    } catch {
      return [];
    }
  }

  private async recoverLastSeq(monitorId: string): Promise<number> {
    let best = 0;
    try {
      const saved = JSON.parse(await readFile(join(this.monitorDir(monitorId), 'seq.json'), 'utf8')) as { lastSeq?: unknown };
      if (typeof saved.lastSeq === 'number' && Number.isSafeInteger(saved.lastSeq)) best = saved.lastSeq;
    } catch {
      // no seq.json: the day files decide
    }
    for (const day of await this.dayFiles(monitorId)) {
      best = Math.max(best, await this.tailSeq(join(this.monitorDir(monitorId), `${day}.jsonl`)));
    }
    return best;
  }

  /** The seq of the last complete line of a day file (a torn last line is skipped). */
  private async tailSeq(file: string): Promise<number> {
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      const length = Math.min(size, TAIL_BYTES);
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, size - length);
      const lines = buf.toString('utf8').split('\n');
      let best = 0;
      for (const text of lines) {
        const seq = seqOfLine(text);
        if (seq !== undefined) best = Math.max(best, seq);
      }
      return best;
    } finally {
      await handle.close();
    }
  }

  private async scan(q: HistoryQuery, visit: (line: Line) => void): Promise<void> {
    const from = toMs(q.from);
    const to = toMs(q.to);
    const fromDay = from === undefined ? undefined : dayOf(from);
    const toDay = to === undefined ? undefined : dayOf(to);
    const monitors = q.monitorId !== undefined ? [q.monitorId] : (await this.monitors()).sort();
    for (const monitorId of monitors) {
      await (this.writing.get(monitorId) ?? Promise.resolve()); // see our own completed writes
      for (const day of await this.dayFiles(monitorId)) {
        if ((fromDay && day < fromDay) || (toDay && day > toDay)) continue;
        let text: string;
        try {
          text = await readFile(join(this.monitorDir(monitorId), `${day}.jsonl`), 'utf8');
        } catch {
          continue; // deleted by a sweep meanwhile
        }
        for (const raw of text.split('\n')) {
          if (!raw) continue;
          let line: Line;
          try {
            line = JSON.parse(raw) as Line;
          } catch {
            continue; // a torn line from a crash: skipped
          }
          const ts = 'gap' in line ? line.gap.toTs : line.ts;
          const t = Date.parse(ts);
          if ((from !== undefined && t < from) || (to !== undefined && t > to)) continue;
          if (q.taskId !== undefined && !('gap' in line) && line.taskId !== q.taskId) continue;
          visit(line);
        }
      }
    }
  }
}

/**
 * dayOf for a run of timestamps: Date.parse instead of building a Date and an ISO string per
 * line, and the day string reused while consecutive results fall on the same UTC day. The
 * result is dayOf's exactly (an unparsable ts still throws dayOf's error).
 */
class DayCache {
  private dayNumber = NaN;
  private day = '';
  dayOf(ts: string): string {
    const ms = Date.parse(ts);
    if (Number.isNaN(ms)) return dayOf(ts);
    const dayNumber = Math.floor(ms / DAY_MS);
    if (dayNumber !== this.dayNumber) {
      this.day = dayOf(ms);
      this.dayNumber = dayNumber;
    }
    return this.day;
  }
}

/** Opens a day file for appending, creating the monitor's directory only when it is missing. */
async function openForAppend(file: string, dir: string): Promise<FileHandle> {
  try {
    return await open(file, 'a', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
    return await open(file, 'a', 0o600);
  }
}

function seqOfLine(text: string): number | undefined {
  if (!text) return undefined;
  try {
    const line = JSON.parse(text) as Partial<Result> & { gap?: Gap };
    if (line.gap && typeof line.gap.toSeq === 'number') return line.gap.toSeq;
    return typeof line.seq === 'number' ? line.seq : undefined;
  } catch {
    return undefined;
  }
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// The durable spool: every result is appended here before it is sent, and removed only
// after the manager acknowledged it.
//
// Layout of the spool directory:
//   segments/<16-digit id>.seg   append-only record files (record.ts), oldest id first
//   meta.json                    lastSeq, ackedSeq and the gaps (dropped seq ranges)
//
// Every change on disk (append, roll, drop, delete after ack, fsync, meta) runs in one
// serialized async loop, so the event loop never waits on the disk. Appends are written
// as soon as the loop gets to them (a process kill loses only what was still queued);
// fsync runs at most `syncIntervalMs` after a write, and on close.
// When the byte budget (the sum of segment files) would be exceeded, the oldest whole
// segment is dropped and its unacknowledged seqs become a gap delivered in their place.
import { mkdir, open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gap } from '../../../protocol/src/index.js';
import { readJsonFile, syncDir, writeFileAtomic } from '../atomic-file.js';
import { encodeRecord, RECORD_HEADER_BYTES, scanRecords } from './record.js';
import { addGap, clipGap, uncoveredRanges } from './ranges.js';

export const DEFAULT_SPOOL_BUDGET = 256 * 1024 * 1024;
export const MIN_SPOOL_BUDGET = 64 * 1024;
const READ_CHUNK = 1024 * 1024;

export interface SpoolOptions {
  /** The spool directory (created if missing). */
  dir: string;
  /** Most bytes the segment files may take together. */
  budgetBytes?: number;
  /** Segment size; default budget/8 clamped to 16 KiB … 4 MiB. */
  segmentBytes?: number;
  /** Longest time written data waits for fsync (at most 1000). */
  syncIntervalMs?: number;
  /** Results kept in memory while the disk refuses writes, before the oldest are dropped. */
  memoryQueueBytes?: number;
  log?: (line: string) => void;
}

interface Segment {
  id: number;
  path: string;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  firstTs: number;
  lastTs: number;
  /** Scanned at start-up: its corrupt records are already counted. */
  recovered: boolean;
  dropped: boolean;
}

interface Pending {
  seq: number;
  tsMs: number;
  buf: Buffer;
}

export type SpoolBatch =
  | { kind: 'results'; items: Buffer[]; seqs: number[]; firstSeq: number; lastSeq: number; bytes: number }
  | { kind: 'gap'; gap: Gap };

export interface SpoolStats {
  lastSeq: number;
  writtenSeq: number;
  ackedSeq: number;
  segments: number;
  bytes: number;
  budgetBytes: number;
  corruptRecords: number;
  droppedResults: number;
  gaps: number;
}

interface Meta {
  v: 1;
  lastSeq: number;
  ackedSeq: number;
  gaps: Gap[];
  clean: boolean;
}

const iso = (ms: number): string => new Date(Number.isFinite(ms) ? ms : 0).toISOString();

export class Spool {
  private readonly segDir: string;
  private readonly metaPath: string;
  readonly budgetBytes: number;
  readonly segmentBytes: number;
  private readonly syncIntervalMs: number;
  private readonly memoryQueueBytes: number;
  private readonly log: (line: string) => void;

  private segments: Segment[] = [];
  private active!: Segment;
  private activeFh: FileHandle | null = null;
  private gaps: Gap[] = [];
  private lastSeqValue = 0;
  private writtenSeqValue = 0;
  private ackedSeqValue = 0;
  private corrupt = 0;
  private dropped = 0;

  private queue: Pending[] = [];
  private queuedBytes = 0;
  private loop: Promise<void> | null = null;
  private dirty = false;
  private syncWanted = false;
  private metaWanted = false;
  private cleanupWanted = false;
  private closed = false;
  private abandoned = false;
  private ioFailing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private readonly writtenListeners = new Set<() => void>();

  private readFh: { id: number; fh: FileHandle } | null = null;
  private readPos: { segId: number; offset: number; afterSeq: number } | null = null;
  private readChain: Promise<unknown> = Promise.resolve();

  private constructor(opts: SpoolOptions) {
    this.segDir = join(opts.dir, 'segments');
    this.metaPath = join(opts.dir, 'meta.json');
    this.budgetBytes = Math.max(MIN_SPOOL_BUDGET, opts.budgetBytes ?? DEFAULT_SPOOL_BUDGET);
    this.segmentBytes = opts.segmentBytes ?? Math.min(4 * 1024 * 1024, Math.max(16 * 1024, Math.floor(this.budgetBytes / 8)));
    this.syncIntervalMs = Math.min(1000, opts.syncIntervalMs ?? 1000);
    this.memoryQueueBytes = opts.memoryQueueBytes ?? 16 * 1024 * 1024;
    this.log = opts.log ?? (() => undefined);
  }

  /** Opens (or creates) the spool in `opts.dir`, recovering whatever a previous run left. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    const spool = new Spool(opts);
    await mkdir(spool.segDir, { recursive: true, mode: 0o700 });
    await spool.recover();
    spool.syncTimer = setInterval(() => {
      if (spool.dirty || spool.metaWanted) {
        spool.syncWanted = true;
        spool.kick();
      }
    }, spool.syncIntervalMs);
    spool.syncTimer.unref();
    return spool;
  }

  get lastSeq(): number {
    return this.lastSeqValue;
  }
  /** Highest seq written to the segment files (only these may be sent). */
  get writtenSeq(): number {
    return this.writtenSeqValue;
  }
  get ackedSeq(): number {
    return this.ackedSeqValue;
  }

  stats(): SpoolStats {
    return {
      lastSeq: this.lastSeqValue,
      writtenSeq: this.writtenSeqValue,
      ackedSeq: this.ackedSeqValue,
      segments: this.segments.length,
      bytes: this.totalBytes(),
      budgetBytes: this.budgetBytes,
      corruptRecords: this.corrupt,
      droppedResults: this.dropped,
      gaps: this.gaps.length,
    };
  }

  /** Results (and gap seqs) after `cursor` not yet acknowledged: an upper bound of what is waiting. */
  pendingAfter(cursor: number): number {
    return Math.max(0, this.lastSeqValue - Math.max(cursor, this.ackedSeqValue));
  }

  /** Calls `listener` whenever new records reach the segment files. Returns an unsubscribe function. */
  onWritten(listener: () => void): () => void {
    this.writtenListeners.add(listener);
    return () => this.writtenListeners.delete(listener);
  }

  /**
   * Queues one result. `build(seq)` returns its JSON with that seq in it; `tsMs` is its
   * agent timestamp. Returns the seq. The write happens asynchronously (see flush()).
   */
  append(tsMs: number, build: (seq: number) => string): number {
    if (this.closed) throw new Error('spool: closed');
    const seq = ++this.lastSeqValue;
    const buf = encodeRecord(seq, tsMs, build(seq));
    this.queue.push({ seq, tsMs, buf });
    this.queuedBytes += buf.length;
    if (this.ioFailing && this.queuedBytes > this.memoryQueueBytes) this.shedMemoryQueue();
    this.kick();
    return seq;
  }

  /** Makes the next seq at least `seq + 1` (a manager already holds seqs up to `seq`). */
  skipTo(seq: number): void {
    if (seq > this.lastSeqValue && this.queue.length === 0) {
      this.lastSeqValue = seq;
      this.writtenSeqValue = Math.max(this.writtenSeqValue, seq);
      this.metaWanted = true;
      this.kick();
    }
  }

  /** Cumulative acknowledgement: everything up to `seq` is stored by the manager. */
  ack(seq: number): void {
    const upTo = Math.min(seq, this.writtenSeqValue);
    if (upTo <= this.ackedSeqValue) return;
    this.ackedSeqValue = upTo;
    const before = this.gaps.length;
    this.gaps = this.gaps.filter((g) => g.toSeq > upTo);
    if (this.gaps.length !== before) this.metaWanted = true;
    this.cleanupWanted = true;
    this.metaWanted = true; // written with the next sync tick, not per ack
    if (this.segments.some((s) => s !== this.active && s.lastSeq <= upTo)) this.kick();
  }

  /** Resolves when everything appended so far is written (not necessarily fsynced). */
  async flush(): Promise<void> {
    while (this.loop || (this.queue.length && !this.ioFailing && !this.closed)) {
      if (!this.loop) this.kick();
      await this.loop;
    }
  }

  /** Writes and fsyncs everything, records a clean shutdown, and closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.syncTimer) clearInterval(this.syncTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ioFailing = false;
    await this.flush();
    this.closed = true;
    await this.readChain.catch(() => undefined);
    try {
      if (this.activeFh && this.dirty) await this.activeFh.datasync();
      await this.writeMeta(true);
    } catch (err) {
      this.log(`spool: could not finish writing on close: ${(err as Error).message}`);
    }
    await this.activeFh?.close().catch(() => undefined);
    this.activeFh = null;
    await this.readFh?.fh.close().catch(() => undefined);
    this.readFh = null;
  }

  /**
   * For crash tests: stops like a killed process would between two disk operations:
   * whatever is still queued in memory is lost, no fsync, no meta update.
   */
  async abandon(): Promise<void> {
    this.closed = true;
    this.abandoned = true;
    if (this.syncTimer) clearInterval(this.syncTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.loop?.catch(() => undefined);
    await this.readChain.catch(() => undefined);
    await this.activeFh?.close().catch(() => undefined);
    await this.readFh?.fh.close().catch(() => undefined);
    this.activeFh = null;
    this.readFh = null;
  }

  /**
   * The next thing to deliver after `cursor`: up to `maxItems` results (at most about
   * `maxBytes` of JSON) in seq order, or a gap, or null if nothing is waiting.
   * Reads are serialized; they never wait for the writer.
   */
  readBatch(cursor: number, maxItems: number, maxBytes: number): Promise<SpoolBatch | null> {
    const run = this.readChain.then(() => this.readBatchNow(cursor, maxItems, maxBytes));
    this.readChain = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- recovery

  private async recover(): Promise<void> {
    const meta = await this.readMeta();
    this.ackedSeqValue = meta.ackedSeq;
    this.gaps = meta.gaps.filter((g) => g.toSeq > meta.ackedSeq);
    if (!meta.clean && (meta.lastSeq > 0 || meta.ackedSeq > 0)) this.log('spool: the previous run did not shut down cleanly; recovering');

    const names = (await readdir(this.segDir)).filter((n) => /^\d{16}\.seg$/.test(n)).sort();
    let prevSeq = meta.ackedSeq;
    let prevTs = NaN;
    let maxSeq = 0;
    for (const name of names) {
      const path = join(this.segDir, name);
      const buf = await readFile(path);
      const scan = scanRecords(buf, 0, true);
      const seg: Segment = {
        id: Number(name.slice(0, 16)),
        path,
        bytes: buf.length,
        firstSeq: 0,
        lastSeq: 0,
        firstTs: NaN,
        lastTs: NaN,
        recovered: true,
        dropped: false,
      };
      if (scan.corrupt) {
        this.corrupt += scan.corrupt;
        this.log(`spool: skipped ${scan.corrupt} corrupt record(s) in ${name}`);
      }
      for (const rec of scan.records) {
        if (rec.seq <= seg.lastSeq) continue; // never deliver a seq twice
        if (!seg.firstSeq) {
          seg.firstSeq = rec.seq;
          seg.firstTs = rec.tsMs;
        }
        seg.lastSeq = rec.seq;
        seg.lastTs = rec.tsMs;
        if (rec.seq > prevSeq + 1) this.noteLoss(prevSeq + 1, rec.seq - 1, prevTs, rec.tsMs, 'spool records corrupt or missing');
        if (rec.seq > prevSeq) {
          prevSeq = rec.seq;
          prevTs = rec.tsMs;
        }
        maxSeq = Math.max(maxSeq, rec.seq);
      }
      // A record cut off mid-write still names its seq: it may have been sent, so never reuse it.
      if (scan.tornSeq !== null && scan.tornSeq > prevSeq && scan.tornSeq <= prevSeq + 1_000_000) maxSeq = Math.max(maxSeq, scan.tornSeq);
      this.segments.push(seg);
    }
    const lastSeq = Math.max(meta.lastSeq, maxSeq, meta.ackedSeq);
    // Seqs the meta file had handed out but no segment holds: lost in a crash.
    if (lastSeq > prevSeq) this.noteLoss(prevSeq + 1, lastSeq, prevTs, prevTs, 'results lost in an unclean shutdown');
    this.lastSeqValue = lastSeq;
    this.writtenSeqValue = lastSeq;

    const nextId = this.segments.length ? this.segments[this.segments.length - 1].id + 1 : 1;
    await this.openActive(nextId);
    this.cleanupWanted = true;
    await this.writeMeta(false);
  }

  private noteLoss(from: number, to: number, fromTsMs: number, toTsMs: number, reason: string): void {
    for (const [a, b] of uncoveredRanges(Math.max(from, this.ackedSeqValue + 1), to, this.gaps)) {
      const fromTs = Number.isFinite(fromTsMs) ? fromTsMs : toTsMs;
      const toTs = Number.isFinite(toTsMs) ? toTsMs : fromTs;
      this.gaps = addGap(this.gaps, { fromSeq: a, toSeq: b, count: b - a + 1, reason, fromTs: iso(fromTs), toTs: iso(toTs) });
      this.dropped += b - a + 1;
      this.log(`spool: ${b - a + 1} result(s) missing (seq ${a}-${b}): ${reason}; the manager will be told`);
    }
  }

  private async readMeta(): Promise<Meta> {
    const empty: Meta = { v: 1, lastSeq: 0, ackedSeq: 0, gaps: [], clean: true };
    let data: unknown;
    try {
      data = await readJsonFile(this.metaPath);
    } catch (err) {
      this.log(`spool: ${(err as Error).message}; rebuilding from the segments`);
      return { ...empty, clean: false };
    }
    if (data === null) return empty;
    const m = data as Partial<Meta>;
    const num = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
    const gaps = Array.isArray(m.gaps)
      ? m.gaps.filter((g): g is Gap => !!g && typeof g === 'object' && num(g.fromSeq) > 0 && num(g.toSeq) >= num(g.fromSeq) && typeof g.reason === 'string' && typeof g.fromTs === 'string' && typeof g.toTs === 'string')
      : [];
    return { v: 1, lastSeq: num(m.lastSeq), ackedSeq: num(m.ackedSeq), gaps: gaps.sort((a, b) => a.fromSeq - b.fromSeq), clean: m.clean === true };
  }

  private async writeMeta(clean: boolean): Promise<void> {
    this.metaWanted = false;
    // lastSeq counts queued seqs too: if they are lost in a crash, the gap says so.
    const meta: Meta = { v: 1, lastSeq: this.lastSeqValue, ackedSeq: this.ackedSeqValue, gaps: this.gaps, clean };
    await writeFileAtomic(this.metaPath, JSON.stringify(meta));
  }

  // ---------------------------------------------------------------- writer loop

  private kick(): void {
    if (this.loop || this.closed) return;
    if (this.ioFailing) return; // the retry timer restarts the loop
    this.loop = this.runLoop()
      .catch((err: unknown) => this.onIoError(err))
      .finally(() => {
        this.loop = null;
        if (!this.ioFailing && (this.queue.length || this.syncWanted || this.cleanupWanted)) this.kick();
      });
  }

  private async runLoop(): Promise<void> {
    for (;;) {
      if (this.abandoned) return;
      if (this.cleanupWanted) await this.deleteAcked();
      if (this.queue.length) {
        await this.writeSome();
        continue;
      }
      if (this.syncWanted) {
        this.syncWanted = false;
        if (this.dirty && this.activeFh) {
          this.dirty = false;
          await this.activeFh.datasync();
        }
        if (this.metaWanted) await this.writeMeta(false);
      }
      if (!this.queue.length && !this.cleanupWanted && !this.syncWanted) return;
    }
  }

  private async writeSome(): Promise<void> {
    if (this.active.bytes > 0 && this.active.bytes + this.queue[0].buf.length > this.segmentBytes) await this.roll();
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && n < 8192) {
      const size = this.queue[n].buf.length;
      if (n > 0 && this.active.bytes + bytes + size > this.segmentBytes) break;
      bytes += size;
      n++;
    }
    if (!(await this.makeRoom(bytes))) {
      // A batch larger than the whole budget: it cannot be kept at all.
      const lost = this.queue.splice(0, n);
      this.queuedBytes -= bytes;
      this.recordDrop(lost[0].seq, lost[lost.length - 1].seq, lost[0].tsMs, lost[lost.length - 1].tsMs, `result larger than the spool budget of ${this.budgetBytes} bytes`);
      return;
    }
    const batch = this.queue.slice(0, n);
    const buf = n === 1 ? batch[0].buf : Buffer.concat(batch.map((p) => p.buf), bytes);
    const fh = this.activeFh!;
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await fh.write(buf, off, buf.length - off, this.active.bytes + off);
      off += bytesWritten;
    }
    this.queue.splice(0, n);
    this.queuedBytes -= bytes;
    const seg = this.active;
    if (!seg.firstSeq) {
      seg.firstSeq = batch[0].seq;
      seg.firstTs = batch[0].tsMs;
    }
    seg.lastSeq = batch[n - 1].seq;
    seg.lastTs = batch[n - 1].tsMs;
    seg.bytes += bytes;
    this.writtenSeqValue = Math.max(this.writtenSeqValue, seg.lastSeq);
    this.dirty = true;
    for (const listener of this.writtenListeners) listener();
  }

  /** Drops the oldest segments until `bytes` more fit in the budget. False if they never can. */
  private async makeRoom(bytes: number): Promise<boolean> {
    while (this.totalBytes() + bytes > this.budgetBytes) {
      const oldest = this.segments.find((s) => s !== this.active);
      if (oldest) {
        await this.dropSegment(oldest);
        continue;
      }
      if (this.active.bytes > 0) {
        await this.roll();
        continue;
      }
      return false;
    }
    return true;
  }

  private async dropSegment(seg: Segment): Promise<void> {
    const from = Math.max(seg.firstSeq, this.ackedSeqValue + 1);
    if (seg.lastSeq && from <= seg.lastSeq) {
      const fromTs = from === seg.firstSeq ? seg.firstTs : await this.tsOf(seg, from);
      this.recordDrop(from, seg.lastSeq, fromTs, seg.lastTs, `spool budget of ${this.budgetBytes} bytes reached`);
    }
    seg.dropped = true;
    // The gap must be on disk before the records disappear.
    await this.writeMeta(false);
    await this.removeSegment(seg);
  }

  private recordDrop(from: number, to: number, fromTs: number, toTs: number, reason: string): void {
    for (const [a, b] of uncoveredRanges(from, to, this.gaps)) {
      this.gaps = addGap(this.gaps, { fromSeq: a, toSeq: b, count: b - a + 1, reason, fromTs: iso(fromTs), toTs: iso(toTs) });
      this.dropped += b - a + 1;
    }
    this.metaWanted = true;
    this.log(`spool: dropped results seq ${from}-${to} (${reason}); the manager will get a gap record`);
  }

  private async tsOf(seg: Segment, seq: number): Promise<number> {
    try {
      const scan = scanRecords(await readFile(seg.path), 0, true);
      return scan.records.find((r) => r.seq >= seq)?.tsMs ?? seg.firstTs;
    } catch {
      return seg.firstTs;
    }
  }

  private async deleteAcked(): Promise<void> {
    this.cleanupWanted = false;
    const done = this.segments.filter((s) => s !== this.active && s.lastSeq <= this.ackedSeqValue);
    if (!done.length) return;
    await this.writeMeta(false);
    for (const seg of done) await this.removeSegment(seg);
  }

  private async removeSegment(seg: Segment): Promise<void> {
    seg.dropped = true;
    this.segments = this.segments.filter((s) => s !== seg);
    if (this.readFh?.id === seg.id) {
      await this.readFh.fh.close().catch(() => undefined);
      this.readFh = null;
    }
    await unlink(seg.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  private async roll(): Promise<void> {
    const old = this.activeFh;
    if (old) {
      if (this.dirty) await old.datasync();
      this.dirty = false;
      await old.close();
    }
    this.activeFh = null;
    await this.openActive(this.active.id + 1);
  }

  private async openActive(id: number): Promise<void> {
    const path = join(this.segDir, `${String(id).padStart(16, '0')}.seg`);
    this.activeFh = await open(path, 'wx', 0o600);
    const seg: Segment = { id, path, bytes: 0, firstSeq: 0, lastSeq: 0, firstTs: NaN, lastTs: NaN, recovered: false, dropped: false };
    this.segments.push(seg);
    this.active = seg;
    await syncDir(this.segDir);
  }

  private totalBytes(): number {
    let sum = 0;
    for (const s of this.segments) sum += s.bytes;
    return sum;
  }

  private onIoError(err: unknown): void {
    if (this.closed) return;
    if (!this.ioFailing) {
      this.log(`spool: disk write failed (${(err as Error).message}); keeping results in memory and retrying every second`);
    }
    this.ioFailing = true;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ioFailing = false;
      this.kick();
    }, 1000);
    this.retryTimer.unref();
  }

  /** While the disk fails, memory is bounded too: the oldest queued results become a gap. */
  private shedMemoryQueue(): void {
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length - 1 && this.queuedBytes - bytes > this.memoryQueueBytes / 2) bytes += this.queue[n++].buf.length;
    if (!n) return;
    const lost = this.queue.splice(0, n);
    this.queuedBytes -= bytes;
    this.writtenSeqValue = Math.max(this.writtenSeqValue, lost[n - 1].seq);
    this.recordDrop(lost[0].seq, lost[n - 1].seq, lost[0].tsMs, lost[n - 1].tsMs, 'disk writes failing and the memory queue is full');
  }

  // ---------------------------------------------------------------- reader

  private async readBatchNow(cursor: number, maxItems: number, maxBytes: number): Promise<SpoolBatch | null> {
    if (this.closed) return null;
    const gap = this.gaps.find((g) => g.toSeq > cursor);
    if (gap && gap.fromSeq <= cursor + 1) return { kind: 'gap', gap: clipGap(gap, cursor) };
    const limit = Math.min(gap ? gap.fromSeq - 1 : Infinity, this.writtenSeqValue);
    const items: Buffer[] = [];
    const seqs: number[] = [];
    let firstSeq = 0;
    let last = cursor;
    let bytes = 0;
    outer: for (const seg of this.segments.slice()) {
      if (seg.dropped || seg.lastSeq <= last || seg.bytes === 0) continue;
      if (seg.firstSeq > limit) break;
      const end = seg.bytes;
      let pos = this.readPos && this.readPos.segId === seg.id && this.readPos.afterSeq === last ? this.readPos.offset : 0;
      let chunk = READ_CHUNK;
      while (pos < end) {
        const fh = await this.readHandle(seg);
        if (!fh) break;
        const len = Math.min(end - pos, chunk);
        const buf = Buffer.allocUnsafe(len);
        const { bytesRead } = await fh.read(buf, 0, len, pos);
        if (seg.dropped) break outer;
        const final = pos + bytesRead >= end;
        const scan = scanRecords(buf.subarray(0, bytesRead), pos, final);
        if (!seg.recovered) this.corrupt += scan.corrupt;
        if (scan.consumed === 0 && !final) {
          chunk = Math.max(chunk * 2, buf.readUInt32BE(4) + RECORD_HEADER_BYTES); // one record bigger than the chunk
          continue;
        }
        for (const rec of scan.records) {
          if (rec.seq <= last) continue;
          if (rec.seq > limit) break outer;
          items.push(rec.payload);
          seqs.push(rec.seq);
          if (!firstSeq) firstSeq = rec.seq;
          last = rec.seq;
          bytes += rec.payload.length;
          this.readPos = { segId: seg.id, offset: rec.offset + rec.size, afterSeq: last };
          if (items.length >= maxItems || bytes >= maxBytes) break outer;
        }
        pos += scan.consumed;
        if (final) break;
      }
    }
    // A segment dropped while we read it is reported as a gap: never send both.
    const gapNow = this.gaps.find((g) => g.toSeq > cursor);
    if (gapNow) {
      let keep = 0;
      while (keep < seqs.length && seqs[keep] < gapNow.fromSeq) keep++;
      if (keep === 0 && items.length) return { kind: 'gap', gap: clipGap(gapNow, cursor) };
      if (keep < items.length) {
        items.length = keep;
        seqs.length = keep;
        last = seqs[keep - 1];
        bytes = items.reduce((n, b) => n + b.length, 0);
      }
    }
    if (items.length) return { kind: 'results', items, seqs, firstSeq, lastSeq: last, bytes };
    if (gap) return { kind: 'gap', gap: clipGap(gap, cursor) };
    return null;
  }

  private async readHandle(seg: Segment): Promise<FileHandle | null> {
    if (this.readFh?.id === seg.id) return this.readFh.fh;
    await this.readFh?.fh.close().catch(() => undefined);
    this.readFh = null;
    try {
      this.readFh = { id: seg.id, fh: await open(seg.path, 'r') };
      return this.readFh.fh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}

/** Total bytes of the segment files in a spool directory (for tests and `status`). */
export async function spoolDiskBytes(dir: string): Promise<number> {
  const segDir = join(dir, 'segments');
  let sum = 0;
  for (const name of await readdir(segDir).catch(() => [] as string[])) {
    sum += (await stat(join(segDir, name)).catch(() => ({ size: 0 }))).size;
  }
  return sum;
}

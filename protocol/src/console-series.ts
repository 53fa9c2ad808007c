// Latency series for the result console's charts: one point per result, grouped into
// fixed time buckets (min, median, max, loss, worst status). The host builds buckets from
// the manager's history; the webview merges live results into the same buckets, so both
// sides share this one definition.
import type { Gap, Result } from './result.js';

/** One result reduced to what a chart draws. Times are epoch ms of the agent clock. */
export interface ChartPoint {
  t: number;
  min: number | null;
  med: number | null;
  max: number | null;
  /** Packet loss in percent (ICMP only), else null. */
  loss: number | null;
  status: Result['status'];
}

/** One time bucket `[t, t + bucketMs)` of a chart. */
export interface ChartBucket {
  t: number;
  /** Results counted (up + degraded + down). */
  n: number;
  min: number | null;
  med: number | null;
  max: number | null;
  /** Mean loss % over the results that reported loss, else null. */
  loss: number | null;
  up: number;
  degraded: number;
  down: number;
  /** Results the agent had to drop (gap records) in this bucket: no data, not an outage. */
  lost: number;
}

/** Uptime percentages (0–100) for the last hour, day and week; null when no data. */
export interface UptimeFigures {
  h1: number | null;
  h24: number | null;
  d7: number | null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Reduces a result to a chart point; null when its timestamp cannot be read. */
export function pointOfResult(r: Result): ChartPoint | null {
  const t = Date.parse(r.ts);
  if (!Number.isFinite(t)) return null;
  const latency = num(r.latencyMs);
  if (r.type === 'icmp') {
    // SmokePing style: the spread of this run's echo replies, not just the headline.
    const rtt = (r.details?.rtt ?? {}) as Record<string, unknown>;
    return {
      t,
      min: num(rtt.min) ?? latency,
      med: num(rtt.median) ?? latency,
      max: num(rtt.max) ?? latency,
      loss: num(r.details?.lossPct),
      status: r.status,
    };
  }
  return { t, min: latency, med: latency, max: latency, loss: null, status: r.status };
}

const MEDIAN_SAMPLES = 64;

interface BucketAcc {
  n: number;
  min: number | null;
  max: number | null;
  /** Up to MEDIAN_SAMPLES per-result medians; the bucket median is their median. */
  meds: number[];
  lossSum: number;
  lossN: number;
  up: number;
  degraded: number;
  down: number;
  lost: number;
}

function emptyAcc(): BucketAcc {
  return { n: 0, min: null, max: null, meds: [], lossSum: 0, lossN: 0, up: 0, degraded: 0, down: 0, lost: 0 };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Accumulates points into buckets aligned to multiples of `bucketMs` (so buckets built on
 * the host and extended in the webview line up). Memory is bounded by the number of
 * buckets, which callers bound by pruning with `prune(fromMs)`.
 */
export class BucketSeries {
  private readonly acc = new Map<number, BucketAcc>();

  constructor(readonly bucketMs: number) {
    if (!(bucketMs > 0)) throw new Error('bucketMs: must be > 0');
  }

  private at(t: number): BucketAcc {
    const key = Math.floor(t / this.bucketMs) * this.bucketMs;
    let a = this.acc.get(key);
    if (!a) {
      a = emptyAcc();
      this.acc.set(key, a);
    }
    return a;
  }

  add(p: ChartPoint): void {
    const a = this.at(p.t);
    a.n += 1;
    a[p.status] += 1;
    if (p.min !== null) a.min = a.min === null ? p.min : Math.min(a.min, p.min);
    if (p.max !== null) a.max = a.max === null ? p.max : Math.max(a.max, p.max);
    if (p.med !== null) {
      // Deterministic bounded sampling: overwrite in rotation once full.
      if (a.meds.length < MEDIAN_SAMPLES) a.meds.push(p.med);
      else a.meds[a.n % MEDIAN_SAMPLES] = p.med;
    }
    if (p.loss !== null) {
      a.lossSum += p.loss;
      a.lossN += 1;
    }
  }

  /** Spreads a gap's lost results over the buckets its time span touches. */
  addGap(gap: Pick<Gap, 'fromTs' | 'toTs' | 'count'>): void {
    const from = Date.parse(gap.fromTs);
    const to = Date.parse(gap.toTs);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return;
    const first = Math.floor(from / this.bucketMs);
    const last = Math.floor(to / this.bucketMs);
    const spans = last - first + 1;
    // A gap longer than 10 000 buckets only marks its ends (the chart range is smaller).
    if (spans > 10_000) {
      this.at(from).lost += Math.max(1, Math.floor(gap.count / 2));
      this.at(to).lost += Math.max(1, Math.ceil(gap.count / 2));
      return;
    }
    const per = Math.max(1, Math.round(gap.count / spans));
    for (let b = first; b <= last; b++) this.at(b * this.bucketMs).lost += per;
  }

  /** Seeds a bucket received from the host (its median stands for all its results). */
  addBucket(b: ChartBucket): void {
    const a = this.at(b.t);
    a.n += b.n;
    a.up += b.up;
    a.degraded += b.degraded;
    a.down += b.down;
    a.lost += b.lost;
    if (b.min !== null) a.min = a.min === null ? b.min : Math.min(a.min, b.min);
    if (b.max !== null) a.max = a.max === null ? b.max : Math.max(a.max, b.max);
    if (b.med !== null && a.meds.length < MEDIAN_SAMPLES) a.meds.push(b.med);
    if (b.loss !== null) {
      a.lossSum += b.loss * Math.max(1, b.n);
      a.lossN += Math.max(1, b.n);
    }
  }

  /** Drops buckets that end before `fromMs`. */
  prune(fromMs: number): void {
    for (const key of this.acc.keys()) if (key + this.bucketMs <= fromMs) this.acc.delete(key);
  }

  get size(): number {
    return this.acc.size;
  }

  /** Buckets overlapping `[fromMs, toMs]`, oldest first. */
  buckets(fromMs = -Infinity, toMs = Infinity): ChartBucket[] {
    const out: ChartBucket[] = [];
    for (const [t, a] of this.acc) {
      if (t + this.bucketMs <= fromMs || t > toMs) continue;
      out.push({
        t,
        n: a.n,
        min: a.min,
        med: median(a.meds),
        max: a.max,
        loss: a.lossN ? a.lossSum / a.lossN : null,
        up: a.up,
        degraded: a.degraded,
        down: a.down,
        lost: a.lost,
      });
    }
    return out.sort((x, y) => x.t - y.t);
  }
}

/** The bucket width for a chart range: about 240 buckets, at least one second. */
export function bucketMsForRange(rangeMs: number): number {
  return Math.max(1000, Math.ceil(rangeMs / 240 / 1000) * 1000);
}

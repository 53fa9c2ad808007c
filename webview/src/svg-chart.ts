// Draws one task's latency chart as SVG: the min–max band of every bucket with the median
// as a step line (SmokePing style), down/degraded periods as shaded spans with a strip on
// top, results lost in gaps as a hatched "no data" span (not an outage) and, for ICMP,
// packet loss as bars in the lowest quarter. Colours come from CSS classes that use only
// --vscode-* variables.
import type { ChartBucket } from '../../protocol/src/console-series.js';
import { s } from './dom.js';
import { formatAxisTime, formatMs } from './format.js';

export interface ChartInput {
  buckets: readonly ChartBucket[];
  fromMs: number;
  toMs: number;
  bucketMs: number;
  width: number;
  height: number;
  showLoss: boolean;
}

export interface ChartStats {
  buckets: number;
  downSpans: number;
  degradedSpans: number;
  lostSpans: number;
  maxMs: number | null;
  median: number | null;
}

function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** No data for this long does not end a down/degraded period (one result per interval). */
const MERGE_GAP_MS = 300_000;

/**
 * Time spans of buckets that satisfy `pred`. A span ends at the first bucket with other
 * results in it; buckets without results in between (the task's interval is longer than a
 * bucket) do not split it unless the silence exceeds MERGE_GAP_MS.
 */
function spans(buckets: readonly ChartBucket[], bucketMs: number, pred: (b: ChartBucket) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let open = false;
  for (const b of buckets) {
    if (pred(b)) {
      const last = out[out.length - 1];
      if (open && last && b.t - last[1] <= Math.max(3 * bucketMs, MERGE_GAP_MS)) last[1] = b.t + bucketMs;
      else out.push([b.t, b.t + bucketMs]);
      open = true;
    } else if (b.n > 0) {
      open = false;
    }
  }
  return out;
}

/** Consecutive buckets with lost results, merged. */
function lostSpans(buckets: readonly ChartBucket[], bucketMs: number): [number, number][] {
  const out: [number, number][] = [];
  for (const b of buckets) {
    if (b.lost <= 0) continue;
    const last = out[out.length - 1];
    if (last && last[1] >= b.t) last[1] = b.t + bucketMs;
    else out.push([b.t, b.t + bucketMs]);
  }
  return out;
}

export function drawChart(svg: SVGSVGElement, input: ChartInput): ChartStats {
  const { buckets, fromMs, toMs, bucketMs, width, height, showLoss } = input;
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  const m = { l: 56, r: showLoss ? 40 : 10, t: 8, b: 20 };
  const pw = Math.max(10, width - m.l - m.r);
  const ph = Math.max(10, height - m.t - m.b);
  const span = Math.max(1, toMs - fromMs);
  const x = (t: number) => m.l + ((Math.min(Math.max(t, fromMs), toMs) - fromMs) / span) * pw;
  const withData = buckets.filter((b) => b.max !== null || b.med !== null);
  const maxV = withData.reduce((acc, b) => Math.max(acc, b.max ?? b.med ?? 0), 0);
  const yMax = niceCeil(maxV * 1.1);
  const y = (v: number) => m.t + ph - (Math.min(v, yMax) / yMax) * ph;

  const defs = s('defs');
  const pattern = s('pattern', { id: 'lost-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pattern.append(s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }));
  defs.append(pattern);
  svg.append(defs);

  // Grid and y axis.
  const axis = s('g', { class: 'axis' });
  for (const v of [0, yMax / 2, yMax]) {
    axis.append(s('line', { x1: m.l, x2: m.l + pw, y1: y(v), y2: y(v), class: 'grid' }));
    const label = s('text', { x: m.l - 4, y: y(v) + 3, 'text-anchor': 'end' });
    label.textContent = formatMs(v);
    axis.append(label);
  }
  const withDate = toMs - fromMs > 86_400_000 / 2;
  for (const [t, anchor] of [[fromMs, 'start'], [(fromMs + toMs) / 2, 'middle'], [toMs, 'end']] as const) {
    const label = s('text', { x: x(t), y: height - 6, 'text-anchor': anchor });
    label.textContent = formatAxisTime(t, withDate);
    axis.append(label);
  }
  svg.append(axis);

  // Periods: down (red), degraded (yellow), lost (hatched, neutral).
  const periods = s('g', { class: 'periods' });
  const down = spans(buckets, bucketMs, (b) => b.down > 0);
  const degraded = spans(buckets, bucketMs, (b) => b.down === 0 && b.degraded > 0);
  const lost = lostSpans(buckets, bucketMs);
  const addSpans = (list: [number, number][], cls: string, strip: boolean) => {
    for (const [a, b] of list) {
      const x0 = x(a);
      const w = Math.max(2, x(b) - x0);
      periods.append(s('rect', { x: x0, y: m.t, width: w, height: ph, class: `span ${cls}` }));
      if (strip) periods.append(s('rect', { x: x0, y: m.t, width: w, height: 4, class: `strip ${cls}` }));
    }
  };
  addSpans(lost, 'lost', false);
  addSpans(degraded, 'degraded', true);
  addSpans(down, 'down', true);
  svg.append(periods);

  // ICMP loss bars in the lowest quarter, right axis 0–100 %.
  if (showLoss) {
    const lossG = s('g', { class: 'loss' });
    const lh = ph / 4;
    for (const b of buckets) {
      if (!b.loss) continue;
      const bh = Math.max(1, (Math.min(100, b.loss) / 100) * lh);
      lossG.append(s('rect', { x: x(b.t), y: m.t + ph - bh, width: Math.max(2, x(b.t + bucketMs) - x(b.t)), height: bh, class: 'loss-bar' }));
    }
    const top = s('text', { x: m.l + pw + 4, y: m.t + ph - lh + 3, class: 'axis-loss' });
    top.textContent = '100%';
    const bottom = s('text', { x: m.l + pw + 4, y: m.t + ph, class: 'axis-loss' });
    bottom.textContent = 'loss';
    lossG.append(top, bottom);
    svg.append(lossG);
  }

  // Band (min–max per bucket) and the median step line. A bucket's values hold until the
  // next bucket with data when the task's interval is longer than a bucket.
  const hold = Math.max(3 * bucketMs, MERGE_GAP_MS);
  let band = '';
  let line = '';
  let joined = false;
  const hasData = (b: ChartBucket | undefined) => b !== undefined && (b.max !== null || b.med !== null);
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (!hasData(b)) {
      joined = false;
      continue;
    }
    // Hold until the next bucket of any kind (a down bucket ends the line there).
    const next = buckets[i + 1];
    const end = next && next.t - (b.t + bucketMs) <= hold ? next.t : b.t + bucketMs;
    const x0 = x(b.t);
    const x1 = Math.max(x0 + 1, x(end));
    if (b.min !== null && b.max !== null) band += `M${x0.toFixed(1)} ${y(b.max).toFixed(1)}H${x1.toFixed(1)}V${y(b.min).toFixed(1)}H${x0.toFixed(1)}Z`;
    if (b.med !== null) {
      const yy = y(b.med).toFixed(1);
      line += joined ? `L${x0.toFixed(1)} ${yy}H${x1.toFixed(1)}` : `M${x0.toFixed(1)} ${yy}H${x1.toFixed(1)}`;
      joined = hasData(next) && end === next!.t;
    } else {
      joined = false;
    }
  }
  if (band) svg.append(s('path', { d: band, class: 'band' }));
  if (line) svg.append(s('path', { d: line, class: 'median' }));

  if (!withData.length && !down.length) {
    const t = s('text', { x: m.l + pw / 2, y: m.t + ph / 2, 'text-anchor': 'middle', class: 'no-data' });
    t.textContent = 'No latency data in this range yet';
    svg.append(t);
  }
  const meds = withData.map((b) => b.med).filter((v): v is number => v !== null).sort((a, b) => a - b);
  return {
    buckets: withData.length,
    downSpans: down.length,
    degradedSpans: degraded.length,
    lostSpans: lost.length,
    maxMs: withData.length ? maxV : null,
    median: meds.length ? meds[meds.length >> 1]! : null,
  };
}

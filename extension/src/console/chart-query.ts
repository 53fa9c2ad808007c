// Answers the webview's chart and uptime requests from the manager's history: the task's
// results in the range, reduced to buckets, plus uptime for 1 h / 24 h / 7 d. When history
// cannot be read, the host's own buffered entries stand in (and the reply says so).
import type { ChartDataMessage, ChartRequestMessage, ConsoleEntry } from '../../../protocol/src/console-messages.js';
import { CHART_RANGES } from '../../../protocol/src/console-messages.js';
import { BucketSeries, bucketMsForRange, pointOfResult, type UptimeFigures } from '../../../protocol/src/console-series.js';
import type { Gap, Result } from '../../../protocol/src/result.js';
import { historyItems, normalizeUptime, withTimeout, type ConsoleDataSource } from './data-source.js';

export const HISTORY_TIMEOUT_MS = 15_000;
/** Results read for one chart at most (7 days of a 3-second task). */
export const HISTORY_LIMIT = 200_000;

const HOUR = 3_600_000;

/** Uptime from results: (up + degraded) / all, per window ending at `nowMs`. */
export function uptimeFromResults(results: readonly Result[], nowMs: number, coveredFromMs: number): UptimeFigures {
  const windows = { h1: HOUR, h24: 24 * HOUR, d7: 7 * 24 * HOUR };
  const out: UptimeFigures = { h1: null, h24: null, d7: null };
  for (const [k, span] of Object.entries(windows) as [keyof UptimeFigures, number][]) {
    const from = nowMs - span;
    // A window reaching before what was loaded would be a guess: leave it empty.
    if (from < coveredFromMs - 60_000) continue;
    let n = 0;
    let ok = 0;
    for (const r of results) {
      const t = Date.parse(r.ts);
      if (!(t >= from)) continue;
      n += 1;
      if (r.status !== 'down') ok += 1;
    }
    out[k] = n ? (100 * ok) / n : null;
  }
  return out;
}

function buildSeries(results: readonly Result[], gaps: readonly Gap[], req: ChartRequestMessage, fromMs: number): { series: BucketSeries; until: number | null } {
  const series = new BucketSeries(bucketMsForRange(CHART_RANGES[req.range]));
  let until: number | null = null;
  for (const r of results) {
    if (r.monitorId !== req.monitorId || r.taskId !== req.taskId) continue;
    const p = pointOfResult(r);
    if (!p || p.t < fromMs) continue;
    series.add(p);
    until = until === null ? p.t : Math.max(until, p.t);
  }
  for (const g of gaps) if (Date.parse(g.toTs) >= fromMs) series.addGap(g);
  return { series, until };
}

export async function readUptime(source: ConsoleDataSource, monitorId: string, taskId: string): Promise<UptimeFigures | null> {
  const fn = source.history?.uptime;
  if (!fn) return null;
  try {
    return normalizeUptime(await withTimeout(fn.call(source.history, monitorId, taskId), HISTORY_TIMEOUT_MS, 'history.uptime'));
  } catch {
    return null;
  }
}

export async function loadChart(
  source: ConsoleDataSource,
  req: ChartRequestMessage,
  buffered: () => readonly ConsoleEntry[],
  nowMs = Date.now(),
): Promise<ChartDataMessage> {
  const fromMs = nowMs - CHART_RANGES[req.range];
  let results: Result[] = [];
  let gaps: Gap[] = [];
  let error: string | null = null;
  try {
    if (!source.history) throw new Error('no history store');
    const answer = await withTimeout(
      source.history.query({ monitorId: req.monitorId, taskId: req.taskId, from: new Date(fromMs).toISOString(), limit: HISTORY_LIMIT }),
      HISTORY_TIMEOUT_MS,
      'history.query',
    );
    const items = historyItems(answer);
    results = items.results;
    gaps = items.gaps.filter((g) => g.monitorId === req.monitorId).map((g) => g.gap);
    if (source.history.gaps) {
      // Gaps are optional decoration: a failure here leaves the results standing.
      try {
        const more = historyItems(await withTimeout(source.history.gaps({ monitorId: req.monitorId, from: new Date(fromMs).toISOString() }), HISTORY_TIMEOUT_MS, 'history.gaps'));
        for (const g of more.gaps) if (g.monitorId === req.monitorId) gaps.push(g.gap);
      } catch {
        /* no gaps shown */
      }
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    for (const entry of buffered()) {
      if (entry.kind === 'result') results.push(entry.result);
      else if (entry.monitorId === req.monitorId) gaps.push(entry.gap);
    }
  }
  const { series, until } = buildSeries(results, gaps, req, fromMs);
  const own = results.filter((r) => r.monitorId === req.monitorId && r.taskId === req.taskId);
  const uptime = (await readUptime(source, req.monitorId, req.taskId)) ?? uptimeFromResults(own, nowMs, error ? Infinity : fromMs);
  return {
    type: 'chart',
    monitorId: req.monitorId,
    taskId: req.taskId,
    range: req.range,
    bucketMs: series.bucketMs,
    buckets: series.buckets(fromMs, nowMs + series.bucketMs),
    uptime,
    historyUntil: until,
    error,
  };
}

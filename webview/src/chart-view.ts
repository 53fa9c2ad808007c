// The chart section: pick a task and a range; the host sends the history as buckets, live
// results are merged in, uptime figures are refreshed every 30 s while the chart is shown.
import type { ChartDataMessage, ChartRange, ConsoleEntry, UptimeMessage, WebviewToHost } from '../../protocol/src/console-messages.js';
import { CHART_RANGES } from '../../protocol/src/console-messages.js';
import { BucketSeries, bucketMsForRange, pointOfResult, type UptimeFigures } from '../../protocol/src/console-series.js';
import { h, s } from './dom.js';
import { formatMs, formatPercent } from './format.js';
import { drawChart } from './svg-chart.js';
import { fillSelect } from './select.js';

export interface TaskRef {
  monitorId: string;
  taskId: string;
  type: string;
}

const taskValue = (m: string, t: string) => JSON.stringify([m, t]);
const UPTIME_REFRESH_MS = 30_000;
const REDRAW_MIN_MS = 250;

export class ChartView {
  readonly root: HTMLElement;
  private readonly taskSelect: HTMLElement & { value: string };
  private readonly rangeSelect: HTMLElement & { value: string };
  private readonly svg: SVGSVGElement;
  private readonly uptimeEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly plot: HTMLElement;
  monitorId = '';
  taskId = '';
  taskType = '';
  range: ChartRange = '1h';
  private series: BucketSeries | null = null;
  private loading = false;
  private historyUntil = -Infinity;
  /** Live points that arrived while the history was loading. */
  private pendingLive: ConsoleEntry[] = [];
  private uptime: UptimeFigures | null = null;
  private dirty = true;
  private lastDraw = -Infinity;
  private uptimeTimer: ReturnType<typeof setInterval> | undefined;
  private taskSig = '';
  private tasks: readonly TaskRef[] = [];
  private width = 600;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly post: (m: WebviewToHost) => void,
    private readonly onSelectionChange: () => void,
  ) {
    this.taskSelect = h('vscode-single-select', { 'aria-label': 'Task to chart', class: 'chart-task' }) as HTMLElement & { value: string };
    this.rangeSelect = h('vscode-single-select', { 'aria-label': 'Chart range', class: 'chart-range' }) as HTMLElement & { value: string };
    fillSelect(this.rangeSelect, [
      ['1h', 'Last hour'],
      ['24h', 'Last 24 hours'],
      ['7d', 'Last 7 days'],
    ], this.range);
    this.uptimeEl = h('div', { class: 'uptime', 'aria-label': 'Uptime' });
    this.statusEl = h('div', { class: 'chart-status', role: 'status' });
    this.svg = s('svg', { class: 'chart', role: 'img', 'aria-label': 'Latency chart' });
    this.plot = h('div', { class: 'chart-plot' });
    this.plot.append(this.svg);
    const legend = h(
      'div',
      { class: 'legend', 'aria-hidden': 'true' },
      h('span', { class: 'sw sw-median' }), 'median ',
      h('span', { class: 'sw sw-band' }), 'min–max ',
      h('span', { class: 'sw sw-down' }), 'down ',
      h('span', { class: 'sw sw-degraded' }), 'degraded ',
      h('span', { class: 'sw sw-lost' }), 'results lost (no data, not an outage) ',
      h('span', { class: 'sw sw-loss' }), 'ICMP loss',
    );
    this.root = h(
      'section',
      { class: 'charts', 'aria-label': 'Latency and uptime' },
      h('div', { class: 'chart-head' }, h('span', { class: 'chart-label' }, 'Chart'), this.taskSelect, this.rangeSelect, this.uptimeEl),
      this.plot,
      h('div', { class: 'chart-foot' }, legend, this.statusEl),
    );
    this.taskSelect.addEventListener('change', () => {
      try {
        const [m, t] = JSON.parse(this.taskSelect.value) as [string, string];
        if (typeof m === 'string' && typeof t === 'string') this.select(m, t);
      } catch {
        /* an empty value: nothing to chart */
      }
    });
    this.rangeSelect.addEventListener('change', () => {
      const r = this.rangeSelect.value;
      if (Object.hasOwn(CHART_RANGES, r) && r !== this.range) {
        this.range = r as ChartRange;
        this.request();
        this.onSelectionChange();
      }
    });
    this.resize = new ResizeObserver(() => {
      const w = Math.floor(this.plot.clientWidth);
      if (w > 0 && w !== this.width) {
        this.width = w;
        this.dirty = true;
      }
    });
    this.resize.observe(this.plot);
    this.uptimeTimer = setInterval(() => this.refreshUptime(), UPTIME_REFRESH_MS);
  }

  dispose(): void {
    clearInterval(this.uptimeTimer);
    this.uptimeTimer = undefined;
    this.resize.disconnect();
  }

  setTasks(tasks: readonly TaskRef[]): void {
    this.tasks = tasks;
    const sig = tasks.map((t) => taskValue(t.monitorId, t.taskId)).join('|');
    const known = tasks.find((t) => t.monitorId === this.monitorId && t.taskId === this.taskId);
    if (known) this.taskType = known.type;
    if (sig !== this.taskSig) {
      this.taskSig = sig;
      fillSelect(
        this.taskSelect,
        tasks.map((t) => [taskValue(t.monitorId, t.taskId), `${t.monitorId} / ${t.taskId} (${t.type})`]),
        this.taskId ? taskValue(this.monitorId, this.taskId) : '',
      );
    }
    // Never leave the chart empty while there is something to show.
    if (!this.taskId && tasks.length) this.select(tasks[0]!.monitorId, tasks[0]!.taskId, tasks[0]!.type);
  }

  select(monitorId: string, taskId: string, type?: string, range?: ChartRange): void {
    if (range && Object.hasOwn(CHART_RANGES, range)) this.range = range;
    if (monitorId === this.monitorId && taskId === this.taskId && this.series && !range) return;
    this.monitorId = monitorId;
    this.taskId = taskId;
    this.taskType = type ?? this.tasks.find((t) => t.monitorId === monitorId && t.taskId === taskId)?.type ?? '';
    (this.taskSelect as { value: string }).value = taskValue(monitorId, taskId);
    this.rangeSelect.value = this.range;
    this.request();
    this.onSelectionChange();
  }

  private request(): void {
    if (!this.taskId) return;
    const bucketMs = bucketMsForRange(CHART_RANGES[this.range]);
    this.series = new BucketSeries(bucketMs);
    this.loading = true;
    this.pendingLive = [];
    this.historyUntil = -Infinity;
    this.uptime = null;
    this.statusEl.textContent = 'Loading history…';
    this.dirty = true;
    this.post({ type: 'chartRequest', monitorId: this.monitorId, taskId: this.taskId, range: this.range });
  }

  refreshUptime(): void {
    if (this.taskId && !document.hidden) this.post({ type: 'uptimeRequest', monitorId: this.monitorId, taskId: this.taskId });
  }

  onChartData(msg: ChartDataMessage): void {
    if (msg.monitorId !== this.monitorId || msg.taskId !== this.taskId || msg.range !== this.range) return;
    const series = new BucketSeries(msg.bucketMs);
    for (const b of msg.buckets) series.addBucket(b);
    this.series = series;
    this.loading = false;
    this.historyUntil = msg.historyUntil ?? -Infinity;
    this.uptime = msg.uptime;
    this.statusEl.textContent = msg.error ? `History unavailable (${msg.error}); showing live results only.` : '';
    const pending = this.pendingLive;
    this.pendingLive = [];
    this.addLive(pending);
    this.dirty = true;
  }

  onUptime(msg: UptimeMessage): void {
    if (msg.monitorId !== this.monitorId || msg.taskId !== this.taskId) return;
    this.uptime = msg.uptime;
    this.dirty = true;
  }

  /** Live entries (already in key order): those of the charted task join the series. */
  addLive(entries: readonly ConsoleEntry[]): void {
    if (!this.taskId || !this.series) return;
    for (const e of entries) {
      if (e.kind === 'gap') {
        if (e.monitorId === this.monitorId) {
          if (this.loading) this.pendingLive.push(e);
          else if (Date.parse(e.gap.toTs) > this.historyUntil) this.series.addGap(e.gap);
          this.dirty = true;
        }
        continue;
      }
      const r = e.result;
      if (r.monitorId !== this.monitorId || r.taskId !== this.taskId) continue;
      if (this.loading) {
        this.pendingLive.push(e);
        continue;
      }
      const p = pointOfResult(r);
      if (p && p.t > this.historyUntil) {
        this.series.add(p);
        this.dirty = true;
      }
    }
  }

  get needsFrame(): boolean {
    return this.dirty;
  }

  /** Redraws at most every 250 ms (called from the frame loop). */
  frame(now: number): void {
    if (!this.dirty || now - this.lastDraw < REDRAW_MIN_MS) return;
    this.dirty = false;
    this.lastDraw = now;
    this.draw();
  }

  private draw(): void {
    const u = this.uptime;
    this.uptimeEl.textContent = this.taskId
      ? `Uptime  1 h: ${formatPercent(u?.h1 ?? null)}   24 h: ${formatPercent(u?.h24 ?? null)}   7 d: ${formatPercent(u?.d7 ?? null)}`
      : '';
    const rangeMs = CHART_RANGES[this.range];
    const series = this.series;
    const newest = series ? series.buckets().at(-1) : undefined;
    const toMs = Math.max(Date.now(), newest ? newest.t + series!.bucketMs : 0);
    const fromMs = toMs - rangeMs;
    series?.prune(fromMs - rangeMs / 10);
    const buckets = series ? series.buckets(fromMs, toMs) : [];
    const stats = drawChart(this.svg, {
      buckets,
      fromMs,
      toMs,
      bucketMs: series?.bucketMs ?? bucketMsForRange(rangeMs),
      width: this.width,
      height: 170,
      showLoss: this.taskType === 'icmp',
    });
    this.svg.dataset.buckets = String(stats.buckets);
    this.svg.dataset.downSpans = String(stats.downSpans);
    this.svg.dataset.lostSpans = String(stats.lostSpans);
    this.svg.setAttribute(
      'aria-label',
      this.taskId
        ? `Latency of ${this.monitorId} / ${this.taskId}: ${stats.buckets} intervals with data, median ${formatMs(stats.median)}, ` +
            `maximum ${formatMs(stats.maxMs)}, ${stats.downSpans} down period${stats.downSpans === 1 ? '' : 's'}, ` +
            `${stats.degradedSpans} degraded, ${stats.lostSpans} with lost results`
        : 'No task selected',
    );
  }
}

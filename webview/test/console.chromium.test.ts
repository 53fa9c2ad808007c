// The result console's real bundle in Debian Chromium (playwright-core), under the host's
// real HTML and CSP, with a fake acquireVsCodeApi standing in for VS Code.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';
import { requireTool } from '../../test/support/tools.js';
import { startHarness, THEMES, type ConsoleHarness, type ConsolePage, type ThemeName } from './support/console-page.js';
import { entry, gapEntry, icmpResult, result } from './support/results.js';
import { BucketSeries, bucketMsForRange, pointOfResult } from '../../protocol/src/console-series.js';
import type { ChartDataMessage, ConsoleEntry } from '../../protocol/src/console-messages.js';

type Sent = { type: string; [k: string]: unknown };

async function visibleRows(cp: ConsolePage): Promise<string[][]> {
  return cp.page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.scroller .row:not([hidden])')]
      .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
      .map((r) => [...r.querySelectorAll('.cell')].map((c) => (c.textContent ?? '').trim())),
  );
}

async function waitShown(cp: ConsolePage, n: number): Promise<void> {
  await cp.page.waitForFunction((want) => document.querySelector<HTMLElement>('.status-line')?.dataset.shown === String(want), n);
}

async function shown(cp: ConsolePage): Promise<number> {
  return Number(await cp.page.evaluate(() => document.querySelector<HTMLElement>('.status-line')?.dataset.shown));
}

async function chooseOption(cp: ConsolePage, selectClass: string, label: string): Promise<void> {
  await cp.page.locator(selectClass).click();
  await cp.page.locator(selectClass).getByRole('option', { name: label, exact: true }).click();
}

async function waitSent(cp: ConsolePage, pred: (m: Sent) => boolean, what: string): Promise<Sent> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = (await cp.sent()).filter(pred).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`the webview never posted ${what}`);
    await cp.page.waitForTimeout(50);
  }
}

async function start(cp: ConsolePage, entries: ConsoleEntry[] = [], maxRows = 50_000, theme: ThemeName = 'dark'): Promise<void> {
  await cp.open(theme);
  await cp.host({ type: 'snapshot', reset: true, entries, done: true, maxRows });
}

function chartReply(req: Sent, results: ReturnType<typeof icmpResult>[], uptime = { h1: 99.5, h24: 99.9, d7: 100 }): ChartDataMessage {
  const series = new BucketSeries(bucketMsForRange(3_600_000));
  let until = 0;
  for (const r of results) {
    const p = pointOfResult(r)!;
    series.add(p);
    until = Math.max(until, p.t);
  }
  return {
    type: 'chart',
    monitorId: req.monitorId as string,
    taskId: req.taskId as string,
    range: '1h',
    bucketMs: series.bucketMs,
    buckets: series.buckets(),
    uptime,
    historyUntil: until,
    error: null,
  };
}

describe('result console webview (Chromium)', function () {
  this.timeout(120_000);
  let harness: ConsoleHarness;
  let cp: ConsolePage;

  before(async function () {
    requireTool(this, 'chromium', 'chromium');
    harness = await startHarness();
  });
  after(async () => harness?.close());
  beforeEach(async () => {
    cp = await harness.newPage();
  });
  afterEach(async () => {
    // No test may trip the Content Security Policy.
    const csp = await cp.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp).catch(() => []);
    await cp.page.context().close();
    assert.deepEqual(csp, [], 'CSP violations');
  });

  it('says ready once, then shows a row per posted result with its columns and summary', async () => {
    await cp.open('dark');
    const sent = await cp.sent();
    assert.deepEqual(sent[0], { type: 'ready', haveUpTo: null });
    await cp.host({ type: 'snapshot', reset: true, entries: [], done: true, maxRows: 50_000 });
    const ts = '2025-01-02T03:04:05.678Z';
    await cp.host({
      type: 'entries',
      entries: [
        entry(result({ monitorId: 'web-01', taskId: 'ssh', ts, target: '127.0.0.1:22', latencyMs: 2.25 })),
        entry(icmpResult('db-01', 'gw', ts, 12.5)),
        entry(result({ monitorId: 'db-01', taskId: 'site', type: 'https', target: 'https://app.test/', ts, status: 'down', latencyMs: null, error: 'status_mismatch: 503', details: { statusCode: 503, httpVersion: '1.1', bodyBytes: 12 } })),
      ],
    });
    await waitShown(cp, 3);
    const rows = await visibleRows(cp);
    assert.equal(rows.length, 3);
    // Newest first: the last posted is on top.
    const [top, mid, bottom] = rows as [string[], string[], string[]];
    assert.deepEqual(top.slice(1, 6), ['db-01', 'site', 'https', 'https://app.test/', 'down']);
    assert.match(top[7]!, /^status_mismatch: 503 · 503 HTTP\/1\.1, 12 B/);
    assert.deepEqual(mid.slice(1, 7), ['db-01', 'gw', 'icmp', '127.0.0.1', 'up', '12.5 ms']);
    assert.match(mid[7]!, /3\/3 replies, 0% loss, rtt 12\.0 ms \/ 12\.5 ms \/ 14\.0 ms/);
    assert.deepEqual(bottom.slice(1, 7), ['web-01', 'ssh', 'tcp', '127.0.0.1:22', 'up', '2.25 ms']);
    assert.match(bottom[0]!, /\d\d:\d\d:\d\d\.678$/);
    assert.match(bottom[7]!, /open, connect 1\.50 ms, banner "SSH-2.0-test"/);
  });

  it('shows gap records and backfilled results as such, not as outages', async () => {
    await start(cp, [
      entry(result({ monitorId: 'web-01', taskId: 'ssh', ts: '2025-01-02T03:00:00.000Z' }), true),
      gapEntry('web-01', { fromSeq: 10, toSeq: 46, count: 37, reason: 'spool budget', fromTs: '2025-01-02T03:01:00.000Z', toTs: '2025-01-02T03:05:00.000Z' }),
      entry(result({ monitorId: 'web-01', taskId: 'ssh', ts: '2025-01-02T03:06:00.000Z' })),
    ]);
    await waitShown(cp, 3);
    const rows = await visibleRows(cp);
    const gapRow = rows[1]!;
    assert.match(gapRow[5]!, /^gap/);
    assert.match(gapRow[7]!, /^37 results lost between 2025-01-02T03:01:00.000Z and 2025-01-02T03:05:00.000Z/);
    assert.match(rows[2]![5]!, /^up\s*backfilled$/);
    assert.equal(rows[0]![5], 'up');
    // Neither shows under "Down".
    await chooseOption(cp, '.f-status', 'Down');
    await waitShown(cp, 0);
    await chooseOption(cp, '.f-status', 'Lost results (gaps)');
    await waitShown(cp, 1);
    await chooseOption(cp, '.f-status', 'Backfilled');
    await waitShown(cp, 1);
  });

  it('narrows rows with the monitor, type, status and text filters, and remembers them', async () => {
    await start(cp);
    await cp.page.evaluate((b) => (window as unknown as { __flood: Function }).__flood(0, 1200, b, 1000, 50), Date.now() - 1_200_000);
    await waitShown(cp, 1200);
    // The synthetic stream: 3 monitors × 4 tasks (icmp, https, tcp, ntp), every 17th down.
    await chooseOption(cp, '.f-monitor', 'web-01');
    await waitShown(cp, 400);
    await chooseOption(cp, '.f-type', 'icmp');
    await waitShown(cp, 100);
    await chooseOption(cp, '.f-status', 'Down');
    const downIcmpWeb = Array.from({ length: 1200 }, (_, i) => i).filter((i) => i % 4 === 0 && Math.floor(i / 4) % 3 === 0 && i % 17 === 5).length;
    await waitShown(cp, downIcmpWeb);
    for (const row of await visibleRows(cp)) assert.deepEqual([row[1], row[3], row[5]], ['web-01', 'icmp', 'down']);
    await chooseOption(cp, '.f-status', 'All statuses');
    await cp.page.locator('vscode-textfield.f-text input').fill('no reply');
    await waitShown(cp, downIcmpWeb);
    await cp.page.locator('vscode-textfield.f-text input').fill('');
    await chooseOption(cp, '.f-monitor', 'All monitors');
    await chooseOption(cp, '.f-type', 'All types');
    await waitShown(cp, 1200);
    await cp.page.locator('vscode-textfield.f-text input').fill('edge-02 ssh');
    await waitShown(cp, 100);
    const state = await cp.page.evaluate(() => (window as unknown as { __state: { text: string } }).__state);
    assert.equal(state.text, 'edge-02 ssh');
    // A reloaded webview (VS Code recreates it when shown again) restores the filter.
    await cp.open('dark', state);
    await cp.page.evaluate((b) => {
      (window as unknown as { __host: Function }).__host({ type: 'snapshot', reset: true, entries: [], done: true, maxRows: 50000 });
      (window as unknown as { __flood: Function }).__flood(0, 1200, b, 1000, 50);
    }, Date.now() - 1_200_000);
    await waitShown(cp, 100);
    assert.equal(await cp.page.locator('vscode-textfield.f-text').evaluate((el) => (el as HTMLInputElement).value), 'edge-02 ssh');
  });

  it('"Show in Console" (a focus message) narrows the rows to that task and charts it', async () => {
    await start(cp);
    await cp.page.evaluate((b) => (window as unknown as { __flood: Function }).__flood(0, 24, b, 1000, 50), Date.now() - 1_200_000);
    await waitShown(cp, 24);
    // Leftover filters from earlier use must not hide the focused task's rows.
    await chooseOption(cp, '.f-status', 'Down');
    await cp.page.locator('vscode-textfield.f-text input').fill('nothing matches this');
    await waitShown(cp, 0);
    await cp.host({ type: 'focus', monitorId: 'db-01', taskId: 'ssh' });
    // 3 monitors × 4 tasks: 2 rows of db-01/ssh.
    await waitShown(cp, 2);
    for (const row of await visibleRows(cp)) assert.deepEqual([row[1], row[2]], ['db-01', 'ssh']);
    // What the user sees: the row elements no longer needed are not displayed.
    const displayed = await cp.page.evaluate(() => [...document.querySelectorAll('.scroller .row')].filter((r) => getComputedStyle(r).display !== 'none').length);
    assert.equal(displayed, 2, 'rows on screen');
    const req = await waitSent(cp, (m) => m.type === 'chartRequest' && m.monitorId === 'db-01' && m.taskId === 'ssh', 'a chart request for db-01/ssh');
    assert.equal(req.range, '1h');
    const ui = await cp.page.evaluate(() => {
      const w = window as unknown as { __state: Record<string, unknown> };
      const [monitor, task, chart, text] = ['.f-monitor', '.f-task', '.chart-task', 'vscode-textfield.f-text'].map((sel) => (document.querySelector(sel) as unknown as { value: string }).value);
      return { state: w.__state, monitor, task, chart, text };
    });
    assert.equal(ui.monitor, 'db-01');
    assert.equal(ui.task, 'ssh');
    assert.equal(ui.text, '');
    assert.match(ui.chart, /db-01.*ssh/);
    assert.deepEqual([ui.state.monitor, ui.state.task, ui.state.chartMonitor, ui.state.chartTask], ['db-01', 'ssh', 'db-01', 'ssh']);
  });

  it('opens the full details of a clicked row as text, never as markup', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    await start(cp, [
      entry(result({ monitorId: 'web-01', taskId: 'ssh', target: evil, error: `refused: ${evil}`, status: 'down', latencyMs: null, details: { state: 'refused', banner: '<script>window.__pwned=2</script>', nested: { deep: [1, 2, 3] } } })),
    ]);
    await waitShown(cp, 1);
    await cp.page.locator('.scroller .row').first().click();
    const pre = cp.page.locator('.details-json');
    await pre.waitFor();
    const json = JSON.parse((await pre.textContent()) ?? '');
    assert.deepEqual(json, { state: 'refused', banner: '<script>window.__pwned=2</script>', nested: { deep: [1, 2, 3] } });
    assert.match((await cp.page.locator('.details-fields').textContent()) ?? '', /<img src=x onerror/);
    const injected = await cp.page.evaluate(() => ({ pwned: (window as unknown as { __pwned?: number }).__pwned ?? null, imgs: document.querySelectorAll('img').length, scripts: document.querySelectorAll('.details script, .scroller script').length }));
    assert.deepEqual(injected, { pwned: null, imgs: 0, scripts: 0 });
    await cp.page.keyboard.press('Escape');
    await cp.page.locator('.details').waitFor({ state: 'hidden' });
  });

  it('is keyboard reachable: Tab to the table, arrows select, Enter opens details, focus is visible', async () => {
    await start(cp, [1, 2, 3].map((i) => entry(result({ monitorId: 'web-01', taskId: `t${i}` }))));
    await waitShown(cp, 3);
    await cp.page.locator('.table').focus();
    const outline = await cp.page.evaluate(() => {
      const el = document.querySelector('.table')!;
      return el.matches(':focus-visible') ? getComputedStyle(el).outlineStyle : 'not focus-visible';
    });
    assert.equal(outline, 'solid');
    await cp.page.keyboard.press('ArrowDown');
    await cp.page.keyboard.press('ArrowDown');
    await cp.page.keyboard.press('Enter');
    await cp.page.locator('.details-title').waitFor();
    assert.match((await cp.page.locator('.details-title').textContent()) ?? '', /^web-01 \/ t2/);
    // Every toolbar control is reachable with Tab.
    const reachable = await cp.page.evaluate(() =>
      ['.f-text', '.f-monitor', '.f-status', '.b-pause', '.b-clear', '.b-export-csv'].every((sel) => {
        const el = document.querySelector<HTMLElement>(sel)!;
        const inner = el.shadowRoot?.querySelector<HTMLElement>('[tabindex="0"], input, button');
        return el.tabIndex >= 0 || (inner !== null && inner !== undefined && inner.tabIndex >= 0);
      }),
    );
    assert.equal(reachable, true);
  });

  it('pauses and resumes the table, and clears it (telling the host)', async () => {
    await start(cp, [entry(result({ monitorId: 'web-01', taskId: 'a' }))]);
    await waitShown(cp, 1);
    await cp.page.locator('.b-pause').click();
    await cp.host({ type: 'entries', entries: [entry(result({ monitorId: 'web-01', taskId: 'b' })), entry(result({ monitorId: 'web-01', taskId: 'c' }))] });
    await cp.page.waitForFunction(() => /paused: 2 new/.test(document.querySelector('.status-line')?.textContent ?? ''));
    assert.equal(await shown(cp), 1);
    await cp.page.locator('.b-pause').click();
    await waitShown(cp, 3);
    await cp.page.locator('.b-clear').click();
    await waitShown(cp, 0);
    await waitSent(cp, (m) => m.type === 'clear', 'clear');
    // Palette commands reach the webview too.
    await cp.host({ type: 'command', command: 'pause' });
    await cp.page.waitForFunction(() => document.querySelector('.b-pause')?.getAttribute('aria-pressed') === 'true');
  });

  it('charts a task from history then live: min–max band, median, down period, loss, uptime', async () => {
    await start(cp, []);
    const now = Date.now();
    const history = Array.from({ length: 120 }, (_, i) => icmpResult('web-01', 'gw', new Date(now - 3_000_000 + i * 20_000).toISOString(), i >= 60 && i < 70 ? null : 10 + (i % 7), i % 9 === 0 ? 33 : 0));
    // A live result makes the task known; the chart asks the host for its history.
    await cp.host({ type: 'entries', entries: [entry(icmpResult('web-01', 'gw', new Date(now - 10_000).toISOString(), 11))] });
    const req = await waitSent(cp, (m) => m.type === 'chartRequest' && m.monitorId === 'web-01' && m.taskId === 'gw', 'a chart request');
    assert.equal(req.range, '1h');
    await cp.host(chartReply(req, history));
    await cp.page.waitForFunction(() => Number(document.querySelector<SVGElement>('svg.chart')?.dataset.buckets) > 50);
    const chart = await cp.page.evaluate(() => {
      const svg = document.querySelector<SVGSVGElement>('svg.chart')!;
      const d = svg.querySelector('path.median')?.getAttribute('d') ?? '';
      const band = svg.querySelector('path.band')?.getAttribute('d') ?? '';
      return {
        medianSegments: (d.match(/H/g) ?? []).length,
        bandRects: (band.match(/Z/g) ?? []).length,
        downSpans: svg.querySelectorAll('rect.span.down').length,
        lossBars: svg.querySelectorAll('rect.loss-bar').length,
        width: svg.getBoundingClientRect().width,
        stroke: getComputedStyle(svg.querySelector('path.median')!).stroke,
        uptime: document.querySelector('.uptime')?.textContent ?? '',
        label: svg.getAttribute('aria-label') ?? '',
      };
    });
    assert.ok(chart.medianSegments > 50, `median line has ${chart.medianSegments} steps`);
    assert.ok(chart.bandRects > 50, `band has ${chart.bandRects} buckets`);
    assert.equal(chart.downSpans, 1, 'the 10 down results form one down period');
    assert.ok(chart.lossBars >= 10, `loss bars: ${chart.lossBars}`);
    assert.ok(chart.width > 600);
    assert.equal(chart.stroke, 'rgb(55, 148, 255)', 'median drawn in --vscode-charts-blue');
    assert.match(chart.uptime, /1 h: 99\.50 %\s+24 h: 99\.90 %\s+7 d: 100 %/);
    assert.match(chart.label, /1 down period/);
    // Live results extend the chart.
    const before = Number(await cp.page.evaluate(() => document.querySelector<SVGElement>('svg.chart')!.dataset.buckets));
    await cp.host({ type: 'entries', entries: [entry(icmpResult('web-01', 'gw', new Date(Date.now()).toISOString(), 30))] });
    await cp.page.waitForFunction((b) => Number(document.querySelector<SVGElement>('svg.chart')?.dataset.buckets) > b, before);
  });

  it('exports the current filter as CSV and JSON through the host', async () => {
    await start(cp, [
      entry(result({ monitorId: 'web-01', taskId: 'ssh', ts: '2025-01-02T03:04:05.000Z', seq: 7, latencyMs: 1.5 })),
      entry(result({ monitorId: 'db-01', taskId: 'ssh', ts: '2025-01-02T03:04:06.000Z', seq: 8 })),
      entry(result({ monitorId: 'web-01', taskId: 'ssh', ts: '2025-01-02T03:04:07.000Z', seq: 9, status: 'down', latencyMs: null, error: 'refused: connection refused, "port closed"', details: { state: 'refused' } })),
      gapEntry('web-01', { fromSeq: 10, toSeq: 12, count: 3, reason: 'spool budget', fromTs: '2025-01-02T03:04:08.000Z', toTs: '2025-01-02T03:04:10.000Z' }),
    ]);
    await waitShown(cp, 4);
    await chooseOption(cp, '.f-monitor', 'web-01');
    await waitShown(cp, 3);
    await cp.page.locator('.b-export-csv').click();
    const csv = await waitSent(cp, (m) => m.type === 'export' && m.format === 'csv', 'a CSV export');
    assert.match(csv.suggestedName as string, /^netcam-results-\d{8}-\d{6}\.csv$/);
    assert.equal(csv.rows, 3);
    assert.equal(
      csv.content,
      [
        'kind,ts,monitorId,taskId,type,target,seq,status,latencyMs,error,backfilled,summary,details',
        'result,2025-01-02T03:04:05.000Z,web-01,ssh,tcp,127.0.0.1:22,7,up,1.5,,false,"open, connect 1.50 ms, banner ""SSH-2.0-test""","{""connectMs"":1.5,""resolvedIp"":""127.0.0.1"",""banner"":""SSH-2.0-test"",""state"":""open""}"',
        'result,2025-01-02T03:04:07.000Z,web-01,ssh,tcp,127.0.0.1:22,9,down,,"refused: connection refused, ""port closed""",false,"refused: connection refused, ""port closed"" · refused","{""state"":""refused""}"',
        'gap,2025-01-02T03:04:08.000Z,web-01,,,,10-12,,,,,"3 results lost between 2025-01-02T03:04:08.000Z and 2025-01-02T03:04:10.000Z (seq 10–12, spool budget)","{""fromSeq"":10,""toSeq"":12,""count"":3,""reason"":""spool budget"",""fromTs"":""2025-01-02T03:04:08.000Z"",""toTs"":""2025-01-02T03:04:10.000Z""}"',
        '',
      ].join('\r\n'),
    );
    await cp.host({ type: 'exported', format: 'csv', path: '/tmp/out.csv', error: null });
    await cp.page.waitForFunction(() => document.querySelector('.notice')?.textContent === 'Exported to /tmp/out.csv');
    await cp.page.locator('.b-export-json').click();
    const json = await waitSent(cp, (m) => m.type === 'export' && m.format === 'json', 'a JSON export');
    const items = JSON.parse(json.content as string) as { kind: string; seq?: number; count?: number }[];
    assert.deepEqual(items.map((i) => [i.kind, i.seq ?? i.count]), [['result', 7], ['result', 9], ['gap', 3]]);
  });

  it('keeps 50 000 rows with a small DOM, drops the oldest with a note, and its memory stays bounded', async () => {
    await start(cp, []);
    const session: CDPSession = await cp.page.context().newCDPSession(cp.page);
    const heapAfterGc = async () => {
      await session.send('HeapProfiler.collectGarbage');
      return (await session.send('Runtime.getHeapUsage')).usedSize;
    };
    const base = Date.now() - 7_200_000;
    const flood = (from: number, n: number) =>
      cp.page.evaluate(([f, c, b]) => (window as unknown as { __flood: Function }).__flood(f, c, b, 100, 50), [from, n, base] as const);
    await flood(0, 60_000);
    await cp.page.waitForFunction(() => document.querySelector<HTMLElement>('.status-line')?.dataset.kept === '50000');
    const status = await cp.page.evaluate(() => ({ dropped: document.querySelector<HTMLElement>('.status-line')!.dataset.dropped, text: document.querySelector('.status-line')!.textContent }));
    assert.equal(status.dropped, '10000');
    assert.match(status.text ?? '', /10 000 older rows dropped from view \(limit 50 000/);
    const domRows = await cp.page.evaluate(() => document.querySelectorAll('.scroller .row').length);
    assert.ok(domRows < 100, `DOM rows: ${domRows}`);
    // Scrolling deep in the list shows the right rows without growing the DOM.
    await cp.page.evaluate(() => {
      const s = document.querySelector('.scroller')!;
      s.scrollTop = 25_000 * 22;
    });
    await cp.page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.scroller .row:not([hidden])')].some((r) => r.getAttribute('aria-rowindex') === '25002'));
    assert.ok((await cp.page.evaluate(() => document.querySelectorAll('.scroller .row').length)) < 100);
    const heap1 = await heapAfterGc();
    await flood(60_000, 100_000);
    await cp.page.waitForFunction(() => document.querySelector<HTMLElement>('.status-line')?.dataset.dropped === '110000');
    const heap2 = await heapAfterGc();
    assert.ok(heap2 < heap1 * 1.25 + 5e6, `heap grew from ${(heap1 / 1e6).toFixed(1)} MB to ${(heap2 / 1e6).toFixed(1)} MB`);
  });

  for (const theme of Object.keys(THEMES) as ThemeName[]) {
    it(`renders readably in the ${theme} theme (screenshot test-results/console-${theme}.png)`, async () => {
      const now = Date.now();
      const entries: ConsoleEntry[] = [];
      for (let i = 0; i < 40; i++) {
        const ts = new Date(now - (40 - i) * 30_000).toISOString();
        entries.push(entry(icmpResult('web-01', 'gw', ts, i >= 20 && i < 24 ? null : 8 + (i % 5), i % 6 === 0 ? 33 : 0)));
        if (i % 3 === 0) entries.push(entry(result({ monitorId: 'db-01', taskId: 'ssh', ts, status: i % 9 === 0 ? 'degraded' : 'up' }), i < 9));
      }
      entries.push(gapEntry('db-01', { fromSeq: 100, toSeq: 136, count: 37, reason: 'spool budget', fromTs: new Date(now - 400_000).toISOString(), toTs: new Date(now - 300_000).toISOString() }));
      await start(cp, entries, 50_000, theme);
      await chooseOption(cp, '.chart-task', 'web-01 / gw (icmp)');
      const req = await waitSent(cp, (m) => m.type === 'chartRequest' && m.taskId === 'gw', 'a chart request');
      const history = Array.from({ length: 115 }, (_, i) => icmpResult('web-01', 'gw', new Date(now - 3_500_000 + i * 30_000).toISOString(), i >= 70 && i < 76 ? null : 9 + (i % 7) + (i % 13 === 0 ? 15 : 0), i % 11 === 0 ? 33 : 0));
      await cp.host(chartReply(req, history, { h1: 96.7, h24: 99.4, d7: 99.9 }));
      await cp.page.waitForFunction(() => Number(document.querySelector<SVGElement>('svg.chart')?.dataset.buckets) > 50);
      await cp.page.locator('.scroller .row').nth(3).click();
      await cp.page.locator('.details-json').waitFor();
      await cp.page.waitForTimeout(300);
      mkdirSync('test-results', { recursive: true });
      await cp.page.screenshot({ path: `test-results/console-${theme}.png` });
      // Text colour differs from its background everywhere that matters.
      const contrast = await cp.page.evaluate(() => {
        const pairs: [string, string][] = [];
        for (const sel of ['.row.header .cell', '.scroller .row .c-summary', '.badge.status-up', '.badge.status-down', '.badge.status-gap', '.details-json', '.status-line']) {
          const el = document.querySelector(sel);
          if (el) pairs.push([getComputedStyle(el).color, sel]);
        }
        return { bg: getComputedStyle(document.body).backgroundColor, pairs };
      });
      for (const [color, sel] of contrast.pairs) assert.notEqual(color, contrast.bg, `${sel} is invisible on the background`);
    });
  }
});

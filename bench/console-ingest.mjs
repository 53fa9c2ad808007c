#!/usr/bin/env node
// Result console ingest benchmark: the real webview bundle in Debian Chromium receives
// 1 000 results per second (20 host batches of 50, as the host's 50 ms batching sends
// them) for N seconds, with the chart following one task. Prints frame-time percentiles,
// the achieved ingest rate, JS heap after GC over time, and DOM size.
// Usage: node bench/console-ingest.mjs [seconds=30] [rate=1000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The harness is TypeScript: run this script again under the tsx loader.
if (!process.env.NETCAM_BENCH_TSX) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, NETCAM_BENCH_TSX: '1' },
  });
  process.exit(r.status ?? 1);
}
const { startHarness } = await import('../webview/test/support/console-page.ts');

const seconds = Number(process.argv[2] ?? process.env.NETCAM_BENCH_SECONDS ?? 30);
const rate = Number(process.argv[3] ?? 1000);
const BATCH_MS = 50;
const perBatch = Math.max(1, Math.round((rate * BATCH_MS) / 1000));

const harness = await startHarness();
try {
  const cp = await harness.newPage(1280, 800);
  await cp.open('dark');
  await cp.host({ type: 'snapshot', reset: true, entries: [], done: true, maxRows: 50_000 });
  const cdp = await cp.page.context().newCDPSession(cp.page);
  const heapMb = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1e6;
  };

  // In the page: a frame-time recorder and a paced generator (no CDP round trips per batch).
  await cp.page.evaluate(
    ([perBatch, batchMs]) => {
      const w = window;
      w.__frames = [];
      let last = performance.now();
      const loop = (t) => {
        w.__frames.push(t - last);
        last = t;
        if (!w.__stopFrames) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
      w.__posted = 0;
      const base = Date.now() - 600_000;
      const start = performance.now();
      w.__gen = setInterval(() => {
        // Catch up if a tick was late, so the rate is what was asked for.
        const due = Math.floor(((performance.now() - start) / batchMs + 1) * perBatch);
        while (w.__posted < due) {
          const n = Math.min(perBatch, due - w.__posted);
          w.__flood(w.__posted, n, base, 1, n);
          w.__posted += n;
        }
      }, batchMs);
    },
    [perBatch, BATCH_MS],
  );

  // Answer the chart's history request (empty history) so live points feed the chart.
  const req = await (async () => {
    for (let i = 0; i < 100; i++) {
      const m = (await cp.sent()).find((x) => x.type === 'chartRequest');
      if (m) return m;
      await cp.page.waitForTimeout(50);
    }
    return null;
  })();
  if (req) await cp.host({ type: 'chart', monitorId: req.monitorId, taskId: req.taskId, range: '1h', bucketMs: 15_000, buckets: [], uptime: null, historyUntil: null, error: null });

  const heap = [];
  const t0 = performance.now();
  for (let s = 5; s <= seconds; s += 5) {
    await cp.page.waitForTimeout(Math.max(0, t0 + s * 1000 - performance.now()));
    const h = await heapMb();
    const kept = await cp.page.evaluate(() => Number(document.querySelector('.status-line')?.dataset.kept));
    heap.push({ s, heapMb: +h.toFixed(1), rowsKept: kept });
  }
  const out = await cp.page.evaluate(() => {
    const w = window;
    clearInterval(w.__gen);
    w.__stopFrames = true;
    const f = w.__frames.slice(5).sort((a, b) => a - b);
    const q = (p) => f[Math.min(f.length - 1, Math.floor(p * f.length))];
    return {
      frames: f.length,
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      max: f[f.length - 1],
      posted: w.__posted,
      domNodes: document.getElementsByTagName('*').length,
      domRows: document.querySelectorAll('.scroller .row').length,
      status: document.querySelector('.status-line')?.textContent,
      chartBuckets: Number(document.querySelector('svg.chart')?.dataset.buckets ?? 0),
    };
  });
  const elapsed = (performance.now() - t0) / 1000;
  const result = {
    seconds,
    targetRate: rate,
    achievedRate: Math.round(out.posted / elapsed),
    frameMs: { p50: +out.p50.toFixed(1), p95: +out.p95.toFixed(1), p99: +out.p99.toFixed(1), max: +out.max.toFixed(1), frames: out.frames },
    heap,
    domNodes: out.domNodes,
    domRows: out.domRows,
    chartBuckets: out.chartBuckets,
    status: out.status,
  };
  console.log(`console ingest: ${out.posted} results in ${elapsed.toFixed(1)} s (${result.achievedRate}/s, target ${rate}/s)`);
  console.log(`  frame time ms: p50 ${result.frameMs.p50}  p95 ${result.frameMs.p95}  p99 ${result.frameMs.p99}  max ${result.frameMs.max}  (${out.frames} frames)`);
  console.log(`  JS heap after GC: ${heap.map((h) => `${h.s}s ${h.heapMb} MB (${h.rowsKept} rows)`).join(', ')}`);
  console.log(`  DOM: ${out.domNodes} elements, ${out.domRows} row elements; chart buckets drawn: ${out.chartBuckets}`);
  console.log(`  status line: ${out.status}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/console-ingest.json', `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await harness.close();
}

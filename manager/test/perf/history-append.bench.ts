// Quick measurement (not a test): history appends, one awaited batch after another like the
// link session does, and N concurrent single-result appends (group commit). Prints rates.
// Run: npx tsx manager/test/perf/history-append.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Result } from '../../../protocol/src/index.js';
import { HistoryStore } from '../../src/history-store.js';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
function batch(from: number, n: number): Result[] {
  return Array.from({ length: n }, (_, i) => ({
    monitorId: 'bench', taskId: `task-${(from + i) % 1000}`, type: 'tcp', target: '127.0.0.1:8080', seq: from + i,
    ts: new Date(T0 + from + i).toISOString(), status: 'up', latencyMs: 0.25, error: null, details: { connectMs: 0.2, remoteAddress: '127.0.0.1' },
  }));
}

async function run(name: string, fsync: boolean, batchSize: number, batches: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'netcam-hist-bench-'));
  let syncs = 0;
  const h = new HistoryStore(dir, { fsync, onDatasync: () => (syncs += 1) });
  const data = Array.from({ length: batches }, (_, b) => batch(1 + b * batchSize, batchSize));
  const start = performance.now();
  for (const b of data) await h.append('bench', b);
  const s = (performance.now() - start) / 1000;
  await h.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`${name}: ${Math.round((batches * batchSize) / s).toLocaleString('en')} results/s, ${((s * 1000) / batches).toFixed(2)} ms per batch, ${syncs} syncs`);
}

async function concurrent(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'netcam-hist-bench-'));
  let syncs = 0;
  const h = new HistoryStore(dir, { onDatasync: () => (syncs += 1) });
  const start = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => h.append('bench', batch(i + 1, 1))));
  const ms = performance.now() - start;
  rmSync(dir, { recursive: true, force: true });
  console.log(`${n} concurrent single-result appends: ${ms.toFixed(1)} ms, ${syncs} syncs`);
}

async function main(): Promise<void> {
  await run('batches of 1000, fsync   ', true, 1000, 100);
  await run('batches of 1000, no fsync', false, 1000, 100);
  await run('batches of 10, fsync     ', true, 10, 300);
  await concurrent(1000);
}
void main();

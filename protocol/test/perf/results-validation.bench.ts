// Quick measurement (not a test): validations per second of one 1000-item `results` message
// through parseAgentMessage and through the generic schema interpreter.
// Run: npx tsx protocol/test/perf/results-validation.bench.ts
import { performance } from 'node:perf_hooks';
import { agentMessageSchemas, MAX_RESULTS_PER_MESSAGE, parseAgentMessage } from '../../src/messages.js';
import { check } from '../../src/schema-lang.js';

const types = ['tcp', 'http', 'dns', 'ntp', 'udp', 'echo'] as const;
const items = Array.from({ length: MAX_RESULTS_PER_MESSAGE }, (_, i) => ({
  monitorId: 'bench-agent',
  taskId: `task-${i % 1000}`,
  type: types[i % types.length],
  target: `127.0.0.1:${8000 + (i % 100)}`,
  seq: 100_000 + i,
  ts: new Date(1_780_000_000_000 + i).toISOString(),
  status: i % 50 ? 'up' : 'down',
  latencyMs: i % 50 ? 0.123 + i / 1000 : null,
  error: i % 50 ? null : 'refused: connection refused',
  details: { connectMs: 0.1, remoteAddress: '127.0.0.1', statusCode: 200 },
}));
// What the frame decoder hands the manager: a fresh JSON.parse of the wire bytes.
const wire = JSON.stringify({ type: 'results', items });

const inputs = Array.from({ length: 50 }, () => JSON.parse(wire) as unknown);

/** Messages per second of `fn` over ~0.5 s. */
function once(fn: (data: unknown) => void): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 500) fn(inputs[n++ % inputs.length]);
  return n / ((performance.now() - start) / 1000);
}

const cases: [string, (data: unknown) => void][] = [
  ['parseAgentMessage (fast path)   ', (d) => void parseAgentMessage(d)],
  ['generic check(results schema)   ', (d) => {
    if (check(agentMessageSchemas.results, d, 'results').issues.length) throw new Error('invalid');
  }],
  ['JSON.parse of the same frame    ', () => void JSON.parse(wire)],
];
for (const [, fn] of cases) for (let i = 0; i < 20; i += 1) fn(inputs[i]); // warm-up
// Interleaved rounds, median per case: the machine is shared, so load shifts during the run.
const rounds = Number(process.env.ROUNDS ?? 7);
const samples = cases.map(() => [] as number[]);
for (let r = 0; r < rounds; r += 1) cases.forEach(([, fn], i) => samples[i].push(once(fn)));
cases.forEach(([name], i) => {
  const sorted = samples[i].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${name}: ${median.toFixed(1)} messages/s = ${Math.round(median * MAX_RESULTS_PER_MESSAGE).toLocaleString('en')} results/s (median of ${rounds} x 0.5 s)`);
});

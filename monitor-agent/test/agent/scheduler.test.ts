// The scheduler with an injected probe registry (dependency injection: these probes are
// programmable stand-ins for "a check that takes N ms / hangs / throws", so timing rules
// can be tested exactly; the real probes run in the handshake and process tests).
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { TASK_TYPES, checkTask, type Task } from '../../../protocol/src/index.js';
import type { ProbeContext, ProbeOutcome, ProbeRegistry } from '../../src/probes/types.js';
import { Scheduler, type CompletedRun } from '../../src/scheduler.js';
import { applyThresholds } from '../../src/thresholds.js';
import { sleep, until } from './fixtures.js';
import { gridMedianOffsetMs } from './grid.js';

type Fn = (task: Task, ctx: ProbeContext) => Promise<ProbeOutcome>;
const registry = (fn: Fn): ProbeRegistry => Object.fromEntries(TASK_TYPES.map((t) => [t, fn])) as unknown as ProbeRegistry;
const up = (latencyMs = 1): ProbeOutcome => ({ status: 'up', latencyMs, error: null, details: {} });
const task = (id: string, extra: Record<string, unknown> = {}): Task => {
  const r = checkTask({ id, type: 'tcp', host: '127.0.0.1', port: 9, interval: 1, timeout: 0.5, ...extra });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.value;
};
const waitAbort = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

describe('agent scheduler', function () {
  this.timeout(20_000);
  const schedulers: Scheduler[] = [];
  const make = (fn: Fn, extra: Partial<ConstructorParameters<typeof Scheduler>[0]> = {}): { s: Scheduler; runs: CompletedRun[] } => {
    const runs: CompletedRun[] = [];
    const s = new Scheduler({ probes: registry(fn), onResult: (r) => runs.push(r), ...extra });
    schedulers.push(s);
    return { s, runs };
  };
  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
  });

  it('runs on an ideal schedule: run k starts k intervals after the first, whatever each run takes', async () => {
    const starts: number[] = [];
    const { s } = make(async () => {
      starts.push(performance.now());
      await sleep(Math.random() * 300);
      return up();
    }, { random: () => 0 });
    s.setTasks([task('a')]);
    await until('5 runs', () => starts.length >= 5, 8000);
    // No drift: run k is k intervals after run 0 (each run took up to 300 ms; a drifting
    // schedule would be ~600 ms off by run 4).
    const devs = starts.map((t, k) => t - starts[0] - k * 1000);
    const sorted = devs.map(Math.abs).sort((a, b) => a - b);
    assert.ok(sorted[Math.floor(sorted.length / 2)] < 150, `offsets from the grid: ${devs.map(Math.round).join(', ')} ms`);
    assert.ok(gridMedianOffsetMs(starts, 1000) < 150);
  });

  it('spreads first runs across the interval', async () => {
    const firstAt = new Map<string, number>();
    const r = [0.05, 0.25, 0.45, 0.65, 0.85];
    let i = 0;
    const t0 = performance.now();
    const { s } = make(async (t) => {
      if (!firstAt.has(t.id)) firstAt.set(t.id, performance.now() - t0);
      return up();
    }, { random: () => r[i++ % r.length] });
    s.setTasks(r.map((_, k) => task(`t${k}`)));
    await until('every first run', () => firstAt.size === r.length, 3000);
    r.forEach((frac, k) => {
      const at = firstAt.get(`t${k}`)!;
      // Timers fire late under load, never early: allow lateness, not earliness.
      assert.ok(at > frac * 1000 - 30 && at < frac * 1000 + 300, `t${k} first ran at ${Math.round(at)} ms, expected ~${frac * 1000}`);
    });
  });

  it('spreads 1 000 first runs evenly: every 10 % slice of the interval gets ~100', async () => {
    const dueFrac: number[] = [];
    let t0 = 0;
    const { s } = make(async () => up(), { onRunStart: (_t, dueAt) => dueFrac.push((dueAt - t0) / 2000) });
    const tasks = Array.from({ length: 1000 }, (_, k) => task(`t${k}`, { interval: 2, timeout: 1 }));
    t0 = performance.now();
    s.setTasks(tasks);
    await until('every first run', () => dueFrac.length >= 1000, 10_000);
    const slices = new Array<number>(10).fill(0);
    for (const f of dueFrac.slice(0, 1000)) slices[Math.min(9, Math.floor(f * 10))]++;
    // Independent random draws would give ~75-125 per slice; the even spread gives 100 ± 2.
    assert.ok(slices.every((n) => n >= 97 && n <= 103), `first runs per 10 % slice: ${slices.join(', ')}`);
  });

  it('reports when each run was due: dueAt on the grid, lateMs = start - due, also when waiting for a slot', async () => {
    const starts: { id: string; dueAt: number; startedAt: number }[] = [];
    const t0 = performance.now();
    // concurrency 1: the second task, due at the same moment, waits ~200 ms for the slot.
    const { s, runs } = make(async () => {
      await sleep(200);
      return up();
    }, { random: () => 0.1, concurrency: 1, onRunStart: (t, dueAt, startedAt) => starts.push({ id: t.id, dueAt, startedAt }) });
    s.setTasks([task('a', { interval: 2, timeout: 1 }), task('b', { interval: 2, timeout: 1 })]);
    await until('two results', () => runs.length >= 2, 5000);
    for (const r of runs) {
      assert.ok(Math.abs(r.dueAt - (t0 + 200)) < 50, `${r.task.id} due ${Math.round(r.dueAt - t0)} ms after setTasks, expected ~200`);
      assert.ok(r.startedAt >= r.dueAt - 1, `never starts before it is due (timer rounding aside): ${r.startedAt - r.dueAt} ms`);
      assert.equal(r.lateMs, r.startedAt - r.dueAt);
      const start = starts.find((x) => x.id === r.task.id)!;
      assert.equal(start.dueAt, r.dueAt);
      assert.equal(start.startedAt, r.startedAt);
    }
    const [first, second] = [...runs].sort((x, y) => x.startedAt - y.startedAt);
    assert.ok(second.lateMs >= 150, `the run that waited for a slot is late by ${Math.round(second.lateMs)} ms`);
    assert.ok(first.lateMs < second.lateMs);
  });

  it('cuts a run off at its timeout (abort signal), and a probe that ignores the abort still yields a down result', async () => {
    const { s, runs } = make(async (t, ctx) => {
      if (t.id === 'polite') {
        const began = performance.now();
        await waitAbort(ctx.signal);
        return { status: 'down', latencyMs: null, error: `timeout: aborted after ${Math.round(performance.now() - began)} ms`, details: {} };
      }
      return new Promise<ProbeOutcome>(() => undefined); // never settles
    }, { random: () => 0, graceMs: 200 });
    s.setTasks([task('polite', { timeout: 0.3 }), task('rude', { timeout: 0.3 })]);
    await until('both results', () => runs.some((r) => r.task.id === 'polite') && runs.some((r) => r.task.id === 'rude'), 3000);
    const polite = runs.find((r) => r.task.id === 'polite')!;
    assert.equal(polite.outcome.status, 'down');
    const ms = Number(/after (\d+) ms/.exec(polite.outcome.error!)![1]);
    assert.ok(ms >= 290 && ms < 1200, `aborted after ${ms} ms (timeout 300 ms)`);
    const rude = runs.find((r) => r.task.id === 'rude')!;
    assert.deepEqual(rude.outcome, { status: 'down', latencyMs: null, error: 'timeout: probe did not finish within 300 ms', details: {} });
  });

  it('never has two runs of one task in flight, and caps runs in flight overall', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const perTask = new Map<string, number>();
    let maxPerTask = 0;
    const { s, runs } = make(async (t) => {
      inFlight++;
      perTask.set(t.id, (perTask.get(t.id) ?? 0) + 1);
      maxInFlight = Math.max(maxInFlight, inFlight);
      maxPerTask = Math.max(maxPerTask, perTask.get(t.id)!);
      await sleep(t.id === 'slow' ? 1500 : 300);
      inFlight--;
      perTask.set(t.id, perTask.get(t.id)! - 1);
      return up();
    }, { concurrency: 3, graceMs: 5000 });
    s.setTasks([task('slow', { timeout: 0.9 }), ...Array.from({ length: 8 }, (_, k) => task(`t${k}`))]);
    await sleep(3200);
    assert.equal(maxPerTask, 1);
    assert.ok(maxInFlight <= 3, `max in flight ${maxInFlight}`);
    assert.ok(s.skippedRuns > 0, 'the slow task skipped runs while its run was in flight');
    for (let k = 0; k < 8; k++) assert.ok(runs.some((r) => r.task.id === `t${k}`), `t${k} ran despite the cap`);
  });

  it('turns a probe that throws into a down result', async () => {
    const { s, runs } = make(async () => {
      throw new Error('boom');
    }, { random: () => 0 });
    s.setTasks([task('a')]);
    await until('a result', () => runs.length > 0, 3000);
    assert.deepEqual(runs[0].outcome, { status: 'down', latencyMs: null, error: 'internal: boom', details: {} });
  });

  it('stop aborts in-flight runs at once and nothing runs afterwards', async () => {
    let started = 0;
    const aborted: boolean[] = [];
    const { s, runs } = make(async (_t, ctx) => {
      started++;
      await waitAbort(ctx.signal);
      aborted.push(true);
      return up();
    }, { random: () => 0 });
    s.setTasks([task('a', { interval: 10, timeout: 9 }), task('b', { interval: 10, timeout: 9 })]);
    await until('both running', () => started === 2, 3000);
    const t0 = performance.now();
    await s.stop();
    // The runs' timeout is 9 s: stop must not wait for it.
    assert.ok(performance.now() - t0 < 1000, `stop took ${Math.round(performance.now() - t0)} ms`);
    assert.equal(aborted.length, 2);
    assert.equal(runs.length, 0, 'cancelled runs report nothing');
    await sleep(1200);
    assert.equal(started, 2);
  });

  it('applies downAfter (flap guard) and degradedAboveMs', () => {
    const t = task('a', { downAfter: 3, degradedAboveMs: 10 });
    const down: ProbeOutcome = { status: 'down', latencyMs: null, error: 'refused: connection refused', details: {} };
    let f = 0;
    const seen: string[] = [];
    for (const o of [down, down, down, down, up(1), down]) {
      const r = applyThresholds(t, o, f);
      f = r.failures;
      seen.push(`${r.outcome.status}:${r.outcome.error ?? ''}`);
    }
    assert.deepEqual(seen, [
      'degraded:refused: connection refused',
      'degraded:refused: connection refused',
      'down:refused: connection refused',
      'down:refused: connection refused',
      'up:',
      'degraded:refused: connection refused',
    ]);
    const slow = applyThresholds(t, up(25.5), 0).outcome;
    assert.equal(slow.status, 'degraded');
    assert.match(slow.error!, /^slow: latency 25\.5 ms above degradedAboveMs 10$/);
    assert.equal(applyThresholds(t, up(9), 0).outcome.status, 'up');
  });

  it('setTasks keeps unchanged tasks on their schedule and restarts changed ones', async () => {
    const starts = new Map<string, number[]>();
    const { s } = make(async (t) => {
      starts.set(t.id, [...(starts.get(t.id) ?? []), performance.now()]);
      return up();
    }, { random: () => 0.5 });
    s.setTasks([task('keep'), task('change')]);
    await until('2 runs of keep', () => (starts.get('keep') ?? []).length >= 2, 4000);
    const change = s.setTasks([task('keep'), task('change', { port: 10 }), task('new')]);
    assert.deepEqual(change, { kept: 1, added: 1, changed: 1, removed: 0 });
    await until('4 runs of keep', () => (starts.get('keep') ?? []).length >= 4, 4000);
    const k = starts.get('keep')!;
    assert.ok(gridMedianOffsetMs(k, 1000) < 150, `keep left its grid: ${k.map((t) => Math.round(t - k[0])).join(', ')}`);
  });
});

// Reconnect backoff: exponential bounds, full-jitter dispersion, reset (reliability §3.4).
import assert from 'node:assert/strict';
import { Backoff } from '../src/index.js';

/** A seeded PRNG (mulberry32) so the dispersion test is reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('backoff (1 s base, x2, full jitter, 60 s cap)', () => {
  it('stays within [0, min(cap, base * 2^n)) and reaches the cap', () => {
    const b = new Backoff({ random: rng(1) });
    const ceilings: number[] = [];
    for (let n = 0; n < 20; n++) {
      const ceiling = b.ceiling();
      ceilings.push(ceiling);
      const d = b.next();
      assert.ok(d >= 0 && d < ceiling, `attempt ${n}: ${d} not in [0, ${ceiling})`);
    }
    assert.deepEqual(ceilings.slice(0, 7), [1000, 2000, 4000, 8000, 16000, 32000, 60000]);
    assert.ok(ceilings.slice(6).every((c) => c === 60000));
  });

  it('disperses 1000 clients that failed together across the whole window', () => {
    const random = rng(42);
    for (const attempt of [0, 3, 8]) {
      const delays = Array.from({ length: 1000 }, () => {
        const b = new Backoff({ random });
        for (let i = 0; i < attempt; i++) b.next();
        return b.next();
      });
      const ceiling = Math.min(60000, 1000 * 2 ** attempt);
      // ten equal buckets over [0, ceiling): each should hold roughly 100 clients
      const buckets = new Array(10).fill(0);
      for (const d of delays) buckets[Math.min(9, Math.floor((d / ceiling) * 10))] += 1;
      for (const count of buckets) assert.ok(count > 60 && count < 140, `attempt ${attempt}: bucket counts ${buckets}`);
      // no two clients share a millisecond slot in large numbers (no lockstep)
      const slots = new Map<number, number>();
      for (const d of delays) slots.set(Math.floor(d), (slots.get(Math.floor(d)) ?? 0) + 1);
      assert.ok(Math.max(...slots.values()) <= (attempt === 0 ? 8 : 4), `attempt ${attempt}: clients bunched in one ms`);
    }
  });

  it('resets to the base delay', () => {
    const b = new Backoff({ random: () => 0.999 });
    for (let i = 0; i < 10; i++) b.next();
    assert.equal(b.ceiling(), 60000);
    b.reset();
    assert.equal(b.failures, 0);
    assert.ok(b.next() < 1000);
  });
});

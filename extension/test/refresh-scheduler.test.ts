import * as assert from 'node:assert/strict';
import { RefreshScheduler } from '../src/tree/refresh-scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('condition not reached');
    await sleep(5);
  }
}

describe('tree refresh scheduler', () => {
  it('coalesces a burst of manager events into one refresh', async () => {
    let refreshes = 0;
    const s = new RefreshScheduler(() => refreshes++, 40, () => undefined);
    s.setVisible(true);
    for (let i = 0; i < 50; i++) s.request();
    await until(() => refreshes === 1);
    await sleep(100);
    assert.equal(refreshes, 1);
    s.dispose();
  });

  it('does no work while the view is hidden, and catches up once when it is shown', async () => {
    let refreshes = 0;
    const s = new RefreshScheduler(() => refreshes++, 10, () => undefined);
    s.setVisible(false);
    for (let i = 0; i < 10; i++) s.request();
    await sleep(80);
    assert.equal(refreshes, 0);
    s.setVisible(true);
    await until(() => refreshes === 1);
    await sleep(60);
    assert.equal(refreshes, 1);
    s.dispose();
  });

  it('ticks again for a "retrying in N s" countdown, and stops when hidden', async () => {
    let refreshes = 0;
    let countdown = true;
    const s = new RefreshScheduler(() => refreshes++, 5, () => (countdown ? 30 : undefined));
    s.setVisible(true);
    s.request();
    await until(() => refreshes >= 3);
    countdown = false;
    await sleep(120);
    const settled = refreshes;
    await sleep(120);
    assert.equal(refreshes, settled, 'no more ticks once nothing counts down');
    s.dispose();
  });
});

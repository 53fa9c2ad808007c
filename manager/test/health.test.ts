// Task health from results, and `stale` after two intervals plus a grace of silence.
import assert from 'node:assert/strict';
import type { MonitorConfig, Result, Task } from '../../protocol/src/index.js';
import { MonitorHealth } from '../src/health.js';
import { staleAfterMs, type TaskState } from '../src/index.js';

describe('task health', () => {
  const task = { id: 't', type: 'tcp', host: 'h', port: 1, interval: 10, timeout: 3, downAfter: 1 } as Task;
  const monitor: MonitorConfig = { id: 'm', host: 'h', port: 1, tasks: [task] };
  const result = (status: Result['status'], seq: number): Result => ({ monitorId: 'm', taskId: 't', type: 'tcp', target: 'h:1', seq, ts: new Date().toISOString(), status, latencyMs: 1, error: null, details: {} });

  it('follows results and goes stale after 2 intervals + grace while collecting, with an event per transition', () => {
    let now = 0;
    const events: TaskState[] = [];
    const health = new MonitorHealth(monitor, (t) => events.push(t), () => now);
    assert.equal(health.snapshot()[0].status, 'unknown');
    health.setActive(true);
    health.record(result('up', 1));
    health.record(result('up', 2)); // no transition, no event
    now += staleAfterMs(task) - 1;
    health.tick();
    assert.equal(health.snapshot()[0].status, 'up');
    now += 2;
    health.tick();
    assert.equal(health.snapshot()[0].status, 'stale');
    health.record(result('degraded', 3));
    health.record(result('down', 4));
    assert.deepEqual(events.map((e) => e.status), ['up', 'stale', 'degraded', 'down']);
    assert.equal(events[3].last?.seq, 4);
    assert.equal(staleAfterMs(task), 25000);
  });

  it('never goes stale while not collecting', () => {
    let now = 0;
    const health = new MonitorHealth(monitor, () => undefined, () => now);
    now += 10 * staleAfterMs(task);
    health.tick();
    assert.equal(health.snapshot()[0].status, 'unknown');
  });
});

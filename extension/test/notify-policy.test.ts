import * as assert from 'node:assert/strict';
import { NotifyPolicy, PER_TASK_INTERVAL_MS, type StatusChange } from '../src/model/notify-policy.js';

const change = (taskId: string, from: StatusChange['from'], to: StatusChange['to']): StatusChange => ({
  monitorId: 'web-01', taskId, label: `web-01/${taskId}`, from, to, error: to === 'down' ? 'timeout: no reply' : null,
});

describe('notification policy', () => {
  it('notifies once when a task goes down, and when it recovers', () => {
    const p = new NotifyPolicy();
    assert.equal(p.offer(change('ssh', 'up', 'down'), 0), true);
    assert.deepEqual(p.flush().map((n) => [n.severity, n.message]), [['warning', 'NetCam: web-01/ssh is down (timeout: no reply)']]);
    p.offer(change('ssh', 'down', 'up'), PER_TASK_INTERVAL_MS + 1);
    assert.deepEqual(p.flush().map((n) => n.message), ['NetCam: web-01/ssh recovered (up)']);
  });

  it('sends at most one notification per task per minute', () => {
    const p = new NotifyPolicy();
    p.offer(change('ssh', 'up', 'down'), 0);
    p.flush();
    assert.equal(p.offer(change('ssh', 'down', 'up'), 10_000), false);
    assert.equal(p.offer(change('ssh', 'up', 'down'), 20_000), false);
    assert.deepEqual(p.flush(), []);
  });

  it('groups changes that arrive together into one message', () => {
    const p = new NotifyPolicy();
    assert.equal(p.offer(change('a', 'up', 'down'), 0), true);
    assert.equal(p.offer(change('b', 'unknown', 'down'), 10), false);
    p.offer(change('c', 'stale', 'down'), 20);
    const out = p.flush();
    assert.equal(out.length, 1);
    assert.equal(out[0].message, 'NetCam: 3 tasks are down: web-01/a, web-01/b, web-01/c');
  });

  it('ignores changes that are neither down nor recovery, and honours the setting', () => {
    const p = new NotifyPolicy('downOnly');
    assert.equal(p.offer(change('a', 'up', 'degraded'), 0), false);
    assert.equal(p.offer(change('a', 'down', 'up'), 0), false);
    p.setMode('off');
    assert.equal(p.offer(change('b', 'up', 'down'), 0), false);
    assert.deepEqual(p.flush(), []);
  });
});

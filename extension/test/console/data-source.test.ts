// Adapters between the manager's events and the console: event shapes, backfill marking,
// uptime units, the monitor list, and the chart reply built from history.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { historyItems, inferBackfilled, monitorsFromState, normalizeGapEvent, normalizeResultEvent, normalizeUptime, subscribe, type ConsoleDataSource } from '../../src/console/data-source.js';
import { loadChart, uptimeFromResults } from '../../src/console/chart-query.js';
import { isHostToWebview, isWebviewToHost } from '../../../protocol/src/console-messages.js';
import type { Gap, Result } from '../../../protocol/src/result.js';
import type { Manager } from '../../../manager/src/index.js';

// Compile-time check: the extension can pass the real Manager straight in.
export const managerIsADataSource = (m: Manager): ConsoleDataSource => m;

const r = (over: Partial<Result> = {}): Result => ({
  monitorId: 'web-01', taskId: 'gw', type: 'icmp', target: '127.0.0.1', seq: 1, ts: '2024-05-01T10:00:00.000Z', status: 'up', latencyMs: 5, error: null,
  details: { sent: 3, received: 3, lossPct: 0, rtt: { min: 4, avg: 5, median: 5, max: 7, stddev: 1 } }, ...over,
});
const gap: Gap = { fromSeq: 5, toSeq: 9, count: 5, reason: 'spool budget', fromTs: '2024-05-01T10:00:00.000Z', toTs: '2024-05-01T10:04:00.000Z' };

/** A small event source in the manager's style (EventEmitter-based, unsubscribe function). */
class FakeManager implements ConsoleDataSource {
  readonly ev = new EventEmitter();
  store: Result[] = [];
  onResult(l: (r: Result, info?: { backfilled: boolean }) => void) {
    this.ev.on('result', l);
    return () => this.ev.off('result', l);
  }
  onGap(l: (e: { monitorId: string; gap: Gap }) => void) {
    this.ev.on('gap', l);
    return { dispose: () => this.ev.off('gap', l) };
  }
  history = {
    query: async (q: { monitorId?: string; taskId?: string; from?: string | number; limit?: number }) =>
      this.store.filter((x) => x.monitorId === q.monitorId && x.taskId === q.taskId && x.ts >= String(q.from)),
    uptime: (_m: string, _t: string) => ({ h1: 99.5, h24: 99.9, d7: 100 }),
    gaps: async (_q: { monitorId?: string }) => [{ monitorId: 'web-01', ...gap, fromTs: new Date(Date.parse('2024-05-01T10:30:00.000Z')).toISOString(), toTs: '2024-05-01T10:31:00.000Z' }],
  };
  getState() {
    return { monitors: [{ id: 'web-01', host: '127.0.0.1', port: 7070, link: 'connected', tasks: [{ id: 'gw', type: 'icmp', target: '127.0.0.1', status: 'up' }] }] };
  }
}

describe('console host: data source adapters', () => {
  it('reads result events in the shapes a manager may use, and takes its backfilled flag', () => {
    assert.deepEqual(normalizeResultEvent(r(), { backfilled: true }), { result: r(), backfilled: true });
    assert.deepEqual(normalizeResultEvent({ result: r(), backfilled: false }), { result: r(), backfilled: false });
    assert.deepEqual(normalizeResultEvent({ result: r(), live: false }), { result: r(), backfilled: true });
    assert.deepEqual(normalizeResultEvent(r()), { result: r(), backfilled: undefined });
    assert.equal(normalizeResultEvent({ ...r(), status: 'sideways' }), null);
    // Extra fields the manager may add do not leak to the webview.
    assert.deepEqual(Object.keys(normalizeResultEvent({ ...r(), storedAt: 1 })!.result).sort(), Object.keys(r()).sort());
  });

  it('reads gap events as (id, gap), {monitorId, gap} or {monitorId, ...gap}', () => {
    const want = { monitorId: 'web-01', gap };
    assert.deepEqual(normalizeGapEvent('web-01', gap), want);
    assert.deepEqual(normalizeGapEvent({ monitorId: 'web-01', gap }), want);
    assert.deepEqual(normalizeGapEvent({ monitorId: 'web-01', type: 'gap', ...gap }), want);
    assert.equal(normalizeGapEvent({ monitorId: 'web-01', count: 'many' }), null);
  });

  it('counts a result as backfilled when the source does not say and it arrives minutes late', () => {
    const t = Date.parse('2024-05-01T10:00:00.000Z');
    assert.equal(inferBackfilled(r(), t + 5_000), false);
    assert.equal(inferBackfilled(r(), t + 10 * 60_000), true);
  });

  it('subscribes and unsubscribes through whatever the source returns', () => {
    const m = new FakeManager();
    const got: string[] = [];
    const off = subscribe(m, {
      result: (x, b) => got.push(`r${x.seq}:${b}`),
      gap: (id, g) => got.push(`g${id}:${g.count}`),
      bad: (w) => got.push(`bad ${w}`),
    });
    m.ev.emit('result', r({ seq: 1 }), { backfilled: true });
    m.ev.emit('gap', { monitorId: 'web-01', gap });
    m.ev.emit('result', { nonsense: true });
    off();
    m.ev.emit('result', r({ seq: 2 }));
    assert.deepEqual(got, ['r1:true', 'gweb-01:5', 'bad result']);
    assert.equal(m.ev.listenerCount('result') + m.ev.listenerCount('gap'), 0);
  });

  it('reads uptime in per cent (the manager unit), or as {up,total} / {ratio}', () => {
    assert.deepEqual(normalizeUptime({ h1: 99.5, h24: 0.5, d7: null }), { h1: 99.5, h24: 0.5, d7: null });
    assert.deepEqual(normalizeUptime({ '1h': { up: 9, total: 10 }, '24h': { up: 0, total: 0 }, '7d': { ratio: 0.5 } }), { h1: 90, h24: null, d7: 50 });
    assert.equal(normalizeUptime('100%'), null);
  });

  it('lists monitors and tasks from the manager state', () => {
    assert.deepEqual(monitorsFromState(new FakeManager().getState()), [{ id: 'web-01', state: 'connected', tasks: [{ id: 'gw', type: 'icmp', target: '127.0.0.1' }] }]);
    assert.deepEqual(monitorsFromState(new Map([['a', { id: 'a', tasks: [] }]])), [{ id: 'a', tasks: [] }]);
    assert.deepEqual(monitorsFromState(undefined), []);
  });

  it('reads history answers given as arrays or {items}', () => {
    assert.equal(historyItems([r(), { monitorId: 'web-01', gap }]).results.length, 1);
    assert.equal(historyItems({ items: [r(), r({ seq: 2 })] }).results.length, 2);
    assert.equal(historyItems({ items: [{ monitorId: 'web-01', gap }] }).gaps.length, 1);
  });
});

describe('console host: chart replies', () => {
  const now = Date.parse('2024-05-01T11:00:00.000Z');

  it('buckets the task history of the range, with the down period and the uptime from the manager', async () => {
    const m = new FakeManager();
    for (let i = 0; i < 120; i++) {
      const down = i >= 50 && i < 55;
      m.store.push(r({ seq: i + 1, ts: new Date(now - 3_600_000 + i * 30_000).toISOString(), status: down ? 'down' : 'up', latencyMs: down ? null : 5 + (i % 4) }));
    }
    m.store.push(r({ taskId: 'other', ts: new Date(now - 1000).toISOString() }));
    m.store.push(r({ ts: new Date(now - 3 * 3_600_000).toISOString() }));
    const reply = await loadChart(m, { type: 'chartRequest', monitorId: 'web-01', taskId: 'gw', range: '1h' }, () => [], now);
    assert.ok(isHostToWebview(reply), 'a valid host message');
    assert.equal(reply.error, null);
    assert.equal(reply.bucketMs, 15_000);
    assert.equal(reply.buckets.reduce((n, b) => n + b.n, 0), 120, 'only this task, only this hour');
    assert.equal(reply.buckets.reduce((n, b) => n + b.down, 0), 5);
    assert.ok(reply.buckets.some((b) => b.lost > 0), 'gaps from history.gaps() are marked as lost, not down');
    assert.deepEqual(reply.uptime, { h1: 99.5, h24: 99.9, d7: 100 });
    assert.equal(reply.historyUntil, now - 3_600_000 + 119 * 30_000);
    const withRtt = reply.buckets.find((b) => b.n > 0 && b.med !== null)!;
    assert.ok(withRtt.min! < withRtt.med! && withRtt.med! < withRtt.max!, 'ICMP spread from details.rtt');
  });

  it('falls back to the buffered results, says so, and guesses no uptime, when history fails', async () => {
    const m = new FakeManager();
    m.history.query = async () => {
      throw new Error('store closed');
    };
    (m.history as { uptime?: unknown }).uptime = undefined;
    const buffered = [{ kind: 'result' as const, key: 1, backfilled: false, result: r({ ts: new Date(now - 60_000).toISOString() }) }];
    const reply = await loadChart(m, { type: 'chartRequest', monitorId: 'web-01', taskId: 'gw', range: '1h' }, () => buffered, now);
    assert.equal(reply.error, 'store closed');
    assert.equal(reply.buckets.reduce((n, b) => n + b.n, 0), 1);
    assert.deepEqual(reply.uptime, { h1: null, h24: null, d7: null });
  });

  it('computes uptime from results only for windows the results cover', () => {
    const rs = [r({ ts: new Date(now - 10_000).toISOString() }), r({ ts: new Date(now - 20_000).toISOString(), status: 'down' }), r({ ts: new Date(now - 30_000).toISOString(), status: 'degraded' })];
    const u = uptimeFromResults(rs, now, now - 3_600_000);
    assert.ok(Math.abs(u.h1! - 200 / 3) < 1e-9, 'degraded counts as up');
    assert.equal(u.h24, null);
  });
});

describe('console messages: guards', () => {
  it('accepts the webview messages the console sends and rejects malformed ones', () => {
    assert.ok(isWebviewToHost({ type: 'ready', haveUpTo: null }));
    assert.ok(isWebviewToHost({ type: 'export', format: 'csv', suggestedName: 'netcam-results-20240101-000000.csv', content: 'a,b\r\n', rows: 0 }));
    assert.ok(!isWebviewToHost({ type: 'export', format: 'csv', suggestedName: '../../etc/passwd', content: '', rows: 0 }), 'no paths in names');
    assert.ok(!isWebviewToHost({ type: 'export', format: 'exe', suggestedName: 'x.exe', content: '', rows: 0 }));
    assert.ok(!isWebviewToHost({ type: 'chartRequest', monitorId: 'm', taskId: 't', range: '2y' }));
    assert.ok(!isWebviewToHost({ type: 'eval', code: '1' }));
    assert.ok(!isWebviewToHost(null));
  });

  it('rejects host messages whose entries are not results or gaps', () => {
    assert.ok(isHostToWebview({ type: 'entries', entries: [{ kind: 'result', key: 1, backfilled: false, result: r() }] }));
    assert.ok(!isHostToWebview({ type: 'entries', entries: [{ kind: 'result', key: 1, backfilled: false, result: { ...r(), details: 'x' } }] }));
    assert.ok(!isHostToWebview({ type: 'entries', entries: [{ kind: 'html', key: 1 }] }));
  });

  it('accepts a focus message for a monitor or a task, and rejects malformed ones', () => {
    assert.ok(isHostToWebview({ type: 'focus', monitorId: 'web-01', taskId: 'gw' }));
    assert.ok(isHostToWebview({ type: 'focus', monitorId: 'web-01' }));
    assert.ok(!isHostToWebview({ type: 'focus', monitorId: '', taskId: 'gw' }));
    assert.ok(!isHostToWebview({ type: 'focus', monitorId: 'web-01', taskId: 7 }));
    assert.ok(!isHostToWebview({ type: 'focus', taskId: 'gw' }));
  });
});

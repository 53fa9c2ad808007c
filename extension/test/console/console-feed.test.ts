// The console host's buffering, outside VS Code: ring buffers per monitor, nothing posted
// before `ready` or while hidden, replay of what was missed, snapshots in chunks.
import assert from 'node:assert/strict';
import { ConsoleFeed } from '../../src/console/console-feed.js';
import { RingBuffer } from '../../src/console/ring-buffer.js';
import type { ConsoleEntry, HostToWebview } from '../../../protocol/src/console-messages.js';
import type { Result } from '../../../protocol/src/result.js';

function res(monitorId: string, seq: number, taskId = 't'): Result {
  return { monitorId, taskId, type: 'tcp', target: '127.0.0.1:1', seq, ts: new Date(1_700_000_000_000 + seq * 1000).toISOString(), status: 'up', latencyMs: 1, error: null, details: {} };
}

/** A stand-in for webview.postMessage that records messages and can refuse them. */
class Webview {
  messages: HostToWebview[] = [];
  live = true;
  post = (m: HostToWebview) => {
    if (this.live) this.messages.push(m);
    return Promise.resolve(this.live);
  };
  entries(): ConsoleEntry[] {
    return this.messages.flatMap((m) => (m.type === 'entries' || m.type === 'snapshot' ? m.entries : []));
  }
  seqs(): number[] {
    return this.entries().map((e) => (e.kind === 'result' ? e.result.seq : -1));
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('console host: ring buffer', () => {
  it('keeps the newest N items and reports what it evicts', () => {
    const rb = new RingBuffer<number>(3);
    assert.equal(rb.push(1), undefined);
    rb.push(2);
    rb.push(3);
    assert.equal(rb.push(4), 1);
    assert.deepEqual(rb.toArray(), [2, 3, 4]);
    assert.equal(rb.at(0), 2);
    assert.equal(rb.length, 3);
    rb.clear();
    assert.deepEqual(rb.toArray(), []);
  });

  it('refuses a capacity below 1 with a message naming it', () => {
    assert.throws(() => new RingBuffer(0), /capacity: must be an integer >= 1/);
  });
});

describe('console host: feed', () => {
  let feed: ConsoleFeed;
  afterEach(() => feed?.dispose());

  it('bounds each monitor separately (a chatty monitor does not push out a quiet one)', () => {
    feed = new ConsoleFeed({ perMonitor: 5 });
    for (let i = 1; i <= 100; i++) feed.addResult(res('chatty', i), false);
    feed.addResult(res('quiet', 1), false);
    assert.deepEqual(feed.sizes(), { chatty: 5, quiet: 1 });
    assert.equal(feed.evicted, 95);
    assert.deepEqual(feed.entriesAfter(0).map((e) => (e.kind === 'result' ? `${e.result.monitorId}:${e.result.seq}` : '')), ['chatty:96', 'chatty:97', 'chatty:98', 'chatty:99', 'chatty:100', 'quiet:1']);
  });

  it('posts nothing before the ready handshake, then a snapshot of what it buffered', () => {
    feed = new ConsoleFeed({ flushMs: 5 });
    const wv = new Webview();
    feed.attach(wv.post, true);
    feed.addResult(res('m', 1), false);
    feed.addGap('m', { fromSeq: 2, toSeq: 3, count: 2, reason: 'spool budget', fromTs: '2024-01-01T00:00:00.000Z', toTs: '2024-01-01T00:00:01.000Z' });
    assert.equal(wv.messages.length, 0);
    feed.onReady(null);
    assert.equal(wv.messages.length, 1);
    const snap = wv.messages[0]!;
    assert.equal(snap.type, 'snapshot');
    assert.ok(snap.type === 'snapshot' && snap.reset && snap.done && snap.maxRows === 50_000);
    assert.deepEqual(wv.entries().map((e) => e.kind), ['result', 'gap']);
  });

  it('batches live results, buffers while hidden, and replays exactly what was missed when visible again', async () => {
    feed = new ConsoleFeed({ flushMs: 5 });
    const wv = new Webview();
    feed.attach(wv.post, true);
    feed.onReady(null);
    for (let i = 1; i <= 3; i++) feed.addResult(res('m', i), false);
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(wv.messages.map((m) => m.type), ['snapshot', 'entries'], 'three results in one batch');
    feed.setVisible(false);
    for (let i = 4; i <= 6; i++) feed.addResult(res('m', i), false);
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(wv.seqs(), [1, 2, 3], 'nothing posted to a hidden webview');
    feed.setVisible(true);
    assert.deepEqual(wv.seqs(), [1, 2, 3, 4, 5, 6]);
  });

  it('gives a reloaded webview (ready with nothing) a full snapshot, reset first', () => {
    feed = new ConsoleFeed({ flushMs: 5 });
    const wv = new Webview();
    feed.attach(wv.post, true);
    feed.onReady(null);
    for (let i = 1; i <= 4; i++) feed.addResult(res('m', i), false);
    feed.flush();
    feed.setVisible(false);
    feed.addResult(res('m', 5), false);
    // VS Code destroyed the hidden webview; the new one says ready with nothing.
    wv.messages = [];
    feed.setVisible(true);
    wv.messages = [];
    feed.onReady(null);
    assert.equal(wv.messages[0]!.type, 'snapshot');
    assert.deepEqual(wv.seqs(), [1, 2, 3, 4, 5]);
  });

  it('sends a webview that kept its rows only the newer ones', () => {
    feed = new ConsoleFeed();
    const wv = new Webview();
    feed.attach(wv.post, true);
    const keys = [1, 2, 3].map((i) => feed.addResult(res('m', i), false).key);
    feed.onReady(keys[1]!);
    assert.deepEqual(wv.seqs(), [3]);
  });

  it('resends a batch the webview did not take, after the next ready', async () => {
    feed = new ConsoleFeed({ flushMs: 5 });
    const wv = new Webview();
    feed.attach(wv.post, true);
    feed.onReady(null);
    wv.live = false;
    feed.addResult(res('m', 1), false);
    feed.flush();
    await tick();
    wv.live = true;
    feed.addResult(res('m', 2), false);
    feed.flush();
    assert.deepEqual(wv.seqs(), [], 'not ready any more: nothing posted');
    feed.onReady(0);
    assert.deepEqual(wv.seqs(), [1, 2]);
  });

  it('splits a large snapshot into chunks and caps it at the webview row limit', () => {
    feed = new ConsoleFeed({ perMonitor: 5000, maxRows: 7000, snapshotChunk: 2000 });
    const wv = new Webview();
    for (const m of ['a', 'b']) for (let i = 1; i <= 5000; i++) feed.addResult(res(m, i), false);
    feed.attach(wv.post, true);
    feed.onReady(null);
    assert.deepEqual(wv.messages.map((m) => (m.type === 'snapshot' ? [m.reset, m.done, m.entries.length] : m.type)), [
      [true, false, 2000],
      [false, false, 2000],
      [false, false, 2000],
      [false, true, 1000],
    ]);
    const keys = wv.entries().map((e) => e.key);
    assert.deepEqual(keys, [...keys].sort((x, y) => x - y), 'oldest first');
    assert.equal(keys.at(-1), 10_000, 'the newest is included');
  });

  it('keeps buffering with the panel closed and forgets everything on clear', () => {
    feed = new ConsoleFeed();
    const wv = new Webview();
    feed.attach(wv.post, true);
    feed.onReady(null);
    feed.detach();
    feed.addResult(res('m', 1), false);
    assert.deepEqual(feed.sizes(), { m: 1 });
    feed.clear();
    assert.deepEqual(feed.sizes(), {});
    feed.attach(wv.post, true);
    wv.messages = [];
    feed.onReady(null);
    assert.deepEqual(wv.entries(), []);
  });

  it('marks backfilled results in what it sends', () => {
    feed = new ConsoleFeed();
    const wv = new Webview();
    feed.addResult(res('m', 1), true);
    feed.attach(wv.post, true);
    feed.onReady(null);
    const e = wv.entries()[0]!;
    assert.ok(e.kind === 'result' && e.backfilled);
  });
});

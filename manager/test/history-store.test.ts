// History: JSONL per monitor per day, queries, export, uptime, seq across restarts, retention.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../protocol/src/index.js';
import { HistoryStore } from '../src/index.js';
import { tempDir } from './support/helpers.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-10T12:00:00.000Z');

function result(seq: number, tsMs: number, status: Result['status'] = 'up', taskId = 't1'): Result {
  return { monitorId: 'web:01', taskId, type: 'tcp', target: 'h:1', seq, ts: new Date(tsMs).toISOString(), status, latencyMs: 1.5, error: status === 'down' ? 'refused: x' : null, details: { note: 'a,"b"' } };
}

describe('history store', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('keeps the last stored seq across a restart (start.after) and queries by task and time', async () => {
    const a = new HistoryStore(tmp.dir, { now: () => NOW });
    await a.append('web:01', [result(1, NOW - 2 * DAY), result(2, NOW - DAY, 'down', 't2'), result(3, NOW - 1000)]);
    await a.appendGap('web:01', { fromSeq: 4, toSeq: 9, count: 6, reason: 'budget', fromTs: new Date(NOW - 900).toISOString(), toTs: new Date(NOW - 800).toISOString() });
    await a.close();
    // A torn last line (crash mid-write) must not hide the earlier seqs.
    appendFileSync(join(tmp.dir, encodeURIComponent('web:01'), '2026-03-10.jsonl'), '{"monitorId":"web:01","seq":');
    const b = new HistoryStore(tmp.dir, { now: () => NOW });
    assert.equal(await b.lastSeq('web:01'), 9);
    assert.equal(await b.lastSeq('other'), 0);
    assert.deepEqual((await b.query({ monitorId: 'web:01' })).map((r) => r.seq), [1, 2, 3]);
    assert.deepEqual((await b.query({ taskId: 't2' })).map((r) => r.seq), [2]);
    assert.deepEqual((await b.query({ from: NOW - DAY - 1, to: NOW })).map((r) => r.seq), [2, 3]);
    assert.deepEqual((await b.query({ limit: 1 })).map((r) => r.seq), [3]);
    assert.equal((await b.gaps({ monitorId: 'web:01' }))[0].count, 6);
  });

  it('exports CSV and JSON', async () => {
    const h = new HistoryStore(tmp.dir, { now: () => NOW });
    await h.append('web:01', [result(1, NOW - 5000), result(2, NOW - 4000, 'down')]);
    const csv = await h.exportCsv({ monitorId: 'web:01' });
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'ts,monitorId,taskId,type,target,seq,status,latencyMs,error,details');
    assert.equal(lines.length, 3);
    assert.ok(lines[1].endsWith(',1.5,,"{""note"":""a,\\""b\\""""}"'), lines[1]);
    const json = JSON.parse(await h.exportJson({ monitorId: 'web:01' })) as Result[];
    assert.deepEqual(json.map((r) => r.status), ['up', 'down']);
  });

  it('computes uptime over 1 h, 24 h and 7 d', async () => {
    const h = new HistoryStore(tmp.dir, { now: () => NOW });
    await h.append('web:01', [
      result(1, NOW - 6 * DAY, 'down'),
      result(2, NOW - 6 * DAY + 1, 'down'),
      result(3, NOW - 10 * 3_600_000, 'down'),
      result(4, NOW - 30 * 60_000, 'up'),
      result(5, NOW - 20 * 60_000, 'degraded'),
      result(6, NOW - 10 * 60_000, 'up'),
      result(7, NOW - 5 * 60_000, 'down'),
    ]);
    assert.deepEqual(await h.uptime('web:01', 't1'), { h1: 75, h24: 60, d7: 42.857 });
    assert.deepEqual(await h.uptime('web:01', 'nothing'), { h1: null, h24: null, d7: null });
  });

  it('retention deletes whole day files older than the limit and keeps the seq baseline', async () => {
    let now = NOW;
    const h = new HistoryStore(tmp.dir, { retentionDays: 3, now: () => now });
    await h.append('web:01', [result(1, NOW - 5 * DAY), result(2, NOW - 3 * DAY), result(3, NOW - 2 * DAY), result(4, NOW)]);
    const dir = join(tmp.dir, encodeURIComponent('web:01'));
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length, 4);
    assert.equal(await h.sweep(), 2);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort(), ['2026-03-08.jsonl', '2026-03-10.jsonl']);
    now = NOW + 10 * DAY;
    await h.sweep();
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.jsonl')));
    assert.ok(existsSync(join(dir, 'seq.json')));
    assert.equal(await new HistoryStore(tmp.dir).lastSeq('web:01'), 4, 'seq survives even when every day file is gone');
  });

  it('group-commits concurrent appends: far fewer syncs than appends, every result durable and in order', async () => {
    const file = join(tmp.dir, encodeURIComponent('web:01'), '2026-03-10.jsonl');
    const syncedSeqs = new Set<number>();
    let syncs = 0;
    // At each datasync, note which seqs the file holds: an append may resolve only after that.
    const onDatasync = (path: string) => {
      syncs += 1;
      assert.equal(path, file);
      for (const text of readFileSync(path, 'utf8').split('\n')) if (text) syncedSeqs.add((JSON.parse(text) as { seq?: number; gap?: { toSeq: number } }).seq ?? -1);
    };
    const h = new HistoryStore(tmp.dir, { now: () => NOW, onDatasync });
    const N = 200;
    const unsynced: number[] = [];
    const appends: Promise<void>[] = [];
    for (let seq = 1; seq <= N; seq += 1) {
      const p = seq === N / 2
        ? h.appendGap('web:01', { fromSeq: seq, toSeq: seq, count: 1, reason: 'budget', fromTs: new Date(NOW).toISOString(), toTs: new Date(NOW).toISOString() })
        : h.append('web:01', [result(seq, NOW - 1000 + seq)]);
      appends.push(p.then(() => void (seq !== N / 2 && !syncedSeqs.has(seq) && unsynced.push(seq))));
      // Half of the appends arrive while a commit is in flight, half in one synchronous burst.
      if (seq === N / 2) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(appends);
    assert.deepEqual(unsynced, [], 'every append resolved after a datasync that covered its result');
    assert.ok(syncs >= 1 && syncs <= N / 10, `${syncs} datasyncs for ${N} appends`);
    assert.equal(await h.lastSeq('web:01'), N);
    await h.close();
    const reopened = new HistoryStore(tmp.dir, { now: () => NOW });
    assert.deepEqual((await reopened.query({ monitorId: 'web:01' })).map((r) => r.seq), Array.from({ length: N }, (_, i) => i + 1).filter((s) => s !== N / 2));
    assert.deepEqual((await reopened.gaps({ monitorId: 'web:01' })).map((g) => g.toSeq), [N / 2]);
    assert.equal(await reopened.lastSeq('web:01'), N);
  });

  it('an append with nothing in flight is synced on its own, without waiting for company', async () => {
    let syncs = 0;
    const h = new HistoryStore(tmp.dir, { now: () => NOW, onDatasync: () => (syncs += 1) });
    await h.append('web:01', [result(1, NOW)]);
    assert.equal(syncs, 1);
    await h.append('web:01', [result(2, NOW)]);
    assert.equal(syncs, 2);
    assert.deepEqual((await h.query({})).map((r) => r.seq), [1, 2]);
  });

  it('files each result under the UTC day of its ts, also across midnight and with a UTC offset', async () => {
    const files: string[] = [];
    const h = new HistoryStore(tmp.dir, { now: () => NOW, onDatasync: (f) => files.push(f.slice(-16)) });
    const at = (seq: number, ts: string): Result => ({ ...result(seq, NOW), ts });
    await h.append('web:01', [
      at(1, '2026-03-09T23:59:59.999Z'),
      at(2, '2026-03-10T00:00:00.000Z'),
      at(3, '2026-03-10T01:00:00.000+02:00'), // 2026-03-09T23:00Z
      at(4, '2026-03-10T00:00:00.001Z'),
    ]);
    assert.deepEqual(files, ['2026-03-09.jsonl', '2026-03-10.jsonl'], 'one datasync per day file');
    assert.deepEqual((await h.query({ to: '2026-03-09T23:59:59.999Z' })).map((r) => r.seq), [1, 3]);
    assert.deepEqual((await h.query({ from: '2026-03-10T00:00:00.000Z' })).map((r) => r.seq), [2, 4]);
    await assert.rejects(h.append('web:01', [at(5, 'not a time')]), RangeError);
  });

  it('an append made after a seq reset is not moved ahead of the reset by group commit', async () => {
    const h = new HistoryStore(tmp.dir, { now: () => NOW });
    const before = h.append('web:01', [result(5, NOW)]);
    const reset = h.resetSeq('web:01', 0); // the agent's numbering restarted
    const after = h.append('web:01', [result(1, NOW + 1)]);
    await Promise.all([before, reset, after]);
    assert.equal(await h.lastSeq('web:01'), 1);
    assert.deepEqual((await h.query({})).map((r) => r.seq), [5, 1]);
  });
});

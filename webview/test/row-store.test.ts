// The webview's data side in Node: the bounded row store with its filtered view, the
// filters, the one-line summaries and the CSV quoting.
import assert from 'node:assert/strict';
import { RowStore } from '../src/row-store.js';
import { NO_FILTER, matches } from '../src/filter.js';
import { summarize } from '../src/summary.js';
import { csvField, toCsv } from '../src/export.js';
import { entry, gapEntry, result } from './support/results.js';

describe('console webview: row store', () => {
  it('keeps at most cap rows, drops the oldest, and keeps the filtered view in step', () => {
    const store = new RowStore(5);
    store.setFilter({ ...NO_FILTER, monitor: 'a' });
    for (let i = 0; i < 12; i++) store.append([entry(result({ monitorId: i % 2 ? 'a' : 'b', taskId: `t${i}` }))]);
    assert.equal(store.size, 5);
    assert.equal(store.dropped, 7);
    assert.deepEqual(
      Array.from({ length: store.viewLength }, (_, i) => store.viewRow(i).entry).map((e) => (e.kind === 'result' ? e.result.taskId : '')),
      ['t7', 't9', 't11'],
    );
    const change = store.takeChange();
    assert.equal(change.added, 6);
    assert.equal(change.removed, 3);
    store.setFilter(NO_FILTER);
    assert.equal(store.viewLength, 5);
    assert.equal(store.indexOfKey(store.viewRow(3).entry.key), 3);
  });

  it('stays fast and bounded over a long stream (compaction)', () => {
    const store = new RowStore(1000);
    for (let i = 0; i < 50; i++) store.append(Array.from({ length: 1000 }, () => entry(result({ monitorId: 'm', taskId: 't' }))));
    assert.equal(store.size, 1000);
    assert.equal(store.viewLength, 1000);
    assert.equal(store.dropped, 49_000);
  });
});

describe('console webview: filters and summaries', () => {
  const down = { row: { entry: entry(result({ monitorId: 'web-01', taskId: 'ssh', status: 'down', error: 'refused: connection refused' })) } };
  const gap = { entry: gapEntry('web-01', { fromSeq: 1, toSeq: 2, count: 2, reason: 'spool budget', fromTs: 'a', toTs: 'b' }) };

  it('keeps gap records under monitor/task/type filters but not under a status', () => {
    assert.ok(matches(gap, { ...NO_FILTER, monitor: 'web-01', task: 'ssh', type: 'tcp' }));
    assert.ok(!matches(gap, { ...NO_FILTER, monitor: 'db-01' }));
    assert.ok(!matches(gap, { ...NO_FILTER, status: 'down' }));
    assert.ok(matches(gap, { ...NO_FILTER, status: 'gaps' }));
  });

  it('matches every word of the free text against the row and its summary', () => {
    assert.ok(matches(down.row, { ...NO_FILTER, text: 'REFUSED web-01' }));
    assert.ok(!matches(down.row, { ...NO_FILTER, text: 'refused db-01' }));
    assert.ok(matches(down.row, { ...NO_FILTER, status: 'problems' }));
  });

  it('summarizes each protocol in one line and never throws on odd details', () => {
    assert.equal(summarize(result({ monitorId: 'm', taskId: 't', type: 'udp', details: { state: 'open|filtered', replyBytes: null } })), 'open|filtered');
    assert.equal(summarize(result({ monitorId: 'm', taskId: 't', type: 'traceroute', details: { reached: true, hopCount: 7, pathChanged: true } })), 'reached in 7 hops, path changed');
    assert.equal(summarize(result({ monitorId: 'm', taskId: 't', type: 'echo', details: { matched: true, bytes: 120 } })), 'echo matched, 120 B');
    assert.match(summarize(result({ monitorId: 'm', taskId: 't', type: 'dns', details: { type: 'A', rcode: 'NOERROR', answers: [{ data: '127.0.0.1' }] } })), /^A NOERROR 127\.0\.0\.1$/);
    assert.match(summarize(result({ monitorId: 'm', taskId: 't', type: 'ntp', details: { offsetMs: -0.5, delayMs: 1, stratum: 2, referenceId: 'GPS' } })), /^offset -0\.50 ms, delay 1\.00 ms, stratum 2, ref GPS$/);
    assert.doesNotThrow(() => summarize(result({ monitorId: 'm', taskId: 't', type: 'icmp', details: { rtt: 'x', samples: {} } })));
    assert.equal(summarize(result({ monitorId: 'm', taskId: 't', type: 'tcp', details: { state: 'open', banner: 'a\nb\u0007c' } })), 'open, banner "a b c"');
  });
});

describe('console webview: CSV', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas in text', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField(-5, false), '-5');
    assert.equal(csvField(null), '');
  });

  it('writes a header and one line per row, CRLF-terminated', () => {
    const csv = toCsv([{ entry: entry(result({ monitorId: 'm', taskId: 't', ts: '2024-01-01T00:00:00.000Z', seq: 3 })) }]);
    const lines = csv.split('\r\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.match(lines[1]!, /^result,2024-01-01T00:00:00\.000Z,m,t,tcp,127\.0\.0\.1:22,3,up,1\.5,,false,/);
  });
});

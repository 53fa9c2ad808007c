// The console follows the manager: monitor list on its events, and it marks rows "backfilled" from the manager's own flag (results from the
// agent's backlog), with the "minutes late" guess kept only for sources that do not say.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { generateSecret, type Result } from '../../../protocol/src/index.js';
import { monitorsFromState, subscribe, watchMonitorChanges, type ConsoleDataSource } from '../../src/console/data-source.js';
import { FakeAgent } from '../../../manager/test/support/fake-agent.js';
import { makeManager, tempDir, waitFor, writeConfig } from '../../../manager/test/support/helpers.js';
import type { Manager } from '../../../manager/src/index.js';

describe('console host: backfilled marking', function () {
  this.timeout(20_000);
  let tmp: ReturnType<typeof tempDir>;
  let agent: FakeAgent | undefined;
  let manager: Manager | undefined;

  beforeEach(() => (tmp = tempDir('netcam-console-')));
  afterEach(async () => {
    await manager?.dispose();
    await agent?.close();
    manager = agent = undefined;
    tmp.cleanup();
  });

  it('marks the backlog a reconnecting manager receives as backfilled, even when it is only seconds late', async () => {
    const secret = generateSecret();
    agent = await FakeAgent.start({ secret, resultEveryMs: 50 });
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks: [{ id: 'gw', type: 'icmp', host: '127.0.0.1', interval: 5 }] }]);
    manager = makeManager(tmp.dir, { m1: secret });
    const rows: { seq: number; backfilled: boolean }[] = [];
    const off = subscribe(manager, { result: (r, backfilled) => rows.push({ seq: r.seq, backfilled }), gap: () => {}, bad: (w) => assert.fail(`bad ${w}`) });
    await manager.collect(['m1']);
    await waitFor(() => rows.length >= 2, 5000, 'live rows');
    await manager.disconnect();
    const liveBefore = rows.length;
    const from = agent.seq;
    await waitFor(() => agent!.seq >= from + 4, 5000, 'results produced while the manager is away');
    await manager.collect(['m1']);
    const backlogUpTo = agent.helloLastSeqs.at(-1)!;
    await waitFor(() => rows.some((r) => r.seq > backlogUpTo + 1), 5000, 'live rows after the backlog');
    off();
    assert.ok(rows.slice(0, liveBefore).every((r) => !r.backfilled));
    const backlog = rows.slice(liveBefore).filter((r) => r.seq <= backlogUpTo);
    assert.ok(backlog.length >= 4);
    assert.ok(backlog.every((r) => r.backfilled), 'backlog rows are backfilled although they are less than 2 minutes late');
    assert.ok(rows.filter((r) => r.seq > backlogUpTo).every((r) => !r.backfilled), 'rows after the backlog are live');
  });

  it('trusts the source flag over the arrival time, and guesses only when the source says nothing', () => {
    const ev = new EventEmitter();
    const source: ConsoleDataSource = {
      onResult: (l) => (ev.on('result', l), () => ev.off('result', l)),
      onGap: () => () => {},
    };
    const got: boolean[] = [];
    const off = subscribe(source, { result: (_r, b) => got.push(b), gap: () => {}, bad: () => {} });
    const old: Result = {
      monitorId: 'web-01', taskId: 'gw', type: 'icmp', target: '127.0.0.1', seq: 1, ts: new Date(Date.now() - 10 * 60_000).toISOString(),
      status: 'up', latencyMs: 1, error: null, details: {},
    };
    const fresh: Result = { ...old, seq: 2, ts: new Date().toISOString() };
    ev.emit('result', old, { backfilled: false });
    ev.emit('result', fresh, { backfilled: true });
    ev.emit('result', old);
    ev.emit('result', fresh);
    off();
    assert.deepEqual(got, [false, true, true, false]);
  });
});

describe('console host: monitor list follows the manager', function () {
  this.timeout(20_000);
  let tmp: ReturnType<typeof tempDir>;
  let manager: Manager | undefined;
  beforeEach(() => (tmp = tempDir('netcam-console-')));
  afterEach(async () => {
    await manager?.dispose();
    manager = undefined;
    tmp.cleanup();
  });

  it('re-reads the monitors when the config changes and when a link changes state, with no timer', async () => {
    writeConfig(join(tmp.dir, 'netcam.json'), []);
    manager = makeManager(tmp.dir, {}, { watchConfig: false });
    await manager.ready;
    const seen: string[] = [];
    const off = watchMonitorChanges(manager, () => {
      seen.push(JSON.stringify(monitorsFromState(manager!.getState()).map((m) => [m.id, m.state, m.tasks.map((t) => t.id)])));
    });
    await manager.config.createMonitor({ id: 'web-01', host: '127.0.0.1', port: 1, tasks: [{ id: 'gw', type: 'icmp', host: '127.0.0.1', interval: 5 }] });
    await waitFor(() => seen.some((s) => s.includes('"web-01"') && s.includes('"gw"')), 5000, 'the new monitor with its task');
    // No secret: the link goes to error at once; the list says so.
    await manager.collect(['web-01']);
    await waitFor(() => seen.some((s) => s.includes('"error"')), 5000, 'the link state change');
    off();
    const n = seen.length;
    await manager.config.deleteMonitor('web-01');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(seen.length, n, 'unsubscribed');
  });
});

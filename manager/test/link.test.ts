// Links against an in-test agent peer (support/fake-agent.ts): handshake, echo check,
// ack after store, dedup, reconnect with backlog, resume, stop vs disconnect.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateSecret, type Result } from '../../protocol/src/index.js';
import { FakeAgent } from './support/fake-agent.js';
import { makeManager, tempDir, waitFor, writeConfig } from './support/helpers.js';
import type { Manager } from '../src/index.js';

describe('manager links (in-test agent peer)', function () {
  this.timeout(20000);
  let tmp: ReturnType<typeof tempDir>;
  let agent: FakeAgent | undefined;
  let manager: Manager | undefined;
  const secret = generateSecret();

  beforeEach(() => (tmp = tempDir()));
  afterEach(async () => {
    await manager?.dispose();
    await agent?.close();
    manager = agent = undefined;
    tmp.cleanup();
  });

  const tasks = [
    { id: 'ssh', type: 'tcp', host: '127.0.0.1', port: 22, interval: 5 },
    { id: 'gw', type: 'icmp', host: '127.0.0.1', interval: 5 },
  ];

  it('collects results, stores them before acking, and reports the link connected', async () => {
    agent = await FakeAgent.start({ secret, resultEveryMs: 100 });
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks }]);
    manager = makeManager(tmp.dir, { m1: secret });
    const got: Result[] = [];
    manager.onResult((r) => got.push(r));
    await manager.collect(['m1']);
    assert.equal(manager.getState().monitors[0].link, 'connected');
    await waitFor(() => got.length >= 6, 5000, '6 results');
    const stored = await manager.history.query({ monitorId: 'm1' });
    assert.ok(stored.length >= 6);
    await waitFor(() => agent!.ackedSeq >= got[5].seq, 2000, 'acks');
    const state = manager.getState().monitors[0];
    assert.deepEqual(state.tasks.map((t) => t.status).sort(), ['up', 'up']);
  });

  it('refuses to start when the agent echoes a different task, naming the field', async () => {
    agent = await FakeAgent.start({ secret, alterEcho: (t, i) => (i === 0 ? ({ ...t, port: 23 } as typeof t) : t) });
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks }]);
    manager = makeManager(tmp.dir, { m1: secret });
    await manager.collect(['m1']);
    const state = manager.getState().monitors[0];
    assert.equal(state.link, 'error');
    assert.match(state.lastError ?? '', /tasks\[0\]\.port: sent 22, echoed 23/);
    assert.ok(!agent.received.includes('start'), 'start must not be sent after a mismatch');
  });

  it('reconnects after the link drops and delivers the backlog exactly once, in order', async () => {
    agent = await FakeAgent.start({ secret, resultEveryMs: 50 });
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks }]);
    manager = makeManager(tmp.dir, { m1: secret });
    const got: Result[] = [];
    const links: string[] = [];
    manager.onResult((r) => got.push(r));
    manager.onMonitorState((s) => links.push(s.link));
    await manager.collect(['m1']);
    await waitFor(() => got.length >= 4, 5000, 'first results');
    agent.dropConnections();
    await waitFor(() => links.includes('backingOff'), 5000, 'backing off');
    await waitFor(() => got.length >= 20 && manager!.getState().monitors[0].link === 'connected', 10000, 'reconnect');
    const seqs = got.map((r) => r.seq);
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `seq ${seqs[i]} after ${seqs[i - 1]}`);
    const stored = (await manager.history.query({ monitorId: 'm1' })).map((r) => r.seq);
    assert.deepEqual(stored.slice(0, seqs.length), seqs);
    // resumed: the agent kept its tasks, so the second handshake sent no `tasks`
    assert.equal(agent.received.filter((t) => t === 'tasks').length, 1);
  });

  it('flags results from the agent backlog as backfilled and live ones as not', async () => {
    agent = await FakeAgent.start({ secret, resultEveryMs: 50 });
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks }]);
    manager = makeManager(tmp.dir, { m1: secret });
    const got: { seq: number; backfilled: boolean }[] = [];
    manager.onResult((r, meta) => got.push({ seq: r.seq, backfilled: meta.backfilled }));
    await manager.collect(['m1']);
    await waitFor(() => got.length >= 4, 5000, 'first live results');
    // The manager goes away; the agent keeps monitoring and buffering.
    await manager.disconnect();
    const seenBefore = got.length;
    const awayFrom = agent.seq;
    await waitFor(() => agent!.seq >= awayFrom + 6, 5000, 'results produced while away');
    await manager.collect(['m1']);
    const backlogUpTo = agent.helloLastSeqs.at(-1)!;
    await waitFor(() => got.some((g) => g.seq > backlogUpTo + 3), 5000, 'live results after the backlog');
    const first = got.slice(0, seenBefore);
    const second = got.slice(seenBefore);
    assert.ok(first.every((g) => !g.backfilled), 'results streamed live in the first session are not backfilled');
    const backlog = second.filter((g) => g.seq <= backlogUpTo);
    assert.ok(backlog.length >= 6, `the backlog arrived (${backlog.length} results)`);
    assert.ok(backlog.every((g) => g.backfilled), 'every backlog result is flagged backfilled');
    const live = second.filter((g) => g.seq > backlogUpTo);
    assert.ok(live.length >= 3 && live.every((g) => !g.backfilled), 'results produced after the reconnect are live');
  });

  it('stop ends the tasks on the agent; disconnect leaves them running', async () => {
    agent = await FakeAgent.start({ secret, resultEveryMs: 100 });
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks }]);
    manager = makeManager(tmp.dir, { m1: secret });
    await manager.collect(['m1']);
    await manager.disconnect();
    assert.equal(manager.getState().monitors[0].link, 'idle');
    assert.ok(!agent.received.includes('stop'));
    assert.equal(agent.tasks.length, 2);
    await manager.collect(['m1']);
    await manager.stop(['m1']);
    assert.equal(manager.getState().monitors[0].link, 'stopped');
    assert.ok(agent.received.includes('stop'));
    assert.equal(agent.tasks.length, 0);
  });

  it('a missing secret is an error state, not a retry loop', async () => {
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: 9, tasks }]);
    manager = makeManager(tmp.dir, {});
    await manager.collect(['m1']);
    const s = manager.getState().monitors[0];
    assert.equal(s.link, 'error');
    assert.match(s.lastError ?? '', /no pairing secret for monitor "m1"/);
  });
});

describe('manager links: gaps and live config changes', function () {
  this.timeout(20000);
  let tmp: ReturnType<typeof tempDir>;
  let agent: FakeAgent | undefined;
  let manager: Manager | undefined;
  const secret = generateSecret();
  beforeEach(() => (tmp = tempDir()));
  afterEach(async () => {
    await manager?.dispose();
    await agent?.close();
    manager = agent = undefined;
    tmp.cleanup();
  });

  it('surfaces a gap as "N results lost between T1 and T2" and stores it', async () => {
    agent = await FakeAgent.start({ secret, resultEveryMs: 50 });
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks: [{ id: 't', type: 'tcp', host: '127.0.0.1', port: 9, interval: 5 }] }]);
    manager = makeManager(tmp.dir, { m1: secret });
    const gaps: string[] = [];
    const { describeGap } = await import('../src/index.js');
    manager.onGap((id, g) => gaps.push(`${id}: ${describeGap(g)}`));
    await manager.collect(['m1']);
    agent.pauseDelivery(); // results pile up in the agent's spool...
    await waitFor(() => agent!.spool.length >= 5, 5000, 'a spool');
    agent.sendGap(3); // ...which overflows: the 3 oldest are dropped and reported
    await waitFor(() => gaps.length === 1, 10000, 'the gap');
    assert.match(gaps[0], /^m1: 3 results lost between \S+Z and \S+Z \(spool budget reached\)$/);
    assert.equal((await manager.history.gaps({ monitorId: 'm1' }))[0].count, 3);
    await waitFor(() => agent!.spool.length === 0 || agent!.ackedSeq >= agent!.seq - 1, 5000, 'the rest acked');
  });

  it('re-sends the task set when netcam.json changes while collecting', async () => {
    agent = await FakeAgent.start({ secret, resultEveryMs: 100 });
    const path = join(tmp.dir, 'netcam.json');
    writeConfig(path, [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks: [{ id: 'a', type: 'tcp', host: '127.0.0.1', port: 9, interval: 5 }] }]);
    manager = makeManager(tmp.dir, { m1: secret });
    await manager.collect(['m1']);
    await manager.config.createTask('m1', { id: 'b', type: 'udp', host: '127.0.0.1', port: 9, interval: 5 });
    await waitFor(() => agent!.tasks.length === 2, 10000, 'the new task set on the agent');
    await waitFor(() => manager!.getState().monitors[0].link === 'connected', 10000, 'connected again');
    assert.deepEqual(manager.getState().monitors[0].tasks.map((t) => t.id), ['a', 'b']);
  });
});

describe('manager links: dead-peer detection', function () {
  this.timeout(20000);
  it('declares a silent agent dead after three heartbeat periods and backs off', async () => {
    const tmp = tempDir();
    const secret = generateSecret();
    // The in-test agent sends no heartbeats; with no results due, it is silent after `started`.
    const agent = await FakeAgent.start({ secret, resultEveryMs: 600000 });
    const manager = makeManager(tmp.dir, { m1: secret }, { heartbeatMs: 100, reconnect: { baseMs: 5000, capMs: 5000, staggerMs: 0 } });
    try {
      writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'm1', host: '127.0.0.1', port: agent.port, tasks: [{ id: 't', type: 'tcp', host: '127.0.0.1', port: 9, interval: 600 }] }]);
      await manager.ready;
      await manager.config.load();
      await manager.collect(['m1']);
      const state = await waitFor(() => {
        const s = manager.getState().monitors[0];
        return s.link === 'backingOff' ? s : undefined;
      }, 10000, 'backing off');
      assert.match(state.lastError ?? '', /agent silent for \d+ s/);
      assert.ok(state.nextRetryAt! > Date.now() - 1000);
    } finally {
      await manager.dispose();
      await agent.close();
      tmp.cleanup();
    }
  });
});

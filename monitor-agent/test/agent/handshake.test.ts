// The agent's side of docs/protocol.md, over real TLS-PSK sockets on loopback with the
// real probes against loopback TCP targets.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkTasks, tasksHash, type Result } from '../../../protocol/src/index.js';
import { Spool } from '../../src/spool/spool.js';
import { TaskStateFile } from '../../src/task-state.js';
import { closedPort, sleep, startTestAgent, tcpTarget, tcpTask, tempDir, until, type TestAgent } from './fixtures.js';
import { gridMedianOffsetMs } from './grid.js';
import { compareEchoes, seqCoverage, TestManager } from './test-manager.js';

describe('agent: handshake and delivery', function () {
  this.timeout(30_000);
  let dir: ReturnType<typeof tempDir>;
  let agent: TestAgent;
  let target: Awaited<ReturnType<typeof tcpTarget>>;
  const managers: TestManager[] = [];
  const connect = async (autoAck = true): Promise<TestManager> => {
    const m = await TestManager.connect({ port: agent.port, key: agent.key, autoAck });
    managers.push(m);
    return m;
  };

  beforeEach(async () => {
    dir = tempDir();
    target = await tcpTarget();
    agent = await startTestAgent(dir.path);
  });

  afterEach(async () => {
    for (const m of managers.splice(0)) await m.close();
    await agent.close();
    await target.close();
    dir.remove();
  });

  it('does the full handshake, echoes each task with defaults applied, and streams results', async () => {
    const down = await closedPort();
    const sent = [tcpTask('web', target.port), { type: 'tcp', host: '127.0.0.1', port: down, interval: 1, timeout: 0.5 }];
    const m = await connect();
    const { hello, echoes, mismatches, started } = await m.handshake('web-01', sent, 0);
    assert.equal(hello.role, 'agent');
    assert.equal(hello.monitorId, null);
    assert.equal(hello.tasksHash, null);
    assert.equal(hello.lastSeq, 0);
    assert.deepEqual(mismatches, []);
    assert.equal(echoes[0].downAfter, 1, 'defaults applied in the echo');
    assert.equal(echoes[1].id, 'tcp-1', 'a missing id is generated as <type>-<n>');
    assert.deepEqual(started, { type: 'started', tasks: 2, restarted: true, backlog: 0 });

    await m.waitFor('4 results', () => m.results.length >= 4);
    const seqs = m.results.map((r) => r.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'seq starts at 1 and increases by one');
    const web = m.results.find((r) => r.taskId === 'web')!;
    assert.equal(web.monitorId, 'web-01');
    assert.equal(web.target, `127.0.0.1:${target.port}`);
    assert.equal(web.status, 'up');
    assert.match(web.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const refused = m.results.find((r) => r.taskId === 'tcp-1')!;
    assert.equal(refused.status, 'down');
    assert.match(refused.error ?? '', /refused/);

    const log = agent.lines.join('\n');
    for (const line of ['manager connected from 127.0.0.1:', 'ID set: web-01', 'tasks received: 2', 'tasks started: 2']) {
      assert.ok(log.includes(line), `console has "${line}":\n${log}`);
    }
    await until('a "results sent" line', () => agent.lines.some((l) => l.startsWith('results sent: ')));
  });

  it('a mismatching echo is detectable, and an echo_mismatch error leaves the running tasks untouched', async () => {
    const m1 = await connect();
    await m1.handshake('web-01', [tcpTask('a', target.port)], 0);
    const runningHash = hashOf([tcpTask('a', target.port)]);

    const m2 = await connect();
    await m2.take('hello');
    m2.send({ type: 'setId', monitorId: 'web-01' });
    await m2.take('idAck');
    const sent = [tcpTask('b', target.port)];
    m2.send({ type: 'tasks', tasks: sent });
    const echo = await m2.take('taskEcho');
    await m2.take('tasksReady');
    // The comparison a manager makes finds a real difference and nothing else.
    assert.deepEqual(compareEchoes([{ ...sent[0], port: 22 }], [echo.task]), [`tasks[0].port: sent 22, echoed ${target.port}`]);
    assert.deepEqual(compareEchoes(sent, [echo.task]), []);
    m2.send({ type: 'error', code: 'echo_mismatch', message: 'tasks[0].port: sent 22, echoed 23' });
    await m2.waitFor('the agent to close', () => m2.closed);

    const m3 = await connect();
    const hello = await m3.take('hello');
    assert.equal(hello.tasksHash, runningHash, 'the earlier task set still runs');
    assert.equal(agent.scheduler.tasks()[0].id, 'a');
  });

  it('reconnecting with the same tasks resumes without restart and hands over the backlog in order, no gaps, no duplicates', async () => {
    const tasks = [tcpTask('a', target.port), tcpTask('b', target.port)];
    const m1 = await connect();
    await m1.handshake('web-01', tasks, 0);
    await m1.waitFor('3 results', () => m1.results.length >= 3);
    await m1.close();
    const seqAtDisconnect = agent.spool.lastSeq;
    await until('results to pile up', () => agent.spool.lastSeq >= seqAtDisconnect + 4);
    await until('a "results kept for later" line', () => agent.lines.some((l) => l.startsWith('results kept for later: ')));

    const m2 = await connect();
    const { hello, started } = await m2.handshake('web-01', null, m1.stored);
    assert.equal(hello.monitorId, 'web-01');
    assert.equal(hello.tasksHash, hashOf(tasks), 'hello reports the running hash');
    assert.equal(started.restarted, false);
    assert.ok(started.backlog >= 4, `backlog ${started.backlog}`);
    const target2 = agent.spool.lastSeq + 2;
    await m2.waitFor('backlog and live results', () => m2.stored >= target2);
    const seqs2 = m2.results.map((r) => r.seq);
    assert.deepEqual(seqs2, [...seqs2].sort((x, y) => x - y), 'in seq order');
    const all = [...m1.results, ...m2.results];
    const cov = seqCoverage(all, [...m1.gaps, ...m2.gaps]);
    assert.deepEqual(cov.missing, []);
    assert.deepEqual(cov.duplicates, []);
    assert.ok(agent.lines.some((l) => l.startsWith('backlog handed over: ')), agent.lines.join('\n'));
    assert.ok(agent.lines.some((l) => l.startsWith('tasks resumed: 2 already running, not restarted')));
    // Not restarted: task a stayed on its 1 s grid across the reconnect.
    assertOnGrid(all.filter((r) => r.taskId === 'a'), 1000);
  });

  it('applies a different task set live: unchanged tasks keep their schedule, new ones start, removed ones stop, nothing unsent is lost', async () => {
    const m1 = await connect();
    await m1.handshake('web-01', [tcpTask('keep', target.port), tcpTask('drop', target.port)], 0);
    await m1.waitFor('results of both', () => ['keep', 'drop'].every((id) => m1.results.some((r) => r.taskId === id)));
    m1.autoAck = false; // leave some unacknowledged
    await sleep(1200);
    await m1.close();

    const m2 = await connect();
    const { started, mismatches } = await m2.handshake('web-01', [tcpTask('keep', target.port), tcpTask('new', target.port)], 0);
    assert.deepEqual(mismatches, []);
    assert.equal(started.restarted, true);
    assert.equal(started.tasks, 2);
    const changeSeq = agent.spool.lastSeq;
    await m2.waitFor('new task results', () => m2.results.filter((r) => r.taskId === 'new').length >= 2);
    await sleep(1200);
    const after = m2.results.filter((r) => r.seq > changeSeq + 1);
    assert.ok(!after.some((r) => r.taskId === 'drop'), 'removed task no longer runs');
    assertOnGrid(m2.results.filter((r) => r.taskId === 'keep'), 1000);
    // after=0: the manager gets every unacknowledged result again; nothing was discarded by the change.
    const cov = seqCoverage([...m1.results, ...m2.results], m2.gaps);
    assert.deepEqual(cov.missing, []);
    assert.ok(agent.lines.some((l) => /tasks started: 2 \(1 kept on schedule, 1 new, 0 changed, 1 removed\)/.test(l)), agent.lines.join('\n'));
  });

  it('manager killed mid-stream, results pile up, reconnect: every seq arrives exactly once', async () => {
    const tasks = Array.from({ length: 40 }, (_, i) => tcpTask(`t${i}`, target.port));
    const m1 = await connect();
    await m1.handshake('web-01', tasks, 0);
    await m1.waitFor('60 results', () => m1.results.length >= 60);
    m1.autoAck = false; // the acks for the last results never arrive
    await m1.waitFor('20 more', () => m1.results.length >= 80);
    m1.socket.destroy(); // abrupt: no stop, no FIN handshake on our side
    await sleep(1500);

    const m2 = await connect();
    const { started } = await m2.handshake('web-01', null, m1.stored);
    assert.equal(started.restarted, false);
    const goal = agent.spool.lastSeq + 40;
    await m2.waitFor('backlog plus live', () => m2.stored >= goal, 15_000);
    const cov = seqCoverage([...m1.results, ...m2.results], []);
    assert.deepEqual(cov.missing, []);
    assert.deepEqual(cov.duplicates, []);
    assert.ok(m2.results[0].seq === m1.stored + 1, 'delivery resumed right after what the manager stored');
  });

  it('a new authenticated session replaces the old one, which is told why', async () => {
    const m1 = await connect();
    await m1.handshake('web-01', [tcpTask('a', target.port)], 0);
    const m2 = await connect();
    const err = await m1.take('error');
    assert.equal(err.code, 'replaced');
    await m1.waitFor('old link closed', () => m1.closed);
    const { started } = await m2.handshake('web-01', null, m1.stored);
    assert.equal(started.restarted, false);
    await m2.waitFor('results on the new session', () => m2.results.length >= 1);
  });

  it('stop ends the tasks, hands over what is unsent, confirms, forgets the task set', async () => {
    const m = await connect();
    await m.handshake('web-01', [tcpTask('a', target.port), tcpTask('b', target.port)], 0);
    await m.waitFor('results', () => m.results.length >= 2);
    m.send({ type: 'stop' });
    const stopped = await m.take('stopped');
    assert.equal(m.stored, stopped.lastSeq, 'everything up to lastSeq arrived before stopped');
    assert.equal(agent.scheduler.size, 0);
    const n = m.results.length;
    await sleep(1500);
    assert.equal(m.results.length, n, 'no results after stop');
    await m.close();
    const m2 = await connect();
    const hello = await m2.take('hello');
    assert.equal(hello.monitorId, null);
    assert.equal(hello.tasksHash, null);
    assert.equal(hello.ackedSeq, stopped.lastSeq);
    assert.ok(agent.lines.some((l) => l.startsWith('stop received: stopping 2 task(s)')));
    assert.ok(agent.lines.some((l) => l.startsWith('stopped: tasks ended')));
  });

  it('rejects messages out of order and start without tasks', async () => {
    const m = await connect();
    await m.take('hello');
    m.send({ type: 'start', after: 0 });
    assert.equal((await m.take('error')).code, 'unexpected_message');
    await m.waitFor('closed', () => m.closed);

    const m2 = await connect();
    await m2.take('hello');
    m2.send({ type: 'setId', monitorId: 'x' });
    await m2.take('idAck');
    m2.send({ type: 'start', after: 0 });
    assert.equal((await m2.take('error')).code, 'not_ready');

    const m3 = await connect();
    await m3.take('hello');
    m3.send({ type: 'setId', monitorId: 'x' });
    await m3.take('idAck');
    m3.send({ type: 'tasks', tasks: [{ type: 'tcp', host: '127.0.0.1', port: 70000 }] });
    const err = await m3.take('error');
    assert.equal(err.code, 'invalid_tasks');
    assert.match(err.message, /tasks\.tasks\[0\]/);
  });

  it('replays a large backlog in batches of up to 1000 results', async function () {
    // Fill the spool of a stopped agent directly, then let a manager collect it.
    await agent.close();
    const spool = await Spool.open({ dir: join(dir.path, 'spool') });
    const total = 30_000;
    const t0 = Date.now();
    for (let i = 0; i < total; i++) {
      const ts = new Date(t0 + i).toISOString();
      spool.append(t0 + i, (seq) => JSON.stringify(fakeResult(seq, ts)));
    }
    await spool.close();
    const tasks = checkTasks([tcpTask('a', target.port, 60)]);
    await new TaskStateFile(dir.path).save({ monitorId: 'web-01', tasks: tasks.ok ? tasks.value : null });
    agent = await startTestAgent(dir.path);
    assert.ok(agent.lines.some((l) => l.startsWith('tasks resumed from the last run: 1')));

    const m = await connect();
    const began = performance.now();
    const { started } = await m.handshake('web-01', null, 0);
    assert.ok(started.backlog >= total);
    await m.waitFor('the whole backlog', () => m.stored >= total, 30_000);
    const ms = performance.now() - began;
    const batches = m.inbox.filter((x) => x.type === 'results');
    assert.ok(batches.every((b) => b.type === 'results' && b.items.length <= 1000));
    assert.ok(batches.length <= Math.ceil(total / 1000) + 5, `${batches.length} results messages for ${total} results`);
    assert.deepEqual(seqCoverage(m.results.filter((r) => r.seq <= total), []).missing, []);
    console.log(`      backlog replay: ${total} results in ${Math.round(ms)} ms = ${Math.round((total / ms) * 1000)} results/s`);
  });
});

function hashOf(tasks: unknown[]): string {
  const checked = checkTasks(tasks);
  assert.ok(checked.ok);
  return tasksHash(checked.value);
}

function fakeResult(seq: number, ts: string): Result {
  return {
    monitorId: 'web-01',
    taskId: 'a',
    type: 'tcp',
    target: '127.0.0.1:1',
    seq,
    ts,
    status: 'up',
    latencyMs: 0.123,
    error: null,
    details: { state: 'open', connectMs: 0.123, resolvedIp: '127.0.0.1' },
  };
}

/** Consecutive results of one task are whole intervals apart (ideal schedule, no restart). */
function assertOnGrid(results: Result[], intervalMs: number): void {
  assert.ok(results.length >= 3, `need 3+ results, got ${results.length}`);
  const times = results.map((r) => Date.parse(r.ts));
  const off = gridMedianOffsetMs(times, intervalMs);
  assert.ok(off < 150, `task ${results[0].taskId} left its ${intervalMs} ms grid (median offset ${off} ms): ${times.map((t) => t - times[0]).join(', ')}`);
}

// The manager against real agents (dist/netcam-agent.js) on loopback.
import assert from 'node:assert/strict';
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Result } from '../../protocol/src/index.js';
import { Manager, staticSecrets } from '../src/index.js';
import { RealAgent, ensureBuilt } from './support/real-agent.js';
import { tempDir, waitFor, writeConfig } from './support/helpers.js';

const tasksFor = (name: string) => [
  { id: `${name}-tcp`, type: 'tcp', host: '127.0.0.1', port: 9, interval: 1, timeout: 0.5 },
  { id: `${name}-tcp2`, type: 'tcp', host: '127.0.0.1', port: 7, interval: 1, timeout: 0.5 },
];

describe('manager with real agents (loopback)', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;
  let agents: RealAgent[] = [];
  let manager: Manager | undefined;
  let blackhole: net.Server | undefined;
  const held = new Set<net.Socket>();

  before(() => ensureBuilt());
  beforeEach(() => (tmp = tempDir()));
  afterEach(async () => {
    await manager?.dispose();
    await Promise.all(agents.map((a) => a.stop()));
    for (const s of held) s.destroy();
    held.clear();
    await new Promise<void>((r) => (blackhole ? blackhole.close(() => r()) : r()));
    manager = blackhole = undefined;
    agents = [];
    tmp.cleanup();
  });

  async function startAgents(n: number): Promise<RealAgent[]> {
    agents = Array.from({ length: n }, (_, i) => new RealAgent(tmp.dir, `a${i + 1}`));
    await Promise.all(agents.map((a) => a.start()));
    return agents;
  }

  function newManager(monitors: unknown[], secrets: Record<string, string>, baseMs = 200): Manager {
    writeConfig(join(tmp.dir, 'netcam.json'), monitors);
    return new Manager({
      configPath: join(tmp.dir, 'netcam.json'),
      historyDir: join(tmp.dir, 'history'),
      secrets: staticSecrets(secrets),
      reconnect: { baseMs, capMs: baseMs * 4, staggerMs: 0 },
    });
  }

  it('collects from one agent and from all of three', async () => {
    const [a1, a2, a3] = await startAgents(3);
    manager = newManager(
      agents.map((a) => ({ id: a.name, host: '127.0.0.1', port: a.port, tasks: tasksFor(a.name) })),
      Object.fromEntries(agents.map((a) => [a.name, a.secret])),
    );
    const got: Result[] = [];
    manager.onResult((r) => got.push(r));
    await manager.collect(['a1']);
    await waitFor(() => got.filter((r) => r.monitorId === 'a1').length >= 2, 10000, 'results from a1');
    assert.ok(got.every((r) => r.monitorId === 'a1'));
    await manager.collect('all');
    await waitFor(() => ['a2', 'a3'].every((id) => got.some((r) => r.monitorId === id)), 10000, 'results from a2 and a3');
    assert.deepEqual(manager.getState().monitors.map((m) => m.link), ['connected', 'connected', 'connected']);
    const wanted = [a1, a2, a3].flatMap((a) => tasksFor(a.name).map((t) => `${a.name}/${t.id}`));
    await waitFor(() => wanted.every((k) => got.some((r) => `${r.monitorId}/${r.taskId}` === k)), 10000, 'a result from every task');
    assert.ok((await manager.history.query({ monitorId: 'a3' })).length >= 1);
  });

  it('a blackholed agent (accepts TCP, never answers) does not delay the other two', async () => {
    await startAgents(2);
    blackhole = net.createServer((s) => held.add(s));
    await new Promise<void>((r) => blackhole!.listen(0, '127.0.0.1', r));
    const holePort = (blackhole.address() as net.AddressInfo).port;
    manager = newManager(
      [
        { id: 'hole', host: '127.0.0.1', port: holePort, tasks: tasksFor('hole') },
        ...agents.map((a) => ({ id: a.name, host: '127.0.0.1', port: a.port, tasks: tasksFor(a.name) })),
      ],
      { hole: agents[0].secret, ...Object.fromEntries(agents.map((a) => [a.name, a.secret])) },
    );
    await manager.ready;
    const first = new Map<string, number>();
    const connected = new Map<string, number>();
    const t0 = performance.now();
    manager.onResult((r) => first.has(r.monitorId) || first.set(r.monitorId, performance.now() - t0));
    manager.onMonitorState((s) => s.link === 'connected' && !connected.has(s.id) && connected.set(s.id, performance.now() - t0));
    void manager.collect('all');
    await waitFor(() => first.has('a1') && first.has('a2'), 10000, 'results from the healthy agents');
    assert.equal(manager.getState().monitors[0].link, 'connecting', 'the blackholed link is still waiting for its TLS handshake');
    for (const id of ['a1', 'a2']) {
      assert.ok(connected.get(id)! < 1000, `${id} connected after ${connected.get(id)!.toFixed(0)} ms`);
    }
    console.log(`      connected a1 ${connected.get('a1')!.toFixed(0)} ms, a2 ${connected.get('a2')!.toFixed(0)} ms; first results ${first.get('a1')!.toFixed(0)} / ${first.get('a2')!.toFixed(0)} ms`);
  });

  it('reconnects to an agent restarted mid-collection; its backlog arrives exactly once, in order', async () => {
    const [a1] = await startAgents(1);
    writeConfig(join(tmp.dir, 'netcam.json'), [{ id: 'a1', host: '127.0.0.1', port: a1.port, tasks: tasksFor('a1') }]);
    // The secret provider is asked at the start of every attempt: holding it open keeps the
    // manager away while the restarted agent runs its tasks, so a backlog builds up.
    let gate: Promise<void> = Promise.resolve();
    let open: () => void = () => undefined;
    manager = new Manager({
      configPath: join(tmp.dir, 'netcam.json'),
      historyDir: join(tmp.dir, 'history'),
      secrets: { get: async () => (await gate, a1.secret) },
      reconnect: { baseMs: 200, capMs: 800, staggerMs: 0 },
    });
    const got: Result[] = [];
    const logs: string[] = [];
    manager.onResult((r) => got.push(r));
    manager.onLog((_level, msg) => logs.push(msg));
    await manager.collect(['a1']);
    await waitFor(() => got.length >= 4, 10000, 'results before the restart');
    gate = new Promise((r) => (open = r));
    await a1.stop('SIGTERM');
    await a1.start(); // same port and data dir: it resumes its tasks and spools results
    await new Promise((r) => setTimeout(r, 3000));
    const before = got.length;
    open();
    await waitFor(() => manager!.getState().monitors[0].link === 'connected' && got.length >= before + 6, 30000, 'reconnect and new results');
    const seqs = got.map((r) => r.seq);
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `seq ${seqs[i]} after ${seqs[i - 1]}`);
    assert.equal(new Set(seqs).size, seqs.length, 'no duplicates');
    const stored = (await manager.history.query({ monitorId: 'a1' })).map((r) => r.seq);
    assert.deepEqual(stored, seqs, 'history holds each result once, in order');
    const resumed = logs.filter((l) => /backlog \d+/.test(l)).pop() ?? '';
    const backlog = Number(/backlog (\d+)/.exec(resumed)?.[1] ?? -1);
    assert.ok(backlog >= 2, `a backlog was delivered on reconnect (${resumed})`);
    console.log(`      ${resumed}; ${got.length} results, seq ${seqs[0]}..${seqs[seqs.length - 1]}`);
  });
});

// The agent as users run it: a separate process (`monitor-agent/src/main.ts` under tsx,
// the same code the bundle is built from). CLI contract, SIGTERM, kill -9 + restart.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseSecret } from '../../../protocol/src/index.js';
import { promptListen } from '../../src/agent-cli.js';
import { sleep, tcpTarget, tcpTask, tempDir, until } from './fixtures.js';
import { seqCoverage, TestManager } from './test-manager.js';

const MAIN = join(process.cwd(), 'monitor-agent', 'src', 'main.ts');
const TSX = ['--import', 'tsx', MAIN];

interface AgentProcess {
  child: ChildProcess;
  out: string[];
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function spawnAgent(dataDir: string, extra: string[] = []): Promise<AgentProcess> {
  const child = spawn(process.execPath, [...TSX, '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  let buf = '';
  const onData = (d: Buffer): void => {
    buf += d.toString('utf8');
    const lines = buf.split('\n');
    buf = lines.pop()!;
    out.push(...lines);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  let port = 0;
  await until('the listening line', () => {
    const line = out.find((l) => /listening on 127\.0\.0\.1:\d+$/.test(l));
    if (line) port = Number(/:(\d+)$/.exec(line)![1]);
    return port > 0 || child.exitCode !== null;
  }, 20_000);
  assert.ok(port > 0, `agent did not start:\n${out.join('\n')}`);
  return { child, out, port, exited };
}

function keyOf(dataDir: string): Buffer {
  return parseSecret(readFileSync(join(dataDir, 'secret'), 'utf8'));
}

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...TSX, ...args], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('agent process', function () {
  this.timeout(60_000);
  const children: ChildProcess[] = [];
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  let target: Awaited<ReturnType<typeof tcpTarget>>;
  const newDir = (): string => {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  };
  before(async () => {
    target = await tcpTarget();
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  after(async () => {
    await target.close();
    for (const d of dirs) d.remove();
  });

  it('prints the secret once on first start, with the listening line; later starts only say where it is', async () => {
    const dir = newDir();
    const a = await spawnAgent(dir);
    children.push(a.child);
    const secretLine = a.out.find((l) => l.startsWith('ncs1_'));
    assert.ok(secretLine, a.out.join('\n'));
    assert.deepEqual(parseSecret(secretLine), keyOf(dir));
    assert.equal(statSync(join(dir, 'secret')).mode & 0o777, 0o600);
    assert.ok(a.out.some((l) => /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] listening on 127\.0\.0\.1:\d+$/.test(l)));
    a.child.kill('SIGTERM');
    assert.equal((await a.exited).code, 0);

    const b = await spawnAgent(dir);
    children.push(b.child);
    assert.ok(!b.out.some((l) => l.includes('ncs1_')), 'the secret is never printed again');
    assert.ok(b.out.some((l) => l.includes(`pairing secret: ${join(dir, 'secret')}`)));
    // A second agent on the same data dir is refused while this one runs.
    const clash = runCli(['--listen', '127.0.0.1:0', '--data-dir', dir]);
    assert.equal(clash.status, 1);
    assert.match(clash.stderr, /data dir .* is in use by another netcam-agent \(pid \d+\)/);
    b.child.kill('SIGTERM');
    await b.exited;
  });

  it('answers --help, --version and bad options with the right exit codes', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--listen HOST:PORT/);
    assert.match(help.stdout, /--spool-budget/);
    assert.equal(runCli(['--version']).status, 0);
    const bad = runCli(['--listen', '127.0.0.1:70000']);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim(), 'netcam-agent: --listen: port must be a number 0-65535, got "70000"');
    const noTty = runCli([]);
    assert.equal(noTty.status, 2);
    assert.match(noTty.stderr, /--listen HOST:PORT is required when not run from a terminal/);
    const plain = runCli(['--listen', '0.0.0.0:0', '--insecure-plaintext', '--data-dir', newDir()]);
    assert.equal(plain.status, 1);
    assert.match(plain.stderr, /--insecure-plaintext: only allowed on a loopback address/);
  });

  it('prompts for IP and port like the old tool, re-asking after a bad answer', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const answer = promptListen(input, output);
    for (const line of ['not-an-ip', '127.0.0.1', 'port?', '7070']) {
      await sleep(20);
      input.write(`${line}\n`);
    }
    assert.deepEqual(await answer, { host: '127.0.0.1', port: 7070 });
    assert.match(shown, /Enter IP for monitor: IP: "not-an-ip" is not an IPv4 or IPv6 address\nEnter IP for monitor: /);
    assert.match(shown, /Enter port for monitor: port: "port\?" is not a number 1-65535\nEnter port for monitor: /);
  });

  it('SIGTERM: exits 0 within 2 s with the spool flushed and the task set kept for the next start', async () => {
    const dir = newDir();
    const a = await spawnAgent(dir);
    children.push(a.child);
    const m = await TestManager.connect({ port: a.port, key: keyOf(dir) });
    await m.handshake('web-01', [tcpTask('a', target.port), tcpTask('b', target.port)], 0);
    await m.waitFor('results', () => m.results.length >= 3);
    const t0 = performance.now();
    a.child.kill('SIGTERM');
    const { code, at } = await a.exited;
    assert.equal(code, 0);
    assert.ok(at - t0 < 2000, `exit took ${Math.round(at - t0)} ms`);
    await m.waitFor('the link to close', () => m.closed, 3000);
    const meta = JSON.parse(readFileSync(join(dir, 'spool', 'meta.json'), 'utf8')) as { clean: boolean; lastSeq: number };
    assert.equal(meta.clean, true);
    assert.ok(meta.lastSeq >= m.stored);
    assert.ok(a.out.some((l) => /shutdown: spool flushed \(last seq \d+\), sockets closed/.test(l)), a.out.join('\n'));

    const b = await spawnAgent(dir);
    children.push(b.child);
    assert.ok(b.out.some((l) => l.includes('tasks resumed from the last run: 2 (monitor ID web-01)')), b.out.join('\n'));
    const m2 = await TestManager.connect({ port: b.port, key: keyOf(dir) });
    const { hello, started } = await m2.handshake('web-01', null, m.stored);
    // The resumed tasks run without a manager, so one may already have a result before the
    // hello (first runs land anywhere in the interval): never fewer than were flushed.
    assert.ok(hello.lastSeq >= meta.lastSeq, `hello.lastSeq ${hello.lastSeq} < flushed lastSeq ${meta.lastSeq}`);
    assert.equal(started.restarted, false);
    await m2.waitFor('results after restart', () => m2.results.length >= 2);
    assert.deepEqual(seqCoverage([...m.results, ...m2.results], m2.gaps).missing, []);
    await m2.close();
    b.child.kill('SIGTERM');
    await b.exited;
  });

  it('kill -9 and restart: tasks resume without a manager, every seq is delivered or reported, at most ~1 s of results missing', async () => {
    const dir = newDir();
    const a = await spawnAgent(dir);
    children.push(a.child);
    const m = await TestManager.connect({ port: a.port, key: keyOf(dir) });
    const tasks = Array.from({ length: 10 }, (_, i) => tcpTask(`t${i}`, target.port));
    await m.handshake('web-01', tasks, 0);
    await m.waitFor('results', () => m.results.length >= 25);
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    await m.waitFor('the link to drop', () => m.closed, 5000);

    const restartedAt = Date.now();
    const b = await spawnAgent(dir);
    children.push(b.child);
    assert.ok(b.out.some((l) => l.includes('tasks resumed from the last run: 10')), b.out.join('\n'));
    await sleep(2000); // no manager: the tasks run and spool on their own
    const m2 = await TestManager.connect({ port: b.port, key: keyOf(dir) });
    const { started } = await m2.handshake('web-01', null, m.stored);
    assert.equal(started.restarted, false);
    await m2.waitFor('backlog and live results', () => m2.results.some((r) => Date.parse(r.ts) > restartedAt + 2500), 10_000);

    const all = [...m.results, ...m2.results];
    const cov = seqCoverage(all, m2.gaps);
    assert.deepEqual(cov.missing, [], 'every seq is a result or inside a reported gap');
    assert.deepEqual(cov.duplicates, []);
    // Results ran while no manager was connected after the restart.
    assert.ok(m2.results.some((r) => Date.parse(r.ts) >= restartedAt && Date.parse(r.ts) < restartedAt + 2000));
    // Each task's last result before the kill is at most one interval + ~1 s old at the kill.
    for (let i = 0; i < 10; i++) {
      const before = all.filter((r) => r.taskId === `t${i}` && Date.parse(r.ts) <= killedAt);
      const last = Math.max(...before.map((r) => Date.parse(r.ts)));
      assert.ok(killedAt - last <= 1000 + 1200, `t${i}: last result ${killedAt - last} ms before the kill`);
    }
    await m2.close();
    b.child.kill('SIGTERM');
    await b.exited;
  });
});

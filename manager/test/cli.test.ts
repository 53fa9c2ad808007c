// The netcam CLI as a user runs it: dist/netcam.js against real agents on loopback.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../protocol/src/index.js';
import { CLI_JS, RealAgent, ensureBuilt } from './support/real-agent.js';
import { tempDir, waitFor, writeConfig } from './support/helpers.js';

function netcam(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, [CLI_JS, ...args], { encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: 30000 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('netcam CLI', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;
  before(() => ensureBuilt());
  beforeEach(() => (tmp = tempDir('netcam-cli-')));
  afterEach(() => tmp.cleanup());

  it('collect --json prints one result per line with seq strictly increasing per monitor; Ctrl+C stops the agents and exits 0', async () => {
    const agents = [new RealAgent(tmp.dir, 'a1'), new RealAgent(tmp.dir, 'a2')];
    await Promise.all(agents.map((a) => a.start()));
    try {
      const config = join(tmp.dir, 'netcam.json');
      writeConfig(config, agents.map((a) => ({ id: a.name, host: '127.0.0.1', port: a.port, tasks: [{ id: 't', type: 'tcp', host: '127.0.0.1', port: 9, interval: 1, timeout: 0.5 }] })));
      const secrets = join(tmp.dir, 'secrets');
      writeFileSync(secrets, agents.map((a) => `${a.name} ${a.secret}`).join('\n'));
      const child = spawn(process.execPath, [CLI_JS, 'collect', '--all', '--json', '--config', config, '--history-dir', join(tmp.dir, 'h'), '--secret-file', secrets]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await waitFor(() => ['a1', 'a2'].every((id) => (stdout.match(new RegExp(`"monitorId":"${id}"`, 'g')) ?? []).length >= 3), 20000, 'three results per monitor');
      child.kill('SIGINT');
      assert.equal(await exited, 0, stderr);
      const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as Result);
      for (const id of ['a1', 'a2']) {
        const seqs = results.filter((r) => r.monitorId === id).map((r) => r.seq);
        for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `${id}: seq ${seqs[i]} after ${seqs[i - 1]}`);
      }
      assert.match(stderr, /\[Monitor: a1\] stopped/);
      assert.match(stderr, /\[Monitor: a2\] stopped/);
      assert.ok(!stderr.includes('ncs1_'), 'no secret in the output');
    } finally {
      await Promise.all(agents.map((a) => a.stop()));
    }
  });

  it('prints human lines tagged like the old tool: [YYYY-MM-DD HH:MM:SS][Monitor: id]', async () => {
    const agent = new RealAgent(tmp.dir, 'web');
    await agent.start();
    try {
      const config = join(tmp.dir, 'netcam.json');
      writeConfig(config, [{ id: 'web', host: '127.0.0.1', port: agent.port, tasks: [{ id: 'closed', type: 'tcp', host: '127.0.0.1', port: 9, interval: 1, timeout: 0.5 }] }]);
      const child = spawn(process.execPath, [CLI_JS, 'collect', '-m', 'web', '-c', config, '--history-dir', join(tmp.dir, 'h')], { env: { ...process.env, NETCAM_SECRET_WEB: agent.secret } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await waitFor(() => stdout.includes('\n'), 20000, 'a result line');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(stdout.split('\n')[0], /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\]\[Monitor: web\] closed \(tcp 127\.0\.0\.1:9\) DOWN +[\d.-]+( ms)? +refused/);
      assert.ok(!stdout.includes('\x1b['), 'no colour when not a TTY');
    } finally {
      await agent.stop();
    }
  });

  it('bad arguments: one-line error, exit 2', () => {
    for (const args of [['collect'], ['collect', '--all', '--bogus'], ['frobnicate'], ['collect', '--all', '--monitor', 'x'], ['import-legacy']]) {
      const r = netcam(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^netcam: /);
    }
    const r = netcam(['collect', '--monitor', 'nope', '--config', 'docs/examples/netcam.json']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no monitor "nope" in .*netcam\.json \(known: web-01, 127\.0\.0\.1:7071\)/);
    for (const cmd of ['collect', 'validate', 'import-legacy', 'list', 'echo-server', 'demo']) {
      const help = netcam([cmd, '--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /^usage: netcam /);
    }
  });

  it('validate reports a broken netcam.json with its path and leaves it untouched', () => {
    const path = join(tmp.dir, 'netcam.json');
    const broken = '{"monitors":[{"id":"m","host":"h","port":7070,"tasks":[{"type":"icmp","host":"h","interval":0}]}]}';
    writeFileSync(path, broken);
    const r = netcam(['validate', path]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), `${path}: monitors[0].tasks[0].interval: must be >= 1`);
    assert.equal(readFileSync(path, 'utf8'), broken);
    const ok = netcam(['validate', 'docs/examples/netcam.json']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /OK \(2 monitors, 11 tasks\)/);
  });

  it('import-legacy converts the old sample file and refuses to overwrite without --force', () => {
    const out = join(tmp.dir, 'netcam.json');
    const r = netcam(['import-legacy', 'manager/test/fixtures/legacy-configs.json', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /imported 2 monitor\(s\) and 10 task\(s\)/);
    assert.match(r.stderr, /note: 127\.0\.0\.1:65432 \/ Ping: "sequence_number" dropped/);
    assert.equal(netcam(['validate', out]).status, 0);
    const list = netcam(['list', '--config', out]);
    assert.equal(list.status, 0);
    assert.match(list.stdout, /127\.0\.0\.1:65433 +agent 127\.0\.0\.1:65433 +1 task/);
    const again = netcam(['import-legacy', 'manager/test/fixtures/legacy-configs.json', '--out', out]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists; use --force/);
  });

  it('demo: live results from every demo task, then nothing left running', async function () {
    const r = spawnSync(process.execPath, [CLI_JS, 'demo', '--json', '--duration', '9'], { encoding: 'utf8', timeout: 40000 });
    assert.equal(r.status, 0, r.stderr);
    const results = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Result);
    const ids = new Set(results.map((x) => x.taskId));
    const expected = ['tcp-echo-port', 'udp-echo-port', 'echo-tcp', 'echo-udp', 'web'];
    if (/ping-loopback/.test(r.stderr) || ids.has('ping-loopback')) expected.push('ping-loopback');
    for (const id of expected) assert.ok(ids.has(id), `a result from ${id}: ${[...ids]}`);
    for (const x of results) assert.equal(x.status, 'up', `${x.taskId}: ${x.error}`);
    const pids = [...r.stderr.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    assert.equal(pids.length, 2, r.stderr);
    await waitFor(() => pids.every((p) => !alive(p)), 5000, 'the demo children to be gone');
    const tmpDir = /config (\S+)\/netcam\.json/.exec(r.stderr)?.[1];
    assert.ok(tmpDir && !existsSync(tmpDir), 'temp dir removed');
  });
});

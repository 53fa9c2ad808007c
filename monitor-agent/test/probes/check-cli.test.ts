// `netcam-agent check` and `netcam-agent echo-server` as a user runs them (the agent's
// entry point in a child process): exit codes, stdout/stderr, Ctrl+C.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { checkTask } from '../../../protocol/src/index.js';
import { freePort, waitFor } from './support.js';

const MAIN = 'monitor-agent/src/main.ts';

function agent(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('netcam-agent check', function () {
  this.timeout(30_000);

  it('prints one full result for an up target and exits 0', async () => {
    const server = await new Promise<Server>((resolve) => {
      const s = createServer((c) => c.end());
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (server.address() as { port: number }).port;
      const r = agent(['check', '--json', JSON.stringify({ type: 'tcp', host: '127.0.0.1', port, name: 'local tcp' })]);
      assert.equal(r.status, 0, r.stderr);
      const result = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(result), ['monitorId', 'taskId', 'type', 'target', 'seq', 'ts', 'status', 'latencyMs', 'error', 'details']);
      assert.equal(result.monitorId, 'local');
      assert.equal(result.taskId, 'tcp-1');
      assert.equal(result.seq, 1);
      assert.equal(result.target, `127.0.0.1:${port}`);
      assert.match(result.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(result.status, 'up');
      assert.equal(result.details.state, 'open');
    } finally {
      server.close();
    }
  });

  it('exits 0 with a down result for a closed port', async () => {
    const port = await freePort();
    const r = agent(['check', '--json', JSON.stringify({ type: 'tcp', host: '127.0.0.1', port })]);
    assert.equal(r.status, 0);
    const result = JSON.parse(r.stdout);
    assert.equal(result.status, 'down');
    assert.match(result.error, /^refused: /);
  });

  it('applies degradedAboveMs', async () => {
    const r = agent(['check', '--json', JSON.stringify({ type: 'icmp', host: '127.0.0.1', count: 1, degradedAboveMs: 0 })]);
    assert.equal(r.status, 0);
    assert.equal(JSON.parse(r.stdout).status, 'degraded');
  });

  it('bad JSON: exit 2, one line on stderr, nothing on stdout', () => {
    const r = agent(['check', '--json', '{"type": "tcp",']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /not valid JSON/);
  });

  it('an invalid field: exit 2 with a one-line error naming the field', () => {
    const r = agent(['check', '--json', JSON.stringify({ type: 'tcp', host: '127.0.0.1', port: 70000 })]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /task\.port/);
    const t = agent(['check', '--json', JSON.stringify({ type: 'dns', server: '127.0.0.1', query: 'x', recordTypes: ['BOGUS'] })]);
    assert.equal(t.status, 2);
    assert.match(t.stderr, /recordTypes/);
    assert.equal(checkTask({ type: 'dns', server: '127.0.0.1', query: 'x', recordTypes: ['BOGUS'] }).ok, false);
  });

  it('missing --json and unknown arguments: exit 2; --help: usage, exit 0', () => {
    assert.equal(agent(['check']).status, 2);
    assert.equal(agent(['check', '--bogus']).status, 2);
    const h = agent(['check', '--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /usage: netcam-agent check --json/);
  });
});

describe('netcam-agent echo-server', function () {
  this.timeout(30_000);

  it('listens where asked, echoes TCP, and stops on Ctrl+C with exit 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'echo-server', '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor('the echo server to listen', () => out.includes('listening'), 15_000);
      assert.match(out, new RegExp(`127\\.0\\.0\\.1:${port} \\(TCP\\) and 127\\.0\\.0\\.1:${port} \\(UDP\\)`));
      const reply = await new Promise<string>((resolve, reject) => {
        const c = connect({ host: '127.0.0.1', port }, () => c.write('hello echo'));
        c.once('data', (d) => {
          resolve(String(d));
          c.end('Goodbye');
        });
        c.once('error', reject);
      });
      assert.equal(reply, 'hello echo');
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a bad port is exit 2 with a one-line error', () => {
    const r = agent(['echo-server', '--port', 'abc']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--port/);
  });
});

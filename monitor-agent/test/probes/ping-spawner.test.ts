// The ping helper process: pings are children of the helper, not of the agent (so their
// fork never runs on the agent's event loop), and they die with the agent.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { requireTool } from '../../../test/support/tools.js';
import { runPing } from '../../src/probes/ping-run.js';
import { waitFor } from './support.js';

/** pids of running pings whose command line holds `marker` (a packet size no one else uses). */
function pingsWith(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv[0].endsWith('ping') && argv.includes(marker)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function parentOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^PPid:\s+(\d+)/m.exec(status)![1]);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('probes: ping helper process', function () {
  this.timeout(30_000);
  before(function () {
    requireTool(this, 'ping', 'iputils-ping');
  });

  it('runs ping from a helper process, not as a child of the agent, with the same report', async () => {
    const controller = new AbortController();
    const report = runPing({ target: '127.0.0.1', family: 4, count: 50, ttl: 64, waitS: 1, packetSize: 1111, intervalS: 0.2, signal: controller.signal });
    await waitFor('the ping to start', () => pingsWith('1111').length === 1, 10_000);
    const [pid] = pingsWith('1111');
    const helper = parentOf(pid);
    assert.notEqual(helper, process.pid, 'ping must not be forked by the agent process itself');
    assert.equal(parentOf(helper), process.pid, 'the helper is the agent’s child');
    await new Promise((r) => setTimeout(r, 400)); // a reply or two
    controller.abort();
    const r = await report;
    assert.ok(r.transmitted !== null && r.transmitted >= 1, `ping still printed its summary after SIGINT: ${JSON.stringify(r)}`);
    assert.ok(r.replies.length >= 1 && r.replies[0].timeMs !== null);
    await waitFor('the ping to exit', () => pingsWith('1111').length === 0, 5000);
  });

  it('when the agent is killed (-9), the helper kills its pings and exits', async () => {
    const script = `import('./monitor-agent/src/probes/ping-run.ts').then((m) => (m.runPing ?? m.default.runPing)({ target: '127.0.0.1', family: 4, count: 500, ttl: 64, waitS: 1, packetSize: 1112, intervalS: 0.2, signal: new AbortController().signal })); setInterval(() => {}, 1000)`;
    const agent = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: 'ignore' });
    try {
      await waitFor('the ping to start', () => pingsWith('1112').length === 1, 15_000);
      const [pid] = pingsWith('1112');
      const helper = parentOf(pid);
      assert.equal(parentOf(helper), agent.pid);
      agent.kill('SIGKILL');
      await waitFor('the ping to be killed', () => !alive(pid) || pingsWith('1112').length === 0, 10_000);
      await waitFor('the helper to exit', () => !alive(helper), 10_000);
    } finally {
      agent.kill('SIGKILL');
    }
  });
});

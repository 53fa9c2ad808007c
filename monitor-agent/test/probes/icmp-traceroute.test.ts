// icmp and traceroute through the system ping, compared with ping and traceroute
// themselves: on loopback, and across a router in network namespaces this suite creates.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { requireTool } from '../../../test/support/tools.js';
import { overridePingPath } from '../../src/probes/ping-run.js';
import { canUseNetns, createTopology, dropPingsAtTarget, type Topology } from './netns.js';
import { runTask } from './support.js';

type Rtt = { min: number; avg: number; median: number; max: number; stddev: number };

/** What the system ping reports for the same target: min/avg/max in ms. */
function systemPing(args: string[]): { min: number; avg: number; max: number } {
  const out = spawnSync('ping', ['-n', '-c', '5', '-i', '0.2', ...args], { encoding: 'utf8' }).stdout;
  const m = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\//.exec(out);
  if (!m) throw new Error(`no rtt line from ping: ${out}`);
  return { min: Number(m[1]), avg: Number(m[2]), max: Number(m[3]) };
}

/** Runs `netcam-agent check` (from source) inside a namespace. */
function checkIn(ns: string, task: object): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', 'monitor-agent/src/main.ts', 'check', '--json', JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`check exited ${code}: ${err}`))));
  });
}

describe('probes: icmp (system ping on loopback)', function () {
  before(function () {
    requireTool(this, 'ping', 'iputils-ping');
  });
  afterEach(() => overridePingPath(undefined));

  it('127.0.0.1: up, loss 0, RTT statistics as ping reports them, in the same range as ping', async () => {
    const r = await runTask({ type: 'icmp', host: '127.0.0.1', count: 5 });
    const reference = systemPing(['127.0.0.1']);
    assert.equal(r.status, 'up', String(r.error));
    assert.equal(r.details.sent, 5);
    assert.equal(r.details.received, 5);
    assert.equal(r.details.lossPct, 0);
    assert.equal(r.details.ttl, 64);
    const rtt = r.details.rtt as Rtt;
    const samples = r.details.samples as number[];
    assert.equal(samples.length, 5);
    // ping prints 3 decimals; min/max are its own numbers, the median is one of its samples.
    assert.equal(rtt.min, Math.min(...samples));
    assert.equal(rtt.max, Math.max(...samples));
    assert.ok(samples.includes(r.latencyMs as number) || samples.length % 2 === 0);
    // Loopback: kernel echo in microseconds, never process wall time (which is milliseconds).
    assert.ok(rtt.median > 0.001 && rtt.median < 2, `median ${rtt.median} ms`);
    assert.ok(rtt.median < reference.max * 20 + 1, `agent ${rtt.median} ms vs ping avg ${reference.avg} ms`);
    console.log(`      agent median ${rtt.median} ms (min ${rtt.min}, max ${rtt.max}) vs system ping avg ${reference.avg} ms (min ${reference.min}, max ${reference.max})`);
  });

  it('::1 over IPv6, and ipVersion 4 on an IPv6 address is a dns_error', async function () {
    if (spawnSync('ping', ['-6', '-n', '-c', '1', '-W', '1', '::1']).status !== 0) this.skip();
    const r = await runTask({ type: 'icmp', host: '::1', count: 2, ipVersion: '6' });
    assert.equal(r.status, 'up', String(r.error));
    assert.equal(r.details.resolvedIp, '::1');
    const bad = await runTask({ type: 'icmp', host: '::1', ipVersion: '4' });
    assert.equal(bad.status, 'down');
    assert.match(String(bad.error), /^dns_error: /);
  });

  it('passes ttl and packet size to ping; under 16 bytes ping cannot time, so RTT is null, not invented', async () => {
    const r = await runTask({ type: 'icmp', host: '127.0.0.1', count: 2, ttl: 3, packetSize: 8 });
    assert.equal(r.status, 'up');
    assert.equal(r.latencyMs, null);
    assert.deepEqual(r.details.samples, []);
    const big = await runTask({ type: 'icmp', host: '127.0.0.1', count: 1, packetSize: 1400 });
    assert.equal(big.status, 'up');
    assert.ok(typeof big.latencyMs === 'number');
  });

  it('an unresolvable name is a dns_error, never a throw', async () => {
    const r = await runTask({ type: 'icmp', host: 'no-such-host.invalid' });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^dns_error: /);
  });

  it('without a ping binary every result is down and names the package to install', async () => {
    overridePingPath(null);
    const r = await runTask({ type: 'icmp', host: '127.0.0.1' });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /apt-get install iputils-ping/);
    const t = await runTask({ type: 'traceroute', host: '127.0.0.1' });
    assert.match(String(t.error), /iputils-ping/);
  });

  it('abort interrupts ping at once and still reports what it sent', async () => {
    const ac = new AbortController();
    const started = performance.now();
    const p = runTask({ type: 'icmp', host: '127.0.0.1', count: 10, timeout: 5, interval: 60 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const r = await p;
    assert.ok(performance.now() - started < 1500, 'returned promptly');
    assert.ok(Number(r.details.sent) < 10);
  });
});

describe('probes: traceroute (system ping on loopback)', function () {
  before(function () {
    requireTool(this, 'ping', 'iputils-ping');
  });

  it('127.0.0.1 is one hop, reached, with the RTT ping reports', async () => {
    const state: Record<string, unknown> = {};
    const r = await runTask({ type: 'traceroute', host: '127.0.0.1' }, { state });
    assert.equal(r.status, 'up', String(r.error));
    assert.equal(r.details.reached, true);
    assert.equal(r.details.hopCount, 1);
    const hops = r.details.hops as { address: string; rtt: { avg: number } }[];
    assert.equal(hops[0].address, '127.0.0.1');
    assert.equal(r.latencyMs, hops[0].rtt.avg);
    assert.equal(r.details.pathChanged, false);
    // The same path again: unchanged; a different remembered path: changed.
    const again = await runTask({ type: 'traceroute', host: '127.0.0.1' }, { state });
    assert.equal(again.details.pathChanged, false);
    state.path = ['10.9.9.9', '127.0.0.1'];
    const changed = await runTask({ type: 'traceroute', host: '127.0.0.1' }, { state });
    assert.equal(changed.details.pathChanged, true);
  });

  it('an unresolvable name is a dns_error', async () => {
    const r = await runTask({ type: 'traceroute', host: 'route.invalid' });
    assert.match(String(r.error), /^dns_error: /);
  });
});

describe('probes: icmp and traceroute across a router (network namespaces)', function () {
  this.timeout(60_000);
  let topo: Topology | undefined;
  before(function () {
    requireTool(this, 'ip', 'iproute2');
    requireTool(this, 'ping', 'iputils-ping');
    requireTool(this, 'traceroute', 'traceroute');
    requireTool(this, 'nft', 'nftables');
    if (!canUseNetns()) {
      if (process.env.CI === 'true') throw new Error('network namespaces need root in CI');
      console.warn('\n  !!! SKIPPING: network namespaces need root\n');
      this.skip();
    }
    topo = createTopology();
  });
  after(() => topo?.remove());

  it('discovers the router hop and the target, like traceroute does', async () => {
    const t = topo!;
    const r = await checkIn(t.client, { type: 'traceroute', host: t.targetAddr, maxHops: 10 });
    assert.equal(r.status, 'up', r.error);
    assert.equal(r.details.reached, true);
    assert.deepEqual(r.details.hops.map((h: { address: string }) => h.address), [t.routerAddr, t.targetAddr]);
    assert.ok(r.details.hops.every((h: { rtt: { avg: number } | null }) => h.rtt && h.rtt.avg > 0 && h.rtt.avg < 50));
    const system = t.exec(t.client, ['traceroute', '-n', '-q', '1', '-w', '1', '-m', '10', t.targetAddr]);
    const systemHops = system.split('\n').slice(1).filter(Boolean).map((l) => l.trim().split(/\s+/)[1]);
    assert.deepEqual(systemHops, [t.routerAddr, t.targetAddr]);
    console.log(`      agent hops ${JSON.stringify(r.details.hops.map((h: { address: string; rtt: { avg: number } }) => [h.address, h.rtt.avg]))}; traceroute: ${system.split('\n').slice(1).join(' | ').replace(/\s+/g, ' ')}`);
  });

  it('pings the target across the router in the same range as ping', async () => {
    const t = topo!;
    const r = await checkIn(t.client, { type: 'icmp', host: t.targetAddr, count: 5 });
    const out = t.exec(t.client, ['ping', '-n', '-c', '5', '-i', '0.2', t.targetAddr]);
    const ref = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\//.exec(out)!;
    assert.equal(r.status, 'up');
    assert.equal(r.details.ttl, 63, 'one router decremented the TTL');
    assert.ok(r.latencyMs > 0 && r.latencyMs < Number(ref[3]) * 20 + 1);
    console.log(`      across the router: agent median ${r.latencyMs} ms vs ping avg ${ref[2]} ms`);
  });

  it('a target that drops pings: icmp times out; traceroute finds the router, not the target, in about one timeout', async () => {
    const t = topo!;
    dropPingsAtTarget(t);
    const ping = await checkIn(t.client, { type: 'icmp', host: t.targetAddr, count: 2, timeout: 1 });
    assert.equal(ping.status, 'down');
    assert.equal(ping.details.lossPct, 100);
    assert.match(ping.error, /^timeout: /);
    const started = performance.now();
    const trace = await checkIn(t.client, { type: 'traceroute', host: t.targetAddr, maxHops: 12, timeout: 1 });
    const tookMs = performance.now() - started;
    assert.equal(trace.status, 'down');
    assert.equal(trace.details.reached, false);
    assert.match(trace.error, /^unreachable: /);
    assert.equal(trace.details.hops[0].address, t.routerAddr);
    // 12 silent-or-not hops probed at once: one timeout (plus process start-up), not twelve.
    assert.ok(tookMs < 8000, `took ${tookMs} ms`);
  });
});

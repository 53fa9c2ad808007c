// Measurement fidelity: what the agent's probes report for a loopback target next to what
// the usual tools report for the same target, samples interleaved one by one so both see
// the same machine state. References:
//   ICMP  `ping -n -c N -i 0.01` (its own per-reply time=)
//   HTTP  `curl -w '%{time_total}'` on the same nginx, and a bare Node socket (connect, GET, full reply)
//   DNS   `dig +stats` (Query time, whole ms only) and a bare Node UDP socket (send -> reply)
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as dnsPacket from 'dns-packet';
import { probes } from '../../monitor-agent/src/probes/index.js';
import type { ProbeOutcome } from '../../monitor-agent/src/probes/types.js';
import { parseTask, type Task } from '../../protocol/src/index.js';
import type { Servers } from './servers.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface FidelityRow {
  what: string;
  agentP50: number;
  reference: string;
  referenceP50: number;
  /** agent p50 - reference p50, ms. */
  diffP50: number;
  n: number;
}

async function agentLatency(input: Record<string, unknown>): Promise<number> {
  const task = parseTask(input) as Task;
  const probe = probes[task.type] as (t: Task, c: { signal: AbortSignal; timeoutMs: number; state: Record<string, unknown> }) => Promise<ProbeOutcome>;
  const out = await probe(task, { signal: AbortSignal.timeout(task.timeout * 1000), timeoutMs: task.timeout * 1000, state: {} });
  if (out.status !== 'up' || out.latencyMs === null) throw new Error(`${task.type} check failed: ${out.error}`);
  return out.latencyMs;
}

async function curlTotal(url: string): Promise<number> {
  const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', url]);
  return Number(stdout) * 1000;
}

/** A bare HTTP/1.1 GET on a new connection: connect -> last byte of the reply. */
function nodeHttp(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(2000, () => s.destroy(new Error('timeout')));
    s.once('connect', () => s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    s.on('data', () => undefined);
    s.once('end', () => {
      const t = performance.now() - t0;
      s.destroy();
      resolve(t);
    });
    s.once('error', reject);
  });
}

async function digQueryMs(port: number, name: string): Promise<number> {
  const { stdout } = await run('dig', ['+stats', '+tries=1', '+time=2', '-p', String(port), '@127.0.0.1', name, 'A']);
  const m = /Query time: (\d+) msec/.exec(stdout);
  if (!m) throw new Error('dig printed no query time');
  return Number(m[1]);
}

/** A bare UDP DNS query: send -> reply, on a socket opened beforehand. */
function nodeDns(port: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const query = dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
    let t0 = 0;
    const timer = setTimeout(() => finish(new Error('timeout')), 2000);
    const finish = (err: Error | null, ms = 0): void => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(ms);
    };
    sock.once('message', () => finish(null, performance.now() - t0));
    sock.once('error', (e) => finish(e));
    sock.connect(port, '127.0.0.1', () => {
      t0 = performance.now();
      sock.send(query);
    });
  });
}

/** Per-reply RTTs that `ping` itself prints. */
function pingRtts(count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('ping', ['-n', '-c', String(count), '-i', '0.01', '-W', '1', '127.0.0.1'], { env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', () => {
      clearTimeout(timer);
      resolve([...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1])));
    });
  });
}

export async function measureFidelity(s: Servers, n: number): Promise<FidelityRow[]> {
  const rows: FidelityRow[] = [];
  const row = (what: string, agent: number[], reference: string, ref: number[]): void => {
    const a = median(agent);
    const r = median(ref);
    rows.push({ what, agentP50: a, reference, referenceP50: r, diffP50: a - r, n: Math.min(agent.length, ref.length) });
  };

  // ICMP: the agent's probe runs ping once per check; ping's own numbers from one long run.
  const icmp: number[] = [];
  for (let i = 0; i < n; i++) icmp.push(await agentLatency({ type: 'icmp', host: '127.0.0.1', count: 1, interval: 10 }));
  row('ICMP RTT', icmp, 'ping -i 0.01 (per-reply time=)', await pingRtts(n));

  const url = `http://127.0.0.1:${s.httpPort}/`;
  const http: number[] = [];
  const curl: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < n; i++) {
    http.push(await agentLatency({ type: 'http', url, interval: 10 }));
    curl.push(await curlTotal(url));
    bare.push(await nodeHttp(s.httpPort));
  }
  row('HTTP total', http, "curl -w '%{time_total}'", curl);
  row('HTTP total', http, 'bare Node socket (connect..last byte)', bare);

  const dns: number[] = [];
  const dig: number[] = [];
  const bareDns: number[] = [];
  for (let i = 0; i < n; i++) {
    dns.push(await agentLatency({ type: 'dns', server: '127.0.0.1', port: s.dnsPort, query: s.dnsName, interval: 10 }));
    dig.push(await digQueryMs(s.dnsPort, s.dnsName));
    bareDns.push(await nodeDns(s.dnsPort, s.dnsName));
  }
  row('DNS query time', dns, 'dig +stats (whole ms)', dig);
  row('DNS query time', dns, 'bare Node UDP socket (send..reply)', bareDns);
  return rows;
}

// The tools users would pick instead, on the same loopback targets at the same rate:
// blackbox_exporter driven by a small scraper (what Prometheus does, one GET /probe per
// target per interval) and fping in loop mode. Their CPU comes from /proc like the agent's.
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuTimes, sleep, spawnOwned, stopChild } from './procs.js';
import { startBlackbox, type Servers } from './servers.js';
import { icmpTarget } from './tasks.js';

export interface ToolRun {
  tool: string;
  probes: number;
  probesPerS: number;
  okPct: number;
  cpuPctOfCore: number;
  cpuMsPerProbe: number;
}

export interface BlackboxSlot {
  module: 'http_2xx' | 'tcp_connect' | 'dns_a' | 'icmp';
  target: string;
}

export function blackboxSlots(s: Servers, counts: Partial<Record<BlackboxSlot['module'], number>>): BlackboxSlot[] {
  const slots: BlackboxSlot[] = [];
  for (let i = 0; i < (counts.http_2xx ?? 0); i++) slots.push({ module: 'http_2xx', target: `http://127.0.0.1:${s.httpPort}/` });
  for (let i = 0; i < (counts.tcp_connect ?? 0); i++) slots.push({ module: 'tcp_connect', target: `127.0.0.1:${s.httpPort}` });
  for (let i = 0; i < (counts.dns_a ?? 0); i++) slots.push({ module: 'dns_a', target: `127.0.0.1:${s.dnsPort}` });
  for (let i = 0; i < (counts.icmp ?? 0); i++) slots.push({ module: 'icmp', target: icmpTarget(i) });
  return slots;
}

/** Every slot probed once per second, phases spread over the second, for warmup + window. */
export async function runBlackbox(dir: string, s: Servers, slots: BlackboxSlot[], warmupS: number, windowS: number): Promise<ToolRun> {
  const bb = await startBlackbox(dir, s);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  let counting = false;
  let probes = 0;
  let ok = 0;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const scrape = (slot: BlackboxSlot): void => {
    const path = `/probe?module=${slot.module}&target=${encodeURIComponent(slot.target)}`;
    const counted = counting;
    const req = request({ host: '127.0.0.1', port: bb.port, path, agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        if (!counted || !counting) return;
        probes++;
        if (/^probe_success 1$/m.test(body)) ok++;
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => undefined);
    req.end();
  };
  const start = performance.now();
  slots.forEach((slot, i) => {
    let due = start + (i / slots.length) * 1000;
    const tick = (): void => {
      if (stopped) return;
      scrape(slot);
      due += 1000;
      const t = setTimeout(tick, Math.max(0, due - performance.now()));
      timers.add(t);
    };
    timers.add(setTimeout(tick, Math.max(0, due - performance.now())));
  });
  try {
    await sleep(warmupS * 1000);
    const c0 = cpuTimes(bb.pid);
    counting = true;
    const t0 = performance.now();
    await sleep(windowS * 1000);
    const c1 = cpuTimes(bb.pid);
    const seconds = (performance.now() - t0) / 1000;
    counting = false;
    const cpu = c1.withChildren - c0.withChildren;
    return { tool: 'blackbox_exporter', probes, probesPerS: probes / seconds, okPct: probes ? (100 * ok) / probes : 0, cpuPctOfCore: (100 * cpu) / seconds, cpuMsPerProbe: probes ? (1000 * cpu) / probes : NaN };
  } finally {
    stopped = true;
    for (const t of timers) clearTimeout(t);
    agent.destroy();
    await bb.stop();
  }
}

/** fping looping over `targets` loopback addresses, one echo request each per second. */
export async function runFping(dir: string, targets: number, warmupS: number, windowS: number): Promise<ToolRun> {
  const log = join(dir, `fping-${Date.now()}.out`);
  const addrs = Array.from({ length: targets }, (_, i) => icmpTarget(i));
  const child = spawnOwned('fping', ['-l', '-q', '-p', '1000', '-i', '1', '-t', '900', ...addrs], log);
  try {
    await sleep(warmupS * 1000);
    const c0 = cpuTimes(child.pid!);
    const t0 = performance.now();
    await sleep(windowS * 1000);
    const c1 = cpuTimes(child.pid!);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = c1.withChildren - c0.withChildren;
    const probes = targets * seconds;
    // SIGINT makes fping print xmt/rcv per target: the replies it got over its whole run.
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    let xmt = 0;
    let rcv = 0;
    for (const m of readFileSync(log, 'utf8').matchAll(/xmt\/rcv\/%loss = (\d+)\/(\d+)\//g)) {
      xmt += Number(m[1]);
      rcv += Number(m[2]);
    }
    return { tool: 'fping', probes: Math.round(probes), probesPerS: probes / seconds, okPct: xmt ? (100 * rcv) / xmt : 0, cpuPctOfCore: (100 * cpu) / seconds, cpuMsPerProbe: (1000 * cpu) / probes };
  } finally {
    await stopChild(child);
  }
}

// The task sets the bench hands the agent (as netcam.json tasks, through the manager), all
// against the loopback servers of servers.ts. Timeouts stay under the 1 s interval.
import type { Servers } from './servers.js';

export type TaskInput = Record<string, unknown> & { id: string; type: string };

/** Shares of the in-process mix (TCP connect, HTTP, DNS, NTP, UDP, echo). */
const MIX: Array<[string, number]> = [
  ['tcp', 0.25],
  ['http', 0.25],
  ['dns', 0.15],
  ['ntp', 0.1],
  ['udp', 0.125],
  ['echo', 0.125],
];

export function taskOf(type: string, i: number, s: Servers, interval: number): TaskInput {
  const timeout = Math.min(0.9 * interval, 3);
  const base = { id: `${type}-${i}`, type, interval, timeout };
  switch (type) {
    case 'tcp':
      return { ...base, host: '127.0.0.1', port: s.httpPort };
    case 'http':
      return { ...base, url: `http://127.0.0.1:${s.httpPort}/` };
    case 'https':
      return { ...base, url: `https://127.0.0.1:${s.httpsPort}/` };
    case 'dns':
      return { ...base, server: '127.0.0.1', port: s.dnsPort, query: s.dnsName, expect: s.dnsAnswer };
    case 'ntp':
      return { ...base, server: '127.0.0.1', port: s.ntpPort };
    case 'udp':
      return { ...base, host: '127.0.0.1', port: s.echoPort, payload: 'netcam-bench', expect: 'netcam-bench' };
    case 'echo':
      return { ...base, host: '127.0.0.1', port: s.echoPort };
    case 'icmp':
      // Distinct loopback addresses (all answered by the kernel), one echo request per run.
      return { ...base, host: icmpTarget(i), count: 1 };
    default:
      throw new Error(`no bench task for ${type}`);
  }
}

export function icmpTarget(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

/** `n` in-process tasks in the fixed mix. */
export function inProcessMix(n: number, s: Servers, interval = 1): TaskInput[] {
  const out: TaskInput[] = [];
  let made = 0;
  MIX.forEach(([type, share], k) => {
    const count = k === MIX.length - 1 ? n - made : Math.round(n * share);
    for (let i = 0; i < count; i++) out.push(taskOf(type, i, s, interval));
    made += count;
  });
  return out;
}

export function many(type: string, n: number, s: Servers, interval = 1, offset = 0): TaskInput[] {
  return Array.from({ length: n }, (_, i) => taskOf(type, offset + i, s, interval));
}

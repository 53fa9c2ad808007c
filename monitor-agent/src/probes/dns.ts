// DNS: ask one server for each record type (UDP, retried over TCP when the answer is
// truncated), and report rcode, answers with TTL, header flags and query time per type.
// Types are queried one after another so each query time is its own.
import { isIP } from 'node:net';
import type * as dnsPacket from 'dns-packet';
import type { DnsRecordType, DnsTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { queryTcp, queryUdp, type Wire } from './dns-wire.js';
import { Budget, down, neverThrows, isOutcome, resolveOrDown } from './util.js';

export interface DnsAnswer {
  name: string;
  type: string;
  ttl: number | null;
  data: string;
}

export interface DnsTypeResult {
  type: DnsRecordType;
  rcode: string | null;
  answers: DnsAnswer[];
  flags: { aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean } | null;
  queryMs: number | null;
  transport: 'udp' | 'tcp';
  /** The UDP answer was truncated and this one came over TCP. */
  retriedOverTcp: boolean;
  error: string | null;
}

/** An address queried for PTR becomes its reverse name. */
export function reverseName(query: string): string {
  const v = isIP(query);
  if (v === 4) return `${query.split('.').reverse().join('.')}.in-addr.arpa`;
  if (v === 6) {
    const groups = expandIpv6(query);
    return `${groups.join('').split('').reverse().join('.')}.ip6.arpa`;
  }
  return query;
}

function expandIpv6(addr: string): string[] {
  const [head, tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const fill = tail !== undefined ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0'));
}

/** Answer data as text, in dig's order of fields. */
export function answerData(a: dnsPacket.Answer): string {
  const d = (a as { data?: unknown }).data;
  switch (a.type) {
    case 'MX': {
      const mx = d as { preference: number; exchange: string };
      return `${mx.preference} ${mx.exchange}`;
    }
    case 'SOA': {
      const s = d as { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };
      return `${s.mname} ${s.rname} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'SRV': {
      const s = d as { priority?: number; weight?: number; port: number; target: string };
      return `${s.priority ?? 0} ${s.weight ?? 0} ${s.port} ${s.target}`;
    }
    case 'TXT': {
      const parts = Array.isArray(d) ? d : [d];
      return parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
    }
    case 'CAA': {
      const c = d as { flags?: number; tag: string; value: string };
      return `${c.flags ?? 0} ${c.tag} "${c.value}"`;
    }
    default:
      if (typeof d === 'string') return d;
      if (Buffer.isBuffer(d)) return d.toString('hex');
      return JSON.stringify(d);
  }
}

export const dnsProbe: Probe<DnsTask> = (task, ctx) =>
  neverThrows(async () => {
    const budget = new Budget(ctx);
    try {
      const server = await resolveOrDown(task.server, budget, { what: 'no address for the server' });
      if (isOutcome(server)) return server;
      const results: DnsTypeResult[] = [];
      for (const type of task.recordTypes) {
        const name = type === 'PTR' ? reverseName(task.query) : task.query;
        results.push(await queryType(task, server.address, server.family, name, type, budget));
      }
      const details = { server: server.address, port: task.port, query: task.query, results };
      const latency = results[0]?.queryMs ?? null;
      const failed = results.find((r) => r.error);
      if (failed) return down(failed.error as string, details, latency);
      const bad = results.find((r) => r.rcode !== 'NOERROR' && !(r.rcode === 'NXDOMAIN' && task.expect === 'NXDOMAIN'));
      if (bad) {
        return down(`dns_error: ${bad.type} ${task.query}: ${bad.rcode}`, details, latency);
      }
      if (task.expect !== undefined && task.expect !== 'NXDOMAIN') {
        const want = task.expect.toLowerCase();
        const found = results.some((r) => r.answers.some((a) => a.data.toLowerCase().includes(want)));
        if (!found) return down(`body_mismatch: no answer contains ${JSON.stringify(task.expect)}`, details, latency);
      }
      return { status: 'up', latencyMs: latency, error: null, details };
    } finally {
      budget.dispose();
    }
  });

async function queryType(task: DnsTask, server: string, family: 4 | 6, name: string, type: DnsRecordType, budget: Budget): Promise<DnsTypeResult> {
  const abortText = (): string => budget.abortText(`${type} answer`);
  let wire: Wire;
  let transport: 'udp' | 'tcp' = task.transport;
  let retried = false;
  if (task.transport === 'udp') {
    wire = await queryUdp(server, family, task.port, name, type, budget.signal, abortText);
    if (wire.ok && wire.packet.flag_tc) {
      transport = 'tcp';
      retried = true;
      wire = await queryTcp(server, task.port, name, type, budget.signal, abortText);
    }
  } else {
    wire = await queryTcp(server, task.port, name, type, budget.signal, abortText);
  }
  if (!wire.ok) return { type, rcode: null, answers: [], flags: null, queryMs: null, transport, retriedOverTcp: retried, error: wire.error };
  const p = wire.packet as dnsPacket.DecodedPacket & { rcode?: string };
  return {
    type,
    rcode: p.rcode ?? null,
    answers: (p.answers ?? []).map((a) => ({ name: a.name, type: a.type, ttl: (a as { ttl?: number }).ttl ?? null, data: answerData(a) })),
    flags: { aa: p.flag_aa, tc: p.flag_tc, rd: p.flag_rd, ra: p.flag_ra, ad: p.flag_ad },
    queryMs: wire.ms,
    transport,
    retriedOverTcp: retried,
    error: null,
  };
}

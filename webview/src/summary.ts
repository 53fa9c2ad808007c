// One-line summaries of a result's `details`, per protocol (fields: reference/probes.md).
// Everything in `details` comes from the network: read it defensively, never trust a type.
import type { Result } from '../../protocol/src/result.js';
import type { Gap } from '../../protocol/src/result.js';
import { formatMs, formatCount } from './format.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, max = 60): string | null => {
  if (typeof v !== 'string') return null;
  // Control characters would break the one-line cell; long text is cut.
  const clean = v.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
};
const ms = (v: unknown) => formatMs(num(v));

function icmp(d: Obj): string {
  const rtt = obj(d.rtt);
  const parts = [`${num(d.received) ?? '?'}/${num(d.sent) ?? '?'} replies`, `${num(d.lossPct) ?? '?'}% loss`];
  if (num(rtt.median) !== null) parts.push(`rtt ${ms(rtt.min)} / ${ms(rtt.median)} / ${ms(rtt.max)}`);
  if (num(d.ttl) !== null) parts.push(`ttl ${d.ttl}`);
  if (str(d.resolvedIp)) parts.push(str(d.resolvedIp)!);
  return parts.join(', ');
}

function traceroute(d: Obj): string {
  const hops = num(d.hopCount) ?? (Array.isArray(d.hops) ? d.hops.length : null);
  const parts = [d.reached === true ? `reached in ${hops ?? '?'} hops` : `not reached after ${hops ?? '?'} hops`];
  if (d.pathChanged === true) parts.push('path changed');
  return parts.join(', ');
}

function http(d: Obj): string {
  const parts: string[] = [];
  if (num(d.statusCode) !== null) parts.push(`${d.statusCode}${str(d.httpVersion, 8) ? ` HTTP/${str(d.httpVersion, 8)}` : ''}`);
  if (num(d.bodyBytes) !== null) parts.push(`${formatCount(num(d.bodyBytes)!)} B`);
  const t = obj(d.timings);
  if (num(t.firstByte) !== null) parts.push(`TTFB ${ms(t.firstByte)}`);
  if (num(d.redirects)) parts.push(`${d.redirects} redirect${d.redirects === 1 ? '' : 's'}`);
  if (d.keywordFound === false) parts.push('keyword missing');
  const tls = obj(d.tls);
  if (str(tls.protocol, 12)) parts.push(str(tls.protocol, 12)!);
  if (num(tls.daysToExpiry) !== null) parts.push(`cert ${tls.daysToExpiry} d left`);
  return parts.join(', ');
}

function ntp(d: Obj): string {
  const off = num(d.offsetMs);
  const parts = [`offset ${off === null ? '?' : `${off >= 0 ? '+' : ''}${formatMs(off)}`}`, `delay ${ms(d.delayMs)}`];
  if (num(d.stratum) !== null) parts.push(`stratum ${d.stratum}`);
  if (str(d.referenceId, 16)) parts.push(`ref ${str(d.referenceId, 16)}`);
  return parts.join(', ');
}

function dns(d: Obj): string {
  // Either one record type's fields at the top level or one entry per type.
  const perType: Obj[] = Array.isArray(d.records) ? d.records.map(obj) : Array.isArray(d.results) ? d.results.map(obj) : [d];
  return perType
    .slice(0, 3)
    .map((r) => {
      const answers = Array.isArray(r.answers) ? r.answers.map(obj) : [];
      const shown = answers.slice(0, 2).map((a) => str(a.data, 40) ?? '?');
      const more = answers.length > 2 ? ` +${answers.length - 2}` : '';
      return `${str(r.type, 10) ?? '?'} ${str(r.rcode, 12) ?? '?'}${shown.length ? ` ${shown.join(' ')}${more}` : ', no answers'}`;
    })
    .join('; ');
}

function tcp(d: Obj): string {
  const parts = [str(d.state, 16) ?? '?'];
  if (num(d.connectMs) !== null) parts.push(`connect ${ms(d.connectMs)}`);
  if (str(d.banner)) parts.push(`banner "${str(d.banner, 40)}"`);
  return parts.join(', ');
}

function udp(d: Obj): string {
  const parts = [str(d.state, 16) ?? '?'];
  if (num(d.replyBytes) !== null) parts.push(`${d.replyBytes} B reply`);
  return parts.join(', ');
}

function echo(d: Obj): string {
  const bytes = num(d.bytes);
  if (d.matched === true) return `echo matched${bytes !== null ? `, ${bytes} B` : ''}`;
  return `echo mismatch (sent ${str(d.sent, 20) ?? num(d.sent) ?? '?'}, received ${str(d.received, 20) ?? num(d.received) ?? '?'})`;
}

const byType: Record<string, (d: Obj) => string> = { icmp, traceroute, http, https: http, ntp, dns, tcp, udp, echo };

/** The table's one-line summary: the error first when there is one, then the details. */
export function summarize(r: Result): string {
  let detail = '';
  try {
    detail = byType[r.type]?.(obj(r.details)) ?? '';
  } catch {
    detail = '';
  }
  const err = str(r.error, 120);
  return err ? (detail ? `${err} · ${detail}` : err) : detail;
}

export function gapSummary(g: Gap): string {
  return `${formatCount(g.count)} result${g.count === 1 ? '' : 's'} lost between ${g.fromTs} and ${g.toTs} (seq ${g.fromSeq}–${g.toSeq}${g.reason ? `, ${str(g.reason, 60)}` : ''})`;
}

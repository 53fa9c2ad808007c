// Human output: `[YYYY-MM-DD HH:MM:SS][Monitor: <id>] <task> ...` lines like the old
// tool's, with status, latency and a one-line summary of the details. Colour only when
// the stream is a TTY and NO_COLOR is unset.
import type { Gap, Result } from '../../../protocol/src/index.js';
import { describeGap } from '../types.js';

export interface Style {
  color: boolean;
}

export function styleFor(stream: NodeJS.WriteStream): Style {
  return { color: !!stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb' };
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export function paint(style: Style, colour: keyof typeof CODES, text: string): string {
  return style.color ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time, `YYYY-MM-DD HH:MM:SS` (the old tool's stamp). */
export function stamp(at: Date | string | number = new Date()): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function tag(monitorId: string, at?: Date | string | number): string {
  return `[${stamp(at)}][Monitor: ${monitorId}]`;
}

function ms(v: unknown): string | undefined {
  return typeof v === 'number' ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : undefined;
}

function str(v: unknown, max = 60): string | undefined {
  if (typeof v !== 'string') return undefined;
  const one = v.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A few words about what the check saw (fields from reference/probes.md). */
export function summarize(r: Result): string {
  const d = r.details ?? {};
  const parts: (string | undefined)[] = [];
  switch (r.type) {
    case 'icmp':
      if (typeof d.sent === 'number') parts.push(`${d.received}/${d.sent} replies`, typeof d.lossPct === 'number' ? `loss ${d.lossPct}%` : undefined);
      break;
    case 'traceroute':
      if (typeof d.hopCount === 'number') parts.push(`${d.hopCount} hop${d.hopCount === 1 ? '' : 's'}`, d.reached ? 'reached' : 'not reached', d.pathChanged ? 'path changed' : undefined);
      break;
    case 'http':
    case 'https': {
      if (typeof d.statusCode === 'number') parts.push(`HTTP ${d.statusCode}`);
      if (typeof d.bodyBytes === 'number') parts.push(`${d.bodyBytes} B`);
      const tls = d.tls as Record<string, unknown> | undefined;
      if (tls && typeof tls.daysToExpiry === 'number') parts.push(`cert expires in ${Math.floor(tls.daysToExpiry)} d`);
      break;
    }
    case 'ntp':
      if (typeof d.offsetMs === 'number') parts.push(`offset ${ms(d.offsetMs)}`);
      if (typeof d.stratum === 'number') parts.push(`stratum ${d.stratum}`);
      break;
    case 'dns': {
      const answers = Array.isArray(d.answers) ? d.answers : Array.isArray(d.results) ? d.results : [];
      for (const a of answers.slice(0, 3) as Record<string, unknown>[]) {
        const list = Array.isArray(a.answers) ? (a.answers as Record<string, unknown>[]) : [];
        parts.push(`${a.type}: ${list.length ? list.slice(0, 2).map((x) => str(String(x.data), 40)).join(', ') : a.rcode ?? 'no answer'}`);
      }
      break;
    }
    case 'tcp':
    case 'udp':
      parts.push(str(d.state), d.banner ? `banner ${JSON.stringify(str(d.banner, 40))}` : undefined);
      break;
    case 'echo':
      if (typeof d.matched === 'boolean') parts.push(d.matched ? `echo matched${typeof d.bytes === 'number' ? ` (${d.bytes} B)` : ''}` : 'echo did not match');
      break;
  }
  if (r.error) parts.push(r.error);
  return parts.filter(Boolean).join(', ');
}

const STATUS_COLOUR = { up: 'green', degraded: 'yellow', down: 'red' } as const;

export function formatResult(r: Result, style: Style): string {
  const status = paint(style, STATUS_COLOUR[r.status], r.status.toUpperCase().padEnd(8));
  const latency = (ms(r.latencyMs) ?? '-').padStart(9);
  const summary = summarize(r);
  return `${tag(r.monitorId, r.ts)} ${r.taskId} (${r.type} ${r.target}) ${status} ${latency}${summary ? `  ${summary}` : ''}`;
}

export function formatGap(monitorId: string, gap: Gap, style: Style): string {
  return `${tag(monitorId)} ${paint(style, 'yellow', describeGap(gap))}`;
}

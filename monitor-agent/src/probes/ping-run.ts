// Runs the system `ping` (iputils on Debian) and parses what it reports. We run it
// ourselves rather than through the `ping` npm package because that package cannot be
// cancelled (no way to stop the child on abort), drops the per-reply TTL and sequence,
// cannot parse "Time to live exceeded" lines (traceroute needs the router's address),
// turns packetSize 0 into 56, and writes LANG into our own process.env.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { pingSpawner } from './ping-spawner.js';
import { round3 } from './util.js';

export interface PingReply {
  seq: number;
  from: string;
  ttl: number | null;
  /** As printed by ping; null when the payload is too small (<16 bytes) to carry a timestamp. */
  timeMs: number | null;
}

export interface PingReport {
  transmitted: number | null;
  received: number | null;
  /** From ping's own summary (`rtt min/avg/max/mdev`). */
  summary: { min: number; avg: number; max: number; mdev: number } | null;
  replies: PingReply[];
  /** "From <router> icmp_seq=N Time to live exceeded" lines. */
  ttlExceeded: { seq: number; from: string }[];
  /** Other ICMP errors ping printed (unreachable, …), with their sender. */
  icmpErrors: { seq: number; from: string; text: string }[];
  /** ping's stderr (e.g. "Name or service not known"); empty when none. */
  stderr: string;
  exitCode: number | null;
  /** The process could not start (ENOENT: no ping binary). */
  spawnError: NodeJS.ErrnoException | null;
}

export interface PingOptions {
  target: string;
  family: 4 | 6;
  count: number;
  ttl: number;
  /** Seconds to wait for each reply (ping -W, fractional allowed). */
  waitS: number;
  packetSize: number;
  /** Seconds between requests (ping -i). */
  intervalS?: number;
  signal: AbortSignal;
  /** Called for each line as it arrives (traceroute reacts to hops as they are found). */
  onLine?: (line: string) => void;
}

export const PING_PACKAGE = 'iputils-ping';

/** For tests: pretend ping is at `path` (null: not installed); undefined looks it up again. */
export function overridePingPath(path: string | null | undefined): void {
  pingPath = path;
}

let pingPath: string | null | undefined;

/** The ping binary, or null if none is installed. Looked up once (a few stat calls). */
export function findPing(): string | null {
  if (pingPath !== undefined) return pingPath;
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  pingPath = null;
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, 'ping'), constants.X_OK);
      pingPath = join(dir, 'ping');
      break;
    } catch {
      // not here
    }
  }
  return pingPath;
}

/** A task set with ICMP or traceroute tasks is about to run: start the ping helper process now. */
export function preparePing(): void {
  if (findPing()) pingSpawner.warm();
}

export function missingPingText(): string {
  return `permission: no 'ping' program found on this machine (install it: apt-get install ${PING_PACKAGE})`;
}

export function pingArgs(o: PingOptions): string[] {
  return [
    `-${o.family}`,
    '-n',
    '-c', String(o.count),
    '-i', String(o.intervalS ?? 0.2),
    '-W', String(o.waitS),
    '-t', String(o.ttl),
    '-s', String(o.packetSize),
    o.target,
  ];
}

/** Runs ping to completion, or interrupts it (SIGINT, so it still prints its summary) on abort. */
export function runPing(o: PingOptions): Promise<PingReport> {
  return new Promise((resolve) => {
    const report = emptyReport();
    const bin = findPing();
    if (!bin) {
      report.spawnError = Object.assign(new Error('ping not found'), { code: 'ENOENT' });
      resolve(report);
      return;
    }
    let pending = '';
    let killTimer: NodeJS.Timeout | undefined;
    // Spawned by the ping helper process (ping-spawner.ts), not on this event loop.
    const child = pingSpawner.run(bin, pingArgs(o), {
      onStdout: (text) => {
        pending += text;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          parseLine(line, report);
          o.onLine?.(line);
        }
      },
      onStderr: (text) => {
        if (report.stderr.length < 2000) report.stderr += text;
      },
      onError: (err) => {
        report.spawnError = err;
      },
      onClose: (code) => {
        if (pending) parseLine(pending, report);
        clearTimeout(killTimer);
        o.signal.removeEventListener('abort', onAbort);
        report.exitCode = code;
        report.stderr = report.stderr.trim();
        resolve(report);
      },
    });
    const onAbort = (): void => {
      child.kill('SIGINT');
      // If it does not exit promptly, it is not going to: take it down.
      killTimer = setTimeout(() => child.kill('SIGKILL'), 300);
    };
    if (o.signal.aborted) queueMicrotask(onAbort);
    else o.signal.addEventListener('abort', onAbort, { once: true });
  });
}

// The sender is an address (IPv6 has colons too), or "name (address)" without -n.
const REPLY = /^\d+ bytes from (\S+?)(?: \(([^)]+)\))?: icmp_seq=(\d+)(?: ttl=(\d+))?(?: time=([\d.]+) ms)?/;
const FROM = /^From (\S+?)(?: \(([^)]+)\))?:? icmp_seq=(\d+) (.+)$/;
const STATS = /^(\d+) packets transmitted, (\d+) received/;
const RTT = /^(?:rtt|round-trip) min\/avg\/max\/(?:mdev|stddev) = ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/;

export function emptyReport(): PingReport {
  return { transmitted: null, received: null, summary: null, replies: [], ttlExceeded: [], icmpErrors: [], stderr: '', exitCode: null, spawnError: null };
}

export function parseLine(raw: string, report: PingReport): void {
  const line = raw.trim();
  let m: RegExpExecArray | null;
  if ((m = REPLY.exec(line))) {
    report.replies.push({
      from: m[2] ?? m[1],
      seq: Number(m[3]),
      ttl: m[4] !== undefined ? Number(m[4]) : null,
      timeMs: m[5] !== undefined ? Number(m[5]) : null,
    });
  } else if ((m = FROM.exec(line))) {
    const from = m[2] ?? m[1];
    const text = m[4];
    if (/time to live exceeded|time exceeded/i.test(text)) report.ttlExceeded.push({ seq: Number(m[3]), from });
    else report.icmpErrors.push({ seq: Number(m[3]), from, text });
  } else if ((m = STATS.exec(line))) {
    report.transmitted = Number(m[1]);
    report.received = Number(m[2]);
  } else if ((m = RTT.exec(line))) {
    report.summary = { min: Number(m[1]), avg: Number(m[2]), max: Number(m[3]), mdev: Number(m[4]) };
  }
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return round3(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2);
}

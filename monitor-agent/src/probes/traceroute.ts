// Traceroute from TTL-limited pings, every hop probed at once (a 30-hop trace takes about
// one timeout, not thirty). A hop's address comes from ping's "Time to live exceeded" line;
// ping prints no time for those, so a hop's RTT is what a direct ping to that router
// reports, started the moment the hop is found. The trace stops at the first hop whose
// address equals the target's resolved IP (the Python tool compared it with the host
// string, so a host name never matched).
import type { TracerouteTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { emptyReport, missingPingText, parseLine, runPing, type PingReport } from './ping-run.js';
import { Budget, down, neverThrows, round3, isOutcome, resolveOrDown } from './util.js';

const INTERVAL_S = 0.2;

export interface Hop {
  ttl: number;
  address: string | null;
  rtt: { min: number; avg: number; max: number } | null;
  lossPct: number;
}

function stats(times: number[]): Hop['rtt'] {
  if (!times.length) return null;
  return { min: Math.min(...times), avg: round3(times.reduce((a, b) => a + b, 0) / times.length), max: Math.max(...times) };
}

export const tracerouteProbe: Probe<TracerouteTask> = (task, ctx) =>
  neverThrows(async () => {
    const perProbeS = ctx.timeoutMs / 1000;
    const budget = new Budget(ctx, 2 * ctx.timeoutMs + (task.probesPerHop - 1) * INTERVAL_S * 1000 + 500);
    try {
      const resolved = await resolveOrDown(task.host, budget, { details: () => ({ resolvedIp: null }) });
      if (isOutcome(resolved)) return resolved;
      const target = resolved.address;
      let reachedAt = Infinity;
      const hopAborts = new Map<number, AbortController>();
      const direct = new Map<string, Promise<PingReport>>();
      const common = { target, family: resolved.family, count: task.probesPerHop, waitS: perProbeS, packetSize: 56, intervalS: INTERVAL_S };

      const runHop = (ttl: number): Promise<PingReport> => {
        const ac = new AbortController();
        hopAborts.set(ttl, ac);
        const signal = AbortSignal.any([budget.signal, ac.signal]);
        return runPing({
          ...common,
          ttl,
          signal,
          onLine: (line) => {
            const seen = emptyReport();
            parseLine(line, seen);
            const router = seen.ttlExceeded[0]?.from;
            if (router && !direct.has(router)) {
              // A router answered: time it with a direct ping right away.
              direct.set(router, runPing({ ...common, target: router, ttl: 64, signal: budget.signal }));
            }
            if (seen.replies[0]?.from === target && ttl < reachedAt) {
              reachedAt = ttl;
              // Hops beyond the target only repeat it: stop them.
              for (const [t, c] of hopAborts) if (t > ttl) c.abort();
            }
          },
        });
      };

      const reports = await Promise.all(Array.from({ length: task.maxHops }, (_, i) => runHop(i + 1)));
      if (reports[0].spawnError) {
        return down(reports[0].spawnError.code === 'ENOENT' ? missingPingText() : `permission: cannot run ping: ${reports[0].spawnError.message}`, { resolvedIp: target });
      }
      const directReports = new Map<string, PingReport>();
      for (const [addr, p] of direct) directReports.set(addr, await p);

      const reached = Number.isFinite(reachedAt);
      const lastTtl = reached ? reachedAt : lastAnsweringTtl(reports) ?? 0;
      const hops: Hop[] = [];
      for (let ttl = 1; ttl <= lastTtl; ttl++) {
        const r = reports[ttl - 1];
        const sent = r.transmitted ?? task.probesPerHop;
        if (ttl === reachedAt) {
          const replies = r.replies.filter((x) => x.from === target);
          const times = replies.map((x) => x.timeMs).filter((t): t is number => t !== null);
          hops.push({ ttl, address: target, rtt: stats(times), lossPct: lossOf(sent, replies.length) });
        } else if (r.ttlExceeded.length) {
          const address = r.ttlExceeded[0].from;
          const d = directReports.get(address);
          const times = (d?.replies ?? []).filter((x) => x.from === address).map((x) => x.timeMs).filter((t): t is number => t !== null);
          hops.push({ ttl, address, rtt: stats(times), lossPct: lossOf(sent, new Set(r.ttlExceeded.map((x) => x.seq)).size) });
        } else {
          hops.push({ ttl, address: null, rtt: null, lossPct: 100 });
        }
      }
      const path = hops.map((h) => h.address);
      const previous = Array.isArray(ctx.state.path) ? (ctx.state.path as (string | null)[]) : null;
      ctx.state.path = path;
      const details = {
        resolvedIp: target,
        reached,
        hopCount: hops.length,
        hops,
        pathChanged: previous !== null && JSON.stringify(previous) !== JSON.stringify(path),
        previousPath: previous,
      };
      if (!reached) {
        if (budget.signal.aborted && !budget.timedOut()) return down(budget.abortText(), details);
        return down(`unreachable: ${target} not reached within ${task.maxHops} hops`, details);
      }
      const last = hops[hops.length - 1];
      return { status: 'up', latencyMs: last.rtt?.avg ?? null, error: null, details };
    } finally {
      budget.dispose();
    }
  });

function lossOf(sent: number, received: number): number {
  return sent ? round3(((sent - Math.min(received, sent)) / sent) * 100) : 100;
}

function lastAnsweringTtl(reports: PingReport[]): number | null {
  for (let i = reports.length - 1; i >= 0; i--) if (reports[i].ttlExceeded.length || reports[i].replies.length) return i + 1;
  return null;
}

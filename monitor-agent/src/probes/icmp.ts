// ICMP echo through the system `ping`: loss and RTT statistics exactly as ping reports them
// (never the process wall time). Only replies from the resolved target count (the Python
// tool accepted any ICMP packet as its reply).
import type { IcmpTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { median, missingPingText, runPing, type PingReport } from './ping-run.js';
import { Budget, down, neverThrows, round3, isOutcome, resolveOrDown } from './util.js';

const INTERVAL_S = 0.2;

export const icmpProbe: Probe<IcmpTask> = (task, ctx) =>
  neverThrows(async () => {
    const waitS = ctx.timeoutMs / 1000;
    // ping needs (count-1) intervals plus one reply wait; the task timeout bounds each reply.
    const budget = new Budget(ctx, (task.count - 1) * INTERVAL_S * 1000 + ctx.timeoutMs + 500);
    try {
      const family = task.ipVersion === '4' ? 4 : task.ipVersion === '6' ? 6 : 0;
      const resolved = await resolveOrDown(task.host, budget, { family, details: () => ({ resolvedIp: null }) });
      if (isOutcome(resolved)) return resolved;
      const report = await runPing({
        target: resolved.address,
        family: resolved.family,
        count: task.count,
        ttl: task.ttl,
        waitS,
        packetSize: task.packetSize,
        intervalS: INTERVAL_S,
        signal: budget.signal,
      });
      return outcomeOf(task, resolved.address, report, budget);
    } finally {
      budget.dispose();
    }
  });

function outcomeOf(task: IcmpTask, resolvedIp: string, report: PingReport, budget: Budget) {
  if (report.spawnError) {
    return down(report.spawnError.code === 'ENOENT' ? missingPingText() : `permission: cannot run ping: ${report.spawnError.message}`, { resolvedIp });
  }
  // Only echo replies from the target itself, one per sequence number (duplicates are not samples).
  const seen = new Set<number>();
  const replies = report.replies.filter((r) => r.from === resolvedIp && !seen.has(r.seq) && seen.add(r.seq));
  const samples = replies.map((r) => r.timeMs).filter((t): t is number => t !== null);
  const sent = report.transmitted ?? Math.max(task.count, replies.length);
  const received = replies.length;
  const lossPct = sent ? round3(((sent - received) / sent) * 100) : 100;
  const s = report.summary;
  const rtt = {
    min: s?.min ?? (samples.length ? Math.min(...samples) : null),
    avg: s?.avg ?? null,
    median: median(samples),
    max: s?.max ?? (samples.length ? Math.max(...samples) : null),
    stddev: s?.mdev ?? null,
  };
  const details = {
    resolvedIp,
    sent,
    received,
    lossPct,
    rtt,
    samples,
    ttl: replies[0]?.ttl ?? null,
    packetSize: task.packetSize,
    ...(task.packetSize < 16 ? { note: 'payload under 16 bytes: ping cannot time replies' } : {}),
  };
  if (received > 0) {
    const status = received < sent ? 'degraded' : 'up';
    return { status, latencyMs: rtt.median, error: null, details } as const;
  }
  if (report.icmpErrors.length) {
    const e = report.icmpErrors[0];
    return down(`unreachable: ${e.text} (from ${e.from})`, details);
  }
  if (report.ttlExceeded.length) {
    return down(`unreachable: time to live exceeded at ${report.ttlExceeded[0].from} (ttl ${task.ttl})`, details);
  }
  if (report.stderr && report.transmitted === null) {
    const msg = report.stderr.split('\n')[0].replace(/^ping: /, '');
    return down(`${/permitted|permission/i.test(msg) ? 'permission' : 'error'}: ping: ${msg}`, details);
  }
  if (budget.signal.aborted && !budget.timedOut() && report.transmitted === null) return down(budget.abortText(), details);
  return down(`timeout: no reply from ${resolvedIp} (${sent} sent, ${task.count > 1 ? 'each ' : ''}waited ${task.timeout} s)`, details);
}

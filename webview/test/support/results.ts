// Hand-made results and entries for the console tests.
import type { ConsoleEntry } from '../../../protocol/src/console-messages.js';
import type { Gap, Result } from '../../../protocol/src/result.js';

let nextKey = 1;

export function result(over: Partial<Result> & Pick<Result, 'monitorId' | 'taskId'>): Result {
  return {
    type: 'tcp',
    target: '127.0.0.1:22',
    seq: nextKey,
    ts: new Date().toISOString(),
    status: 'up',
    latencyMs: 1.5,
    error: null,
    details: { connectMs: 1.5, resolvedIp: '127.0.0.1', banner: 'SSH-2.0-test', state: 'open' },
    ...over,
  };
}

export function entry(r: Result, backfilled = false): ConsoleEntry {
  return { kind: 'result', key: nextKey++, result: r, backfilled };
}

export function gapEntry(monitorId: string, gap: Gap): ConsoleEntry {
  return { kind: 'gap', key: nextKey++, monitorId, gap };
}

export function icmpResult(monitorId: string, taskId: string, ts: string, median: number | null, lossPct = 0): Result {
  const down = median === null;
  return result({
    monitorId,
    taskId,
    type: 'icmp',
    target: '127.0.0.1',
    ts,
    status: down ? 'down' : 'up',
    latencyMs: median,
    error: down ? 'timeout: no reply within 1000 ms' : null,
    details: {
      sent: 3,
      received: down ? 0 : 3,
      lossPct: down ? 100 : lossPct,
      rtt: down ? { min: null, avg: null, median: null, max: null, stddev: null } : { min: median - 0.5, avg: median, median, max: median + 1.5, stddev: 0.4 },
      samples: [],
      ttl: 64,
      resolvedIp: '127.0.0.1',
    },
  });
}

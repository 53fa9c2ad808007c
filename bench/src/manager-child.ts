// The manager side of the delivery measurements: the real Manager (manager/src) in its own
// process, collecting from the measured agent over TLS-PSK. `onResult` fires after the
// result is stored in the history (link-session.ts appends, then emits), so the time from
// the result's `ts` to the event is "result timestamp -> stored by the manager".
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Manager, staticSecrets, type Result, type Task } from '../../manager/src/index.js';
import { serveIpc } from './ipc.js';
import { distribution, type Distribution } from './stats.js';

export interface ManagerStartArgs {
  dir: string;
  monitorId: string;
  host: string;
  port: number;
  secret: string;
  tasks: Task[];
  /** Results with seq <= this are the pre-filled backlog (0: none). */
  backlogLastSeq: number;
  maxRecords: number;
}

export interface ManagerWindowStats {
  stored: number;
  /** Result ts (agent clock, ms) -> stored. */
  tsToStored: Distribution;
  /** Probe finished -> stored (without the probe's own duration and ts rounding). */
  doneToStored: Distribution;
}

export interface ReplayStats {
  backlog: number;
  /** collect() called -> the last backlog result stored, s. */
  seconds: number;
  /** First backlog result stored -> last backlog result stored, s. */
  streamSeconds: number;
  resultsPerSecond: number;
  /** Live results (seq > backlog) made while the backlog was still being delivered. */
  liveDuringReplay: number;
  /** Those live results: ts -> stored. */
  liveTsToStored: Distribution;
}

const now = (): number => performance.timeOrigin + performance.now();

let manager: Manager | null = null;
let args: ManagerStartArgs;
let windowOpen = false;
let tsLat: Float64Array;
let doneLat: Float64Array;
let n = 0;
let collectAt = 0;
let firstBacklogAt = 0;
let lastBacklogAt = 0;
const liveDuringReplay: number[] = [];
let replayDone: (() => void) | null = null;
let liveCaughtUp: (() => void) | null = null;

function onResult(r: Result): void {
  const t = now();
  if (args.backlogLastSeq) {
    if (r.seq <= args.backlogLastSeq) {
      if (!firstBacklogAt) firstBacklogAt = t;
      if (r.seq === args.backlogLastSeq) {
        lastBacklogAt = t;
        replayDone?.();
      }
      return;
    }
    // Live results made while the backlog was still being delivered (they queue behind it:
    // delivery is in seq order).
    const ts = Date.parse(r.ts);
    if ((!lastBacklogAt || ts <= lastBacklogAt) && liveDuringReplay.length < 1_000_000) liveDuringReplay.push(t - ts);
    else if (lastBacklogAt && ts > lastBacklogAt) liveCaughtUp?.();
  }
  if (!windowOpen || n >= tsLat.length) return;
  tsLat[n] = t - Date.parse(r.ts);
  const done = (r.details as { benchDoneMs?: number }).benchDoneMs;
  doneLat[n] = typeof done === 'number' ? t - done : NaN;
  n++;
}

serveIpc({
  async start(a: ManagerStartArgs) {
    args = a;
    tsLat = new Float64Array(a.maxRecords);
    doneLat = new Float64Array(a.maxRecords);
    mkdirSync(join(a.dir, 'history'), { recursive: true });
    const configPath = join(a.dir, 'netcam.json');
    writeFileSync(configPath, JSON.stringify({ version: 1, monitors: [{ id: a.monitorId, host: a.host, port: a.port, tasks: a.tasks }] }));
    manager = new Manager({
      configPath,
      historyDir: join(a.dir, 'history'),
      secrets: staticSecrets({ [a.monitorId]: a.secret }),
      watchConfig: false,
      log: {
        trace: () => undefined,
        debug: () => undefined,
        info: (m: string) => console.log(m),
        warn: (m: string) => console.log(`WARN ${m}`),
        error: (m: string) => console.log(`ERROR ${m}`),
      },
    });
    manager.onResult(onResult);
    await manager.ready;
    collectAt = now();
    await manager.collect([a.monitorId]);
    const state = manager.getMonitorState(a.monitorId);
    if (state?.link !== 'connected') throw new Error(`manager did not connect: ${state?.link} ${state?.lastError ?? ''}`);
    return true;
  },
  windowStart() {
    n = 0;
    windowOpen = true;
    return true;
  },
  windowEnd(): ManagerWindowStats {
    windowOpen = false;
    return { stored: n, tsToStored: distribution(tsLat.subarray(0, n)), doneToStored: distribution(doneLat.subarray(0, n).filter((v) => Number.isFinite(v))) };
  },
  async replay({ timeoutMs }: { timeoutMs: number }): Promise<ReplayStats> {
    if (!lastBacklogAt) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`backlog not delivered within ${timeoutMs} ms`)), timeoutMs);
        replayDone = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // Everything made during the replay is stored once a result made after it arrives.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 60_000);
      liveCaughtUp = () => {
        clearTimeout(timer);
        liveCaughtUp = null;
        resolve();
      };
    });
    const seconds = (lastBacklogAt - collectAt) / 1000;
    return {
      backlog: args.backlogLastSeq,
      seconds,
      streamSeconds: (lastBacklogAt - firstBacklogAt) / 1000,
      resultsPerSecond: args.backlogLastSeq / seconds,
      liveDuringReplay: liveDuringReplay.length,
      liveTsToStored: distribution(liveDuringReplay),
    };
  },
  async close() {
    // Leave the agent's tasks running is not wanted here: stop them, then release everything.
    await manager?.stop('all').catch(() => undefined);
    await manager?.dispose();
    manager = null;
    // Exit on our own (after this reply is sent) so a --cpu-prof profile gets written.
    setTimeout(() => process.exit(0), 100);
    return true;
  },
});

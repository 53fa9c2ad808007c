// The measured agent: a child process running the real agent (startAgent with the real
// probes) so the runner can read its CPU and RSS from /proc. Run starts come from the
// scheduler's onRunStart hook (with the time each run was due); the probe registry is
// wrapped to record when each run ends. The recording is a few array writes per run,
// allocated up front so it adds nothing to the memory growth being measured.
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { startAgent, type RunningAgent } from '../../monitor-agent/src/agent.js';
import { probes } from '../../monitor-agent/src/probes/index.js';
import type { ProbeContext, ProbeOutcome, ProbeRegistry } from '../../monitor-agent/src/probes/types.js';
import type { Task, TaskType } from '../../protocol/src/index.js';
import { serveIpc } from './ipc.js';
import { distribution, evenness, type Distribution, type Evenness } from './stats.js';

export interface AgentStartArgs {
  dataDir: string;
  /** Most distinct tasks to track. */
  maxTasks: number;
  /** Most run starts recorded in one measurement window. */
  maxRecords: number;
  spoolBudgetBytes?: number;
}

export interface AgentWindowStats {
  seconds: number;
  /** Completed runs per task type, and how many were `up`. */
  completed: Record<string, number>;
  up: Record<string, number>;
  /** A few error texts per type (to see why checks failed). */
  errors: Record<string, string[]>;
  /** Probe wall time (start to outcome) per type, ms. */
  probeMs: Record<string, Distribution>;
  /** Start lateness (ms) of every run in the window: probe called minus due (scheduler's dueAt); ICMP apart. */
  lateness: Distribution;
  latenessIcmp: Distribution;
  /** First runs after the task set was applied (actual starts), as fractions of the interval. */
  firstRuns: Evenness;
  /** The same first runs' due times (the scheduler's spreading alone). */
  firstRunsDue?: Evenness;
  /** Start lateness of those first runs (ms). */
  firstRunLateness?: Distribution;
  /** Event-loop delay p99 (ms, sampling resolution subtracted). */
  loopDelayP99: number;
  skippedRuns: number;
  /** process.memoryUsage() at the end of the window, MB. */
  memory: { heapUsed: number; heapLiveAfterGc: number; liveGrowthMBPerH: number; heapTotal: number; external: number; arrayBuffers: number };
  spool: ReturnType<RunningAgent['stats']>;
}

/** Run starts this soon after the window opens are not counted as lateness (the GC above). */
const WINDOW_GRACE_MS = 250;

const TYPE_CODES: TaskType[] = ['icmp', 'traceroute', 'http', 'https', 'ntp', 'dns', 'tcp', 'udp', 'echo'];

class RunRecorder {
  private readonly index = new Map<string, number>();
  private readonly typeOf: Uint8Array;
  private readonly intervalMs: Float64Array;
  private readonly anchor: Float64Array;
  private readonly firstDue: Float64Array;
  private readonly offsets: Float64Array;
  private readonly offsetTask: Int32Array;
  private n = 0;
  private readonly probeMs: Float64Array;
  private readonly probeType: Uint8Array;
  private probeN = 0;
  windowOpen = false;
  windowStartedAt = 0;
  setTasksAt = NaN;
  completed: Record<string, number> = {};
  up: Record<string, number> = {};
  errors: Record<string, string[]> = {};

  constructor(maxTasks: number, private readonly maxRecords: number) {
    this.typeOf = new Uint8Array(maxTasks);
    this.intervalMs = new Float64Array(maxTasks);
    this.anchor = new Float64Array(maxTasks).fill(NaN);
    this.firstDue = new Float64Array(maxTasks);
    this.offsets = new Float64Array(maxRecords);
    this.offsetTask = new Int32Array(maxRecords);
    this.probeMs = new Float64Array(maxRecords);
    this.probeType = new Uint8Array(maxRecords);
  }

  /** A task set was applied: forget the old grids (a changed task restarts its schedule). */
  resetGrids(at: number): void {
    this.index.clear();
    this.anchor.fill(NaN);
    this.setTasksAt = at;
  }

  started(task: Task, dueAt: number, t: number): void {
    let i = this.index.get(task.id);
    if (i === undefined) {
      i = this.index.size;
      if (i >= this.anchor.length) return;
      this.index.set(task.id, i);
    }
    if (Number.isNaN(this.anchor[i])) {
      this.anchor[i] = t;
      this.firstDue[i] = dueAt;
      this.intervalMs[i] = task.interval * 1000;
      this.typeOf[i] = TYPE_CODES.indexOf(task.type);
    }
    const off = t - dueAt;
    if (this.windowOpen && t >= this.windowStartedAt + WINDOW_GRACE_MS && this.n < this.maxRecords) {
      this.offsets[this.n] = off;
      this.offsetTask[this.n] = i;
      this.n++;
    }
  }

  finished(task: Task, outcome: ProbeOutcome, ms: number): void {
    if (!this.windowOpen) return;
    const type = task.type;
    this.completed[type] = (this.completed[type] ?? 0) + 1;
    if (outcome.status === 'up') this.up[type] = (this.up[type] ?? 0) + 1;
    else if (outcome.error) {
      const list = (this.errors[type] ??= []);
      if (list.length < 3 && !list.includes(outcome.error)) list.push(outcome.error);
    }
    if (this.probeN < this.maxRecords) {
      this.probeMs[this.probeN] = ms;
      this.probeType[this.probeN] = TYPE_CODES.indexOf(type);
      this.probeN++;
    }
  }

  openWindow(): void {
    this.n = 0;
    this.probeN = 0;
    this.completed = {};
    this.up = {};
    this.errors = {};
    this.windowStartedAt = performance.now();
    this.windowOpen = true;
  }

  closeWindow(): Omit<AgentWindowStats, 'loopDelayP99' | 'skippedRuns' | 'spool' | 'memory'> {
    this.windowOpen = false;
    const seconds = (performance.now() - this.windowStartedAt) / 1000;
    const icmp = TYPE_CODES.indexOf('icmp');
    const late: number[] = [];
    const lateIcmp: number[] = [];
    for (let k = 0; k < this.n; k++) {
      const i = this.offsetTask[k];
      (this.typeOf[i] === icmp ? lateIcmp : late).push(this.offsets[k]);
    }
    const firsts: number[] = [];
    const firstsDue: number[] = [];
    const firstLate: number[] = [];
    for (const i of this.index.values()) {
      const f = (this.anchor[i] - this.setTasksAt) / this.intervalMs[i];
      if (f >= 0) firsts.push(f);
      firstsDue.push((this.firstDue[i] - this.setTasksAt) / this.intervalMs[i]);
      firstLate.push(this.anchor[i] - this.firstDue[i]);
    }
    const perType = new Map<number, number[]>();
    for (let k = 0; k < this.probeN; k++) {
      const list = perType.get(this.probeType[k]) ?? [];
      list.push(this.probeMs[k]);
      perType.set(this.probeType[k], list);
    }
    const probeMs: Record<string, Distribution> = {};
    for (const [code, list] of perType) probeMs[TYPE_CODES[code]] = distribution(list);
    return {
      seconds,
      completed: this.completed,
      up: this.up,
      errors: this.errors,
      probeMs,
      lateness: distribution(late),
      latenessIcmp: distribution(lateIcmp),
      firstRuns: evenness(firsts),
      firstRunsDue: evenness(firstsDue),
      firstRunLateness: distribution(firstLate),
    };
  }
}

let agent: RunningAgent | null = null;
let recorder: RunRecorder | null = null;
let liveHeapAtStart = NaN;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

function wrap(registry: ProbeRegistry, rec: () => RunRecorder | null): ProbeRegistry {
  const wrapped: Partial<Record<TaskType, unknown>> = {};
  for (const type of Object.keys(registry) as TaskType[]) {
    const probe = registry[type] as (t: Task, ctx: ProbeContext) => Promise<ProbeOutcome>;
    wrapped[type] = async (task: Task, ctx: ProbeContext): Promise<ProbeOutcome> => {
      const t0 = performance.now();
      const outcome = await probe(task, ctx);
      const t1 = performance.now();
      rec()?.finished(task, outcome, t1 - t0);
      // When the outcome existed (epoch ms, sub-ms): lets the manager side tell delivery
      // time apart from probe time.
      return { ...outcome, details: { ...outcome.details, benchDoneMs: performance.timeOrigin + t1 } };
    };
  }
  return wrapped as ProbeRegistry;
}

serveIpc({
  async start(args: AgentStartArgs) {
    recorder = new RunRecorder(args.maxTasks, args.maxRecords);
    let secret: string | null = null;
    agent = await startAgent({
      host: '127.0.0.1',
      port: 0,
      dataDir: args.dataDir,
      spoolBudgetBytes: args.spoolBudgetBytes,
      probes: wrap(probes, () => recorder),
      onRunStart: (task, dueAt, startedAt) => recorder?.started(task, dueAt, startedAt),
      log: (line) => process.stdout.write(`${line}\n`),
      onSecretCreated: (text) => (secret = text),
    });
    const scheduler = agent.scheduler;
    const setTasks = scheduler.setTasks.bind(scheduler);
    scheduler.setTasks = (tasks) => {
      recorder?.resetGrids(performance.now());
      return setTasks(tasks);
    };
    return { port: agent.port, secret, pid: process.pid };
  },
  windowStart() {
    // Live heap at the start (after a full GC), for the growth over the window; the GC
    // pause is kept out of the lateness figures (see openWindow's grace).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    liveHeapAtStart = gc ? process.memoryUsage().heapUsed : NaN;
    recorder!.openWindow();
    loopDelay.reset();
    loopDelay.enable();
    return true;
  },
  windowEnd(): AgentWindowStats {
    const stats = recorder!.closeWindow();
    loopDelay.disable();
    const p99 = loopDelay.percentile(99) / 1e6 - 10;
    // Live heap after a full GC (the agent child runs with --expose-gc): tells retained
    // memory apart from garbage V8 has not collected yet. RSS was sampled before this.
    const gc = (globalThis as { gc?: () => void }).gc;
    const heapBeforeGc = process.memoryUsage().heapUsed;
    gc?.();
    const mem = process.memoryUsage();
    const mb = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
    const liveGrowthMBPerH = ((mem.heapUsed - liveHeapAtStart) / 2 ** 20) / (stats.seconds / 3600);
    const memory = { heapUsed: mb(heapBeforeGc), heapLiveAfterGc: gc ? mb(mem.heapUsed) : NaN, liveGrowthMBPerH: gc ? Math.round(liveGrowthMBPerH * 10) / 10 : NaN, heapTotal: mb(mem.heapTotal), external: mb(mem.external), arrayBuffers: mb(mem.arrayBuffers) };
    return { ...stats, loopDelayP99: Math.max(0, p99), skippedRuns: agent!.scheduler.skippedRuns, memory, spool: agent!.stats() };
  },
  stats() {
    return agent!.stats();
  },
  async close() {
    await agent?.close();
    agent = null;
    // Exit on our own (after this reply is sent) so a --cpu-prof profile gets written.
    setTimeout(() => process.exit(0), 100);
    return true;
  },
});

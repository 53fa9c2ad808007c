// The monitor agent in one object: data dir (lock, secret, task state, spool), the
// scheduler, the listener and at most one manager session. `startAgent` is what the CLI
// runs and what tests start in-process.
import { join } from 'node:path';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { tasksHash, taskTarget, type Task } from '../../protocol/src/index.js';
import { ensureDataDir, lockDataDir } from './data-dir.js';
import { DEFAULT_RATE, DEFAULT_TIMING, type LinkTiming, type ManagerConnection, type RateLimit } from './link/connection.js';
import { AgentListener } from './link/server.js';
import { stdoutLog, type LogSink } from './log.js';
import type { ProbeRegistry } from './probes/types.js';
import { preparePing } from './probes/ping-run.js';
import { Scheduler, type CompletedRun, type TaskSetChange } from './scheduler.js';
import { loadOrCreateSecret } from './secret-file.js';
import { ManagerSession, type SessionHost } from './session.js';
import { DEFAULT_SPOOL_BUDGET, Spool, type SpoolStats } from './spool/spool.js';
import { TaskStateFile } from './task-state.js';

export interface AgentOptions {
  host: string;
  /** 0 picks a free port (see `RunningAgent.port`). */
  port: number;
  dataDir: string;
  /** Default `<dataDir>/secret`. */
  secretFile?: string;
  spoolBudgetBytes?: number;
  /** Plain TCP instead of TLS-PSK; refused unless `host` is a loopback address. */
  insecurePlaintext?: boolean;
  probes: ProbeRegistry;
  /** Timestamped console lines (default: stdout). */
  log?: LogSink;
  /** Called once when a new secret was created, with its text (default: printed to stdout). */
  onSecretCreated?: (secret: string, path: string) => void;
  /** Shorter link timers for tests. */
  timing?: Partial<LinkTiming>;
  rate?: RateLimit;
  maxUnauthenticated?: number;
  /** Most probe runs in flight at once (default 256). */
  concurrency?: number;
  /** Spool fsync interval (default and maximum 1000 ms). */
  syncIntervalMs?: number;
  segmentBytes?: number;
  /** How often the "results sent" / "results kept for later" lines may repeat (default 10 s / 60 s). */
  sendLogMs?: number;
  keptLogMs?: number;
  /** First-run spread within the interval, 0 ≤ r < 1 (tests). */
  random?: () => number;
  /** Called as each probe run starts with when it was due (performance.now() times); the bench measures lateness with it. */
  onRunStart?: (task: Task, dueAt: number, startedAt: number) => void;
}

export interface RunningAgent {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly secretFile: string;
  readonly spool: Spool;
  readonly listener: AgentListener;
  readonly scheduler: Scheduler;
  stats(): SpoolStats & { tasks: number; sessions: number; monitorId: string | null };
  /** Graceful shutdown: tasks stop (the task set stays saved), spool flushed, sockets closed. */
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === '::1' || h.startsWith('::ffff:127.');
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const log = opts.log ?? stdoutLog;
  if (opts.insecurePlaintext && !isLoopback(opts.host)) {
    throw new Error(`--insecure-plaintext: only allowed on a loopback address (127.0.0.0/8, ::1), not ${opts.host}`);
  }
  await ensureDataDir(opts.dataDir);
  const unlock = await lockDataDir(opts.dataDir);
  try {
    return await startLocked(opts, log, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

async function startLocked(opts: AgentOptions, log: LogSink, unlock: () => Promise<void>): Promise<RunningAgent> {
  const secretFile = opts.secretFile ?? join(opts.dataDir, 'secret');
  let psk: Buffer | null = null;
  if (!opts.insecurePlaintext) {
    const secret = await loadOrCreateSecret(secretFile);
    psk = secret.key;
    if (secret.warning) log(secret.warning);
    if (secret.createdText !== null) {
      const show =
        opts.onSecretCreated ??
        ((text: string, path: string) => {
          log(`new pairing secret created in ${path} (mode 0600). It is shown only this once;`);
          log('paste the next line into the manager when it asks for this monitor\'s secret:');
          process.stdout.write(`${text}\n`);
        });
      show(secret.createdText, secretFile);
    } else {
      log(`pairing secret: ${secretFile} (not shown again; delete the file and restart to make a new one)`);
    }
  } else {
    log('WARNING: --insecure-plaintext: the link is NOT encrypted or authenticated (loopback debugging only)');
  }

  const spool = await Spool.open({
    dir: join(opts.dataDir, 'spool'),
    budgetBytes: opts.spoolBudgetBytes ?? DEFAULT_SPOOL_BUDGET,
    segmentBytes: opts.segmentBytes,
    syncIntervalMs: opts.syncIntervalMs,
    log,
  });
  const stateFile = new TaskStateFile(opts.dataDir);
  const loaded = await stateFile.load();
  if (loaded.warning) log(loaded.warning);

  const agent = new Agent(opts, log, spool, stateFile, loaded.state.monitorId);
  if (loaded.state.tasks && loaded.state.tasks.length) {
    agent.resumeSaved(loaded.state.tasks);
  }
  const listener = new AgentListener({
    host: opts.host,
    port: opts.port,
    psk,
    timing: { ...DEFAULT_TIMING, ...opts.timing },
    rate: opts.rate ?? DEFAULT_RATE,
    maxUnauthenticated: opts.maxUnauthenticated,
    log,
    onManager: (conn) => agent.onManager(conn),
  });
  let address: { host: string; port: number };
  try {
    address = await listener.listen();
  } catch (err) {
    await agent.scheduler.stop();
    await spool.close();
    throw new Error(`cannot listen on ${formatHostPort(opts.host, opts.port)}: ${(err as Error).message}`);
  }
  const user = typeof process.getuid === 'function' ? process.getuid() : -1;
  log(`running as ${user === 0 ? 'root' : `uid ${user}`}; data dir ${opts.dataDir}; spool budget ${spool.budgetBytes} bytes`);
  log(psk ? `link: TLS 1.3 with the pre-shared pairing key` : 'link: plaintext TCP');
  log(`listening on ${formatHostPort(address.host, address.port)}`);

  let closing: Promise<void> | null = null;
  return {
    host: address.host,
    port: address.port,
    dataDir: opts.dataDir,
    secretFile,
    spool,
    listener,
    scheduler: agent.scheduler,
    stats: () => ({ ...spool.stats(), tasks: agent.scheduler.size, sessions: agent.session ? 1 : 0, monitorId: agent.currentMonitorId }),
    close: () => {
      closing ??= (async () => {
        const t0 = performance.now();
        log('shutdown: stopping tasks');
        await agent.shutdown();
        await listener.close();
        await spool.close();
        await stateFile.settled().catch(() => undefined);
        await unlock();
        log(`shutdown: spool flushed (last seq ${spool.lastSeq}), sockets closed in ${Math.round(performance.now() - t0)} ms`);
      })();
      return closing;
    },
  };
}

class Agent implements SessionHost {
  readonly scheduler: Scheduler;
  session: ManagerSession | null = null;
  currentMonitorId: string | null;
  private hash: string | null = null;
  private running: Task[] = [];
  readonly sendLogMs: number;
  private readonly keptLogMs: number;
  private kept = { n: 0, from: 0, lastLogAt: -Infinity, timer: null as NodeJS.Timeout | null };
  private shuttingDown = false;

  constructor(
    private readonly opts: AgentOptions,
    readonly log: LogSink,
    readonly spool: Spool,
    private readonly stateFile: TaskStateFile,
    monitorId: string | null,
  ) {
    this.currentMonitorId = monitorId;
    this.sendLogMs = opts.sendLogMs ?? 10_000;
    this.keptLogMs = opts.keptLogMs ?? 60_000;
    this.scheduler = new Scheduler({
      probes: opts.probes,
      concurrency: opts.concurrency,
      random: opts.random,
      onRunStart: opts.onRunStart,
      onResult: (run) => this.onResult(run),
    });
  }

  resumeSaved(tasks: Task[]): void {
    warmPingHelper(tasks);
    this.scheduler.setTasks(tasks);
    this.running = tasks;
    this.hash = tasksHash(tasks);
    this.log(`tasks resumed from the last run: ${tasks.length} (monitor ID ${this.currentMonitorId ?? 'unset'}); results are kept until a manager collects them`);
  }

  monitorId(): string | null {
    return this.currentMonitorId;
  }

  runningHash(): string | null {
    return this.hash;
  }

  runningCount(): number {
    return this.scheduler.size;
  }

  setMonitorId(id: string): void {
    if (id !== this.currentMonitorId) this.log(`ID set: ${id}${this.currentMonitorId ? ` (was ${this.currentMonitorId})` : ''}`);
    else this.log(`ID set: ${id} (unchanged)`);
    this.currentMonitorId = id;
    this.save();
  }

  applyTasks(tasks: Task[]): TaskSetChange {
    warmPingHelper(tasks);
    const change = this.scheduler.setTasks(tasks);
    this.running = tasks;
    this.hash = tasksHash(tasks);
    this.save();
    return change;
  }

  async stopTasks(): Promise<void> {
    await this.scheduler.stop();
    this.running = [];
    this.hash = null;
    this.currentMonitorId = null;
    await this.stateFile.save({ monitorId: null, tasks: null }).catch((err: Error) => this.log(`could not save the task state: ${err.message}`));
  }

  runNow(taskId: string): boolean {
    return this.scheduler.runNow(taskId);
  }

  onManager(conn: ManagerConnection): void {
    if (this.shuttingDown) {
      conn.fail('shutting_down', 'the agent is shutting down');
      return;
    }
    if (this.session) {
      this.log(`manager session from ${this.session.conn.remote} replaced by a new one from ${conn.remote}`);
      this.session.replace();
    }
    this.flushKeptLog();
    this.log(`manager connected from ${conn.remote}`);
    this.session = new ManagerSession(this, conn);
  }

  sessionClosed(session: ManagerSession, reason: string): void {
    this.log(`manager disconnected (${session.conn.remote}): ${reason}; ${session.delivered} result(s) delivered in this session`);
    if (this.session === session) this.session = null;
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    // Tasks stop but stay saved: the next start resumes them.
    const stopped = this.scheduler.stop();
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 1200).unref())]);
    this.session?.shutdown();
    this.flushKeptLog();
    if (this.kept.timer) clearTimeout(this.kept.timer);
  }

  private save(): void {
    this.stateFile
      .save({ monitorId: this.currentMonitorId, tasks: this.running.length ? this.running : null })
      .catch((err: Error) => this.log(`could not save the task state: ${err.message}`));
  }

  private onResult(run: CompletedRun): void {
    if (this.shuttingDown) return;
    const { task, outcome, startedAtMs } = run;
    const monitorId = this.currentMonitorId ?? 'unassigned';
    const ts = new Date(startedAtMs).toISOString();
    const target = taskTarget(task);
    const seq = this.spool.append(startedAtMs, (s) =>
      JSON.stringify({
        monitorId,
        taskId: task.id,
        type: task.type,
        target,
        seq: s,
        ts,
        status: outcome.status,
        latencyMs: outcome.latencyMs,
        error: outcome.error,
        details: outcome.details,
      }),
    );
    if (!this.session?.streaming) this.noteKept(seq);
  }

  /** "results kept for later" at most every keptLogMs while nobody collects. */
  private noteKept(seq: number): void {
    const k = this.kept;
    if (!k.n) k.from = seq;
    k.n++;
    const now = performance.now();
    if (now - k.lastLogAt >= this.keptLogMs) {
      this.flushKeptLog();
    } else if (!k.timer) {
      k.timer = setTimeout(() => {
        k.timer = null;
        this.flushKeptLog();
      }, this.keptLogMs - (now - k.lastLogAt));
      k.timer.unref();
    }
  }

  private flushKeptLog(): void {
    const k = this.kept;
    if (k.timer) clearTimeout(k.timer);
    k.timer = null;
    if (!k.n) return;
    const waiting = this.spool.pendingAfter(this.spool.ackedSeq);
    this.log(`results kept for later: ${k.n} new (seq ${k.from}-${this.spool.lastSeq}), ${waiting} waiting for a manager`);
    k.n = 0;
    k.lastLogAt = performance.now();
  }
}

/** ICMP and traceroute checks spawn ping through a helper process: boot it before their first runs are due. */
function warmPingHelper(tasks: readonly Task[]): void {
  if (tasks.some((t) => t.type === 'icmp' || t.type === 'traceroute')) preparePing();
}

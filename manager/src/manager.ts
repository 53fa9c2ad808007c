// The manager: the config store, the history store and one independent link per
// monitor, with typed events for the tree, notifications, status bar and console.
import type { Gap, MonitorConfig, NetcamConfig, Result } from '../../protocol/src/index.js';
import { ConfigError, ConfigStore } from './config-store.js';
import { Emitter, type Disposable } from './events.js';
import { HistoryStore } from './history-store.js';
import { levelLogger, silentLogger, type Logger, type LogLevel } from './log.js';
import { MonitorLink } from './monitor-link.js';
import type { SecretProvider } from './secrets.js';
import type { FleetState, MonitorState, ResultMeta, TaskState } from './types.js';

export interface ManagerOptions {
  /** Path of netcam.json (need not exist yet). */
  configPath: string;
  /** Where results are kept: one JSONL file per monitor per day. */
  historyDir: string;
  secrets: SecretProvider;
  log?: Logger;
  /** Reconnect backoff: base 1 s, cap 60 s; `staggerMs` bounds the random delay before the first dial when collecting from many monitors (2 s). */
  reconnect?: { baseMs?: number; capMs?: number; staggerMs?: number };
  /** Heartbeat period (10 s); the agent counts as dead after three silent periods. */
  heartbeatMs?: number;
  /** Days of history to keep (30). */
  retentionDays?: number;
  /** TCP + TLS handshake limit (10 s) and per-reply limit during the handshake (10 s). */
  connectTimeoutMs?: number;
  /** How long stop() waits for the agent's `stopped` (10 s). */
  stopTimeoutMs?: number;
  /** Reload netcam.json when it changes on disk (true). */
  watchConfig?: boolean;
}

const HOUR_MS = 3_600_000;

export class Manager {
  readonly config: ConfigStore;
  readonly history: HistoryStore;
  /** Resolves once netcam.json was read for the first time (a broken file is reported via config.onError, not thrown). */
  readonly ready: Promise<void>;

  private readonly log: Logger;
  private readonly links = new Map<string, MonitorLink>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly subscriptions: Disposable[] = [];
  private disposed = false;

  private readonly results = new Emitter<[Result, ResultMeta]>();
  private readonly gaps = new Emitter<[string, Gap]>();
  private readonly monitorStates = new Emitter<[MonitorState]>();
  private readonly taskStates = new Emitter<[string, TaskState]>();
  private readonly logs = new Emitter<[LogLevel, string]>();

  /**
   * Every stored result (duplicates already dropped), in seq order per monitor, with
   * `meta.backfilled` true when it comes from the agent's backlog (produced while no
   * manager was connected: late, not an outage now).
   */
  readonly onResult = this.results.event;
  /** Results an agent had to drop: show `describeGap(gap)`. */
  readonly onGap = this.gaps.event;
  /** Link transitions (connecting, connected, backingOff with nextRetryAt, stopped, error...). */
  readonly onMonitorState = this.monitorStates.event;
  /** Task status transitions (up, degraded, down, stale). */
  readonly onTaskState = this.taskStates.event;
  /** Every log line the manager writes (already free of secrets). */
  readonly onLog = this.logs.event;

  constructor(private readonly opts: ManagerOptions) {
    const outer = opts.log ?? silentLogger;
    this.log = levelLogger((level, message) => {
      outer[level](message);
      this.logs.fire(level, message);
    });
    this.config = new ConfigStore(opts.configPath, { log: this.log });
    this.history = new HistoryStore(opts.historyDir, { retentionDays: opts.retentionDays, log: this.log });
    this.ready = this.init();
  }

  private async init(): Promise<void> {
    try {
      await this.config.load();
    } catch (err) {
      if (!(err instanceof ConfigError)) this.log.error(`config: ${(err as Error).message}`);
    }
    if (this.disposed) return;
    this.reconcile(this.config.config);
    this.subscriptions.push(this.config.onDidChange((c) => this.reconcile(c)));
    if (this.opts.watchConfig !== false) this.config.watch();
    const tick = setInterval(() => {
      for (const link of this.links.values()) link.health.tick();
    }, 1000);
    tick.unref();
    const sweep = setInterval(() => void this.history.sweep().catch((e) => this.log.warn(`history: ${(e as Error).message}`)), HOUR_MS);
    sweep.unref();
    this.timers.push(tick, sweep);
    await this.history.sweep().catch((e) => this.log.warn(`history: ${(e as Error).message}`));
  }

  /**
   * Opens (or keeps) one independent link per monitor. Resolves when each has started or
   * failed its first attempt; failed links keep retrying in the background.
   * Throws (before connecting anything) if an id is unknown or the config is broken.
   */
  async collect(monitorIds: string[] | 'all'): Promise<void> {
    await this.ready;
    const links = this.select(monitorIds, true);
    const maxStagger = this.opts.reconnect?.staggerMs ?? 2000;
    // A random initial stagger keeps many links from dialling (and later retrying) in
    // lockstep; it scales with the fleet so collecting from one monitor is immediate.
    const window = Math.min(maxStagger, 50 * (links.length - 1));
    await Promise.all(links.map((link) => link.collect(link.link === 'connected' ? 0 : Math.random() * window)));
  }

  /** Sends `stop` to each monitor, waits for `stopped` (bounded), closes. */
  async stop(monitorIds: string[] | 'all'): Promise<void> {
    await this.ready;
    await Promise.all(this.select(monitorIds, false).map((l) => l.stop()));
  }

  /** Closes every link WITHOUT stop: agents keep monitoring and buffering (closing VS Code). */
  async disconnect(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.disconnect()));
  }

  /** Asks the agent to run one task now (its schedule is unchanged). */
  async runNow(monitorId: string, taskId: string): Promise<void> {
    await this.ready;
    const [link] = this.select([monitorId], false);
    link.runNow(taskId);
  }

  getState(): FleetState {
    return { monitors: this.config.config.monitors.map((m) => this.links.get(m.id)?.view() ?? idleView(m)) };
  }

  getMonitorState(monitorId: string): MonitorState | undefined {
    return this.links.get(monitorId)?.view();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.ready.catch(() => undefined);
    await this.disconnect();
    for (const t of this.timers) clearInterval(t);
    for (const s of this.subscriptions) s.dispose();
    this.config.dispose();
    await this.history.close();
    for (const e of [this.results, this.gaps, this.monitorStates, this.taskStates, this.logs]) e.clear();
  }

  // ---- internals

  private select(monitorIds: string[] | 'all', forCollect: boolean): MonitorLink[] {
    if (forCollect && this.config.issues.length && !this.config.config.monitors.length) {
      throw new ConfigError(this.config.path, this.config.issues);
    }
    if (monitorIds === 'all') return [...this.links.values()];
    return monitorIds.map((id) => {
      const link = this.links.get(id);
      if (!link) throw new Error(`no monitor "${id}" in ${this.config.path}`);
      return link;
    });
  }

  private reconcile(config: NetcamConfig): void {
    const seen = new Set<string>();
    for (const monitor of config.monitors) {
      seen.add(monitor.id);
      const link = this.links.get(monitor.id);
      if (link) link.reconfigure(monitor);
      else this.links.set(monitor.id, this.createLink(monitor));
    }
    for (const [id, link] of this.links) {
      if (seen.has(id)) continue;
      this.links.delete(id);
      // Deleted from the config: its tasks should not keep running on the agent.
      if (link.collecting) void link.stop();
    }
  }

  private createLink(monitor: MonitorConfig): MonitorLink {
    const link = new MonitorLink(monitor, {
      history: this.history,
      secrets: this.opts.secrets,
      log: this.log,
      backoff: { baseMs: this.opts.reconnect?.baseMs, capMs: this.opts.reconnect?.capMs },
      timings: {
        connectTimeoutMs: this.opts.connectTimeoutMs ?? 10_000,
        replyTimeoutMs: this.opts.connectTimeoutMs ?? 10_000,
        heartbeatMs: this.opts.heartbeatMs ?? 10_000,
        stopTimeoutMs: this.opts.stopTimeoutMs ?? 10_000,
      },
    });
    link.stateChanged.event((s) => this.monitorStates.fire(s));
    link.taskChanged.event((t) => this.taskStates.fire(link.id, t));
    link.gapArrived.event((g) => this.gaps.fire(link.id, g));
    link.resultsArrived.event((rs, backlogUpTo) => {
      for (const r of rs) this.results.fire(r, { backfilled: r.seq <= backlogUpTo });
    });
    return link;
  }
}

function idleView(m: MonitorConfig): MonitorState {
  return { id: m.id, host: m.host, port: m.port, link: 'idle', tasks: [] };
}

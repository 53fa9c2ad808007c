// The link to one monitor agent and its reconnect loop. Every monitor has its own link
// with its own timers and sockets: nothing is shared or locked across monitors, so a dead
// or blackholed agent only ever delays itself.
import { performance } from 'node:perf_hooks';
import { parseSecret, type Gap, type MonitorConfig, type Result } from '../../protocol/src/index.js';
import { Backoff, HEALTHY_RESET_MS, type BackoffOptions } from './backoff.js';
import { LinkError } from './agent-connection.js';
import { Emitter } from './events.js';
import { MonitorHealth } from './health.js';
import type { HistoryStore } from './history-store.js';
import { LinkSession, type SessionTimings } from './link-session.js';
import type { Logger } from './log.js';
import type { SecretProvider } from './secrets.js';
import { describeLink, type LinkState, type MonitorState, type TaskState } from './types.js';

export interface LinkDeps {
  history: HistoryStore;
  secrets: SecretProvider;
  log: Logger;
  timings: SessionTimings;
  backoff: BackoffOptions;
}

export class MonitorLink {
  private state: LinkState = 'idle';
  private nextRetryAt: number | undefined;
  private lastError: string | undefined;
  private lastHeardAt: number | undefined;
  private session: LinkSession | undefined;
  private wanted = false;
  private reconnectNow = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private firstAttempt: (() => void)[] = [];
  private readonly backoff: Backoff;
  readonly health: MonitorHealth;

  readonly stateChanged = new Emitter<[MonitorState]>();
  /** Results and the highest seq that came from the agent's backlog (see ResultMeta). */
  readonly resultsArrived = new Emitter<[Result[], number]>();
  readonly gapArrived = new Emitter<[Gap]>();
  readonly taskChanged = new Emitter<[TaskState]>();

  constructor(private monitor: MonitorConfig, private readonly deps: LinkDeps) {
    this.backoff = new Backoff(deps.backoff);
    this.health = new MonitorHealth(monitor, (t) => this.taskChanged.fire(t));
  }

  get id(): string {
    return this.monitor.id;
  }

  get link(): LinkState {
    return this.state;
  }

  get collecting(): boolean {
    return this.wanted;
  }

  view(): MonitorState {
    const m = this.monitor;
    const state: MonitorState = { id: m.id, host: m.host, port: m.port, link: this.state, tasks: this.health.snapshot() };
    if (m.name !== undefined) state.name = m.name;
    if (this.state === 'backingOff' && this.nextRetryAt !== undefined) state.nextRetryAt = this.nextRetryAt;
    if (this.lastError !== undefined) state.lastError = this.lastError;
    if (this.lastHeardAt !== undefined) state.lastHeardAt = this.lastHeardAt;
    return state;
  }

  /**
   * Starts (or keeps) collecting. Resolves when the first attempt has connected or failed;
   * retries continue in the background. While backing off, tries again at once.
   */
  collect(staggerMs = 0): Promise<void> {
    if (this.wanted && this.state === 'connected') return Promise.resolve();
    const first = new Promise<void>((resolve) => this.firstAttempt.push(resolve));
    this.wanted = true;
    this.health.setActive(true);
    if (this.loop) {
      this.wake?.();
    } else {
      this.loop = this.run(staggerMs).finally(() => (this.loop = undefined));
    }
    return first;
  }

  /** Sends `stop` (if connected), waits for `stopped` (bounded) and closes. */
  async stop(): Promise<void> {
    this.wanted = false;
    this.wake?.();
    await this.session?.stop();
    await this.loop;
    this.health.setActive(false);
    this.setState('stopped');
    this.settleFirstAttempt();
  }

  /** Closes without `stop`: the agent keeps its tasks running and buffers results. */
  async disconnect(): Promise<void> {
    this.wanted = false;
    this.wake?.();
    this.session?.close('manager disconnected');
    await this.loop;
    this.health.setActive(false);
    this.setState('idle');
    this.settleFirstAttempt();
  }

  runNow(taskId: string): void {
    if (!this.session) throw new Error(`monitor "${this.monitor.id}" is not connected`);
    this.session.runNow(taskId);
  }

  /** The monitor's config changed: re-handshake now if anything the agent sees changed. */
  reconfigure(next: MonitorConfig): void {
    const before = JSON.stringify([this.monitor.host, this.monitor.port, this.monitor.tasks]);
    const relevant = before !== JSON.stringify([next.host, next.port, next.tasks]);
    this.monitor = next;
    this.health.setTasks(next.tasks);
    if (relevant) {
      if (this.wanted) {
        this.deps.log.info(`[${next.id}] config changed: reconnecting with the new task set`);
        this.reconnectNow = true;
        this.session?.close('config changed');
        this.wake?.();
      } else if (this.state === 'error') {
        // The user edited the config after a fatal error (e.g. echo mismatch): try again.
        void this.collect();
        return;
      }
    }
    this.stateChanged.fire(this.view());
  }

  // ---- the loop

  private async run(staggerMs: number): Promise<void> {
    if (staggerMs > 0) await this.sleep(staggerMs);
    while (this.wanted) {
      this.reconnectNow = false;
      this.nextRetryAt = undefined;
      this.setState('connecting');
      let key: Buffer;
      try {
        key = await this.secret();
      } catch (err) {
        this.fail(new LinkError((err as Error).message, true));
        break;
      }
      if (!this.wanted) break;
      const session = new LinkSession(this.monitor, key, this.deps.history, this.deps.log, this.deps.timings, {
        onStarted: () => {
          this.lastError = undefined;
          this.setState('connected');
          this.settleFirstAttempt();
        },
        onResults: (results, backlogUpTo) => {
          for (const r of results) this.health.record(r);
          this.resultsArrived.fire(results, backlogUpTo);
        },
        onGap: (gap) => this.gapArrived.fire(gap),
        onHeard: () => (this.lastHeardAt = Date.now()),
      });
      this.session = session;
      const ended = await session.run();
      this.session = undefined;
      if (!this.wanted) break;
      if (this.reconnectNow) continue;
      if (ended.fatal) {
        this.fail(ended);
        break;
      }
      const healthyMs = session.startedAt === undefined ? 0 : performance.now() - session.startedAt;
      if (healthyMs >= HEALTHY_RESET_MS) this.backoff.reset();
      const delay = this.backoff.next();
      this.lastError = ended.message;
      this.nextRetryAt = Date.now() + delay;
      this.setState('backingOff');
      this.deps.log.warn(`[${this.monitor.id}] ${ended.message}; next try in ${(delay / 1000).toFixed(1)} s`);
      this.settleFirstAttempt();
      await this.sleep(delay);
    }
  }

  private async secret(): Promise<Buffer> {
    let text: string | undefined;
    try {
      text = await this.deps.secrets.get(this.monitor.id);
    } catch (err) {
      throw new Error(`cannot read the pairing secret of monitor "${this.monitor.id}": ${(err as Error).message}`);
    }
    if (!text) throw new Error(`no pairing secret for monitor "${this.monitor.id}"`);
    try {
      return parseSecret(text);
    } catch (err) {
      // parseSecret's messages never quote the secret.
      throw new Error(`pairing secret of monitor "${this.monitor.id}": ${(err as Error).message}`);
    }
  }

  private fail(err: LinkError): void {
    this.wanted = false;
    this.health.setActive(false);
    this.lastError = err.message;
    this.setState('error');
    this.deps.log.error(`[${this.monitor.id}] ${err.message}`);
    this.settleFirstAttempt();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private setState(state: LinkState): void {
    const changed = state !== this.state || state === 'backingOff' || state === 'error';
    this.state = state;
    if (state !== 'backingOff') this.nextRetryAt = undefined;
    if (changed) {
      this.deps.log.debug(`[${this.monitor.id}] link ${describeLink(this.view())}`);
      this.stateChanged.fire(this.view());
    }
  }

  private settleFirstAttempt(): void {
    for (const resolve of this.firstAttempt.splice(0)) resolve();
  }
}

// One connection's life: connect, the handshake of docs/protocol.md (hello, setId,
// tasks + echo check unless the agent already runs the same set, start), then results
// in / acks out and heartbeats until the link ends. The reconnect loop around it lives
// in monitor-link.ts.
import { performance } from 'node:perf_hooks';
import {
  PROTOCOL_VERSION,
  tasksHash,
  type AgentMessage,
  type Gap,
  type MonitorConfig,
  type Result,
  type Started,
} from '../../protocol/src/index.js';
import { AgentConnection, LinkError } from './agent-connection.js';
import { firstDifference } from './echo-compare.js';
import type { HistoryStore } from './history-store.js';
import type { Logger } from './log.js';

export const SOFTWARE = 'netcam/0.1.0';

export interface SessionTimings {
  connectTimeoutMs: number;
  replyTimeoutMs: number;
  heartbeatMs: number;
  stopTimeoutMs: number;
}

export interface SessionHooks {
  onStarted(started: Started): void;
  /** `backlogUpTo`: the agent's last seq at hello; results up to it were produced while no manager was connected. */
  onResults(results: Result[], backlogUpTo: number): void;
  onGap(gap: Gap): void;
  onHeard(): void;
}

/** Agent error codes after which reconnecting would only repeat the failure. */
const FATAL_AGENT_ERRORS = new Set(['version_mismatch', 'invalid_tasks', 'echo_mismatch', 'replaced']);

/** What one results/gap message added to the history store. */
interface Written {
  results?: Result[];
  gap?: Gap;
  high: number;
}

export class LinkSession {
  private conn: AgentConnection | undefined;
  private readonly abort = new AbortController();
  private streaming = false;
  private stored = 0;
  /** Highest seq handed to the history store (stored once its append resolves). */
  private received = 0;
  /** The agent's `hello.lastSeq`: everything up to it is backlog (backfilled), later seqs are live. */
  private backlogUpTo = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private processing: Promise<void> = Promise.resolve();
  private stoppedWaiter: (() => void) | undefined;
  /** performance.now() when `started` arrived (undefined until then). */
  startedAt: number | undefined;

  constructor(
    private readonly monitor: MonitorConfig,
    private readonly key: Buffer,
    private readonly history: HistoryStore,
    private readonly log: Logger,
    private readonly timings: SessionTimings,
    private readonly hooks: SessionHooks,
  ) {}

  get isStreaming(): boolean {
    return this.streaming && !this.conn?.closed;
  }

  /** Runs the session; resolves with the reason it ended (never rejects). */
  async run(): Promise<LinkError> {
    try {
      await this.connectAndHandshake();
    } catch (err) {
      this.cleanup();
      const error = err instanceof LinkError ? err : new LinkError((err as Error).message);
      this.conn?.close(error);
      return error;
    }
    return new Promise<LinkError>((resolve) => {
      this.conn!.onClose((err) => {
        this.cleanup();
        resolve(err);
      });
    });
  }

  /** Sends `stop`, stores what the agent flushes, waits for `stopped` (bounded), closes. */
  async stop(): Promise<void> {
    const conn = this.conn;
    if (!conn || !this.isStreaming) {
      this.close('stopped');
      return;
    }
    const stopped = new Promise<void>((resolve) => (this.stoppedWaiter = resolve));
    conn.send({ type: 'stop' });
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.timings.stopTimeoutMs).unref());
    const closed = new Promise<'closed'>((resolve) => conn.onClose(() => resolve('closed')));
    const outcome = await Promise.race([stopped.then(() => 'stopped' as const), timer, closed]);
    if (outcome === 'timeout') this.log.warn(`[${this.monitor.id}] no "stopped" within ${this.timings.stopTimeoutMs / 1000} s; closing anyway`);
    if (outcome === 'closed') this.log.warn(`[${this.monitor.id}] link closed before the agent confirmed stop`);
    await this.processing;
    this.close('stopped');
  }

  /** Closes without `stop`: the agent keeps monitoring and buffering. */
  close(reason = 'closed by the manager'): void {
    this.abort.abort();
    this.cleanup();
    this.conn?.close(new LinkError(reason));
  }

  runNow(taskId: string): void {
    if (!this.isStreaming) throw new Error(`monitor "${this.monitor.id}" is not connected`);
    if (!this.monitor.tasks.some((t) => t.id === taskId)) throw new Error(`monitor "${this.monitor.id}" has no task "${taskId}"`);
    this.conn!.send({ type: 'runNow', taskId });
  }

  // ---- handshake

  private async connectAndHandshake(): Promise<void> {
    const { monitor, timings } = this;
    const conn = await AgentConnection.connect({ host: monitor.host, port: monitor.port, key: this.key, timeoutMs: timings.connectTimeoutMs }, this.abort.signal);
    this.conn = conn;
    if (this.abort.signal.aborted) throw new LinkError('cancelled');
    const expect = async <T extends AgentMessage['type']>(type: T, what: string): Promise<Extract<AgentMessage, { type: T }>> => {
      const m = await conn.receive(timings.replyTimeoutMs, what);
      this.hooks.onHeard();
      if (m.type === 'error') {
        throw new LinkError(`agent refused: ${m.code}: ${m.message}`, FATAL_AGENT_ERRORS.has(m.code));
      }
      if (m.type === 'heartbeat') return expect(type, what);
      if (m.type !== type) {
        conn.abort('unexpected_message', `expected ${type}, got ${m.type}`);
        throw new LinkError(`agent sent ${m.type} where ${type} was expected`);
      }
      return m as Extract<AgentMessage, { type: T }>;
    };

    conn.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'manager', software: SOFTWARE });
    const hello = await expect('hello', 'hello');
    if (hello.v !== PROTOCOL_VERSION) {
      conn.abort('version_mismatch', `manager speaks protocol v${PROTOCOL_VERSION}, agent v${hello.v}`);
      throw new LinkError(`agent speaks protocol v${hello.v}, this manager v${PROTOCOL_VERSION}`, true);
    }
    conn.send({ type: 'setId', monitorId: monitor.id });
    const idAck = await expect('idAck', 'idAck');
    if (idAck.monitorId !== monitor.id) {
      conn.abort('unexpected_message', `idAck.monitorId: sent ${monitor.id}, got ${idAck.monitorId}`);
      throw new LinkError(`agent acknowledged id "${idAck.monitorId}" instead of "${monitor.id}"`);
    }

    const hash = tasksHash(monitor.tasks);
    const resume = hello.tasksHash === hash && hello.monitorId === monitor.id;
    if (!resume) {
      conn.send({ type: 'tasks', tasks: monitor.tasks });
      for (let i = 0; i < monitor.tasks.length; i++) {
        const echo = await expect('taskEcho', `echo of tasks[${i}]`);
        const diff = echo.index !== i ? `tasks[${i}]: echoed as index ${echo.index}` : firstDifference(monitor.tasks[i], echo.task, `tasks[${i}]`);
        if (diff) this.refuseEcho(conn, diff);
      }
      const ready = await expect('tasksReady', 'tasksReady');
      if (ready.count !== monitor.tasks.length) this.refuseEcho(conn, `tasks: sent ${monitor.tasks.length}, agent ready with ${ready.count}`);
      if (ready.hash !== hash) this.refuseEcho(conn, `tasksHash: sent ${hash.slice(0, 12)}…, agent has ${ready.hash.slice(0, 12)}…`);
    }

    this.backlogUpTo = hello.lastSeq;
    let after = await this.history.lastSeq(monitor.id);
    if (hello.lastSeq < after) {
      // The agent's numbering went back: its spool was wiped. Accept its new numbering
      // instead of dropping every new result as a "duplicate".
      this.log.warn(`[${monitor.id}] agent's last seq is ${hello.lastSeq} but ${after} is stored: its data was reset; restarting seq tracking`);
      after = 0;
      await this.history.resetSeq(monitor.id, 0);
    }
    this.stored = after;
    this.received = after;
    conn.send({ type: 'start', after });
    const started = await expect('started', 'started');
    this.startedAt = performance.now();
    this.streaming = true;
    this.log.info(
      `[${monitor.id}] ${resume ? 'resumed' : 'sent'} ${monitor.tasks.length} task(s); agent ${started.restarted ? 'started them' : 'kept them running'}, backlog ${started.backlog}`,
    );
    this.hooks.onStarted(started);
    conn.stream((m) => this.enqueue(m));
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.timings.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private refuseEcho(conn: AgentConnection, diff: string): never {
    conn.abort('echo_mismatch', diff);
    throw new LinkError(`echo mismatch, tasks not started: ${diff}`, true);
  }

  // ---- streaming

  private enqueue(m: AgentMessage): void {
    this.hooks.onHeard();
    // The store write starts as soon as a batch arrives, so batches arriving while one is
    // being synced share the next sync (the history store group-commits). Acks and events
    // still go out one message after another, each only once its results are durable.
    const write = this.startWrite(m);
    this.processing = this.processing
      .then(async () => this.handle(m, await write))
      .catch((err) => {
        this.log.error(`[${this.monitor.id}] ${(err as Error).message}`);
        this.conn?.abort('internal', `manager could not store results: ${(err as Error).message}`);
      });
  }

  /** For results and gaps: drops what is already stored or on its way, and starts the append. */
  private startWrite(m: AgentMessage): Promise<Written | undefined> {
    if (m.type === 'results') {
      const fresh: Result[] = [];
      for (const r of m.items) {
        if (r.seq > this.received) {
          fresh.push(r);
          this.received = r.seq;
        }
      }
      const dropped = m.items.length - fresh.length;
      if (dropped) this.log.debug(`[${this.monitor.id}] dropped ${dropped} duplicate result(s)`);
      if (!fresh.length) return Promise.resolve(undefined);
      return this.history.append(this.monitor.id, fresh).then(() => ({ results: fresh, high: this.highOf(fresh) }));
    }
    if (m.type === 'gap' && m.toSeq > this.received) {
      this.received = m.toSeq;
      const gap: Gap = { fromSeq: m.fromSeq, toSeq: m.toSeq, count: m.count, reason: m.reason, fromTs: m.fromTs, toTs: m.toTs };
      return this.history.appendGap(this.monitor.id, gap).then(() => ({ gap, high: m.toSeq }));
    }
    return Promise.resolve(undefined);
  }

  private highOf(results: Result[]): number {
    return results[results.length - 1].seq;
  }

  private async handle(m: AgentMessage, written: Written | undefined): Promise<void> {
    const conn = this.conn!;
    switch (m.type) {
      case 'results':
      case 'gap': {
        if (written) {
          this.stored = written.high;
          if (written.results) this.hooks.onResults(written.results, this.backlogUpTo);
          if (written.gap) this.hooks.onGap(written.gap);
        }
        conn.send({ type: 'ack', seq: this.stored });
        return;
      }
      case 'stopped':
        conn.send({ type: 'ack', seq: this.stored });
        this.stoppedWaiter?.();
        return;
      case 'heartbeat':
        return;
      case 'error':
        this.log.warn(`[${this.monitor.id}] agent error: ${m.code}: ${m.message}`);
        conn.close(new LinkError(`agent closed the link: ${m.code}: ${m.message}`, FATAL_AGENT_ERRORS.has(m.code)));
        return;
      default:
        conn.abort('unexpected_message', `unexpected ${m.type} after start`);
    }
  }

  private heartbeat(): void {
    const conn = this.conn;
    if (!conn || conn.closed) return;
    const deadAfter = this.timings.heartbeatMs * 3;
    const silentMs = performance.now() - conn.lastHeard;
    if (silentMs > deadAfter) {
      conn.close(new LinkError(`agent silent for ${Math.round(silentMs / 1000)} s`));
      return;
    }
    if (conn.backedUpMs() > deadAfter) {
      conn.close(new LinkError(`writes to the agent not drained for ${Math.round(conn.backedUpMs() / 1000)} s`));
      return;
    }
    conn.send({ type: 'heartbeat', ts: new Date().toISOString(), ackedSeq: this.stored, lastSeq: this.stored, queued: 0 });
  }

  private cleanup(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.streaming = false;
    this.stoppedWaiter?.();
  }
}

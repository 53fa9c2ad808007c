// One authenticated manager session: the handshake after `hello` (setId, tasks + echo,
// start), then delivery from the spool (backlog first, then live, in seq order, results
// in batches of up to 1000), acks, runNow and stop. See docs/protocol.md.
import { performance } from 'node:perf_hooks';
import {
  FRAME_HEADER_BYTES,
  MAX_FRAME_BYTES,
  MAX_RESULTS_PER_MESSAGE,
  PROTOCOL_VERSION,
  tasksHash,
  type ManagerMessage,
  type Task,
} from '../../protocol/src/index.js';
import type { ManagerConnection } from './link/connection.js';
import type { LogSink } from './log.js';
import type { Spool } from './spool/spool.js';
import type { TaskSetChange } from './scheduler.js';
import { AGENT_SOFTWARE } from './version.js';

/** What a session needs from the agent around it. */
export interface SessionHost {
  readonly spool: Spool;
  readonly log: LogSink;
  readonly sendLogMs: number;
  monitorId(): string | null;
  runningHash(): string | null;
  runningCount(): number;
  setMonitorId(id: string): void;
  /** Makes `tasks` the running set (unchanged tasks keep their schedule). */
  applyTasks(tasks: Task[]): TaskSetChange;
  /** Ends every task and forgets the task set and monitor ID. */
  stopTasks(): Promise<void>;
  runNow(taskId: string): boolean;
  sessionClosed(session: ManagerSession, reason: string): void;
}

type State = 'awaitSetId' | 'identified' | 'tasksReceived' | 'streaming' | 'stopping' | 'stopped';

/** Bytes of result JSON per `results` frame, safely under the 1 MiB frame cap. */
const BATCH_BYTES = 900 * 1024;
const RESULTS_PREFIX = Buffer.from('{"type":"results","items":[');
const RESULTS_SUFFIX = Buffer.from(']}');
const COMMA = Buffer.from(',');
/** Socket buffer above which the pump waits for 'drain'. */
const HIGH_WATER = 2 * 1024 * 1024;

export class ManagerSession {
  private state: State = 'awaitSetId';
  private pendingTasks: Task[] | null = null;
  private cursor = 0;
  private pumping = false;
  private pumpWanted = false;
  private idleWaiters: Array<() => void> = [];
  private unsubscribe: (() => void) | null = null;
  private backlog: { target: number; from: number; count: number; startedAt: number } | null = null;
  private sentSinceLog = { n: 0, from: 0, to: 0, at: performance.now() };
  private logTimer: NodeJS.Timeout | null = null;
  /** Results (items) delivered in this session. */
  delivered = 0;

  constructor(
    private readonly host: SessionHost,
    readonly conn: ManagerConnection,
  ) {
    conn.attach({
      onMessage: (m) => this.onMessage(m),
      onClose: (reason) => this.onClose(reason),
      heartbeatState: () => ({
        ackedSeq: host.spool.ackedSeq,
        lastSeq: host.spool.lastSeq,
        queued: this.state === 'streaming' || this.state === 'stopping' ? host.spool.pendingAfter(this.cursor) : host.spool.pendingAfter(0),
      }),
    });
    conn.startHeartbeats();
    conn.send({
      type: 'hello',
      v: PROTOCOL_VERSION,
      role: 'agent',
      software: AGENT_SOFTWARE,
      monitorId: host.monitorId(),
      tasksHash: host.runningHash(),
      lastSeq: host.spool.lastSeq,
      ackedSeq: host.spool.ackedSeq,
    });
  }

  /** True once `start` was handled: results flow to this manager. */
  get streaming(): boolean {
    return this.state === 'streaming';
  }

  /** A newer session took over: tell this manager and close. */
  replace(): void {
    this.conn.fail('replaced', 'another manager session authenticated; this one is closed');
  }

  /** The agent is shutting down. */
  shutdown(): void {
    this.conn.fail('shutting_down', 'the agent is shutting down');
  }

  private onMessage(m: ManagerMessage): void {
    switch (m.type) {
      case 'heartbeat':
        return;
      case 'error':
        this.host.log(`manager sent error ${m.code}: ${m.message}`);
        this.conn.close(`manager error ${m.code}`);
        return;
      case 'setId':
        if (this.state !== 'awaitSetId') return this.unexpected(m.type);
        this.host.setMonitorId(m.monitorId);
        this.conn.send({ type: 'idAck', monitorId: m.monitorId });
        this.state = 'identified';
        return;
      case 'tasks': {
        if (this.state !== 'identified') return this.unexpected(m.type);
        this.pendingTasks = m.tasks;
        const hash = tasksHash(m.tasks);
        this.host.log(`tasks received: ${m.tasks.length} (hash ${hash.slice(0, 12)})`);
        this.conn.cork();
        m.tasks.forEach((task, index) => this.conn.send({ type: 'taskEcho', index, task }));
        this.conn.send({ type: 'tasksReady', count: m.tasks.length, hash });
        this.conn.uncork();
        this.state = 'tasksReceived';
        return;
      }
      case 'start':
        if (this.state !== 'identified' && this.state !== 'tasksReceived') return this.unexpected(m.type);
        this.start(m.after);
        return;
      case 'ack':
        if (this.state !== 'streaming' && this.state !== 'stopping' && this.state !== 'stopped') return this.unexpected(m.type);
        // A manager cannot have stored what was never sent to it.
        this.host.spool.ack(Math.min(m.seq, this.cursor));
        return;
      case 'runNow':
        if (this.state !== 'streaming') return this.unexpected(m.type);
        if (!this.host.runNow(m.taskId)) this.host.log(`runNow ${m.taskId}: no such task, or it is running already`);
        return;
      case 'stop':
        if (this.state === 'stopping' || this.state === 'stopped' || this.state === 'awaitSetId') return this.unexpected(m.type);
        void this.stop();
        return;
      case 'hello':
        return this.unexpected(m.type);
    }
  }

  private unexpected(type: string): void {
    this.conn.fail('unexpected_message', `${type} is not expected now (session state: ${this.state})`);
  }

  private start(after: number): void {
    const spool = this.host.spool;
    let restarted = false;
    if (this.pendingTasks) {
      const before = this.host.runningHash();
      const change = this.host.applyTasks(this.pendingTasks);
      restarted = before !== tasksHash(this.pendingTasks);
      this.host.log(
        restarted
          ? `tasks started: ${this.pendingTasks.length} (${change.kept} kept on schedule, ${change.added} new, ${change.changed} changed, ${change.removed} removed)`
          : `tasks resumed: ${this.pendingTasks.length} already running, not restarted`,
      );
      this.pendingTasks = null;
    } else if (this.host.runningCount() === 0) {
      this.conn.fail('not_ready', 'no tasks are running: send tasks before start');
      return;
    } else {
      this.host.log(`tasks resumed: ${this.host.runningCount()} already running, not restarted`);
    }
    // The manager holds everything up to `after`; if that is beyond our last seq (e.g. the
    // agent's spool was wiped) new results must still be newer than what it has.
    if (after > spool.lastSeq) spool.skipTo(after);
    spool.ack(after);
    this.cursor = Math.max(after, spool.ackedSeq);
    const backlog = spool.pendingAfter(this.cursor);
    this.conn.send({ type: 'started', tasks: this.host.runningCount(), restarted, backlog });
    this.state = 'streaming';
    if (backlog > 0) {
      this.backlog = { target: spool.lastSeq, from: this.cursor + 1, count: 0, startedAt: performance.now() };
      this.host.log(`handing over a backlog of ${backlog} result(s) (seq ${this.cursor + 1}-${spool.lastSeq})`);
    }
    this.unsubscribe = spool.onWritten(() => this.pump());
    this.logTimer = setInterval(() => this.logSent(), this.host.sendLogMs);
    this.logTimer.unref();
    this.pump();
  }

  private async stop(): Promise<void> {
    const wasStreaming = this.state === 'streaming';
    this.state = 'stopping';
    const n = this.host.runningCount();
    this.host.log(`stop received: stopping ${n} task(s)`);
    await this.host.stopTasks();
    await this.host.spool.flush();
    if (!wasStreaming) {
      this.cursor = this.host.spool.ackedSeq;
      if (!this.unsubscribe) this.unsubscribe = this.host.spool.onWritten(() => this.pump());
    }
    const target = this.host.spool.writtenSeq;
    // A full pump run delivers everything readable; a second covers a race with the last write.
    for (let i = 0; i < 2 && !this.conn.isClosed && this.cursor < target; i++) {
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      this.pump();
      await idle;
    }
    if (this.conn.isClosed) return;
    this.logSent();
    this.conn.send({ type: 'stopped', lastSeq: this.host.spool.lastSeq });
    this.state = 'stopped';
    this.host.log(`stopped: tasks ended, results up to seq ${this.cursor} handed over; back to listening`);
  }

  /** Sends whatever the spool has after the cursor; re-runs itself when more is written. */
  private pump(): void {
    if (this.pumping) {
      this.pumpWanted = true;
      return;
    }
    this.pumping = true;
    this.pumpLoop()
      .catch((err: unknown) => {
        this.host.log(`delivery failed: ${(err as Error).message}`);
        this.conn.fail('internal', 'delivery failed');
      })
      .finally(() => {
        this.pumping = false;
        if (this.pumpWanted && !this.conn.isClosed) {
          this.pump();
          return;
        }
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      });
  }

  private async pumpLoop(): Promise<void> {
    const spool = this.host.spool;
    for (;;) {
      this.pumpWanted = false;
      if (this.conn.isClosed) return;
      const batch = await spool.readBatch(this.cursor, MAX_RESULTS_PER_MESSAGE, BATCH_BYTES);
      if (this.conn.isClosed) return;
      if (!batch) {
        if (!this.pumpWanted) return;
        continue;
      }
      if (batch.kind === 'gap') {
        this.conn.send({ type: 'gap', ...batch.gap });
        this.host.log(`gap sent: ${batch.gap.count} result(s) lost (seq ${batch.gap.fromSeq}-${batch.gap.toSeq}): ${batch.gap.reason}`);
        this.cursor = batch.gap.toSeq;
      } else {
        this.sendResults(batch.items, batch.seqs, batch.bytes);
      }
      this.noteBacklogProgress();
      if (this.conn.writableLength > HIGH_WATER && !(await this.conn.waitDrain())) return;
    }
  }

  private sendResults(items: Buffer[], seqs: number[], bytes: number): void {
    // items are the results' JSON exactly as spooled: the frame is assembled from them
    // without parsing or re-encoding.
    const frameBytes = FRAME_HEADER_BYTES + RESULTS_PREFIX.length + bytes + Math.max(0, items.length - 1) + RESULTS_SUFFIX.length;
    if (frameBytes > MAX_FRAME_BYTES + FRAME_HEADER_BYTES) {
      if (items.length === 1) {
        // Only possible for one enormous result: it cannot travel, so say so instead.
        const ts = new Date().toISOString();
        this.conn.send({ type: 'gap', fromSeq: seqs[0], toSeq: seqs[0], count: 1, reason: 'result too large to send', fromTs: ts, toTs: ts });
        this.cursor = seqs[0];
        return;
      }
      const half = Math.ceil(items.length / 2);
      const size = (list: Buffer[]): number => list.reduce((n, b) => n + b.length, 0);
      this.sendResults(items.slice(0, half), seqs.slice(0, half), size(items.slice(0, half)));
      this.sendResults(items.slice(half), seqs.slice(half), size(items.slice(half)));
      return;
    }
    const parts: Buffer[] = new Array(items.length * 2 + 2);
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    header.writeUInt32BE(frameBytes - FRAME_HEADER_BYTES, 0);
    parts[0] = Buffer.concat([header, RESULTS_PREFIX]);
    for (let i = 0; i < items.length; i++) {
      parts[2 * i + 1] = items[i];
      parts[2 * i + 2] = i + 1 < items.length ? COMMA : RESULTS_SUFFIX;
    }
    parts.length = items.length * 2 + 1;
    this.conn.sendFrame(Buffer.concat(parts, frameBytes));
    const firstSeq = seqs[0];
    const lastSeq = seqs[seqs.length - 1];
    this.cursor = lastSeq;
    this.delivered += items.length;
    const s = this.sentSinceLog;
    if (!s.n) s.from = firstSeq;
    s.n += items.length;
    s.to = lastSeq;
    if (this.backlog) this.backlog.count += items.length;
  }

  private noteBacklogProgress(): void {
    const b = this.backlog;
    if (!b || this.cursor < b.target) return;
    this.backlog = null;
    const ms = performance.now() - b.startedAt;
    const rate = ms > 0 ? Math.round((b.count / ms) * 1000) : b.count;
    this.host.log(`backlog handed over: ${b.count} result(s) (seq ${b.from}-${b.target}) in ${Math.round(ms)} ms (${rate}/s)`);
  }

  private logSent(): void {
    const s = this.sentSinceLog;
    if (!s.n) return;
    this.host.log(`results sent: ${s.n} (seq ${s.from}-${s.to})`);
    this.sentSinceLog = { n: 0, from: 0, to: 0, at: performance.now() };
  }

  private onClose(reason: string): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.logTimer) clearInterval(this.logTimer);
    this.logSent();
    for (const w of this.idleWaiters) w();
    this.idleWaiters = [];
    this.host.sessionClosed(this, reason);
  }
}

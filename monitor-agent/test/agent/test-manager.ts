// A small manager peer for the agent tests: a real TLS-PSK (or plain) socket on loopback,
// the real frame codec and message validation from protocol/. Not a mock of the agent:
// it is the other end of the wire, with just enough logic to drive a handshake, collect
// results, ack them and check seq order.
import net from 'node:net';
import tls from 'node:tls';
import {
  checkTask,
  encodeFrame,
  FrameDecoder,
  parseAgentMessage,
  PROTOCOL_VERSION,
  PSK_IDENTITY,
  type AgentMessage,
  type Gap,
  type ManagerMessage,
  type Result,
  type Task,
} from '../../../protocol/src/index.js';

export interface ConnectOptions {
  host?: string;
  port: number;
  key: Buffer | null;
  /** Send an ack after every results/gap message (default true). */
  autoAck?: boolean;
  /** Heartbeat period in ms; 0 = never (a silent manager). Default 250. */
  heartbeatMs?: number;
}

export class TestManager {
  readonly inbox: AgentMessage[] = [];
  readonly results: Result[] = [];
  readonly gaps: Gap[] = [];
  /** Arrival time (performance.now()) of each result, same index as `results`. */
  readonly arrivals: number[] = [];
  closed = false;
  closeError: string | null = null;
  autoAck: boolean;
  /** Highest seq covered by results or gaps received (what we "stored"). */
  stored = 0;
  private waiters: Array<() => void> = [];
  private readonly decoder = new FrameDecoder();
  private heartbeat: NodeJS.Timeout | null = null;

  private constructor(readonly socket: net.Socket, opts: ConnectOptions) {
    this.autoAck = opts.autoAck ?? true;
    socket.on('data', (chunk: Buffer) => {
      let payloads: unknown[];
      try {
        payloads = this.decoder.push(chunk);
      } catch (err) {
        this.closeError = (err as Error).message;
        socket.destroy();
        return;
      }
      for (const p of payloads) this.onMessage(parseAgentMessage(p));
      this.wake();
    });
    socket.on('error', (err) => {
      this.closeError ??= err.message;
    });
    socket.on('close', () => {
      this.closed = true;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.wake();
    });
    const every = opts.heartbeatMs ?? 250;
    if (every > 0) {
      this.heartbeat = setInterval(() => {
        if (!this.closed) this.send({ type: 'heartbeat', ts: new Date().toISOString(), ackedSeq: this.stored, lastSeq: 0, queued: 0 });
      }, every);
    }
  }

  /** Stop sending heartbeats (play a manager that went silent). */
  silence(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.autoAck = false;
  }

  static connect(opts: ConnectOptions): Promise<TestManager> {
    return new Promise((resolve, reject) => {
      const host = opts.host ?? '127.0.0.1';
      const socket = opts.key
        ? tls.connect({
            host,
            port: opts.port,
            minVersion: 'TLSv1.3',
            pskCallback: () => ({ identity: PSK_IDENTITY, psk: opts.key! }),
            checkServerIdentity: () => undefined,
          })
        : net.connect({ host, port: opts.port });
      const ready = opts.key ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('test manager: connect timed out'));
      }, 10_000);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once(ready, () => {
        clearTimeout(timer);
        const m = new TestManager(socket, opts);
        m.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'manager', software: 'test-manager/1' });
        resolve(m);
      });
    });
  }

  send(message: ManagerMessage | Record<string, unknown>): void {
    this.socket.write(encodeFrame(message));
  }

  private onMessage(m: AgentMessage): void {
    this.inbox.push(m);
    if (m.type === 'results') {
      const now = performance.now();
      for (const r of m.items) {
        this.results.push(r);
        this.arrivals.push(now);
      }
      this.stored = Math.max(this.stored, m.items[m.items.length - 1].seq);
      if (this.autoAck) this.send({ type: 'ack', seq: this.stored });
    } else if (m.type === 'gap') {
      this.gaps.push(m);
      this.stored = Math.max(this.stored, m.toSeq);
      if (this.autoAck) this.send({ type: 'ack', seq: this.stored });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Polls `cond` on every arrival until true; rejects after `timeoutMs` with `what`. */
  async waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!cond()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`test manager: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The first message of `type` not yet taken (non-matching messages stay in the inbox). */
  async take<T extends AgentMessage['type']>(type: T, timeoutMs = 10_000): Promise<Extract<AgentMessage, { type: T }>> {
    let found: AgentMessage | undefined;
    await this.waitFor(`a ${type} message`, () => {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i < 0) return false;
      found = this.inbox.splice(i, 1)[0];
      return true;
    }, timeoutMs);
    return found as Extract<AgentMessage, { type: T }>;
  }

  /**
   * The handshake of docs/protocol.md. If `tasks` is given they are sent (case B) and every
   * echo is compared with the task as the agent should have parsed it; otherwise `start`
   * goes straight after `setId` (case A). Returns the agent's hello, echoes and started.
   */
  async handshake(monitorId: string, tasks: unknown[] | null, after = this.stored): Promise<{
    hello: Extract<AgentMessage, { type: 'hello' }>;
    echoes: Task[];
    mismatches: string[];
    started: Extract<AgentMessage, { type: 'started' }>;
  }> {
    const hello = await this.take('hello');
    this.send({ type: 'setId', monitorId });
    await this.take('idAck');
    const echoes: Task[] = [];
    const mismatches: string[] = [];
    if (tasks) {
      this.send({ type: 'tasks', tasks });
      for (let i = 0; i < tasks.length; i++) {
        const echo = await this.take('taskEcho');
        echoes[echo.index] = echo.task;
      }
      await this.take('tasksReady');
      mismatches.push(...compareEchoes(tasks, echoes));
    }
    this.stored = Math.max(this.stored, after);
    this.send({ type: 'start', after });
    const started = await this.take('started');
    return { hello, echoes, mismatches, started };
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}

/** What a manager does with the echo: parse what it sent (defaults applied) and compare. */
export function compareEchoes(sent: unknown[], echoes: Task[]): string[] {
  const out: string[] = [];
  sent.forEach((raw, i) => {
    const parsed = checkTask(raw, `tasks[${i}]`);
    if (!parsed.ok) {
      out.push(`tasks[${i}]: invalid`);
      return;
    }
    const expected = parsed.value as unknown as Record<string, unknown>;
    const got = (echoes[i] ?? {}) as unknown as Record<string, unknown>;
    for (const key of new Set([...Object.keys(expected), ...Object.keys(got)])) {
      if (JSON.stringify(expected[key]) !== JSON.stringify(got[key])) {
        out.push(`tasks[${i}].${key}: sent ${JSON.stringify(expected[key])}, echoed ${JSON.stringify(got[key])}`);
      }
    }
  });
  return out;
}

/** Asserts the seqs form 1..n (or from..to) exactly once each, counting gaps as delivered. */
export function seqCoverage(results: readonly Result[], gaps: readonly Gap[]): { missing: number[]; duplicates: number[]; max: number } {
  const seen = new Map<number, number>();
  for (const r of results) seen.set(r.seq, (seen.get(r.seq) ?? 0) + 1);
  for (const g of gaps) for (let s = g.fromSeq; s <= g.toSeq; s++) seen.set(s, (seen.get(s) ?? 0) + 1);
  const max = Math.max(0, ...seen.keys());
  const missing: number[] = [];
  const duplicates: number[] = [];
  for (let s = 1; s <= max; s++) {
    const n = seen.get(s) ?? 0;
    if (n === 0) missing.push(s);
    if (n > 1) duplicates.push(s);
  }
  return { missing, duplicates, max };
}

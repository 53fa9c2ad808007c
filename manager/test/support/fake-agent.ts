// A small agent peer written against protocol/ alone, for tests that need to control what
// the agent says (echo mismatch, gaps) or to run link tests without the real agent.
// It speaks the handshake of docs/protocol.md, produces one result per task every
// `resultEveryMs`, keeps unacknowledged results in memory and resends them after `after`.
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import {
  encodeFrame,
  FrameDecoder,
  parseManagerMessage,
  parseSecret,
  PROTOCOL_VERSION,
  taskTarget,
  tasksHash,
  type AgentMessage,
  type Result,
  type Task,
} from '../../../protocol/src/index.js';

export interface FakeAgentOptions {
  secret: string;
  port?: number;
  /** Alters the echo of a task (for the echo-mismatch test). */
  alterEcho?: (task: Task, index: number) => Task;
  resultEveryMs?: number;
}

export class FakeAgent {
  monitorId: string | null = null;
  tasks: Task[] = [];
  seq = 0;
  ackedSeq = 0;
  spool: Result[] = [];
  received: string[] = [];
  /** The `lastSeq` of every hello this agent sent, in order. */
  helloLastSeqs: number[] = [];
  private pending: Task[] | null = null;
  private timers: NodeJS.Timeout[] = [];
  private live: tls.TLSSocket | null = null;
  private current: tls.TLSSocket | null = null;
  private readonly sockets = new Set<tls.TLSSocket>();
  private constructor(private readonly server: tls.Server, private readonly opts: FakeAgentOptions) {}

  static async start(opts: FakeAgentOptions): Promise<FakeAgent> {
    const key = parseSecret(opts.secret);
    const server = tls.createServer({ minVersion: 'TLSv1.3', pskCallback: () => key });
    const agent = new FakeAgent(server, opts);
    server.on('secureConnection', (s) => agent.accept(s));
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
    return agent;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Cuts every connection (a network failure); tasks keep running and spooling. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.live = null;
  }

  /** Drops the oldest `count` spooled results and tells the manager, as a full spool would. */
  sendGap(count: number, reason = 'spool budget reached'): void {
    const dropped = this.spool.splice(0, count);
    const socket = this.current;
    if (!dropped.length || !socket) throw new Error('fake agent: nothing to drop or no connection');
    const first = dropped[0];
    const last = dropped[dropped.length - 1];
    socket.write(encodeFrame({ type: 'gap', fromSeq: first.seq, toSeq: last.seq, count: dropped.length, reason, fromTs: first.ts, toTs: last.ts }));
    if (this.spool.length) socket.write(encodeFrame({ type: 'results', items: this.spool }));
    this.live = socket;
  }

  /** Stops producing results and holds back new ones (to build a spool for sendGap). */
  pauseDelivery(): void {
    this.live = null;
  }

  async close(): Promise<void> {
    this.stopTasks();
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: tls.TLSSocket): void {
    this.sockets.add(socket);
    this.current = socket;
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.live === socket) this.live = null;
    });
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder();
    const send = (m: AgentMessage) => socket.writable && socket.write(encodeFrame(m));
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const m = parseManagerMessage(frame);
        this.received.push(m.type);
        switch (m.type) {
          case 'hello':
            this.helloLastSeqs.push(this.seq);
            send({
              type: 'hello', v: PROTOCOL_VERSION, role: 'agent', software: 'fake-agent/0',
              monitorId: this.monitorId, tasksHash: this.tasks.length ? tasksHash(this.tasks) : null, lastSeq: this.seq, ackedSeq: this.ackedSeq,
            });
            break;
          case 'setId':
            this.monitorId = m.monitorId;
            send({ type: 'idAck', monitorId: m.monitorId });
            break;
          case 'tasks':
            this.pending = m.tasks;
            m.tasks.forEach((t, i) => send({ type: 'taskEcho', index: i, task: this.opts.alterEcho ? this.opts.alterEcho(structuredClone(t), i) : t }));
            send({ type: 'tasksReady', count: m.tasks.length, hash: tasksHash(m.tasks) });
            break;
          case 'start': {
            const restarted = this.pending !== null;
            if (this.pending) {
              this.stopTasks();
              this.tasks = this.pending;
              this.pending = null;
              this.startTasks();
            }
            this.live = socket;
            const backlog = this.spool.filter((r) => r.seq > m.after);
            send({ type: 'started', tasks: this.tasks.length, restarted, backlog: backlog.length });
            if (backlog.length) send({ type: 'results', items: backlog });
            break;
          }
          case 'ack':
            this.ackedSeq = Math.max(this.ackedSeq, m.seq);
            this.spool = this.spool.filter((r) => r.seq > m.seq);
            break;
          case 'stop':
            this.stopTasks();
            this.tasks = [];
            send({ type: 'stopped', lastSeq: this.seq });
            break;
          default:
            break;
        }
      }
    });
  }

  private startTasks(): void {
    for (const task of this.tasks) {
      const run = () => this.produce(task);
      run();
      this.timers.push(setInterval(run, this.opts.resultEveryMs ?? task.interval * 1000));
    }
  }

  private stopTasks(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private produce(task: Task): void {
    this.seq += 1;
    const r: Result = {
      monitorId: this.monitorId ?? 'unset', taskId: task.id, type: task.type, target: taskTarget(task),
      seq: this.seq, ts: new Date().toISOString(), status: 'up', latencyMs: 0.5, error: null, details: {},
    };
    this.spool.push(r);
    if (this.live?.writable) this.live.write(encodeFrame({ type: 'results', items: [r] }));
  }
}

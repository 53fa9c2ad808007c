// The agent's listener. Every accepted socket is unauthenticated until the TLS-PSK
// handshake is done AND a valid manager `hello` arrived; that must happen within
// `handshakeMs`. At most `maxUnauthenticated` such sockets exist at once: a new one
// evicts the oldest that has not finished TLS (so idle or slow peers cannot lock a real
// manager out; a manager's handshake on a LAN takes milliseconds). Failed attempts are
// logged at most once per 10 s. Authenticated links are handed to `onManager`.
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { PROTOCOL_VERSION, PSK_IDENTITY, type HelloFromManager } from '../../../protocol/src/index.js';
import { RateLimitedLog, type LogSink } from '../log.js';
import { ManagerConnection, type LinkTiming, type RateLimit } from './connection.js';

export interface ListenerOptions {
  host: string;
  port: number;
  /** The pairing key; null = plaintext (loopback debugging only, checked by the caller). */
  psk: Buffer | null;
  timing: LinkTiming;
  rate?: RateLimit;
  maxUnauthenticated?: number;
  log: LogSink;
  onManager(conn: ManagerConnection, hello: HelloFromManager): void;
}

interface Pending {
  raw: net.Socket;
  startedAt: number;
  tlsDone: boolean;
  timer: NodeJS.Timeout;
  conn: ManagerConnection | null;
}

export class AgentListener {
  private readonly server: net.Server;
  private readonly pending = new Set<Pending>();
  private readonly authenticated = new Set<ManagerConnection>();
  private readonly failures: RateLimitedLog;
  private readonly secureContext: tls.SecureContext | null;
  private readonly maxUnauthenticated: number;
  /** Counters for tests and status. */
  readonly counters = { accepted: 0, evicted: 0, failed: 0, authenticated: 0 };

  constructor(private readonly opts: ListenerOptions) {
    this.maxUnauthenticated = opts.maxUnauthenticated ?? 4;
    this.failures = new RateLimitedLog(opts.log, 10_000);
    this.secureContext = opts.psk
      ? // TLS 1.3 only; with a PSK and no certificate, only PSK handshakes can succeed.
        tls.createSecureContext({ minVersion: 'TLSv1.3' })
      : null;
    this.server = net.createServer({ pauseOnConnect: false }, (raw) => this.accept(raw));
    this.server.maxConnections = 64;
  }

  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host: this.opts.host, port: this.opts.port, exclusive: true }, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.opts.log(`listener error: ${err.message}`));
        const a = this.server.address() as net.AddressInfo;
        resolve({ host: a.address, port: a.port });
      });
    });
  }

  /** Stops accepting and closes every socket, authenticated or not. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const p of this.pending) this.drop(p);
    for (const c of this.authenticated) c.destroy('agent shutting down');
    this.failures.close();
    await closed;
  }

  get unauthenticatedCount(): number {
    return this.pending.size;
  }

  private accept(raw: net.Socket): void {
    this.counters.accepted++;
    raw.on('error', () => undefined); // reported through the TLS socket or ignored
    if (this.pending.size >= this.maxUnauthenticated) {
      // Evict the oldest peer still in the TLS handshake; if all finished TLS, the oldest.
      const victims = [...this.pending].sort((a, b) => Number(a.tlsDone) - Number(b.tlsDone) || a.startedAt - b.startedAt);
      const victim = victims[0];
      this.counters.evicted++;
      this.failed(`too many unauthenticated connections; closed the oldest (${victim.raw.remoteAddress ?? '?'})`);
      this.drop(victim);
    }
    const remote = `${raw.remoteAddress ?? '?'}:${raw.remotePort ?? '?'}`;
    const p: Pending = {
      raw,
      startedAt: performance.now(),
      tlsDone: false,
      conn: null,
      timer: setTimeout(() => {
        this.failed(`${remote}: no TLS handshake and hello within ${this.opts.timing.handshakeMs} ms`);
        this.drop(p);
      }, this.opts.timing.handshakeMs),
    };
    this.pending.add(p);
    raw.once('close', () => this.forget(p));

    if (!this.secureContext) {
      p.tlsDone = true;
      this.awaitHello(p, raw, remote);
      return;
    }
    const key = this.opts.psk!;
    const socket = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: this.secureContext,
      pskCallback: (_s: tls.TLSSocket, identity: string) => (identity === PSK_IDENTITY ? key : null),
    } as tls.TLSSocketOptions);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!p.tlsDone) this.failed(`${remote}: TLS handshake failed (${err.code ?? err.message})`);
      socket.destroy();
    });
    socket.once('secure', () => {
      p.tlsDone = true;
      this.awaitHello(p, socket, remote);
    });
  }

  private awaitHello(p: Pending, socket: net.Socket, remote: string): void {
    const conn = new ManagerConnection(socket, this.opts.timing, this.opts.rate);
    p.conn = conn;
    let done = false;
    conn.attach({
      heartbeatState: () => ({ ackedSeq: 0, lastSeq: 0, queued: 0 }),
      onClose: (reason) => {
        if (!done) this.failed(`${remote}: closed before hello (${reason})`);
      },
      onMessage: (message) => {
        if (done) return;
        done = true;
        if (message.type !== 'hello') {
          this.failed(`${remote}: first message was ${message.type}, not hello`);
          conn.fail('unexpected_message', `expected hello, got ${message.type}`);
          return;
        }
        if (message.v !== PROTOCOL_VERSION) {
          this.failed(`${remote}: protocol version ${message.v}, this agent speaks ${PROTOCOL_VERSION}`);
          conn.fail('version_mismatch', `agent speaks protocol v${PROTOCOL_VERSION}, manager sent v${message.v}`);
          return;
        }
        clearTimeout(p.timer);
        this.pending.delete(p);
        this.authenticated.add(conn);
        this.counters.authenticated++;
        socket.once('close', () => this.authenticated.delete(conn));
        this.opts.onManager(conn, message);
      },
    });
  }

  private failed(message: string): void {
    this.counters.failed++;
    this.failures.note(`rejected connection: ${message}`);
  }

  private drop(p: Pending): void {
    this.forget(p);
    if (p.conn) p.conn.destroy('unauthenticated');
    p.raw.destroy();
  }

  private forget(p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(p);
  }
}

// One TLS-PSK socket to an agent, speaking frames: send() encodes, incoming frames are
// decoded, validated with parseAgentMessage and handed out either one at a time
// (receive(), for the handshake) or to a handler (for the streaming phase).
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import {
  encodeFrame,
  FrameDecoder,
  parseAgentMessage,
  PSK_IDENTITY,
  type AgentMessage,
  type ManagerMessage,
} from '../../protocol/src/index.js';

export class LinkError extends Error {
  /** `fatal`: retrying cannot help (the link goes to `error` instead of backing off). */
  constructor(message: string, readonly fatal = false) {
    super(message);
    this.name = 'LinkError';
  }
}

function describeSocketError(err: NodeJS.ErrnoException, where: string): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where}`;
    case 'ECONNRESET':
      return `connection reset by ${where}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${where}`;
    case 'ERR_SSL_DECRYPT_ERROR':
    case 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY':
      return `TLS handshake with ${where} failed (wrong pairing secret?): ${err.message.split('\n')[0]}`;
    default:
      if (err.code?.startsWith('ERR_SSL')) return `TLS error with ${where}: ${err.message.split('\n')[0]}`;
      return `${where}: ${err.message.split('\n')[0]}`;
  }
}

export interface ConnectOptions {
  host: string;
  port: number;
  key: Buffer;
  timeoutMs: number;
}

export class AgentConnection {
  private readonly decoder = new FrameDecoder();
  private readonly queue: AgentMessage[] = [];
  private waiter: { resolve: (m: AgentMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;
  private handler: ((m: AgentMessage) => void) | undefined;
  private closedError: LinkError | undefined;
  private closeListeners: ((err: LinkError) => void)[] = [];
  /** performance.now() of the last frame received. */
  lastHeard = performance.now();
  /** performance.now() since when the socket's write buffer has been non-empty (undefined: drained). */
  private backedUpSince: number | undefined;

  private constructor(private readonly socket: tls.TLSSocket, readonly where: string) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => this.fail(new LinkError(describeSocketError(err, this.where))));
    socket.on('close', () => this.fail(new LinkError(`${this.where} closed the connection`)));
    socket.on('drain', () => (this.backedUpSince = undefined));
  }

  /** TCP connect + TLS 1.3 PSK handshake, both within `timeoutMs`. */
  static connect(opts: ConnectOptions, signal?: AbortSignal): Promise<AgentConnection> {
    const where = `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host: opts.host,
        port: opts.port,
        minVersion: 'TLSv1.3',
        maxVersion: 'TLSv1.3',
        pskCallback: () => ({ identity: PSK_IDENTITY, psk: opts.key }),
        // PSK authenticates both sides; there is no certificate to check.
        checkServerIdentity: () => undefined,
      });
      let settled = false;
      const done = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (err) {
          socket.destroy();
          reject(err);
        } else {
          socket.setNoDelay(true);
          socket.setKeepAlive(true, 15_000);
          resolve(new AgentConnection(socket, where));
        }
      };
      const onError = (err: NodeJS.ErrnoException) => done(new LinkError(describeSocketError(err, where)));
      const onClose = () => done(new LinkError(`${where} closed the connection during the TLS handshake (wrong pairing secret?)`));
      const onAbort = () => done(new LinkError('connect cancelled'));
      const timer = setTimeout(() => done(new LinkError(`no TLS handshake with ${where} within ${Math.round(opts.timeoutMs / 1000)} s`)), opts.timeoutMs);
      socket.once('secureConnect', () => done());
      socket.on('error', onError);
      socket.on('close', onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  send(message: ManagerMessage): void {
    if (this.closedError) return;
    this.socket.write(encodeFrame(message));
    if (this.socket.writableLength > 0 && this.backedUpSince === undefined) this.backedUpSince = performance.now();
  }

  /** Milliseconds the write buffer has stayed non-empty (0 when drained). */
  backedUpMs(): number {
    if (this.socket.writableLength === 0) this.backedUpSince = undefined;
    return this.backedUpSince === undefined ? 0 : performance.now() - this.backedUpSince;
  }

  /** The next message; rejects on timeout, on close, and on an `error` message from the agent. */
  receive(timeoutMs: number, what: string): Promise<AgentMessage> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new LinkError(`no ${what} from ${this.where} within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  /** From now on, every message goes to `handler` (queued ones first). */
  stream(handler: (m: AgentMessage) => void): void {
    this.handler = handler;
    for (const m of this.queue.splice(0)) handler(m);
  }

  onClose(listener: (err: LinkError) => void): void {
    if (this.closedError) listener(this.closedError);
    else this.closeListeners.push(listener);
  }

  /** Sends `error` (best effort) and closes. */
  abort(code: 'echo_mismatch' | 'version_mismatch' | 'bad_message' | 'unexpected_message' | 'timeout' | 'internal', message: string): void {
    this.send({ type: 'error', code, message: message.slice(0, 2000) });
    this.close(new LinkError(message));
  }

  /** Ends the socket after pending writes; destroys it if that takes more than a second. */
  close(reason = new LinkError('closed by the manager')): void {
    if (this.closedError) return;
    this.fail(reason, false);
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private onData(chunk: Buffer): void {
    this.lastHeard = performance.now();
    let frames: unknown[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.abort('bad_message', `${this.where} sent a bad frame: ${(err as Error).message}`);
      return;
    }
    for (const frame of frames) {
      if (this.closedError) return;
      let message: AgentMessage;
      try {
        message = parseAgentMessage(frame);
      } catch (err) {
        this.abort('bad_message', `${this.where} sent an invalid message: ${(err as Error).message}`);
        return;
      }
      this.deliver(message);
    }
  }

  private deliver(message: AgentMessage): void {
    if (this.handler) {
      this.handler(message);
    } else if (this.waiter) {
      const { resolve, timer } = this.waiter;
      clearTimeout(timer);
      this.waiter = undefined;
      resolve(message);
    } else {
      this.queue.push(message);
    }
  }

  private fail(err: LinkError, destroy = true): void {
    if (this.closedError) return;
    this.closedError = err;
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter.reject(err);
      this.waiter = undefined;
    }
    for (const l of this.closeListeners.splice(0)) l(err);
    if (destroy) this.socket.destroy();
  }
}

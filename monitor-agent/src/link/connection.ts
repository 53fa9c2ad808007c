// One framed, validated link to a manager over an already-connected socket (TLS or, for
// loopback debugging, plain TCP). It owns the socket and its timers: a frame must
// complete within `frameMs`, the peer is dead after `deadAfterMs` without a frame or when
// our writes have not drained for `drainMs`, and heartbeats go out every `heartbeatMs`.
// Incoming messages pass a token bucket; over the rate, reading pauses (TCP backpressure).
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  encodeFrame,
  FrameDecoder,
  FrameError,
  parseManagerMessage,
  ProtocolError,
  type AgentMessage,
  type ErrorCode,
  type ManagerMessage,
} from '../../../protocol/src/index.js';

export interface LinkTiming {
  /** TLS handshake + manager hello (default 10 s). */
  handshakeMs: number;
  heartbeatMs: number;
  deadAfterMs: number;
  drainMs: number;
  frameMs: number;
}

export const DEFAULT_TIMING: LinkTiming = {
  handshakeMs: 10_000,
  heartbeatMs: 10_000,
  deadAfterMs: 30_000,
  drainMs: 30_000,
  frameMs: 30_000,
};

export interface RateLimit {
  /** Messages per second sustained. */
  perSecond: number;
  /** Bucket size. */
  burst: number;
}

export const DEFAULT_RATE: RateLimit = { perSecond: 200, burst: 1000 };

export interface ConnectionEvents {
  onMessage(message: ManagerMessage): void;
  /** Called once, when the socket is gone; `reason` is a short human text. */
  onClose(reason: string): void;
  /** Provides the heartbeat fields. */
  heartbeatState(): { ackedSeq: number; lastSeq: number; queued: number };
}

export class ManagerConnection {
  private readonly decoder = new FrameDecoder();
  private lastFrameAt = performance.now();
  private frameStartedAt: number | null = null;
  private lastDrainAt = performance.now();
  private lastHeartbeatAt = performance.now();
  private heartbeating = false;
  private tokens: number;
  private lastRefill = performance.now();
  private resumeTimer: NodeJS.Timeout | null = null;
  /** Decoded frames waiting for a rate-limit token. */
  private readonly inbound: unknown[] = [];
  private readonly checkTimer: NodeJS.Timeout;
  private closed = false;
  /** close()/fail() was called: nothing more is written, the first reason stands. */
  private closing = false;
  private closeReason = 'closed';
  private events: ConnectionEvents | null = null;
  private readonly drainWaiters = new Set<(ok: boolean) => void>();
  readonly remote: string;

  constructor(
    readonly socket: Socket,
    private readonly timing: LinkTiming,
    private readonly rate: RateLimit = DEFAULT_RATE,
  ) {
    this.tokens = rate.burst;
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 15_000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.lastDrainAt = performance.now();
      for (const w of this.drainWaiters) w(true);
      this.drainWaiters.clear();
    });
    socket.on('error', (err) => {
      if (!this.closing) this.closeReason = `socket error: ${err.message}`;
      this.closing = true;
    });
    socket.on('close', () => this.onSocketClose());
    socket.on('end', () => {
      if (!this.closing) this.closeReason = 'closed by the manager';
      this.closing = true;
      socket.end();
    });
    const every = Math.max(20, Math.min(1000, timing.heartbeatMs / 4, timing.frameMs / 4, timing.deadAfterMs / 4));
    this.checkTimer = setInterval(() => this.check(), every);
  }

  /** Starts delivering messages (buffered frames are processed now). */
  attach(events: ConnectionEvents): void {
    this.events = events;
  }

  /** True once the link is closing or closed: stop producing for it. */
  get isClosed(): boolean {
    return this.closed || this.closing;
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  /** Heartbeats run once the manager is authenticated (after its hello). */
  startHeartbeats(): void {
    this.heartbeating = true;
    this.lastHeartbeatAt = performance.now();
  }

  send(message: AgentMessage): boolean {
    if (this.closed || this.closing) return false;
    return this.writeFrame(encodeFrame(message));
  }

  /** Writes an already-encoded frame (length prefix included): the results path builds its own. */
  sendFrame(frame: Buffer): boolean {
    if (this.closed || this.closing) return false;
    return this.writeFrame(frame);
  }

  private writeFrame(frame: Buffer): boolean {
    if (this.socket.writableLength === 0) this.lastDrainAt = performance.now();
    return this.socket.write(frame);
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  /** Resolves true when the socket's write buffer drained, false if the link closed first. */
  waitDrain(): Promise<boolean> {
    if (this.closed || this.closing) return Promise.resolve(false);
    if (this.socket.writableLength === 0) return Promise.resolve(true);
    return new Promise((resolve) => this.drainWaiters.add(resolve));
  }

  /** Sends `error {code, message}` (if the socket still takes writes) and closes. */
  fail(code: ErrorCode, message: string): void {
    if (this.closed || this.closing) return;
    try {
      if (this.socket.writable) this.socket.write(encodeFrame({ type: 'error', code, message: message.slice(0, 2000) }));
    } catch {
      // the error frame is a courtesy
    }
    this.close(`${code}: ${message}`);
  }

  /** Ends the link: a graceful end, destroyed if the peer does not finish within 1 s. */
  close(reason: string): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    this.closeReason = reason;
    this.socket.end();
    const force = setTimeout(() => this.socket.destroy(), 1000);
    force.unref();
    this.socket.once('close', () => clearTimeout(force));
    this.stopReading();
  }

  destroy(reason: string): void {
    if (!this.closed && !this.closing) this.closeReason = reason;
    this.closing = true;
    this.socket.destroy();
  }

  private stopReading(): void {
    this.socket.pause();
    this.socket.removeAllListeners('data');
  }

  private onData(chunk: Buffer): void {
    let payloads: unknown[];
    try {
      payloads = this.decoder.push(chunk);
    } catch (err) {
      const message = err instanceof FrameError ? err.message : String(err);
      this.fail('bad_message', message);
      return;
    }
    const now = performance.now();
    if (payloads.length) this.lastFrameAt = now;
    this.frameStartedAt = this.decoder.inFrame ? (this.frameStartedAt ?? now) : null;
    for (const p of payloads) this.inbound.push(p);
    this.processInbound();
  }

  /**
   * Handles decoded frames at most at the configured rate. Over the rate, reading pauses
   * (TCP backpressure) and the rest of the already-decoded frames wait for tokens; the
   * queue holds at most one read chunk's worth because reading stays paused meanwhile.
   */
  private processInbound(): void {
    while (this.inbound.length) {
      if (this.closed || this.closing || this.socket.destroyed) {
        this.inbound.length = 0;
        return;
      }
      const now = performance.now();
      this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.rate.perSecond);
      this.lastRefill = now;
      if (this.tokens < 1) {
        this.socket.pause();
        if (!this.resumeTimer) {
          this.resumeTimer = setTimeout(() => {
            this.resumeTimer = null;
            this.processInbound();
          }, Math.ceil((1 - this.tokens) * (1000 / this.rate.perSecond)));
        }
        return;
      }
      this.tokens -= 1;
      const payload = this.inbound.shift();
      let message: ManagerMessage;
      try {
        message = parseManagerMessage(payload);
      } catch (err) {
        if (err instanceof ProtocolError) this.fail(err.code, err.message);
        else this.fail('bad_message', String(err));
        return;
      }
      try {
        this.events?.onMessage(message);
      } catch (err) {
        this.fail('internal', (err as Error).message);
        return;
      }
    }
    if (!this.closed && !this.closing && this.socket.isPaused()) this.socket.resume();
  }

  private check(): void {
    if (this.closed || this.closing) return;
    const now = performance.now();
    if (this.frameStartedAt !== null && now - this.frameStartedAt > this.timing.frameMs) {
      this.fail('timeout', `a frame took longer than ${this.timing.frameMs} ms to arrive`);
      return;
    }
    if (now - this.lastFrameAt > this.timing.deadAfterMs) {
      this.fail('timeout', `no message from the manager for ${this.timing.deadAfterMs} ms`);
      return;
    }
    if (this.socket.writableLength > 0 && now - this.lastDrainAt > this.timing.drainMs) {
      this.destroy(`writes not drained for ${this.timing.drainMs} ms`);
      return;
    }
    if (this.socket.writableLength === 0) this.lastDrainAt = now;
    if (this.heartbeating && this.events && now - this.lastHeartbeatAt >= this.timing.heartbeatMs) {
      this.lastHeartbeatAt = now;
      this.send({ type: 'heartbeat', ts: new Date().toISOString(), ...this.events.heartbeatState() });
    }
  }

  private onSocketClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.checkTimer);
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    for (const w of this.drainWaiters) w(false);
    this.drainWaiters.clear();
    this.events?.onClose(this.closeReason);
  }
}

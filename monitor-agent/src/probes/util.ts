// Small helpers every probe shares: monotonic timing, error classes, budgets, name lookup.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ProbeContext, ProbeOutcome } from './types.js';

/** Milliseconds on the monotonic clock (never Date.now() for durations). */
export const now = (): number => performance.now();

/** Rounds a duration to microseconds, which is as fine as a Node timestamp means anything. */
export const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

export const since = (start: number): number => round3(now() - start);

export function down(error: string, details: Record<string, unknown> = {}, latencyMs: number | null = null): ProbeOutcome {
  return { status: 'down', latencyMs, error, details };
}

export function up(latencyMs: number | null, details: Record<string, unknown>): ProbeOutcome {
  return { status: 'up', latencyMs, error: null, details };
}

/** Maps a Node/system error to `<class>: <message>`. */
export function errorText(err: unknown, fallbackClass = 'error'): string {
  const e = err as NodeJS.ErrnoException & { code?: string };
  const code = e?.code ?? '';
  let message = (e?.message ?? String(err)).split('\n')[0];
  // OpenSSL's messages carry a library path and line; keep the reason.
  const ssl = /SSL routines:[^:]*:([^:]+)/.exec(message);
  if (ssl) message = ssl[1];
  return `${errorClass(code, fallbackClass)}: ${message}`;
}

export function errorClass(code: string, fallbackClass = 'error'): string {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA' || code === 'ENODATA') return 'dns_error';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL' || code === 'ENETDOWN' || code === 'EHOSTDOWN') return 'unreachable';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT') || code === 'EPROTO') return 'tls_error';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return fallbackClass;
}

/**
 * The budget of one run: aborts when the task's own timeout passes or when the caller's
 * signal aborts (stop). `timedOut()` tells the two apart so the error says which.
 */
export class Budget {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private expired = false;
  private readonly started = now();
  private readonly onOuterAbort = (): void => {
    // The scheduler aborts on the task's timeout too (reason named TimeoutError, like
    // AbortSignal.timeout's); report that as a timeout, not a cancellation.
    const reason = this.ctx.signal.reason as { name?: string } | undefined;
    if (reason?.name === 'TimeoutError' || now() - this.started >= this.ctx.timeoutMs - 1) this.expired = true;
    this.controller.abort(new Error(this.expired ? 'timeout' : 'cancelled'));
  };

  constructor(private readonly ctx: ProbeContext, readonly ms: number = ctx.timeoutMs) {
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new Error('timeout'));
    }, Math.max(1, ms));
    if (ctx.signal.aborted) this.onOuterAbort();
    else ctx.signal.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  timedOut(): boolean {
    return this.expired;
  }

  /** The error text for an aborted run. */
  abortText(what = 'no reply'): string {
    return this.expired ? `timeout: ${what} within ${Math.round(this.ms)} ms` : 'aborted: check cancelled';
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.ctx.signal.removeEventListener('abort', this.onOuterAbort);
  }
}

/** Resolves when the signal aborts; `off()` drops the listener. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    queueMicrotask(fn);
    return () => {};
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

export class AbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortedError';
  }
}

/** Races a promise that cannot itself be cancelled (e.g. getaddrinfo) against a signal. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const off = onAbort(signal, () => reject(new AbortedError()));
    promise.then(
      (v) => {
        off();
        resolve(v);
      },
      (e) => {
        off();
        reject(e);
      },
    );
  });
}

export interface Resolved {
  address: string;
  family: 4 | 6;
  /** Time spent resolving; 0 for an address literal. */
  ms: number;
}

/** Strips the brackets of an IPv6 literal such as `[::1]`. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Resolves a host to one address (the system resolver, as the standard clients use). */
export async function resolveHost(host: string, signal: AbortSignal, family: 0 | 4 | 6 = 0): Promise<Resolved> {
  const bare = bareHost(host);
  const literal = isIP(bare);
  if (literal) {
    if (family && literal !== family) {
      const err = new Error(`${bare} is not an IPv${family} address`) as NodeJS.ErrnoException;
      err.code = 'EAI_FAMILY';
      throw err;
    }
    return { address: bare, family: literal as 4 | 6, ms: 0 };
  }
  const start = now();
  const r = await raceAbort(lookup(bare, { family, verbatim: true }), signal);
  return { address: r.address, family: r.family as 4 | 6, ms: since(start) };
}

/**
 * Resolves `host` within the run's budget. A failure comes back as the `down` outcome the
 * probe returns as is; `details` may differ by whether the budget ran out (`aborted`).
 */
export async function resolveOrDown(
  host: string,
  budget: Budget,
  opts: { family?: 0 | 4 | 6; what?: string; details?: (aborted: boolean) => Record<string, unknown> } = {},
): Promise<Resolved | ProbeOutcome> {
  try {
    return await resolveHost(host, budget.signal, opts.family ?? 0);
  } catch (err) {
    const aborted = budget.signal.aborted;
    const details = opts.details?.(aborted) ?? {};
    return down(aborted ? budget.abortText(opts.what ?? 'no address') : lookupErrorText(host, err), details);
  }
}

export function isOutcome(value: Resolved | ProbeOutcome): value is ProbeOutcome {
  return 'status' in value;
}

/** A failed lookup as `dns_error: <host>: <why>`. */
export function lookupErrorText(host: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOTFOUND' ? 'name not found' : e.code === 'EAI_FAMILY' ? e.message : e.code ?? e.message;
  return `dns_error: cannot resolve ${host}: ${why}`;
}

/** Turns an unexpected exception into a down outcome: a probe never throws. */
export async function neverThrows(run: () => Promise<ProbeOutcome>): Promise<ProbeOutcome> {
  try {
    return await run();
  } catch (err) {
    return down(errorText(err, 'error'));
  }
}

/** Accepts `/regex/flags` or a plain substring. */
export function matcher(expect: string): (text: string) => boolean {
  const m = /^\/(.+)\/([gimsuy]*)$/s.exec(expect);
  if (m) {
    try {
      const re = new RegExp(m[1], m[2].replace('g', ''));
      return (text) => re.test(text);
    } catch {
      // Not a valid regex: treat it as text.
    }
  }
  return (text) => text.includes(expect);
}

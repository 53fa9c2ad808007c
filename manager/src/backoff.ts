// Reconnect delays: exponential with full jitter (AWS "Exponential Backoff and Jitter"):
// delay = random(0, min(cap, base * 2^attempt)). Full jitter spreads clients that failed
// at the same moment across the whole window, so 100 agents coming back do not get
// dialled in lockstep. Reset to the base after a healthy minute (reliability §3.4).

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** Uniform in [0, 1); injectable so tests can simulate many clients deterministically. */
  random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 1000;
export const DEFAULT_BACKOFF_CAP_MS = 60_000;
/** A link connected this long counts as healthy: the next failure starts from the base again. */
export const HEALTHY_RESET_MS = 60_000;

export class Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.capMs = opts.capMs ?? DEFAULT_BACKOFF_CAP_MS;
    this.random = opts.random ?? Math.random;
    if (!(this.baseMs > 0) || !(this.capMs >= this.baseMs)) throw new Error('backoff: need 0 < baseMs <= capMs');
  }

  /** Failures since the last reset. */
  get failures(): number {
    return this.attempt;
  }

  /** The upper bound of the next delay (before jitter). */
  ceiling(): number {
    // 2^attempt overflows to Infinity long after it passed the cap; min() handles that.
    return Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const delay = this.random() * this.ceiling();
    this.attempt += 1;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}

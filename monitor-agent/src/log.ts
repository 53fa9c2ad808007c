// The agent's console: one timestamped line per event that matters, like the old tool
// (`[YYYY-MM-DD HH:MM:SS] message`, local time). The agent takes the sink as an option so
// tests and the CLI decide where lines go; the secret never passes through here.
export type LogSink = (message: string) => void;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function consoleTimestamp(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatLine(message: string, d = new Date()): string {
  return `[${consoleTimestamp(d)}] ${message}`;
}

/** Writes timestamped lines to stdout. */
export const stdoutLog: LogSink = (message) => {
  process.stdout.write(`${formatLine(message)}\n`);
};

/**
 * Wraps a sink so a repeated event (e.g. rejected connection attempts) prints at most
 * once per `everyMs`, with how many happened in between.
 */
export class RateLimitedLog {
  private last = -Infinity;
  private suppressed = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastMessage = '';

  constructor(
    private readonly sink: LogSink,
    private readonly everyMs: number,
  ) {}

  note(message: string): void {
    const now = performance.now();
    this.lastMessage = message;
    if (now - this.last >= this.everyMs) {
      this.last = now;
      this.sink(message);
      return;
    }
    this.suppressed++;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flushSuppressed(), this.everyMs - (now - this.last));
      this.timer.unref();
    }
  }

  private flushSuppressed(): void {
    this.timer = null;
    if (!this.suppressed) return;
    const n = this.suppressed;
    this.suppressed = 0;
    this.last = performance.now();
    this.sink(`${n} more like this in the last ${Math.round(this.everyMs / 1000)} s; latest: ${this.lastMessage}`);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

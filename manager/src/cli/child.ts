// A child process the CLI owns: spawned in its own process group (so the terminal's
// Ctrl+C reaches only netcam, which then stops the agent cleanly), with its output
// watched for a readiness line, and stopped with SIGTERM, then SIGKILL after a timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export class OwnedChild {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private exitInfo: string | undefined;
  readonly exited: Promise<string>;

  constructor(readonly label: string, args: string[]) {
    this.child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > 50) this.lines.shift();
        this.onLine?.(line);
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
        resolve(this.exitInfo);
      });
      this.child.on('error', (err) => {
        this.exitInfo = `could not start: ${err.message}`;
        resolve(this.exitInfo);
      });
    });
  }

  onLine: ((line: string) => void) | undefined;

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The output so far (last 50 lines), for error messages. */
  output(): string {
    return this.lines.join(' | ');
  }

  /** Resolves with the first match of `pattern` in its output, or rejects on exit / timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    for (const line of this.lines) {
      const m = pattern.exec(line);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`printed nothing matching ${pattern} within ${timeoutMs / 1000} s`), timeoutMs);
      const fail = (why: string) => {
        clearTimeout(timer);
        this.onLine = undefined;
        reject(new Error(`${this.label} ${why}${this.lines.length ? `; its output: ${this.output()}` : ''}`));
      };
      this.onLine = (line) => {
        const m = pattern.exec(line);
        if (m) {
          clearTimeout(timer);
          this.onLine = undefined;
          resolve(m);
        }
      };
      void this.exited.then((info) => fail(info));
    });
  }

  async stop(timeoutMs = 5000): Promise<void> {
    if (this.exitInfo !== undefined || this.child.pid === undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

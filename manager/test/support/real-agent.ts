// Real agents for end-to-end tests: dist/netcam-agent.js, built once per test process
// with scripts/build.mjs, listening on loopback with a throwaway data dir and secret.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { generateSecret } from '../../../protocol/src/index.js';

export const AGENT_JS = resolve('dist/netcam-agent.js');
export const CLI_JS = resolve('dist/netcam.js');

let built = false;
/** Builds the bundles once per mocha process (CI's run-tests builds first anyway). */
export function ensureBuilt(): void {
  if (built) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr || r.stdout}`);
  built = true;
}

export class RealAgent {
  private child: ChildProcess | undefined;
  port = 0;
  readonly secret = generateSecret();
  readonly secretFile: string;
  readonly dataDir: string;
  output: string[] = [];

  constructor(dir: string, readonly name: string) {
    this.dataDir = join(dir, `${name}-data`);
    mkdirSync(this.dataDir, { recursive: true });
    this.secretFile = join(dir, `${name}.secret`);
    writeFileSync(this.secretFile, `${this.secret}\n`, { mode: 0o600 });
  }

  /** Starts (or restarts, on the same port) and resolves once it prints `listening on`. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [AGENT_JS, '--listen', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir, '--secret-file', this.secretFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const lines = createInterface({ input: child.stdout! });
    createInterface({ input: child.stderr! }).on('line', (l) => this.output.push(l));
    this.port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${this.name} did not start: ${this.output.join(' | ')}`)), 15000);
      lines.on('line', (line) => {
        this.output.push(line);
        const m = /listening on \S*?:(\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolvePort(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`agent ${this.name} exited (${code}): ${this.output.join(' | ')}`));
      });
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

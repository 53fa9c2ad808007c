// Owns every child process, temp dir and port the bench uses, so that a normal end, an
// error and Ctrl+C all leave nothing behind. Also reads a process's CPU time and RSS
// from /proc, the way `top` does.
import { spawn, spawnSync, fork, type ChildProcess, type SpawnOptions, type ForkOptions } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** A temp dir removed at exit (also on Ctrl+C). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `netcam-bench-${prefix}-`));
  dirs.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** Spawns a program whose stdout/stderr go to `logFile`; it is killed at exit if still running. */
export function spawnOwned(cmd: string, args: string[], logFile: string, opts: SpawnOptions = {}): ChildProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], ...opts });
  closeSync(fd);
  track(child);
  return child;
}

/** Forks a bench Node module with an IPC channel (agent and manager children). */
export function forkOwned(module: string, logFile: string, opts: ForkOptions = {}): ChildProcess {
  const fd = openSync(logFile, 'a');
  const child = fork(module, [], { stdio: ['ignore', fd, fd, 'ipc'], ...opts });
  closeSync(fd);
  track(child);
  return child;
}

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    children.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const hard = setTimeout(() => done(), graceMs + 2000);
    const done = (): void => {
      clearTimeout(kill);
      clearTimeout(hard);
      children.delete(child);
      resolve();
    };
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}

/** Resolves true once the child has exited on its own, false after `ms`. */
export function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Synchronous last-resort cleanup (process 'exit' and signal handlers). */
export function killAllSync(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
  for (const dir of [...dirs]) removeDir(dir);
}

/** A port free for both TCP and UDP on 127.0.0.1 (DNS and NTP servers use both or either). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export interface CpuTimes {
  /** Seconds of CPU: user + system of the process itself. */
  self: number;
  /** Plus its waited-for children and its live descendants (the agent's ping helper and its pings). */
  withChildren: number;
}

/** CPU seconds from /proc/<pid>/stat (fields 14-17: utime stime cutime cstime). */
export function cpuTimes(pid: number): CpuTimes {
  const [utime, stime, cutime, cstime] = statTimes(pid);
  // Live descendants too (the agent's ping helper and the pings it has not reaped yet):
  // their CPU reaches the agent's cutime only when they exit.
  let live = 0;
  for (const child of liveChildren(pid)) live += treeSeconds(child);
  return { self: utime + stime, withChildren: utime + stime + cutime + cstime + live };
}

function statTimes(pid: number): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after the closing paren are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].map((i) => Number(fields[i]) / CLK_TCK);
}

function treeSeconds(pid: number): number {
  try {
    const t = statTimes(pid);
    let sum = t[0] + t[1] + t[2] + t[3];
    for (const child of liveChildren(pid)) sum += treeSeconds(child);
    return sum;
  } catch {
    return 0; // exited meanwhile: counted in its parent's cutime from now on
  }
}

function liveChildren(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Resident set size in MB (VmRSS). */
export function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 50 ms until it returns truthy or `timeoutMs` passes. */
export async function waitFor<T>(what: string, timeoutMs: number, cond: () => T | Promise<T>): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  let lastErr: unknown;
  while (performance.now() < deadline) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      lastErr = err;
    }
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (${(lastErr as Error).message})` : ''}`);
}

// Starts `ping` processes from a small long-lived helper process instead of the agent's own
// event loop: child_process.spawn forks synchronously (1.5-1.8 ms per call in a big
// process), so 200 ICMP checks/s would spend a third of the agent's loop in fork. The
// helper is started lazily on the first ping, talks JSON lines over its stdin/stdout, owns
// its pings (SIGINT/SIGKILL on request) and kills them all and exits when the agent goes
// away (its stdin closes). Its code is the string below, run with `node -e`, so the agent
// stays one file and the helper works however the agent was started (bundle, tsx, bench).
// If the helper cannot run, pings are spawned directly as before.
import { spawn, type ChildProcess } from 'node:child_process';

/** The helper, plain CommonJS. Messages in: {op:'run',id,bin,args} | {op:'kill',id,sig}. Out: {id,ev:'out'|'err',data} | {id,ev:'error',code,message} | {id,ev:'close',code}. */
export const SPAWNER_SOURCE = String.raw`
'use strict';
const { spawn } = require('node:child_process');
const kids = new Map();
const env = { ...process.env, LANG: 'C', LC_ALL: 'C' };
const send = (m) => process.stdout.write(JSON.stringify(m) + '\n');
function run(m) {
  let done = false;
  const close = (code) => { if (done) return; done = true; kids.delete(m.id); send({ id: m.id, ev: 'close', code }); };
  let child;
  try {
    child = spawn(m.bin, m.args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  } catch (err) {
    send({ id: m.id, ev: 'error', code: err.code || null, message: String(err.message) });
    close(null);
    return;
  }
  kids.set(m.id, child);
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (data) => send({ id: m.id, ev: 'out', data }));
  child.stderr.on('data', (data) => send({ id: m.id, ev: 'err', data }));
  child.once('error', (err) => {
    send({ id: m.id, ev: 'error', code: err.code || null, message: String(err.message) });
    if (child.pid === undefined) close(null);
  });
  child.once('close', (code) => close(code));
}
function killAll() { for (const c of kids.values()) { try { c.kill('SIGKILL'); } catch {} } kids.clear(); }
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  pending += text;
  let nl;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    let m;
    try { m = JSON.parse(line); } catch { continue; }
    if (m.op === 'run') run(m);
    else if (m.op === 'kill') { const c = kids.get(m.id); if (c) { try { c.kill(m.sig); } catch {} } }
  }
});
// The agent is gone (exit, crash, kill -9): take our pings with us.
process.stdin.once('end', () => { killAll(); process.exit(0); });
process.stdout.on('error', () => { killAll(); process.exit(0); });
process.on('SIGTERM', () => { killAll(); process.exit(0); });
`;

export interface SpawnedPing {
  kill(signal: 'SIGINT' | 'SIGKILL'): void;
}

export interface PingHandlers {
  onStdout(text: string): void;
  onStderr(text: string): void;
  onError(err: NodeJS.ErrnoException): void;
  /** Exactly once; after it no handler is called again. */
  onClose(code: number | null): void;
}

interface HelperMessage {
  id: number;
  ev: 'out' | 'err' | 'error' | 'close';
  data?: string;
  code?: string | number | null;
  message?: string;
}

class PingSpawner {
  private helper: ChildProcess | null = null;
  private readonly runs = new Map<number, PingHandlers>();
  private nextId = 1;
  private pending = '';
  private exitHookSet = false;

  run(bin: string, args: string[], handlers: PingHandlers): SpawnedPing {
    const helper = this.ensure();
    if (!helper) return spawnDirect(bin, args, handlers);
    const id = this.nextId++;
    this.runs.set(id, handlers);
    helper.stdin!.write(`${JSON.stringify({ op: 'run', id, bin, args })}\n`);
    return {
      kill: (sig) => {
        if (this.runs.has(id) && this.helper === helper) helper.stdin!.write(`${JSON.stringify({ op: 'kill', id, sig })}\n`);
      },
    };
  }

  /** Starts the helper now (if not running) so the first pings do not wait for it to boot. */
  warm(): void {
    this.ensure();
  }

  /** Stops the helper (its pings die with it); the next run starts a new one. */
  stop(): void {
    const helper = this.helper;
    if (!helper) return;
    this.helper = null;
    helper.kill('SIGKILL');
    this.failAll('ping helper stopped');
  }

  private ensure(): ChildProcess | null {
    if (this.helper) return this.helper;
    let helper: ChildProcess;
    try {
      // No execArgv: the helper needs no loader or inspector flags of the agent's.
      helper = spawn(process.execPath, ['-e', SPAWNER_SOURCE], { stdio: ['pipe', 'pipe', 'inherit'] });
    } catch {
      return null;
    }
    this.helper = helper;
    this.pending = '';
    // The helper never keeps the agent alive; the runs' own timers do while they last.
    helper.unref();
    (helper.stdin as unknown as { unref?: () => void }).unref?.();
    (helper.stdout as unknown as { unref?: () => void }).unref?.();
    helper.stdin!.on('error', () => undefined); // a dead helper shows up as 'exit' below
    helper.stdout!.setEncoding('utf8');
    helper.stdout!.on('data', (text: string) => this.onData(text));
    helper.once('error', () => this.lost(helper, 'ping helper could not start'));
    helper.once('exit', () => this.lost(helper, 'ping helper exited'));
    if (!this.exitHookSet) {
      this.exitHookSet = true;
      process.once('exit', () => this.helper?.kill('SIGKILL'));
    }
    return helper;
  }

  private lost(helper: ChildProcess, why: string): void {
    if (this.helper !== helper) return;
    this.helper = null;
    this.failAll(why);
  }

  private failAll(why: string): void {
    const runs = [...this.runs.values()];
    this.runs.clear();
    for (const h of runs) {
      h.onError(Object.assign(new Error(why), { code: 'EHELPER' }));
      h.onClose(null);
    }
  }

  private onData(text: string): void {
    this.pending += text;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      let m: HelperMessage;
      try {
        m = JSON.parse(line) as HelperMessage;
      } catch {
        continue;
      }
      const h = this.runs.get(m.id);
      if (!h) continue;
      if (m.ev === 'out') h.onStdout(m.data ?? '');
      else if (m.ev === 'err') h.onStderr(m.data ?? '');
      else if (m.ev === 'error') h.onError(Object.assign(new Error(m.message ?? 'spawn failed'), { code: m.code ?? undefined }) as NodeJS.ErrnoException);
      else if (m.ev === 'close') {
        this.runs.delete(m.id);
        h.onClose(typeof m.code === 'number' ? m.code : null);
      }
    }
  }
}

/** The old way, on the agent's own loop: only when the helper cannot run. */
function spawnDirect(bin: string, args: string[], h: PingHandlers): SpawnedPing {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (t: string) => h.onStdout(t));
  child.stderr.on('data', (t: string) => h.onStderr(t));
  child.once('error', (err: NodeJS.ErrnoException) => h.onError(err));
  child.once('close', (code) => h.onClose(code));
  return { kill: (sig) => void child.kill(sig) };
}

export const pingSpawner = new PingSpawner();

// Shared by the probe suites: run a task through its probe, make test certificates with
// the openssl CLI, find free loopback ports, and own daemon processes (killed in after()).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTask, type Task } from '../../../protocol/src/index.js';
import { probes } from '../../src/probes/index.js';
import type { Probe, ProbeOutcome } from '../../src/probes/types.js';

/** Validates the task as a user's would be, then runs its probe once. */
export async function runTask(input: Record<string, unknown>, opts: { signal?: AbortSignal; state?: Record<string, unknown>; probe?: Probe<never> } = {}): Promise<ProbeOutcome> {
  const r = checkTask(input);
  if (!r.ok) throw new Error(`bad test task: ${JSON.stringify(r.issues)}`);
  const task = r.value;
  const probe = (opts.probe ?? probes[task.type]) as unknown as Probe<Task>;
  return probe(task, { signal: opts.signal ?? new AbortController().signal, timeoutMs: task.timeout * 1000, state: opts.state ?? {} });
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `netcam-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A TCP port free on 127.0.0.1 right now (and its UDP twin, checked too). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port');
}

export interface Certs {
  dir: string;
  caPem: string;
  /** Signed by the test CA, SAN IP:127.0.0.1 and DNS:localhost, valid now. */
  goodKey: string;
  goodCert: string;
  /** Self-signed, not trusted by anyone. */
  selfKey: string;
  selfCert: string;
  /** Signed by the test CA but expired yesterday. */
  expiredKey: string;
  expiredCert: string;
  remove: () => void;
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** Generates a CA, a good, a self-signed and an expired server certificate (EC keys: fast). */
export function makeCerts(): Certs {
  const t = tempDir('certs');
  const d = t.path;
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(join(d, 'ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(d, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', '/CN=NetCam Test CA']);
  for (const [name, days] of [['good', '2'], ['expired', '-1']]) {
    openssl(d, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1/O=NetCam Tests']);
    openssl(d, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', name === 'good' ? '2' : '3', '-out', `${name}.pem`, '-days', days, '-extfile', 'ext']);
  }
  openssl(d, ['req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  const p = (f: string) => join(d, f);
  return {
    dir: d,
    caPem: p('ca.pem'),
    goodKey: p('good.key'),
    goodCert: p('good.pem'),
    selfKey: p('self.key'),
    selfCert: p('self.pem'),
    expiredKey: p('expired.key'),
    expiredCert: p('expired.pem'),
    remove: t.remove,
  };
}

/** A daemon the suite owns: started in before(), stopped (and waited for) in after(). */
export class Daemon {
  readonly child: ChildProcess;
  output = '';
  constructor(command: string, args: string[], options: { cwd?: string } = {}) {
    this.child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d) => (this.output += String(d)));
    this.child.stderr?.on('data', (d) => (this.output += String(d)));
    this.child.on('error', (e) => (this.output += `spawn error: ${e.message}`));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/** Polls until `check` passes or the time is up (no fixed sleeps). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = performance.now();
  for (;;) {
    if (await check()) return;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True once something accepts TCP connections on the port. */
export function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

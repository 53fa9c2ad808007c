// Helpers for the tests that run inside VS Code's extension host: the extension's API,
// a real loopback agent (dist/netcam-agent.js on the host's Node), a raw "what is the
// agent doing" probe over the real protocol, and polling with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AgentConnection } from '../../../manager/src/agent-connection.js';
import { generateSecret, parseSecret, PROTOCOL_VERSION } from '../../../protocol/src/index.js';
import type { NetcamApi } from '../../src/extension.js';

export const EXTENSION_ID = 'netcam.netcam';

export async function netcamApi(): Promise<NetcamApi> {
  const ext = vscode.extensions.getExtension<NetcamApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test workspace has no folder');
  return folder.uri.fsPath;
}

export interface RunningAgent {
  port: number;
  secret: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

const agents = new Set<RunningAgent>();

/** Starts `node dist/netcam-agent.js --listen 127.0.0.1:0` with a pre-made secret. */
export async function startAgent(): Promise<RunningAgent> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const dataDir = mkdtempSync(join(process.env.NETCAM_E2E_TMP ?? tmpdir(), 'agent-'));
  const secret = generateSecret();
  const secretFile = join(dataDir, 'secret');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  const bundle = join(ext.extensionPath, 'dist', 'netcam-agent.js');
  const child: ChildProcess = spawn(process.execPath, [bundle, '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--secret-file', secretFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not print "listening on" within 15 s:\n${out}`)), 15_000);
    const check = () => {
      const m = out.match(/listening on [^\s]*:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited (${code}) before listening:\n${out}`));
    });
  });
  const agent: RunningAgent = {
    port,
    secret,
    dataDir,
    output: () => out,
    stop: async () => {
      agents.delete(agent);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  agents.add(agent);
  return agent;
}

export async function stopAllAgents(): Promise<void> {
  await Promise.all([...agents].map((a) => a.stop()));
}

/** The agent's own hello: which monitor id and task set it is running right now. */
export async function agentHello(agent: RunningAgent): Promise<{ monitorId: string | null; tasksHash: string | null; lastSeq: number }> {
  const conn = await AgentConnection.connect({ host: '127.0.0.1', port: agent.port, key: parseSecret(agent.secret), timeoutMs: 10_000 });
  try {
    conn.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'manager', software: 'netcam-e2e-probe' });
    const hello = await conn.receive(10_000, 'hello');
    if (hello.type !== 'hello') throw new Error(`expected hello, got ${hello.type}`);
    return { monitorId: hello.monitorId, tasksHash: hello.tasksHash, lastSeq: hello.lastSeq };
  } finally {
    conn.close();
  }
}

/** Polls `check` until it returns a truthy value; fails with `describe()` after timeoutMs. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs: number, describe: () => string): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Shared set-up for the agent tests: temp data dirs, an in-process agent with the real
// probes and short link timers, loopback TCP targets, and the agent's pairing key.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSecret } from '../../../protocol/src/index.js';
import { startAgent, type AgentOptions, type RunningAgent } from '../../src/agent.js';
import { probes } from '../../src/probes/index.js';

export const FAST_TIMING = { handshakeMs: 2000, heartbeatMs: 300, deadAfterMs: 2000, drainMs: 2000, frameMs: 2000 };

export function tempDir(prefix = 'netcam-agent-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestAgent extends RunningAgent {
  lines: string[];
  key: Buffer;
}

export async function startTestAgent(dataDir: string, extra: Partial<AgentOptions> = {}): Promise<TestAgent> {
  const lines: string[] = [];
  let secret = '';
  const agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    probes,
    timing: FAST_TIMING,
    log: (line) => lines.push(line),
    onSecretCreated: (text) => {
      secret = text;
    },
    sendLogMs: 500,
    keptLogMs: 500,
    ...extra,
  });
  const key = extra.insecurePlaintext ? Buffer.alloc(0) : parseSecret(secret || readFileSync(agent.secretFile, 'utf8'));
  return Object.assign(agent, { lines, key });
}

/** A loopback TCP server that accepts and closes: a target that is `up`. */
export async function tcpTarget(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    s.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (connections are refused): a target that is `down`. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function tcpTask(id: string, port: number, interval = 1): Record<string, unknown> {
  return { id, type: 'tcp', host: '127.0.0.1', port, interval, timeout: 0.5 };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 25 ms until true or `timeoutMs` passed. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

// Shared test helpers: temp dirs, polling, a Manager wired to a temp config and history.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manager, staticSecrets, type ManagerOptions } from '../../src/index.js';

export function tempDir(prefix = 'netcam-mgr-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `condition` every 25 ms until it holds or `timeoutMs` passes (then throws `what`). */
export async function waitFor<T>(condition: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function writeConfig(path: string, monitors: unknown[]): void {
  writeFileSync(path, JSON.stringify({ version: 1, monitors }, null, 2));
}

export function makeManager(dir: string, secrets: Record<string, string>, extra: Partial<ManagerOptions> = {}): Manager {
  return new Manager({
    configPath: join(dir, 'netcam.json'),
    historyDir: join(dir, 'history'),
    secrets: staticSecrets(secrets),
    reconnect: { baseMs: 100, capMs: 500, staggerMs: 0 },
    ...extra,
  });
}

// Where the agent keeps its state, and a lock so two agents never share one spool.
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** /var/lib/netcam-agent for root, else $XDG_STATE_HOME/netcam-agent (~/.local/state/netcam-agent). */
export function defaultDataDir(): string {
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/var/lib/netcam-agent';
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'netcam-agent');
}

export async function ensureDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux boot id: a pid in a lock file from an earlier boot means nothing (pids are reused). */
async function bootId(): Promise<string | null> {
  return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim() || null;
}

/**
 * Takes `<dir>/agent.pid` (`{pid, bootId}`); throws a one-line error if a live agent holds
 * it. A lock left by a killed agent, or from before a reboot, is taken over.
 * Returns the release function.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'agent.pid');
  const boot = await bootId();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(`${JSON.stringify({ pid: process.pid, bootId: boot })}\n`);
      await fh.close();
      return async () => {
        await unlink(path).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const text = (await readFile(path, 'utf8').catch(() => '')).trim();
      let held: { pid?: unknown; bootId?: unknown } = {};
      try {
        held = JSON.parse(text) as typeof held;
      } catch {
        held = { pid: Number(text) };
      }
      const pid = Number(held.pid);
      const sameBoot = !boot || typeof held.bootId !== 'string' || held.bootId === boot;
      if (Number.isInteger(pid) && pid > 0 && sameBoot && alive(pid)) {
        throw new Error(`data dir ${dir} is in use by another netcam-agent (pid ${pid}); use --data-dir to run a second one`);
      }
      await unlink(path).catch(() => undefined); // stale: its agent died (kill -9, power loss)
    }
  }
  throw new Error(`data dir ${dir}: could not take the lock file ${path}`);
}

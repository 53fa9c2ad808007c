// Child processes the e2e runner owns: each starts in its own process group (setsid-like
// `detached`) so stopping it takes down everything it spawned (VS Code's server forks
// extension hosts and file watchers that outlive a plain kill for a few seconds).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const owned = new Set();

export function startGroup(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  owned.add(child);
  child.output = '';
  const collect = (chunk) => {
    child.output += chunk.toString();
    if (child.output.length > 200_000) child.output = child.output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.on('exit', () => owned.delete(child));
  return child;
}

/** Resolves with the first regex match in the child's output, or rejects after timeoutMs. */
export function waitForOutput(child, regex, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = child.output.match(regex);
      if (m) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`${what} exited (code ${code}) before printing ${regex}:\n${child.output.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} did not print ${regex} within ${timeoutMs} ms:\n${child.output.slice(-2000)}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.stderr.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', onExit);
    check();
  });
}

/** SIGTERM to the whole group, SIGKILL after graceMs; resolves when the leader exited. */
export async function stopGroup(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL');
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs + 2000))]);
  clearTimeout(timer);
  // Stragglers in the group (forked hosts) get the final word.
  killGroup(child, 'SIGKILL');
}

function killGroup(child, signal) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* group already gone */
  }
}

export async function stopAll() {
  await Promise.all([...owned].map((c) => stopGroup(c)));
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Request/reply over a forked child's IPC channel, each call with a timeout, so the runner
// can drive the agent and manager children that it measures from the outside.
import type { ChildProcess } from 'node:child_process';

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** Parent side: `call(child, 'start', {...})` resolves with the child's handler value. */
export class IpcClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(readonly child: ChildProcess, private readonly name: string) {
    child.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`${name}: ${m.error}`));
    });
    child.once('exit', (code, signal) => {
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`${name} exited (${signal ?? code}) before replying`));
      }
      this.pending.clear();
    });
  }

  call<T>(cmd: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no reply to ${cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ id, cmd, args });
    });
  }
}

/** Child side: answers each request with its handler's value (or error). */
export function serveIpc(handlers: Record<string, (args: any) => unknown>): void {
  process.on('message', (m: { id: number; cmd: string; args: unknown }) => {
    const handler = handlers[m.cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${m.cmd}`);
        return handler(m.args);
      })
      .then(
        (value) => process.send!({ id: m.id, ok: true, value }),
        (err: unknown) => process.send!({ id: m.id, ok: false, error: (err as Error)?.stack ?? String(err) }),
      );
  });
  // The runner going away (Ctrl+C, crash) must not leave this child behind.
  process.on('disconnect', () => process.exit(0));
}

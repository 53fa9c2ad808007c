// TCP: connect time, optional send/expect, a capped banner. States: open, refused, timeout, unreachable.
import { Socket } from 'node:net';
import type { TcpTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { Budget, down, errorClass, errorText, matcher, neverThrows, now, round3, up, isOutcome, resolveOrDown } from './util.js';

/** Banner bytes kept in the result. */
export const BANNER_CAP = 1024;

export const tcpProbe: Probe<TcpTask> = (task, ctx) =>
  neverThrows(async () => {
    const budget = new Budget(ctx);
    try {
      const resolved = await resolveOrDown(task.host, budget, { details: (aborted) => (aborted ? { state: 'timeout', resolvedIp: null } : { state: 'unreachable', resolvedIp: null }) });
      if (isOutcome(resolved)) return resolved;
      const details: Record<string, unknown> = { state: 'timeout', resolvedIp: resolved.address, connectMs: null, banner: null };
      const socket = new Socket();
      const off = () => socket.destroy();
      budget.signal.addEventListener('abort', off, { once: true });
      try {
        const start = now();
        const connected = await new Promise<{ ok: true } | { ok: false; err: NodeJS.ErrnoException }>((resolve) => {
          socket.once('connect', () => resolve({ ok: true }));
          socket.once('error', (err) => resolve({ ok: false, err }));
          socket.once('close', () => resolve({ ok: false, err: Object.assign(new Error('closed'), { code: 'ABORTED' }) }));
          socket.connect({ host: resolved.address, port: task.port });
        });
        const connectMs = round3(now() - start);
        if (!connected.ok) {
          if (budget.signal.aborted) return down(budget.abortText('no connection'), details);
          const cls = errorClass(connected.err.code ?? '');
          details.state = cls === 'refused' ? 'refused' : cls === 'timeout' ? 'timeout' : 'unreachable';
          return down(errorText(connected.err, 'unreachable'), details);
        }
        details.state = 'open';
        details.connectMs = connectMs;
        if (task.send === undefined && task.expect === undefined) return up(connectMs, details);

        // Send (if asked) and read until the expectation matches, the cap is hit, or the peer closes.
        const matches = task.expect !== undefined ? matcher(task.expect) : null;
        const chunks: Buffer[] = [];
        let size = 0;
        const outcome = await new Promise<'matched' | 'closed' | 'cap' | 'aborted' | 'error'>((resolve) => {
          socket.on('data', (chunk: Buffer) => {
            const room = BANNER_CAP - size;
            if (room > 0) {
              chunks.push(chunk.subarray(0, room));
              size += Math.min(room, chunk.length);
            }
            if (matches && matches(Buffer.concat(chunks).toString('utf8'))) resolve('matched');
            else if (size >= BANNER_CAP) resolve('cap');
            else if (!matches) resolve('matched'); // no expectation: the first bytes are the banner
          });
          socket.once('end', () => resolve('closed'));
          socket.once('close', () => resolve(budget.signal.aborted ? 'aborted' : 'closed'));
          socket.once('error', () => resolve('error'));
          if (task.send !== undefined) socket.write(task.send);
        });
        details.banner = Buffer.concat(chunks).toString('utf8');
        if (outcome === 'matched') return up(connectMs, details);
        if (!matches) return up(connectMs, details); // peer closed or stayed silent: connect alone is the check
        if (outcome === 'aborted' && budget.timedOut()) return down(`body_mismatch: expected ${JSON.stringify(task.expect)} not seen within ${budget.ms} ms`, details, connectMs);
        if (outcome === 'aborted') return down(budget.abortText(), details, connectMs);
        return down(`body_mismatch: expected ${JSON.stringify(task.expect)} not in the reply`, details, connectMs);
      } finally {
        budget.signal.removeEventListener('abort', off);
        socket.destroy();
      }
    } finally {
      budget.dispose();
    }
  });

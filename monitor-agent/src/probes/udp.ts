// UDP on a connected socket, so the kernel hands us ICMP port-unreachable as ECONNREFUSED:
// a reply is `open`, port-unreachable is `closed`, silence is `open|filtered`. Never inverted
// (the Python tool called any reply "closed" and silence "open").
import { createSocket, type Socket } from 'node:dgram';
import type { UdpTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { Budget, down, errorText, matcher, neverThrows, now, round3, up, isOutcome, resolveOrDown } from './util.js';

/** Resend interval: a lost datagram or a late ICMP error gets a second chance within the timeout. */
const RESEND_MS = 250;
const REPLY_CAP = 1024;

type Heard = { kind: 'reply'; data: Buffer; ms: number } | { kind: 'refused' } | { kind: 'error'; err: Error } | { kind: 'silence' };

export const udpProbe: Probe<UdpTask> = (task, ctx) =>
  neverThrows(async () => {
    const budget = new Budget(ctx);
    let socket: Socket | undefined;
    try {
      const resolved = await resolveOrDown(task.host, budget, { details: () => ({ state: null, resolvedIp: null }) });
      if (isOutcome(resolved)) return resolved;
      const sock = createSocket(resolved.family === 6 ? 'udp6' : 'udp4');
      socket = sock;
      const payload = Buffer.from(task.payload, 'utf8');
      let sentAt = 0;
      let sends = 0;
      const heard = await new Promise<Heard>((resolve) => {
        let resend: NodeJS.Timeout | undefined;
        const finish = (h: Heard): void => {
          clearInterval(resend);
          resolve(h);
        };
        const send = (): void => {
          sends += 1;
          if (sends === 1) sentAt = now();
          sock.send(payload, (err) => {
            if (err && (err as NodeJS.ErrnoException).code === 'ECONNREFUSED') finish({ kind: 'refused' });
            else if (err) finish({ kind: 'error', err });
          });
        };
        sock.on('message', (data) => finish({ kind: 'reply', data, ms: round3(now() - sentAt) }));
        sock.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'error', err }));
        budget.signal.addEventListener('abort', () => finish({ kind: 'silence' }), { once: true });
        sock.connect(task.port, resolved.address, () => {
          if (budget.signal.aborted) return;
          send();
          resend = setInterval(send, RESEND_MS);
        });
      });
      const details: Record<string, unknown> = { state: null, resolvedIp: resolved.address, replyBytes: null, reply: null, datagramsSent: sends };
      switch (heard.kind) {
        case 'reply': {
          details.state = 'open';
          details.replyBytes = heard.data.length;
          const text = heard.data.subarray(0, REPLY_CAP).toString('utf8');
          details.reply = text;
          if (task.expect !== undefined && !matcher(task.expect)(text)) {
            return down(`body_mismatch: expected ${JSON.stringify(task.expect)} not in the reply`, details, heard.ms);
          }
          return up(heard.ms, details);
        }
        case 'refused':
          details.state = 'closed';
          return down(`refused: ICMP port unreachable from ${resolved.address}:${task.port}`, details);
        case 'error':
          return down(errorText(heard.err, 'unreachable'), details);
        case 'silence':
          if (!budget.timedOut()) return down(budget.abortText(), details);
          details.state = 'open|filtered';
          // Silence proves nothing either way; only an expected reply makes it a failure.
          if (task.expect !== undefined) return down(`timeout: no reply within ${budget.ms} ms (open|filtered)`, details);
          return up(null, details);
      }
    } finally {
      try {
        socket?.close();
      } catch {
        // already closed
      }
      budget.dispose();
    }
  });

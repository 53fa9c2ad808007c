// Echo: send 1-3 lorem sentences, compare the reply byte for byte (the Python tool only
// printed both sides), and say `Goodbye` on TCP like the original so its server closes.
import { createSocket } from 'node:dgram';
import { Socket } from 'node:net';
import { LoremIpsum } from 'lorem-ipsum';
import type { EchoTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { Budget, down, errorClass, errorText, neverThrows, now, round3, up, isOutcome, resolveOrDown } from './util.js';

const lorem = new LoremIpsum({ wordsPerSentence: { min: 4, max: 12 } });

export function echoPayload(sentences: number): Buffer {
  return Buffer.from(lorem.generateSentences(sentences), 'utf8');
}

type Exchange = { ok: true; reply: Buffer; ms: number } | { ok: false; error: string; reply: Buffer };

export const echoProbe: Probe<EchoTask> = (task, ctx) =>
  neverThrows(async () => {
    const budget = new Budget(ctx);
    try {
      const resolved = await resolveOrDown(task.host, budget);
      if (isOutcome(resolved)) return resolved;
      const payload = echoPayload(task.sentences);
      const ex = task.transport === 'udp'
        ? await exchangeUdp(resolved.address, resolved.family, task.port, payload, budget)
        : await exchangeTcp(resolved.address, task.port, payload, budget);
      const matched = ex.reply.equals(payload);
      const details = {
        transport: task.transport,
        resolvedIp: resolved.address,
        bytes: payload.length,
        sent: payload.toString('utf8'),
        received: ex.reply.toString('utf8'),
        receivedBytes: ex.reply.length,
        matched,
      };
      if (!ex.ok) return down(ex.error, details);
      if (!matched) return down(`echo_mismatch: ${describeMismatch(payload, ex.reply)}`, details, ex.ms);
      return up(ex.ms, details);
    } finally {
      budget.dispose();
    }
  });

function describeMismatch(sent: Buffer, got: Buffer): string {
  const n = Math.min(sent.length, got.length);
  for (let i = 0; i < n; i++) {
    if (sent[i] !== got[i]) return `reply differs at byte ${i} (sent 0x${sent[i].toString(16)}, got 0x${got[i].toString(16)})`;
  }
  return `reply has ${got.length} bytes, sent ${sent.length}`;
}

function exchangeTcp(host: string, port: number, payload: Buffer, budget: Budget): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let size = 0;
    let sentAt = 0;
    let done = false;
    const finish = (ex: Exchange): void => {
      if (done) return;
      done = true;
      budget.signal.removeEventListener('abort', onAbort);
      // Like the original client: tell the server we are done, then close our side.
      if (ex.ok && !socket.destroyed) socket.end('Goodbye');
      setTimeout(() => socket.destroy(), ex.ok ? 200 : 0).unref();
      resolve(ex);
    };
    const reply = (): Buffer => Buffer.concat(chunks);
    const onAbort = (): void => finish({ ok: false, error: budget.abortText(sentAt ? 'full echo' : 'connection'), reply: reply() });
    budget.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // Stop at the expected length (or beyond it: extra bytes are a mismatch too).
      if (size >= payload.length) finish({ ok: true, reply: reply(), ms: round3(now() - sentAt) });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: errorText(err, errorClass(err.code ?? '', 'unreachable')), reply: reply() }));
    socket.once('close', () => {
      // A short reply followed by a close is compared (and fails); no reply at all is its own error.
      if (size > 0) finish({ ok: true, reply: reply(), ms: round3(now() - sentAt) });
      else finish({ ok: false, error: 'echo_mismatch: the server closed the connection without echoing', reply: reply() });
    });
    socket.connect({ host, port }, () => {
      sentAt = now();
      socket.write(payload);
    });
  });
}

function exchangeUdp(host: string, family: 4 | 6, port: number, payload: Buffer, budget: Budget): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    let sentAt = 0;
    let done = false;
    const finish = (ex: Exchange): void => {
      if (done) return;
      done = true;
      budget.signal.removeEventListener('abort', onAbort);
      socket.close();
      resolve(ex);
    };
    const onAbort = (): void => finish({ ok: false, error: budget.abortText('echo'), reply: Buffer.alloc(0) });
    budget.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('message', (data) => finish({ ok: true, reply: data, ms: round3(now() - sentAt) }));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, error: err.code === 'ECONNREFUSED' ? `refused: ICMP port unreachable from ${host}:${port}` : errorText(err, 'unreachable'), reply: Buffer.alloc(0) }),
    );
    socket.connect(port, host, () => {
      sentAt = now();
      socket.send(payload);
    });
  });
}

// One DNS question to one server over UDP or TCP, with dns-packet. A reply counts only if
// its id and question match ours.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { errorText, now, round3 } from './util.js';

export type Wire = { ok: true; packet: dnsPacket.DecodedPacket; ms: number } | { ok: false; error: string };

/** Largest DNS message over TCP (2-byte length prefix). */
const TCP_MAX = 65535;

export function buildQuery(name: string, type: dnsPacket.RecordType): { id: number; buf: Buffer } {
  const id = randomInt(0, 0x10000);
  const buf = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
  return { id, buf };
}

function matches(p: dnsPacket.DecodedPacket, id: number, name: string, type: string): boolean {
  if (p.id !== id || p.type !== 'response') return false;
  const q = p.questions?.[0];
  // Servers may change the case of the name (0x20); SERVFAIL/REFUSED replies may omit the question.
  return !q || (q.name.toLowerCase() === name.toLowerCase() && q.type === type);
}

export function queryUdp(server: string, family: 4 | 6, port: number, name: string, type: dnsPacket.RecordType, signal: AbortSignal, abortText: () => string): Promise<Wire> {
  return new Promise<Wire>((resolve) => {
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    const { id, buf } = buildQuery(name, type);
    let sentAt = 0;
    let done = false;
    const finish = (w: Wire): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      socket.close();
      resolve(w);
    };
    const onAbort = (): void => finish({ ok: false, error: abortText() });
    if (signal.aborted) {
      queueMicrotask(onAbort);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('message', (msg) => {
      const ms = round3(now() - sentAt);
      let p: dnsPacket.DecodedPacket;
      try {
        p = dnsPacket.decode(msg);
      } catch {
        return; // garbage: keep waiting for the real reply
      }
      if (matches(p, id, name, type)) finish({ ok: true, packet: p, ms });
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, error: err.code === 'ECONNREFUSED' ? `refused: ICMP port unreachable from ${server}:${port} (no DNS server)` : errorText(err, 'unreachable') }),
    );
    socket.connect(port, server, () => {
      if (done) return;
      sentAt = now();
      socket.send(buf);
    });
  });
}

export function queryTcp(server: string, port: number, name: string, type: dnsPacket.RecordType, signal: AbortSignal, abortText: () => string): Promise<Wire> {
  return new Promise<Wire>((resolve) => {
    const socket = new Socket();
    const { id, buf } = buildQuery(name, type);
    let sentAt = 0;
    let done = false;
    let received = Buffer.alloc(0);
    const finish = (w: Wire): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(w);
    };
    const onAbort = (): void => finish({ ok: false, error: abortText() });
    if (signal.aborted) {
      queueMicrotask(onAbort);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > TCP_MAX + 2) return finish({ ok: false, error: 'error: DNS reply over TCP exceeds 65535 bytes' });
      if (received.length < 2) return;
      const len = received.readUInt16BE(0);
      if (received.length < 2 + len) return;
      const ms = round3(now() - sentAt);
      try {
        const p = dnsPacket.decode(received.subarray(2, 2 + len));
        if (matches(p, id, name, type)) finish({ ok: true, packet: p, ms });
        else finish({ ok: false, error: 'error: DNS reply over TCP does not match the query' });
      } catch (err) {
        finish({ ok: false, error: `error: malformed DNS reply over TCP: ${(err as Error).message}` });
      }
    });
    socket.once('error', (err) => finish({ ok: false, error: errorText(err, 'unreachable') }));
    socket.once('close', () => finish({ ok: false, error: 'error: the server closed the TCP connection without a full reply' }));
    socket.connect({ host: server, port }, () => {
      const framed = Buffer.alloc(2 + buf.length);
      framed.writeUInt16BE(buf.length, 0);
      buf.copy(framed, 2);
      sentAt = now();
      socket.write(framed);
    });
  });
}

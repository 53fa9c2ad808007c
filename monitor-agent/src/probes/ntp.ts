// NTP: an SNTPv4 client over node:dgram. Offset and delay per RFC 4330 from four
// timestamps; T1 and T4 come from one high-resolution clock (performance.timeOrigin +
// performance.now()), so the delay is a monotonic difference. Stratum 16, a
// kiss-of-death (stratum 0) or an unsynchronised leap indicator is `down`.
import { createSocket } from 'node:dgram';
import type { NtpTask } from '../../../protocol/src/index.js';
import type { Probe } from './types.js';
import { clientRequest, KISS_CODES, NTP_PACKET_BYTES, parseReply, type NtpReply } from './ntp-packet.js';
import { Budget, down, errorText, neverThrows, round3, isOutcome, resolveOrDown } from './util.js';

/** Wall-clock ms with sub-ms resolution that never steps during one exchange. */
const clockMs = (): number => performance.timeOrigin + performance.now();

interface Sample {
  reply: NtpReply;
  offsetMs: number;
  delayMs: number;
}

type Exchange = { ok: true; sample: Sample } | { ok: false; error: string };

export const ntpProbe: Probe<NtpTask> = (task, ctx) =>
  neverThrows(async () => {
    const budget = new Budget(ctx);
    try {
      const resolved = await resolveOrDown(task.server, budget);
      if (isOutcome(resolved)) return resolved;
      const samples: Sample[] = [];
      let lastError = '';
      for (let i = 0; i < task.samples && !budget.signal.aborted; i++) {
        const ex = await exchange(resolved.address, resolved.family, task.port, budget);
        if (ex.ok) {
          samples.push(ex.sample);
          // A kiss-of-death means stop asking.
          if (ex.sample.reply.stratum === 0) break;
        } else lastError = ex.error;
      }
      if (!samples.length) return down(lastError || budget.abortText(), { resolvedIp: resolved.address, samplesSent: task.samples });
      // The lowest-delay sample is the most trustworthy (NTP's clock filter does the same).
      const best = samples.reduce((a, b) => (b.delayMs < a.delayMs ? b : a));
      const r = best.reply;
      const details = {
        resolvedIp: resolved.address,
        offsetMs: round3(best.offsetMs),
        delayMs: round3(best.delayMs),
        stratum: r.stratum,
        referenceId: r.referenceId,
        leap: r.leap,
        version: r.version,
        rootDelayMs: round3(r.rootDelayMs),
        rootDispersionMs: round3(r.rootDispersionMs),
        precision: r.precision,
        poll: r.poll,
        samples: samples.length,
        ...(r.stratum === 0 ? { kissCode: r.referenceId, kissMeaning: KISS_CODES[r.referenceId] ?? 'unknown kiss code' } : {}),
      };
      const latency = round3(best.delayMs);
      if (r.stratum === 0) return down(`kiss_of_death: ${r.referenceId} (${details.kissMeaning})`, details, latency);
      if (r.stratum >= 16) return down('unsynchronized: server reports stratum 16', details, latency);
      if (r.leap === 3) return down('unsynchronized: leap indicator 3 (clock not synchronized)', details, latency);
      return { status: 'up', latencyMs: latency, error: null, details };
    } finally {
      budget.dispose();
    }
  });

function exchange(address: string, family: 4 | 6, port: number, budget: Budget): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    const { packet, nonce } = clientRequest();
    let t1 = 0;
    let done = false;
    const finish = (ex: Exchange): void => {
      if (done) return;
      done = true;
      budget.signal.removeEventListener('abort', onAbort);
      socket.close();
      resolve(ex);
    };
    const onAbort = (): void => finish({ ok: false, error: budget.abortText('NTP reply') });
    budget.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('message', (msg) => {
      const t4 = clockMs(); // first thing on arrival
      if (msg.length < NTP_PACKET_BYTES) return; // not an NTP reply: keep waiting
      const reply = parseReply(msg);
      // Only the reply to our request counts: the server echoes our transmit field (the nonce).
      if (!reply.originate.equals(nonce) || (reply.mode !== 4 && reply.mode !== 5)) return;
      if (reply.stratum !== 0 && reply.transmitRaw.every((b) => b === 0)) {
        finish({ ok: false, error: 'error: server sent a zero transmit timestamp' });
        return;
      }
      const t2 = reply.receiveMs;
      const t3 = reply.transmitMs;
      finish({ ok: true, sample: { reply, offsetMs: (t2 - t1 + (t3 - t4)) / 2, delayMs: t4 - t1 - (t3 - t2) } });
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, error: err.code === 'ECONNREFUSED' ? `refused: ICMP port unreachable from ${address}:${port} (no NTP server)` : errorText(err, 'unreachable') }),
    );
    socket.connect(port, address, () => {
      if (done) return;
      t1 = clockMs();
      socket.send(packet);
    });
  });
}

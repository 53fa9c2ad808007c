// NTP probe against an in-process SNTP responder whose clock is off by a known amount,
// plus kiss-of-death, stratum 16, silence and a closed port.
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { NTP_PACKET_BYTES, readTimestamp, writeTimestamp } from '../../src/probes/ntp-packet.js';
import { freePort, runTask } from './support.js';

interface Responder {
  offsetMs?: number;
  stratum?: number;
  refId?: string;
  leap?: number;
  silent?: boolean;
  /** Server processing time between receive and transmit. */
  holdMs?: number;
}

function startResponder(o: Responder): Promise<{ socket: Socket; port: number }> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      if (o.silent || msg.length < NTP_PACKET_BYTES) return;
      const clock = (): number => performance.timeOrigin + performance.now() + (o.offsetMs ?? 0);
      const received = clock();
      const reply = Buffer.alloc(NTP_PACKET_BYTES);
      reply[0] = ((o.leap ?? 0) << 6) | (4 << 3) | 4;
      reply[1] = o.stratum ?? 2;
      reply[2] = 6;
      reply.writeInt8(-20, 3);
      reply.writeUInt32BE((0 << 16) | 0x0800, 4); // root delay 0.03125 s
      reply.writeUInt32BE(0x00010000, 8); // root dispersion 1 s
      if (o.refId) Buffer.from(o.refId.padEnd(4, '\0'), 'latin1').copy(reply, 12);
      else Buffer.from([127, 127, 1, 0]).copy(reply, 12);
      writeTimestamp(reply, 16, received - 1000);
      msg.copy(reply, 24, 40, 48); // originate = the client's transmit field
      writeTimestamp(reply, 32, received);
      const send = (): void => {
        writeTimestamp(reply, 40, clock());
        socket.send(reply, rinfo.port, rinfo.address);
      };
      if (o.holdMs) setTimeout(send, o.holdMs);
      else send();
    });
    socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port }));
  });
}

describe('probes: ntp (in-process SNTP responder)', () => {
  const sockets: Socket[] = [];
  const start = async (o: Responder): Promise<number> => {
    const r = await startResponder(o);
    sockets.push(r.socket);
    return r.port;
  };
  after(() => sockets.forEach((s) => s.close()));

  it('timestamps survive the NTP encoding to well under a microsecond', () => {
    const b = Buffer.alloc(8);
    const t = Date.UTC(2026, 0, 2, 3, 4, 5) + 0.123456;
    writeTimestamp(b, 0, t);
    assert.ok(Math.abs(readTimestamp(b, 0) - t) < 0.001);
  });

  it('measures a server clock that runs 250 ms ahead as offset +250 ms', async () => {
    const port = await start({ offsetMs: 250 });
    const r = await runTask({ type: 'ntp', server: '127.0.0.1', port });
    assert.equal(r.status, 'up', String(r.error));
    assert.ok(Math.abs(Number(r.details.offsetMs) - 250) < 5, `offset ${r.details.offsetMs}`);
    assert.equal(r.details.stratum, 2);
    assert.equal(r.details.referenceId, '127.127.1.0');
    assert.equal(r.details.version, 4);
    assert.equal(r.details.precision, -20);
    assert.equal(r.details.rootDelayMs, 31.25);
    assert.equal(r.details.rootDispersionMs, 1000);
    assert.equal(r.latencyMs, r.details.delayMs);
  });

  it('and one 250 ms behind as -250 ms; server hold time is not counted as delay', async () => {
    const port = await start({ offsetMs: -250, holdMs: 100 });
    const r = await runTask({ type: 'ntp', server: '127.0.0.1', port, samples: 2 });
    assert.equal(r.status, 'up', String(r.error));
    assert.ok(Math.abs(Number(r.details.offsetMs) + 250) < 5, `offset ${r.details.offsetMs}`);
    assert.ok(Number(r.details.delayMs) < 50, `delay ${r.details.delayMs} excludes the 100 ms hold`);
    assert.equal(r.details.samples, 2);
  });

  it('a kiss-of-death is down with the kiss code decoded', async () => {
    const port = await start({ stratum: 0, refId: 'RATE' });
    const r = await runTask({ type: 'ntp', server: '127.0.0.1', port });
    assert.equal(r.status, 'down');
    assert.equal(r.details.referenceId, 'RATE');
    assert.match(String(r.error), /^kiss_of_death: RATE \(rate exceeded/);
  });

  it('stratum 16 is down; a stratum 1 reference id is text', async () => {
    const p16 = await start({ stratum: 16 });
    const r = await runTask({ type: 'ntp', server: '127.0.0.1', port: p16 });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /stratum 16/);
    const p1 = await start({ stratum: 1, refId: 'GPS' });
    const g = await runTask({ type: 'ntp', server: '127.0.0.1', port: p1 });
    assert.equal(g.status, 'up');
    assert.equal(g.details.referenceId, 'GPS');
  });

  it('a silent server times out; a closed port is refused; a bad name is a dns_error', async () => {
    const silent = await start({ silent: true });
    const a = await runTask({ type: 'ntp', server: '127.0.0.1', port: silent, timeout: 0.5 });
    assert.equal(a.status, 'down');
    assert.match(String(a.error), /^timeout: /);
    const b = await runTask({ type: 'ntp', server: '127.0.0.1', port: await freePort() });
    assert.match(String(b.error), /^refused: /);
    const c = await runTask({ type: 'ntp', server: 'time.invalid' });
    assert.match(String(c.error), /^dns_error: /);
  });
});

// TCP, UDP and echo probes against servers this suite starts on loopback.
import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { startEchoServer, type EchoServer } from '../../src/echo-server.js';
import { freePort, runTask } from './support.js';

function listenTcp(handler: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

function bindUdp(onMessage: (sock: UdpSocket, msg: Buffer, port: number, address: string) => void): Promise<{ socket: UdpSocket; port: number }> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.on('message', (msg, r) => onMessage(socket, msg, r.port, r.address));
    socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port }));
  });
}

describe('probes: tcp', () => {
  const sockets = new Set<Socket>();
  let banner: { server: Server; port: number };
  let silent: { server: Server; port: number };
  before(async () => {
    banner = await listenTcp((s) => {
      sockets.add(s);
      s.write('SSH-2.0-NetCamTest\r\n');
      s.on('data', (d) => s.write(`you said ${d}`));
      s.on('error', () => {});
    });
    silent = await listenTcp((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
  });
  after(() => {
    for (const s of sockets) s.destroy();
    banner.server.close();
    silent.server.close();
  });

  it('reports open with a connect time and the resolved IP', async () => {
    const r = await runTask({ type: 'tcp', host: '127.0.0.1', port: banner.port });
    assert.equal(r.status, 'up');
    assert.equal(r.details.state, 'open');
    assert.equal(r.details.resolvedIp, '127.0.0.1');
    assert.ok(typeof r.latencyMs === 'number' && r.latencyMs > 0 && r.latencyMs === r.details.connectMs);
  });

  it('matches an expected banner and a regex after sending', async () => {
    const a = await runTask({ type: 'tcp', host: '127.0.0.1', port: banner.port, expect: 'SSH-2.0' });
    assert.equal(a.status, 'up');
    assert.match(String(a.details.banner), /^SSH-2\.0-NetCamTest/);
    const b = await runTask({ type: 'tcp', host: '127.0.0.1', port: banner.port, send: 'ping\n', expect: '/you said p[i]ng/' });
    assert.equal(b.status, 'up', String(b.error));
  });

  it('is down with body_mismatch when the expected text never comes', async () => {
    const r = await runTask({ type: 'tcp', host: '127.0.0.1', port: silent.port, expect: 'HELLO', timeout: 0.5 });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^body_mismatch: /);
    assert.equal(r.details.state, 'open');
  });

  it('reports refused on a closed port', async () => {
    const port = await freePort();
    const r = await runTask({ type: 'tcp', host: '127.0.0.1', port });
    assert.equal(r.status, 'down');
    assert.equal(r.details.state, 'refused');
    assert.match(String(r.error), /^refused: /);
  });

  it('never throws on an unresolvable name', async () => {
    const r = await runTask({ type: 'tcp', host: 'no-such-host.invalid', port: 80 });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^dns_error: /);
  });

  it('stops at once when the signal aborts', async () => {
    const ac = new AbortController();
    const started = performance.now();
    const p = runTask({ type: 'tcp', host: '127.0.0.1', port: silent.port, expect: 'never', timeout: 30, interval: 60 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const r = await p;
    assert.equal(r.status, 'down');
    assert.ok(performance.now() - started < 5000, 'returned promptly after abort');
  });
});

describe('probes: udp', () => {
  let replying: { socket: UdpSocket; port: number };
  let silent: { socket: UdpSocket; port: number };
  before(async () => {
    replying = await bindUdp((s, msg, port, address) => s.send(Buffer.concat([Buffer.from('pong:'), msg]), port, address));
    silent = await bindUdp(() => {});
  });
  after(() => {
    replying.socket.close();
    silent.socket.close();
  });

  it('a reply is open (never "closed")', async () => {
    const r = await runTask({ type: 'udp', host: '127.0.0.1', port: replying.port, payload: 'ping', expect: 'pong:ping' });
    assert.equal(r.status, 'up');
    assert.equal(r.details.state, 'open');
    assert.equal(r.details.replyBytes, 9);
    assert.ok(typeof r.latencyMs === 'number' && r.latencyMs > 0);
  });

  it('a reply without the expected text is down with body_mismatch, still open', async () => {
    const r = await runTask({ type: 'udp', host: '127.0.0.1', port: replying.port, payload: 'x', expect: 'nope' });
    assert.equal(r.status, 'down');
    assert.equal(r.details.state, 'open');
    assert.match(String(r.error), /^body_mismatch/);
  });

  it('a port with no listener is closed (ICMP port unreachable on a connected socket)', async () => {
    const port = await freePort();
    const r = await runTask({ type: 'udp', host: '127.0.0.1', port, payload: 'hello' });
    assert.equal(r.status, 'down');
    assert.equal(r.details.state, 'closed');
    assert.match(String(r.error), /^refused: /);
  });

  it('silence is open|filtered (never "open", never "closed")', async () => {
    const r = await runTask({ type: 'udp', host: '127.0.0.1', port: silent.port, payload: 'hello', timeout: 0.6 });
    assert.equal(r.details.state, 'open|filtered');
    assert.equal(r.status, 'up');
    assert.equal(r.latencyMs, null);
    const withExpect = await runTask({ type: 'udp', host: '127.0.0.1', port: silent.port, payload: 'hello', expect: 'x', timeout: 0.6 });
    assert.equal(withExpect.details.state, 'open|filtered');
    assert.equal(withExpect.status, 'down');
    assert.match(String(withExpect.error), /^timeout: /);
  });

  it('never throws on an unresolvable name', async () => {
    const r = await runTask({ type: 'udp', host: 'nothing.invalid', port: 9 });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^dns_error: /);
  });
});

describe('probes: echo and the included echo server', () => {
  let server: EchoServer;
  const lying: Socket[] = [];
  let liar: { server: Server; port: number };
  let liarUdp: { socket: UdpSocket; port: number };
  let goodbyes = 0;
  before(async () => {
    server = await startEchoServer({ port: 0 });
    // Echoes everything but changes one byte of it.
    liar = await listenTcp((s) => {
      lying.push(s);
      s.on('data', (d: Buffer) => {
        if (d.toString() === 'Goodbye') {
          goodbyes += 1;
          s.end();
          return;
        }
        const copy = Buffer.from(d);
        copy[Math.floor(copy.length / 2)] ^= 0x01;
        s.write(copy);
      });
      s.on('error', () => {});
    });
    liarUdp = await bindUdp((s, msg, port, address) => {
      const copy = Buffer.from(msg);
      copy[copy.length - 1] ^= 0x20;
      s.send(copy, port, address);
    });
  });
  after(async () => {
    await server.close();
    for (const s of lying) s.destroy();
    liar.server.close();
    liarUdp.socket.close();
  });

  it('TCP echo matches byte for byte and reports the round trip', async () => {
    const r = await runTask({ type: 'echo', host: '127.0.0.1', port: server.tcpPort, sentences: 3 });
    assert.equal(r.status, 'up', String(r.error));
    assert.equal(r.details.matched, true);
    assert.equal(r.details.sent, r.details.received);
    assert.ok(Number(r.details.bytes) > 10);
    assert.ok(typeof r.latencyMs === 'number' && r.latencyMs > 0);
  });

  it('UDP echo matches too', async () => {
    const r = await runTask({ type: 'echo', host: '127.0.0.1', port: server.udpPort, transport: 'udp', sentences: 2 });
    assert.equal(r.status, 'up', String(r.error));
    assert.equal(r.details.matched, true);
  });

  it('a server that changes one byte is down with echo_mismatch (TCP and UDP)', async () => {
    const r = await runTask({ type: 'echo', host: '127.0.0.1', port: liar.port });
    assert.equal(r.status, 'down');
    assert.equal(r.details.matched, false);
    assert.match(String(r.error), /^echo_mismatch: reply differs at byte \d+/);
    const u = await runTask({ type: 'echo', host: '127.0.0.1', port: liarUdp.port, transport: 'udp' });
    assert.equal(u.status, 'down');
    assert.match(String(u.error), /^echo_mismatch: /);
  });

  it('says Goodbye at the end like the original client', async () => {
    const before = goodbyes;
    // Sent after any full-length reply, matching or not (the liar counts them).
    await runTask({ type: 'echo', host: '127.0.0.1', port: liar.port });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(goodbyes, before + 1);
  });

  it('the server closes a client that says Goodbye, and serves many clients at once', async () => {
    const clients = await Promise.all(
      Array.from({ length: 20 }, () => new Promise<Socket>((resolve) => {
        const c = connect({ host: '127.0.0.1', port: server.tcpPort }, () => resolve(c));
      })),
    );
    const replies = await Promise.all(clients.map((c, i) => new Promise<string>((resolve) => {
      c.once('data', (d) => resolve(String(d)));
      c.write(`client ${i}`);
    })));
    replies.forEach((r, i) => assert.equal(r, `client ${i}`));
    const closed = await Promise.all(clients.map((c) => new Promise<boolean>((resolve) => {
      c.once('end', () => resolve(true));
      c.write('Goodbye');
    })));
    assert.ok(closed.every(Boolean));
    clients.forEach((c) => c.destroy());
  });

  it('the server drops an idle client', async () => {
    const idle = await startEchoServer({ port: 0, idleMs: 200 });
    try {
      const c = connect({ host: '127.0.0.1', port: idle.tcpPort });
      const closedIn = await new Promise<number>((resolve) => {
        const t = performance.now();
        c.on('error', () => {});
        c.once('close', () => resolve(performance.now() - t));
      });
      assert.ok(closedIn >= 150, `closed after ${closedIn} ms`);
    } finally {
      await idle.close();
    }
  });

  it('echo to a closed port is down with refused; to a bad name with dns_error', async () => {
    const port = await freePort();
    const r = await runTask({ type: 'echo', host: '127.0.0.1', port });
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^refused: /);
    const n = await runTask({ type: 'echo', host: 'echo.invalid', port });
    assert.match(String(n.error), /^dns_error: /);
  });
});

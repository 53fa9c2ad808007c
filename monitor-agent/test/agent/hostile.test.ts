// Hostile and broken peers against a running agent whose legitimate manager is
// streaming results. None may crash the agent or hold up that manager's results.
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { encodeFrame, PSK_IDENTITY } from '../../../protocol/src/index.js';
import { FAST_TIMING, sleep, startTestAgent, tcpTarget, tcpTask, tempDir, until, type TestAgent } from './fixtures.js';
import { seqCoverage, TestManager } from './test-manager.js';

/** Resolves when the socket closes; rejects if it is still open after `ms`. */
function closedWithin(socket: net.Socket, ms: number, what: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return resolve(0);
    const timer = setTimeout(() => reject(new Error(`${what}: still open after ${ms} ms`)), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - t0);
    });
  });
}

function pskConnect(port: number, key: Buffer): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, minVersion: 'TLSv1.3', pskCallback: () => ({ identity: PSK_IDENTITY, psk: key }), checkServerIdentity: () => undefined });
    s.once('secureConnect', () => resolve(s));
    s.once('error', reject);
  });
}

function rawConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

describe('agent: hostile and broken peers', function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof tempDir>;
  let agent: TestAgent;
  let target: Awaited<ReturnType<typeof tcpTarget>>;
  let m: TestManager;
  const sockets: net.Socket[] = [];

  before(async () => {
    dir = tempDir();
    target = await tcpTarget();
    agent = await startTestAgent(dir.path);
    m = await TestManager.connect({ port: agent.port, key: agent.key });
    await m.handshake('web-01', Array.from({ length: 5 }, (_, i) => tcpTask(`t${i}`, target.port)), 0);
    await m.waitFor('first results', () => m.results.length >= 5);
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await m.close();
    await agent.close();
    await target.close();
    dir.remove();
  });

  /** The legitimate manager got a result within the last `ms`, and keeps getting them. */
  async function assertStillStreaming(what: string): Promise<void> {
    const n = m.results.length;
    await m.waitFor(`results after ${what}`, () => m.results.length >= n + 3, 5000);
    assert.ok(!m.closed, `the legitimate session survived ${what}`);
  }

  it('sends heartbeats to the manager', async () => {
    const before = m.inbox.filter((x) => x.type === 'heartbeat').length;
    await m.waitFor('2 heartbeats', () => m.inbox.filter((x) => x.type === 'heartbeat').length >= before + 2, 3000);
  });

  it('a peer with the wrong key gets no TLS session', async () => {
    await assert.rejects(pskConnect(agent.port, Buffer.alloc(32, 1)));
    await assertStillStreaming('a wrong key');
    await until('the failure is logged', () => agent.lines.some((l) => /rejected connection: .*TLS handshake failed/.test(l)));
  });

  it('a plaintext hello to the TLS listener is rejected without an answer', async () => {
    const s = await rawConnect(agent.port);
    sockets.push(s);
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    s.on('error', () => undefined);
    s.write(encodeFrame({ type: 'hello', v: 1, role: 'manager', software: 'x' }));
    await closedWithin(s, FAST_TIMING.handshakeMs + 3000, 'plaintext peer');
    assert.ok(!Buffer.concat(got).toString('latin1').includes('"type"'), 'no protocol message was sent in the clear');
    await assertStillStreaming('a plaintext peer');
  });

  it('garbage bytes close the socket', async () => {
    const s = await rawConnect(agent.port);
    sockets.push(s);
    s.on('error', () => undefined);
    s.write(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)));
    await closedWithin(s, 3000, 'garbage peer');
    await assertStillStreaming('garbage bytes');
  });

  it('an oversize length prefix is refused from the 4 header bytes with bad_message', async () => {
    const s = await pskConnect(agent.port, agent.key);
    sockets.push(s);
    s.on('error', () => undefined);
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    s.write(Buffer.from([0xff, 0xff, 0xff, 0xf0]));
    await closedWithin(s, 3000, 'oversize frame peer');
    const body = Buffer.concat(chunks).subarray(4).toString('utf8');
    assert.match(body, /"code":"bad_message"/);
    assert.match(body, /exceeds the 1048576-byte cap/);
    await assertStillStreaming('an oversize frame');
  });

  it('a peer sending one byte per second is closed at the handshake deadline', async () => {
    const s = await rawConnect(agent.port);
    sockets.push(s);
    s.on('error', () => undefined);
    const hello = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]);
    let i = 0;
    const drip = setInterval(() => {
      if (!s.destroyed && i < hello.length) s.write(hello.subarray(i, ++i));
    }, 1000);
    try {
      const ms = await closedWithin(s, FAST_TIMING.handshakeMs + 3000, 'slow peer');
      assert.ok(ms >= FAST_TIMING.handshakeMs - 200, `closed after ${Math.round(ms)} ms`);
    } finally {
      clearInterval(drip);
    }
    await assertStillStreaming('a slow peer');
  });

  it('50 idle unauthenticated connections neither disturb the session nor lock out a new manager', async () => {
    const idle: net.Socket[] = [];
    for (let i = 0; i < 50; i++) {
      const s = await rawConnect(agent.port);
      s.on('error', () => undefined);
      idle.push(s);
      sockets.push(s);
    }
    assert.ok(agent.listener.unauthenticatedCount <= 4, `${agent.listener.unauthenticatedCount} unauthenticated sockets held`);
    await assertStillStreaming('50 idle connections');
    // A manager arriving now (e.g. after a laptop woke up) still gets in promptly.
    const t0 = performance.now();
    const m2 = await TestManager.connect({ port: agent.port, key: agent.key });
    const { started } = await m2.handshake('web-01', null, m.stored);
    assert.equal(started.restarted, false);
    assert.ok(performance.now() - t0 < 5000, `took ${Math.round(performance.now() - t0)} ms`);
    await m2.waitFor('results on the new session', () => m2.results.length >= 3, 5000);
    assert.deepEqual(seqCoverage([...m.results, ...m2.results], []).missing, []);
    await m.close();
    m = m2;
    await until('idle sockets closed at the deadline', () => idle.every((s) => s.destroyed), FAST_TIMING.handshakeMs + 5000);
  });

  it('an authenticated frame that trickles in is cut off after the frame deadline', async () => {
    const s = await pskConnect(agent.port, agent.key);
    sockets.push(s);
    s.on('error', () => undefined);
    const hello = encodeFrame({ type: 'hello', v: 1, role: 'manager', software: 'slow' });
    let i = 0;
    const drip = setInterval(() => {
      if (!s.destroyed && i < hello.length) s.write(hello.subarray(i, ++i));
    }, 300);
    try {
      await closedWithin(s, Math.max(FAST_TIMING.frameMs, FAST_TIMING.handshakeMs) + 3000, 'trickling peer');
    } finally {
      clearInterval(drip);
    }
    await assertStillStreaming('a trickling frame');
  });

  it('a manager that goes silent is declared dead; the agent keeps running tasks and spooling', async () => {
    const seqBefore = agent.spool.lastSeq;
    m.silence();
    await until('the agent to drop the silent manager', () => m.closed, FAST_TIMING.deadAfterMs + 4000);
    assert.ok(agent.lines.some((l) => /manager disconnected .*no message from the manager/.test(l)), agent.lines.join('\n'));
    await until('results keep being spooled', () => agent.spool.lastSeq >= seqBefore + 10, 5000);
    // And the backlog is there for the next manager.
    m = await TestManager.connect({ port: agent.port, key: agent.key });
    const { started } = await m.handshake('web-01', null, 0);
    assert.equal(started.restarted, false);
    assert.ok(started.backlog > 0);
  });
});

describe('agent: per-connection message rate limit', function () {
  this.timeout(20_000);
  it('a flood of messages is throttled (reading pauses), not fatal and not dropped', async () => {
    const dir = tempDir();
    const agent = await startTestAgent(dir.path, { rate: { perSecond: 100, burst: 10 } });
    const m = await TestManager.connect({ port: agent.port, key: agent.key, heartbeatMs: 0 });
    try {
      await m.take('hello');
      const hb = encodeFrame({ type: 'heartbeat', ts: new Date().toISOString(), ackedSeq: 0, lastSeq: 0, queued: 0 });
      const t0 = performance.now();
      m.socket.write(Buffer.concat([...Array.from({ length: 110 }, () => hb), encodeFrame({ type: 'setId', monitorId: 'flood' })]));
      await m.take('idAck', 5000);
      const ms = performance.now() - t0;
      // 10 in the burst, the other 100 at 100/s: the setId behind them waits about a second.
      assert.ok(ms >= 700, `idAck after ${Math.round(ms)} ms: the flood was not throttled`);
      assert.ok(!m.closed);
    } finally {
      await m.close();
      await agent.close();
      dir.remove();
    }
  });
});

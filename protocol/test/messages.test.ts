import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAgentMessage, parseManagerMessage, ProtocolError, PROTOCOL_VERSION, type Result } from '../src/index.js';

const result: Result = {
  monitorId: 'web-01',
  taskId: 'gw-ping',
  type: 'icmp',
  target: '127.0.0.1',
  seq: 42,
  ts: '2026-11-25T09:30:00.123Z',
  status: 'up',
  latencyMs: 0.041,
  error: null,
  details: { sent: 3, received: 3 },
};

function rejects(fn: () => unknown, code: string, text: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtocolError, `expected ProtocolError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, text);
    return true;
  });
}

describe('message validation', () => {
  it('accepts every manager message of the handshake and the stream', () => {
    const valid = [
      { type: 'hello', v: PROTOCOL_VERSION, role: 'manager', software: 'netcam/0.1.0' },
      { type: 'setId', monitorId: '127.0.0.1:7070' },
      { type: 'tasks', tasks: [{ type: 'tcp', host: '127.0.0.1', port: 22 }] },
      { type: 'start', after: 0 },
      { type: 'ack', seq: 42 },
      { type: 'runNow', taskId: 'tcp-1' },
      { type: 'stop' },
      { type: 'heartbeat', ts: '2026-11-25T09:30:00.000Z', ackedSeq: 1, lastSeq: 2, queued: 0 },
      { type: 'error', code: 'echo_mismatch', message: 'tasks[0].port: sent 22, echoed 23' },
    ];
    for (const m of valid) assert.equal(parseManagerMessage(m).type, m.type);
  });

  it('applies task defaults and ids when the manager sends tasks', () => {
    const m = parseManagerMessage({ type: 'tasks', tasks: [{ type: 'tcp', host: '127.0.0.1', port: 22 }] });
    assert.equal(m.type, 'tasks');
    if (m.type !== 'tasks') return;
    assert.deepEqual(m.tasks[0], { type: 'tcp', host: '127.0.0.1', port: 22, id: 'tcp-1', interval: 60, timeout: 3, downAfter: 1 });
  });

  it('accepts every agent message', () => {
    const valid = [
      { type: 'hello', v: 1, role: 'agent', software: 'netcam-agent/0.1.0', monitorId: null, tasksHash: null, lastSeq: 0, ackedSeq: 0 },
      { type: 'idAck', monitorId: 'web-01' },
      { type: 'taskEcho', index: 0, task: { type: 'icmp', host: '127.0.0.1', id: 'icmp-1' } },
      { type: 'tasksReady', count: 1, hash: 'a'.repeat(64) },
      { type: 'started', tasks: 1, restarted: true, backlog: 0 },
      { type: 'results', items: [result] },
      { type: 'gap', fromSeq: 5, toSeq: 9, count: 5, reason: 'buffer full', fromTs: result.ts, toTs: result.ts },
      { type: 'stopped', lastSeq: 42 },
    ];
    for (const m of valid) assert.equal(parseAgentMessage(m).type, m.type);
  });

  it('names the field and the rule when a message is wrong', () => {
    rejects(() => parseManagerMessage({ type: 'ack', seq: -1 }), 'bad_message', /^ack\.seq: must be >= 0$/);
    rejects(() => parseManagerMessage({ type: 'ack', seq: '5' }), 'bad_message', /ack\.seq: must be integer/);
    rejects(() => parseManagerMessage({ type: 'stop', now: true }), 'bad_message', /stop\.now: is not allowed here/);
    rejects(() => parseManagerMessage({ type: 'shell', cmd: 'rm -rf /' }), 'bad_message', /unknown manager message type "shell"/);
    rejects(() => parseManagerMessage([1, 2]), 'bad_message', /must be object/);
    rejects(() => parseAgentMessage({ type: 'results', items: [{ ...result, seq: 0 }] }), 'bad_message', /results\.items\[0\]\.seq: must be >= 1/);
    rejects(() => parseAgentMessage({ type: 'results', items: [{ ...result, status: 'ok' }] }), 'bad_message', /items\[0\]\.status: must be one of/);
    rejects(() => parseAgentMessage({ type: 'gap', fromSeq: 9, toSeq: 5, count: 1, reason: 'x', fromTs: result.ts, toTs: result.ts }), 'bad_message', /gap\.toSeq: must be >= fromSeq/);
    // A manager message type is not an agent message type, and vice versa.
    rejects(() => parseAgentMessage({ type: 'stop' }), 'bad_message', /unknown agent message type "stop"/);
  });

  it('reports invalid tasks as invalid_tasks with their path', () => {
    rejects(
      () => parseManagerMessage({ type: 'tasks', tasks: [{ type: 'tcp', host: '127.0.0.1', port: 22 }, { type: 'icmp', host: 'h', interval: 0 }] }),
      'invalid_tasks',
      /tasks\.tasks\[1\]\.interval: must be >= 1/,
    );
  });

  it('treats __proto__ keys from the wire as data, never as prototypes', () => {
    const data = JSON.parse('{"type":"stop","__proto__":{"polluted":true}}');
    rejects(() => parseManagerMessage(data), 'bad_message', /__proto__/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('never throws anything but ProtocolError on arbitrary JSON', () => {
    const typed = fc.record({ type: fc.constantFrom('hello', 'tasks', 'results', 'ack', 'gap', 'heartbeat', 'error', 'x') }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.tuple(typed, fc.dictionary(fc.string(), fc.jsonValue())).map(([a, b]) => ({ ...b, ...a }))), (value) => {
        for (const parse of [parseManagerMessage, parseAgentMessage]) {
          try {
            parse(value);
          } catch (e) {
            assert.ok(e instanceof ProtocolError, `unexpected ${String(e)}`);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('pairing secret', () => {
  it('round-trips and rejects pasted text that is not a secret, naming the problem', async () => {
    const { generateSecret, parseSecret } = await import('../src/secret.js');
    const s = generateSecret();
    assert.equal(parseSecret(`  ${s}\n`).length, 32);
    assert.notEqual(generateSecret(), s);
    assert.throws(() => parseSecret('hunter2'), /^Error: secret: must start with "ncs1_"/);
    assert.throws(() => parseSecret('ncs1_abc'), /must encode 32 bytes, got 2/);
    assert.throws(() => parseSecret('ncs1_ab$c'), /not base64url/);
  });
});

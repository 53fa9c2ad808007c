import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeFrame, FrameDecoder, FrameError, MAX_FRAME_BYTES, FRAME_HEADER_BYTES } from '../src/frame.js';

/** Splits a buffer at the given (sorted, deduplicated) cut points. */
function chunked(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of [...points, buf.length]) {
    chunks.push(buf.subarray(last, p));
    last = p;
  }
  return chunks;
}

function header(length: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32BE(length, 0);
  return h;
}

describe('frame codec', () => {
  it('decodes any sequence of messages, however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 }), (messages, cuts) => {
        const wire = Buffer.concat(messages.map((m) => encodeFrame(m)));
        const decoder = new FrameDecoder();
        const out = chunked(wire, cuts).flatMap((c) => decoder.push(c));
        decoder.end();
        // JSON round trip is the identity we promise (e.g. -0 becomes 0).
        assert.deepEqual(out, messages.map((m) => JSON.parse(JSON.stringify(m))));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes byte-at-a-time delivery', () => {
    const wire = Buffer.concat([encodeFrame({ type: 'ack', seq: 7 }), encodeFrame({ a: 'é✓' })]);
    const decoder = new FrameDecoder();
    const out: unknown[] = [];
    for (const byte of wire) out.push(...decoder.push(Buffer.from([byte])));
    assert.deepEqual(out, [{ type: 'ack', seq: 7 }, { a: 'é✓' }]);
  });

  it('rejects a declared length over the cap from the header alone, before allocating', () => {
    const decoder = new FrameDecoder();
    assert.throws(() => decoder.push(header(MAX_FRAME_BYTES + 1)), (e: unknown) => e instanceof FrameError && e.code === 'frame_too_large');
    assert.equal(decoder.pendingBytes, 0);
    // The stream stays failed: framing is lost.
    assert.throws(() => decoder.push(Buffer.from('{}')), FrameError);
  });

  it('accepts a frame of exactly the cap', () => {
    const body = JSON.stringify('x'.repeat(MAX_FRAME_BYTES - 2));
    const wire = Buffer.concat([header(Buffer.byteLength(body)), Buffer.from(body)]);
    const [value] = new FrameDecoder().push(wire);
    assert.equal((value as string).length, MAX_FRAME_BYTES - 2);
  });

  it('refuses to encode a message over the cap', () => {
    assert.throws(() => encodeFrame('x'.repeat(MAX_FRAME_BYTES)), (e: unknown) => e instanceof FrameError && e.code === 'frame_too_large');
  });

  it('reports a stream that ends inside a frame as truncated', () => {
    const wire = encodeFrame({ type: 'stop' });
    const decoder = new FrameDecoder();
    decoder.push(wire.subarray(0, wire.length - 1));
    assert.throws(() => decoder.end(), (e: unknown) => e instanceof FrameError && e.code === 'truncated');
  });

  it('rejects empty frames and payloads that are not JSON', () => {
    assert.throws(() => new FrameDecoder().push(header(0)), (e: unknown) => e instanceof FrameError && e.code === 'empty_frame');
    const bad = Buffer.concat([header(5), Buffer.from('{"a":')]);
    assert.throws(() => new FrameDecoder().push(bad), (e: unknown) => e instanceof FrameError && e.code === 'bad_json');
  });

  it('never throws anything but FrameError on garbage, and never buffers more than one capped frame', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 30 }), (chunks) => {
        const decoder = new FrameDecoder(4096);
        for (const chunk of chunks) {
          try {
            decoder.push(chunk);
          } catch (e) {
            assert.ok(e instanceof FrameError, `unexpected ${String(e)}`);
            return;
          }
          assert.ok(decoder.pendingBytes <= 4096 + FRAME_HEADER_BYTES);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('survives mutated valid streams (bit flips, length tampering, truncation)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (messages, where, byte) => {
        const wire = Buffer.concat(messages.map((m) => encodeFrame(m)));
        wire[where % wire.length] = byte;
        const decoder = new FrameDecoder(wire.length);
        try {
          decoder.push(wire);
          decoder.end();
        } catch (e) {
          assert.ok(e instanceof FrameError, `unexpected ${String(e)}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});

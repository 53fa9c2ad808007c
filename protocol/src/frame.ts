// Length-prefixed frames: a 4-byte big-endian payload length, then that many bytes
// of UTF-8 JSON. Framing never looks at the content, and a declared length over the
// cap is rejected as soon as the 4 header bytes are in, before anything is allocated.

export const FRAME_HEADER_BYTES = 4;
export const MAX_FRAME_BYTES = 1024 * 1024;

export type FrameErrorCode = 'frame_too_large' | 'empty_frame' | 'bad_json' | 'truncated';

export class FrameError extends Error {
  readonly code: FrameErrorCode;
  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

export function encodeFrame(message: unknown, maxBytes = MAX_FRAME_BYTES): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  if (body.length > maxBytes) {
    throw new FrameError('frame_too_large', `frame: ${body.length} bytes exceeds the ${maxBytes}-byte cap`);
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Incremental decoder: push() whatever bytes arrived, get back the complete
 * payloads. Holds at most one header plus one frame (<= cap) in memory. After an
 * error the stream is unusable (framing is lost) and push() keeps throwing it.
 */
export class FrameDecoder {
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private body: Buffer | null = null;
  private bodyFill = 0;
  private failed: FrameError | null = null;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  /** Bytes buffered for an incomplete frame (for slow-sender limits). */
  get pendingBytes(): number {
    return this.headerFill + this.bodyFill;
  }

  /** True while a frame has started but not completed. */
  get inFrame(): boolean {
    return this.headerFill > 0 || this.body !== null;
  }

  /** Returns the decoded JSON values of every frame completed by `chunk`. */
  push(chunk: Uint8Array): unknown[] {
    if (this.failed) throw this.failed;
    const out: unknown[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.body === null) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, chunk.length - offset);
        this.header.set(chunk.subarray(offset, offset + take), this.headerFill);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < FRAME_HEADER_BYTES) break;
        const length = this.header.readUInt32BE(0);
        if (length > this.maxBytes) {
          this.fail('frame_too_large', `frame: declared length ${length} exceeds the ${this.maxBytes}-byte cap`);
        }
        if (length === 0) this.fail('empty_frame', 'frame: empty payload');
        this.body = Buffer.allocUnsafe(length);
        this.bodyFill = 0;
      }
      const take = Math.min(this.body.length - this.bodyFill, chunk.length - offset);
      this.body.set(chunk.subarray(offset, offset + take), this.bodyFill);
      this.bodyFill += take;
      offset += take;
      if (this.bodyFill === this.body.length) {
        const payload = this.body;
        this.body = null;
        this.bodyFill = 0;
        this.headerFill = 0;
        out.push(this.parse(payload));
      }
    }
    return out;
  }

  /** Call at end of stream: a partial frame left over is an error. */
  end(): void {
    if (this.failed) throw this.failed;
    if (this.inFrame) this.fail('truncated', `frame: stream ended inside a frame (${this.pendingBytes} bytes buffered)`);
  }

  private parse(payload: Buffer): unknown {
    try {
      return JSON.parse(payload.toString('utf8'));
    } catch (err) {
      return this.fail('bad_json', `frame: payload is not JSON (${(err as Error).message.slice(0, 80)})`);
    }
  }

  private fail(code: FrameErrorCode, message: string): never {
    this.body = null;
    this.bodyFill = 0;
    this.headerFill = 0;
    this.failed = new FrameError(code, message);
    throw this.failed;
  }
}

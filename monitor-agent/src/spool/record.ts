// One spool record on disk:
//   magic u32 | payload length u32 | crc32 u32 | seq f64 | ts (epoch ms) f64 | payload (UTF-8 JSON)
// The CRC covers seq, ts and payload. The magic lets a reader find the next record after
// a corrupt one (a flipped length byte makes the length useless for skipping).
import { crc32 } from '../crc32.js';

export const RECORD_MAGIC = 0x4e43a7e5; // bytes 4e 43 a7 e5: 0xa7 0xe5 never start a UTF-8 char in JSON text
export const RECORD_HEADER_BYTES = 28;
/** A payload larger than this is treated as corruption (no result comes close). */
export const MAX_RECORD_PAYLOAD = 8 * 1024 * 1024;

export interface DecodedRecord {
  seq: number;
  tsMs: number;
  /** The payload (a Result as UTF-8 JSON), a view into the scanned buffer (no copy). */
  payload: Buffer;
  /** Offset of the record in the buffer/file and its total size. */
  offset: number;
  size: number;
}

export function encodeRecord(seq: number, tsMs: number, json: string): Buffer {
  const payloadBytes = Buffer.byteLength(json, 'utf8');
  const buf = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payloadBytes);
  buf.writeUInt32BE(RECORD_MAGIC, 0);
  buf.writeUInt32BE(payloadBytes, 4);
  buf.writeDoubleBE(seq, 12);
  buf.writeDoubleBE(tsMs, 20);
  buf.write(json, RECORD_HEADER_BYTES, 'utf8');
  buf.writeUInt32BE(crc32(buf, 12, buf.length), 8);
  return buf;
}

export interface ScanResult {
  records: DecodedRecord[];
  /** Corrupt regions skipped (each bad record or run of garbage counts once). */
  corrupt: number;
  /** Offset just past the last byte consumed: a partial record at the end is left for the next read. */
  consumed: number;
  /** With `final`: the seq in the header of a record cut off by the end (a torn write), if readable. */
  tornSeq: number | null;
}

/**
 * Decodes every record in `buf` (which starts at file offset `base`). If `final` is false,
 * a record cut off by the end of the buffer is not an error: scanning stops before it.
 * If `final` is true (the end of the file), a cut-off record is counted as corrupt.
 */
export function scanRecords(buf: Buffer, base: number, final: boolean, maxRecords = Infinity): ScanResult {
  const records: DecodedRecord[] = [];
  let corrupt = 0;
  let pos = 0;
  let inGarbage = false;
  let tornSeq: number | null = null;
  while (pos < buf.length && records.length < maxRecords) {
    if (buf.length - pos < RECORD_HEADER_BYTES) {
      if (!final) break;
      if (!inGarbage) corrupt++;
      pos = buf.length;
      break;
    }
    const ok = buf.readUInt32BE(pos) === RECORD_MAGIC;
    const len = ok ? buf.readUInt32BE(pos + 4) : 0;
    if (ok && len <= MAX_RECORD_PAYLOAD) {
      const end = pos + RECORD_HEADER_BYTES + len;
      if (end > buf.length && !final) break; // wait for more bytes
      if (end > buf.length) {
        const seq = buf.readDoubleBE(pos + 12);
        if (Number.isSafeInteger(seq) && seq > 0) tornSeq = seq;
      }
      if (end <= buf.length && crc32(buf, pos + 8 + 4, end) === buf.readUInt32BE(pos + 8)) {
        records.push({
          seq: buf.readDoubleBE(pos + 12),
          tsMs: buf.readDoubleBE(pos + 20),
          payload: buf.subarray(pos + RECORD_HEADER_BYTES, end),
          offset: base + pos,
          size: end - pos,
        });
        pos = end;
        inGarbage = false;
        continue;
      }
    }
    // Corrupt here: count the region once, then look for the next magic.
    if (!inGarbage) corrupt++;
    inGarbage = true;
    const next = findMagic(buf, pos + 1);
    if (next < 0) {
      if (!final) {
        // Keep the last few bytes: a magic may straddle the chunk boundary.
        pos = Math.max(pos + 1, buf.length - 3);
        break;
      }
      pos = buf.length;
      break;
    }
    pos = next;
  }
  return { records, corrupt, consumed: pos, tornSeq };
}

const MAGIC_BYTES = Buffer.from([0x4e, 0x43, 0xa7, 0xe5]);
function findMagic(buf: Buffer, from: number): number {
  return buf.indexOf(MAGIC_BYTES, from);
}

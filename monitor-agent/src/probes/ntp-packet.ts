// SNTPv4 packets (RFC 4330): 48 bytes, timestamps as seconds since 1900 with a 32-bit fraction.
import { randomBytes } from 'node:crypto';

/** Seconds between 1900-01-01 (NTP era 0) and 1970-01-01. */
export const NTP_UNIX_OFFSET_S = 2_208_988_800;
export const NTP_PACKET_BYTES = 48;

/** Unix ms → 8-byte NTP timestamp. */
export function writeTimestamp(buf: Buffer, offset: number, unixMs: number): void {
  const totalS = unixMs / 1000 + NTP_UNIX_OFFSET_S;
  const seconds = Math.floor(totalS);
  buf.writeUInt32BE(seconds >>> 0, offset);
  buf.writeUInt32BE(Math.floor((totalS - seconds) * 2 ** 32) >>> 0, offset + 4);
}

/** 8-byte NTP timestamp → Unix ms (era 0; fine until 2036, then era 1 is assumed for small values). */
export function readTimestamp(buf: Buffer, offset: number): number {
  let seconds = buf.readUInt32BE(offset);
  // Era 1 starts 2036-02-07: values below 2^31 are taken as era 1 (RFC 4330 §3).
  if (seconds < 0x80000000) seconds += 2 ** 32;
  return (seconds - NTP_UNIX_OFFSET_S) * 1000 + (buf.readUInt32BE(offset + 4) / 2 ** 32) * 1000;
}

/** A client request: LI 0, VN 4, mode 3; a random transmit timestamp as the nonce to match. */
export function clientRequest(): { packet: Buffer; nonce: Buffer } {
  const packet = Buffer.alloc(NTP_PACKET_BYTES);
  packet[0] = (0 << 6) | (4 << 3) | 3;
  const nonce = randomBytes(8);
  nonce.copy(packet, 40);
  return { packet, nonce };
}

export interface NtpReply {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  poll: number;
  precision: number;
  rootDelayMs: number;
  rootDispersionMs: number;
  referenceId: string;
  originate: Buffer;
  receiveMs: number;
  transmitMs: number;
  transmitRaw: Buffer;
}

/** NTP short format (16.16 seconds) → ms. */
const shortMs = (buf: Buffer, offset: number): number => (buf.readUInt16BE(offset) + buf.readUInt16BE(offset + 2) / 65536) * 1000;

export function parseReply(buf: Buffer): NtpReply {
  const stratum = buf[1];
  return {
    leap: buf[0] >> 6,
    version: (buf[0] >> 3) & 7,
    mode: buf[0] & 7,
    stratum,
    poll: buf.readInt8(2),
    precision: buf.readInt8(3),
    rootDelayMs: shortMs(buf, 4),
    rootDispersionMs: shortMs(buf, 8),
    referenceId: referenceIdText(buf.subarray(12, 16), stratum),
    originate: buf.subarray(24, 32),
    receiveMs: readTimestamp(buf, 32),
    transmitMs: readTimestamp(buf, 40),
    transmitRaw: buf.subarray(40, 48),
  };
}

/** Stratum 0/1: four ASCII characters (a kiss code or a source like GPS); above: an IPv4 address (or an IPv6 hash). */
export function referenceIdText(id: Buffer, stratum: number): string {
  if (stratum <= 1) return id.toString('latin1').replace(/\0+$/, '').replace(/[^\x20-\x7e]/g, '?');
  return Array.from(id).join('.');
}

/** RFC 5905 §7.4 kiss codes. */
export const KISS_CODES: Record<string, string> = {
  ACST: 'the association belongs to an anycast server',
  AUTH: 'server authentication failed',
  AUTO: 'autokey sequence failed',
  BCST: 'the association belongs to a broadcast server',
  CRYP: 'cryptographic authentication or identification failed',
  DENY: 'access denied by remote server',
  DROP: 'lost peer in symmetric mode',
  RSTR: 'access denied due to local policy',
  INIT: 'the association has not yet synchronized for the first time',
  MCST: 'the association belongs to a dynamically discovered server',
  NKEY: 'no key found',
  NTSN: 'network time security negative-acknowledgement',
  RATE: 'rate exceeded: the server is rate-limiting this client',
  RMOT: 'alteration of association from a remote host running ntpdc',
  STEP: 'a step change in system time has occurred',
};

// The pairing secret: 32 random bytes, written as `ncs1_<base64url>` so a pasted
// value is recognisable and a typo is caught before any connection is tried.
import { randomBytes } from 'node:crypto';

const PREFIX = 'ncs1_';
export const SECRET_BYTES = 32;
/** TLS-PSK identity the manager presents; the key is what authenticates. */
export const PSK_IDENTITY = 'netcam-manager';

export function generateSecret(): string {
  return PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/** Returns the key bytes, or throws a one-line error saying what is wrong with the text. */
export function parseSecret(text: string): Buffer {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX)) throw new Error(`secret: must start with "${PREFIX}" (copy the whole line the agent printed)`);
  const body = trimmed.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw new Error('secret: contains characters that are not base64url');
  const key = Buffer.from(body, 'base64url');
  if (key.length !== SECRET_BYTES) throw new Error(`secret: must encode ${SECRET_BYTES} bytes, got ${key.length}`);
  return key;
}

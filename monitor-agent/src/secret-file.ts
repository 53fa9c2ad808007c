// The pairing secret file: created once (0600, random, `ncs1_…`), read on later starts.
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateSecret, parseSecret } from '../../protocol/src/index.js';

export interface LoadedSecret {
  key: Buffer;
  /** The text form, only when it was just created (to print it once). */
  createdText: string | null;
  /** A warning to print (e.g. file readable by others). */
  warning: string | null;
}

export async function loadOrCreateSecret(path: string): Promise<LoadedSecret> {
  let text: string | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`secret file ${path}: ${(err as Error).message}`);
  }
  if (text !== null) {
    let key: Buffer;
    try {
      key = parseSecret(text);
    } catch (err) {
      throw new Error(`secret file ${path}: ${(err as Error).message}`);
    }
    const mode = (await stat(path)).mode & 0o777;
    const warning = mode & 0o077 ? `secret file ${path} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}` : null;
    return { key, createdText: null, warning };
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const secret = generateSecret();
  const fh = await open(path, 'wx', 0o600);
  try {
    await fh.writeFile(`${secret}\n`, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { key: parseSecret(secret), createdText: secret, warning: null };
}

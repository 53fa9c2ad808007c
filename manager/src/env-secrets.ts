// The CLI's secrets: `--secret-file FILE`, `NETCAM_SECRET_<MONITOR_ID>` or `NETCAM_SECRET`.
// A secret file holds either one `ncs1_...` line (used for every monitor) or lines of
// `<monitor id> ncs1_...` (`#` starts a comment). The most specific source wins:
// the file's line for the monitor, then its env var, then the file's lone secret, then
// NETCAM_SECRET.
import { readFile } from 'node:fs/promises';
import type { SecretProvider } from './secrets.js';

/** `web-01` -> `NETCAM_SECRET_WEB_01` (uppercased, every non-alphanumeric character -> `_`). */
export function secretEnvName(monitorId: string): string {
  return `NETCAM_SECRET_${monitorId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

interface SecretFile {
  any?: string;
  byMonitor: Map<string, string>;
}

function parseSecretFile(text: string, path: string): SecretFile {
  const out: SecretFile = { byMonitor: new Map() };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const parts = line.split(/\s+|=/).filter(Boolean);
    if (parts.length === 1) out.any = parts[0];
    else if (parts.length === 2) out.byMonitor.set(parts[0], parts[1]);
    // Never echo the line: it holds a secret.
    else throw new Error(`${path}:${i + 1}: expected "ncs1_..." or "<monitor id> ncs1_..."`);
  });
  return out;
}

export function envSecrets(opts: { secretFile?: string; env?: NodeJS.ProcessEnv } = {}): SecretProvider {
  const env = opts.env ?? process.env;
  let file: Promise<SecretFile> | undefined;
  const loadFile = () =>
    (file ??= readFile(opts.secretFile!, 'utf8').then(
      (text) => parseSecretFile(text, opts.secretFile!),
      (err: NodeJS.ErrnoException) => {
        throw new Error(`secret file ${opts.secretFile}: ${err.code === 'ENOENT' ? 'does not exist' : err.message}`);
      },
    ));
  return {
    async get(monitorId) {
      const fromFile = opts.secretFile ? await loadFile() : undefined;
      return fromFile?.byMonitor.get(monitorId) ?? env[secretEnvName(monitorId)] ?? fromFile?.any ?? env.NETCAM_SECRET ?? undefined;
    },
  };
}

// `netcam import-legacy FILE [--out FILE] [--force]`.
import { readFile, access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { formatConfig } from '../config-format.js';
import { convertLegacyConfig } from '../legacy-import.js';
import { parse, UsageError } from './args.js';
import { IMPORT_HELP } from './help.js';

export async function importLegacyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('import-legacy', argv, { out: { type: 'string', short: 'o' }, force: { type: 'boolean', short: 'f' } }, 1);
  if (values.help) {
    console.log(IMPORT_HELP);
    return 0;
  }
  if (!positionals[0]) throw new UsageError('import-legacy needs the legacy configs.json (see netcam import-legacy --help)');
  const input = resolve(positionals[0]);
  let legacy: unknown;
  try {
    legacy = JSON.parse(await readFile(input, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${input}: ${e.code === 'ENOENT' ? 'does not exist' : e instanceof SyntaxError ? `is not valid JSON: ${e.message}` : e.message}`);
  }
  let conversion;
  try {
    conversion = convertLegacyConfig(legacy);
  } catch (err) {
    throw new UsageError(`${input}: ${(err as Error).message}`);
  }
  for (const note of conversion.notes) console.error(`note: ${note}`);
  const text = formatConfig(conversion.config);
  if (values.out) {
    const out = resolve(values.out);
    const exists = await access(out).then(() => true, () => false);
    if (exists && !values.force) throw new UsageError(`${out} exists; use --force to overwrite it`);
    await writeFileAtomic(out, text);
    console.error(`wrote ${out}`);
  } else {
    process.stdout.write(text);
  }
  console.error(`imported ${conversion.monitors} monitor(s) and ${conversion.tasks} task(s); ${conversion.notes.length} note(s)`);
  return 0;
}

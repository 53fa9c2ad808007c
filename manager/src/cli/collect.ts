// `netcam collect (--monitor ID... | --all)`.
import { resolve } from 'node:path';
import { checkConfigFile, formatConfigIssue } from '../config-store.js';
import { envSecrets } from '../env-secrets.js';
import { Manager } from '../manager.js';
import { parse, UsageError } from './args.js';
import { styleFor } from './format.js';
import { COLLECT_HELP } from './help.js';
import { stderrLogger } from './log-sink.js';
import { defaultHistoryDir } from './paths.js';
import { runCollection } from './run-collection.js';

export async function collectCommand(argv: string[]): Promise<number> {
  const { values } = parse('collect', argv, {
    monitor: { type: 'string', short: 'm', multiple: true },
    all: { type: 'boolean', short: 'a' },
    config: { type: 'string', short: 'c' },
    json: { type: 'boolean' },
    'history-dir': { type: 'string' },
    'secret-file': { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    console.log(COLLECT_HELP);
    return 0;
  }
  const monitors = values.monitor ?? [];
  if (!values.all && !monitors.length) throw new UsageError('collect needs --monitor ID or --all (see netcam collect --help)');
  if (values.all && monitors.length) throw new UsageError('use either --monitor or --all, not both');
  const configPath = resolve(values.config ?? 'netcam.json');
  const checked = await checkConfigFile(configPath);
  if (!checked.config) throw new UsageError(checked.issues.map(formatConfigIssue).join('; '));
  const known = checked.config.monitors.map((m) => m.id);
  for (const id of monitors) {
    if (!known.includes(id)) throw new UsageError(`no monitor "${id}" in ${configPath} (known: ${known.join(', ') || 'none'})`);
  }
  if (!known.length) throw new UsageError(`${configPath} has no monitors`);
  const style = styleFor(process.stdout);
  const manager = new Manager({
    configPath,
    historyDir: resolve(values['history-dir'] ?? defaultHistoryDir()),
    secrets: envSecrets({ secretFile: values['secret-file'] }),
    log: stderrLogger(styleFor(process.stderr), values.verbose ? 'debug' : 'info'),
  });
  return runCollection(manager, { ids: values.all ? 'all' : monitors, json: !!values.json, style });
}

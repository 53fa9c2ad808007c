// `netcam validate [FILE]`.
import { resolve } from 'node:path';
import { checkConfigFile, formatConfigIssue } from '../config-store.js';
import { parse } from './args.js';
import { VALIDATE_HELP } from './help.js';

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('validate', argv, {}, 1);
  if (values.help) {
    console.log(VALIDATE_HELP);
    return 0;
  }
  const path = resolve(positionals[0] ?? 'netcam.json');
  const { config, issues } = await checkConfigFile(path);
  if (!config) {
    for (const issue of issues) console.error(formatConfigIssue(issue));
    return 2;
  }
  const tasks = config.monitors.reduce((n, m) => n + m.tasks.length, 0);
  console.log(`${path}: OK (${config.monitors.length} monitor${config.monitors.length === 1 ? '' : 's'}, ${tasks} task${tasks === 1 ? '' : 's'})`);
  return 0;
}

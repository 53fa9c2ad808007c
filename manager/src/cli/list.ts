// `netcam list`: the monitors and tasks of netcam.json (the old menu's "see configs").
import { resolve } from 'node:path';
import { taskTarget } from '../../../protocol/src/index.js';
import { checkConfigFile, formatConfigIssue } from '../config-store.js';
import { parse, UsageError } from './args.js';
import { paint, styleFor } from './format.js';
import { LIST_HELP } from './help.js';

export async function listCommand(argv: string[]): Promise<number> {
  const { values } = parse('list', argv, { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } });
  if (values.help) {
    console.log(LIST_HELP);
    return 0;
  }
  const path = resolve(values.config ?? 'netcam.json');
  const { config, issues } = await checkConfigFile(path);
  if (!config) throw new UsageError(issues.map(formatConfigIssue).join('; '));
  if (values.json) {
    console.log(JSON.stringify(config, null, 2));
    return 0;
  }
  const style = styleFor(process.stdout);
  if (!config.monitors.length) console.log(`${path}: no monitors`);
  for (const m of config.monitors) {
    console.log(`${paint(style, 'bold', m.id)}${m.name ? ` (${m.name})` : ''}  agent ${m.host}:${m.port}  ${m.tasks.length} task(s)`);
    const width = Math.max(0, ...m.tasks.map((t) => t.id.length));
    for (const t of m.tasks) {
      const { id, type, name, interval, timeout, ...rest } = t as unknown as Record<string, unknown>;
      const params = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
      console.log(`  ${String(id).padEnd(width)}  ${String(type).padEnd(10)} ${taskTarget(t)}  every ${interval} s, timeout ${timeout} s${name ? `  "${name}"` : ''}`);
      console.log(`  ${''.padEnd(width)}  ${paint(style, 'dim', params)}`);
    }
  }
  return 0;
}

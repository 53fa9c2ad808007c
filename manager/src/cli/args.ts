// Argument parsing for every subcommand (node:util parseArgs), with one-line errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad arguments or a bad config: one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(command: string, argv: string[], options: O, maxPositionals = 0) {
  try {
    const r = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (r.positionals.length > maxPositionals) {
      throw new UsageError(`unexpected argument ${JSON.stringify(r.positionals[maxPositionals])} (see netcam ${command} --help)`);
    }
    return r;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // parseArgs messages are multi-sentence; keep the first, which names the option.
    const first = (err as Error).message.split(/\.\s|\n/)[0].replace(/\.$/, '');
    throw new UsageError(`${first} (see netcam ${command} --help)`);
  }
}

// `netcam`: the manager CLI. Dispatches to one file per subcommand (cli/*.ts).
// Exit codes: 0 ok, 1 runtime failure, 2 bad arguments or a bad config.
import { UsageError } from './cli/args.js';
import { MAIN_HELP } from './cli/help.js';
import { redactSecrets } from './log.js';

const COMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  collect: async () => (await import('./cli/collect.js')).collectCommand,
  validate: async () => (await import('./cli/validate.js')).validateCommand,
  'import-legacy': async () => (await import('./cli/import-legacy.js')).importLegacyCommand,
  list: async () => (await import('./cli/list.js')).listCommand,
  'echo-server': async () => (await import('./cli/echo-server.js')).echoServerCommand,
  demo: async () => (await import('./cli/demo.js')).demoCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    if (command === 'help' && rest[0] && COMMANDS[rest[0]]) return (await COMMANDS[rest[0]]())(['--help']);
    console.log(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') {
    console.log('netcam 0.1.0');
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) throw new UsageError(`unknown command ${JSON.stringify(command)} (commands: ${Object.keys(COMMANDS).join(', ')}; see netcam --help)`);
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError;
    console.error(`netcam: ${redactSecrets((err as Error)?.message ?? String(err))}`);
    process.exitCode = usage ? 2 : 1;
  },
);

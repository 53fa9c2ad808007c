// netcam-agent: dispatches to the subcommands. Each lives in its own file.
//   netcam-agent [--listen HOST:PORT] [--data-dir DIR] [--secret-file FILE] [--spool-budget BYTES]   the agent (agent-cli.ts)
//   netcam-agent check --json '<task JSON>'                                   one check, once (check-cli.ts)
//   netcam-agent echo-server [--host H] [--port P]                            the echo server (echo-server-cli.ts)
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'check') return (await import('./check-cli.js')).runCheckCli(rest);
  if (command === 'echo-server') return (await import('./echo-server-cli.js')).runEchoServerCli(rest);
  return (await import('./agent-cli.js')).runAgentCli(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`netcam-agent: ${(err as Error)?.message ?? String(err)}`);
    process.exitCode = 1;
  },
);

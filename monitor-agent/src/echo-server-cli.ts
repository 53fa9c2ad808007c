// `netcam-agent echo-server [--host 127.0.0.1] [--port 12345]`: the included echo server
// (TCP and UDP) in the foreground until Ctrl+C.
import { DEFAULT_ECHO_HOST, DEFAULT_ECHO_PORT, startEchoServer } from './echo-server.js';

const USAGE = `usage: netcam-agent echo-server [--host ${DEFAULT_ECHO_HOST}] [--port ${DEFAULT_ECHO_PORT}]

Echoes what TCP and UDP clients send; a TCP client that sends "Goodbye" is disconnected.
Ctrl+C stops it.`;

export function parseEchoArgs(argv: string[]): { help: true } | { host: string; port: number } | { error: string } {
  let host = DEFAULT_ECHO_HOST;
  let port = DEFAULT_ECHO_PORT;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return { help: true };
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag !== '--host' && flag !== '--port') return { error: `unknown argument ${JSON.stringify(a)} (see --help)` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return { error: `${flag} needs a value` };
    if (flag === '--host') host = value;
    else {
      if (!/^\d+$/.test(value) || Number(value) > 65535) return { error: `--port: must be 0-65535, got ${JSON.stringify(value)}` };
      port = Number(value);
    }
  }
  return { host, port };
}

export async function runEchoServerCli(argv: string[]): Promise<number> {
  const args = parseEchoArgs(argv);
  if ('help' in args) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in args) {
    console.error(`netcam-agent echo-server: ${args.error}`);
    return 2;
  }
  let server;
  try {
    server = await startEchoServer({ host: args.host, port: args.port });
  } catch (err) {
    console.error(`netcam-agent echo-server: cannot listen on ${args.host}:${args.port}: ${(err as Error).message}`);
    return 1;
  }
  const where = args.host.includes(':') ? `[${args.host}]` : args.host;
  console.log(`echo server listening on ${where}:${server.tcpPort} (TCP) and ${where}:${server.udpPort} (UDP); Ctrl+C to stop`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  console.log('echo server stopped');
  return 0;
}

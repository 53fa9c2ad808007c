// `netcam-agent [--listen HOST:PORT] [--data-dir DIR] [--secret-file FILE]
//               [--spool-budget BYTES] [--insecure-plaintext]`: the long-running agent.
// With no --listen on a terminal it asks `Enter IP for monitor:` / `Enter port for monitor:`
// like the old tool. SIGINT/SIGTERM: tasks stop, spool flushed, sockets closed, exit 0.
import { isIP } from 'node:net';
import { createInterface } from 'node:readline/promises';
import { startAgent, type RunningAgent } from './agent.js';
import { defaultDataDir } from './data-dir.js';
import { formatLine } from './log.js';
import { findPing, missingPingText, probes } from './probes/index.js';
import { DEFAULT_SPOOL_BUDGET, MIN_SPOOL_BUDGET } from './spool/spool.js';
import { AGENT_VERSION } from './version.js';

export const AGENT_USAGE = `netcam-agent ${AGENT_VERSION}: the NetCam monitor agent

Usage:
  netcam-agent --listen HOST:PORT [--data-dir DIR] [--secret-file FILE] [--spool-budget BYTES]
  netcam-agent check --json '<task JSON>'        run one task once, print its result
  netcam-agent echo-server [--host H] [--port P]  the included echo server (TCP and UDP)

Options:
  --listen HOST:PORT     address to listen on for the manager (port 0 = any free port);
                         asked interactively when omitted on a terminal
  --data-dir DIR         state, spool and secret (default: ${defaultDataDir()})
  --secret-file FILE     pairing secret (default: DIR/secret; created 0600 on first start
                         and printed once)
  --spool-budget BYTES   disk budget for undelivered results (default 256MiB; suffixes
                         KiB, MiB, GiB; minimum 64KiB). When full, the oldest results are
                         dropped and the manager is told how many
  --insecure-plaintext   no TLS (only on a loopback address, for debugging)
  --help, -h             this text
  --version, -V          the version
`;

export interface AgentCliArgs {
  listen: { host: string; port: number } | null;
  dataDir: string;
  secretFile?: string;
  spoolBudget: number;
  insecurePlaintext: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

/** Parses `HOST:PORT` (IPv6 as `[::1]:7070`); throws a one-line error naming the option. */
export function parseHostPort(text: string, what = '--listen'): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:\s]+):(\d+)$/.exec(text);
  if (!m) throw new UsageError(`${what}: expected HOST:PORT (e.g. 0.0.0.0:7070 or [::1]:7070), got "${text}"`);
  const host = m[1];
  if (!isIP(host) && !/^[A-Za-z0-9.-]{1,253}$/.test(host)) throw new UsageError(`${what}: "${host}" is not an IP address or host name`);
  return { host, port: parsePort(m[2], what) };
}

function parsePort(text: string, what: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${what}: port must be a number 0-65535, got "${text}"`);
  return port;
}

export function parseBytes(text: string, what = '--spool-budget'): number {
  const m = /^(\d+(?:\.\d+)?)\s*(|B|K|KB|KiB|M|MB|MiB|G|GB|GiB)$/i.exec(text.trim());
  if (!m) throw new UsageError(`${what}: expected a byte count such as 268435456 or 256MiB, got "${text}"`);
  const unit = m[2].toUpperCase()[0] ?? '';
  const mult = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(m[1]) * mult);
  if (bytes < MIN_SPOOL_BUDGET) throw new UsageError(`${what}: must be at least ${MIN_SPOOL_BUDGET} bytes (64KiB), got ${bytes}`);
  return bytes;
}

export function parseAgentArgs(argv: string[]): AgentCliArgs {
  const args: AgentCliArgs = {
    listen: null,
    dataDir: '',
    spoolBudget: DEFAULT_SPOOL_BUDGET,
    insecurePlaintext: false,
    help: false,
    version: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag}: needs a value`);
      return v;
    };
    switch (flag) {
      case '--listen':
        args.listen = parseHostPort(value());
        break;
      case '--data-dir':
        args.dataDir = value();
        break;
      case '--secret-file':
        args.secretFile = value();
        break;
      case '--spool-budget':
        args.spoolBudget = parseBytes(value());
        break;
      case '--insecure-plaintext':
        args.insecurePlaintext = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--version':
      case '-V':
        args.version = true;
        break;
      default:
        throw new UsageError(`unknown option "${a}" (see netcam-agent --help)`);
    }
  }
  if (!args.dataDir) args.dataDir = defaultDataDir();
  return args;
}

/** Asks for the IP and port like the old tool; a bad answer gets a one-line error and the question again. */
export async function promptListen(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<{ host: string; port: number } | null> {
  const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  try {
    const ask = async (question: string, check: (answer: string) => string): Promise<string | null> => {
      for (;;) {
        if (closed) return null;
        let answer: string;
        try {
          answer = (await rl.question(question)).trim();
        } catch {
          return null; // input closed
        }
        const problem = check(answer);
        if (!problem) return answer;
        output.write(`${problem}\n`);
      }
    };
    const host = await ask('Enter IP for monitor: ', (a) =>
      !a ? 'IP: please enter an address such as 0.0.0.0 or 127.0.0.1' : isIP(a) || a === 'localhost' ? '' : `IP: "${a}" is not an IPv4 or IPv6 address`,
    );
    if (host === null) return null;
    const port = await ask('Enter port for monitor: ', (a) => {
      const n = /^\d{1,5}$/.test(a) ? Number(a) : NaN;
      return Number.isInteger(n) && n >= 1 && n <= 65535 ? '' : `port: "${a}" is not a number 1-65535`;
    });
    if (port === null) return null;
    return { host, port: Number(port) };
  } finally {
    rl.close();
  }
}

export async function runAgentCli(argv: string[]): Promise<number> {
  let args: AgentCliArgs;
  try {
    args = parseAgentArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`netcam-agent: ${err.message}`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    process.stdout.write(AGENT_USAGE);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  let listen = args.listen;
  if (!listen) {
    if (!process.stdin.isTTY) {
      console.error('netcam-agent: --listen HOST:PORT is required when not run from a terminal');
      return 2;
    }
    listen = await promptListen(process.stdin, process.stdout);
    if (!listen) {
      console.error('netcam-agent: no address given');
      return 2;
    }
  }

  let agent: RunningAgent;
  try {
    agent = await startAgent({
      host: listen.host,
      port: listen.port,
      dataDir: args.dataDir,
      secretFile: args.secretFile,
      spoolBudgetBytes: args.spoolBudget,
      insecurePlaintext: args.insecurePlaintext,
      probes,
    });
  } catch (err) {
    console.error(`netcam-agent: ${(err as Error).message}`);
    return 1;
  }

  for (const line of startupWarnings()) process.stdout.write(`${formatLine(line)}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stdout.write(`${formatLine(`${signal} again: exiting now`)}\n`);
        process.exit(1);
      }
      stopping = true;
      process.stdout.write(`${formatLine(`${signal} received: shutting down`)}\n`);
      // The promise is 2 s; a wedged disk must not hold the process past it.
      const guard = setTimeout(() => {
        process.stdout.write(`${formatLine('shutdown: not finished after 1.9 s, exiting anyway (written results are on disk)')}\n`);
        process.exit(0);
      }, 1900);
      agent.close().then(
        () => {
          clearTimeout(guard);
          resolve(0);
          // Nothing the agent owns is left; do not wait for stray handles (e.g. a stdin TTY).
          setImmediate(() => process.exit(0));
        },
        (err: unknown) => {
          clearTimeout(guard);
          console.error(`netcam-agent: shutdown: ${(err as Error).message}`);
          resolve(1);
          setImmediate(() => process.exit(1));
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** What an operator should know at start: icmp/traceroute need the system ping; root is more than needed. */
export function startupWarnings(): string[] {
  const lines: string[] = [];
  const ping = findPing();
  lines.push(ping ? `icmp and traceroute checks use ${ping}` : `warning: icmp and traceroute checks will be down: ${missingPingText()}`);
  if (process.getuid?.() === 0) {
    lines.push('warning: running as root; only ping needs privileges (it carries cap_net_raw): see docs/agent.md for the systemd unit with a dedicated user');
  }
  return lines;
}

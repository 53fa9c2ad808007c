// `netcam echo-server`: runs the agent bundle's echo server (the manager never imports
// agent code; the server must live in the agent file, the one copied to target machines).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parse } from './args.js';
import { ECHO_HELP } from './help.js';
import { agentScript } from './paths.js';

export async function echoServerCommand(argv: string[]): Promise<number> {
  const { values } = parse('echo-server', argv, { host: { type: 'string' }, port: { type: 'string' } });
  if (values.help) {
    console.log(ECHO_HELP);
    return 0;
  }
  const script = agentScript();
  if (!existsSync(script)) {
    console.error(`netcam echo-server: ${script} not found (build with "npm run build", or set NETCAM_AGENT_JS)`);
    return 1;
  }
  const args = [script, 'echo-server'];
  if (values.host !== undefined) args.push('--host', values.host);
  if (values.port !== undefined) args.push('--port', values.port);
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  // Ctrl+C reaches the child through the terminal; SIGTERM sent to us is passed on.
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

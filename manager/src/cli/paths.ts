// Where the CLI keeps things, and where it finds the agent bundle it spawns.
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** `$XDG_STATE_HOME/netcam/history`, else `~/.local/state/netcam/history`. */
export function defaultHistoryDir(): string {
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'netcam', 'history');
}

/**
 * `netcam-agent.js` beside this CLI (both are in dist/), or NETCAM_AGENT_JS. The manager
 * never imports agent code: it runs the agent's own bundle as a child process.
 */
export function agentScript(): string {
  if (process.env.NETCAM_AGENT_JS) return process.env.NETCAM_AGENT_JS;
  const self = process.argv[1] ? realpathSync(process.argv[1]) : process.cwd();
  const beside = join(dirname(self), 'netcam-agent.js');
  if (existsSync(beside)) return beside;
  return join(process.cwd(), 'dist', 'netcam-agent.js');
}

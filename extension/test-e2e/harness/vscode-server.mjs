// Starts VS Code's own server (from the code-server package) on loopback, and drives it
// with Debian's Chromium through playwright-core. No downloads: see
// shared/reference/real-vscode-e2e.md.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startGroup, waitForOutput, freePort } from './processes.mjs';
import { CHROMIUM } from '../tools.mjs';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function serverEnv(tools, extraEnv) {
  return { ...process.env, PATH: `${tools.nodeBin}:${process.env.PATH}`, ...extraEnv };
}

function dirs(root) {
  const d = { user: join(root, 'user'), server: join(root, 'server'), ext: join(root, 'ext') };
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true });
  return d;
}

/** Installs a .vsix into the extensions dir of a server rooted at `root`. */
export function installVsix(tools, root, vsix) {
  const d = dirs(root);
  const r = spawnSync(tools.node, [tools.serverMain, '--accept-server-license-terms', '--user-data-dir', d.user,
    '--server-data-dir', d.server, '--extensions-dir', d.ext, '--install-extension', vsix],
  { env: serverEnv(tools, {}), encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`--install-extension ${vsix} failed (exit ${r.status}):\n${out.slice(-2000)}`);
  }
  return out;
}

/** Starts server-main.js; resolves with { child, port, url }. */
export async function startServer(tools, root, { smokeDriver = false, trusted = true, env = {} } = {}) {
  const d = dirs(root);
  const port = await freePort();
  const args = [tools.serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--disable-telemetry', '--disable-update-check', '--user-data-dir', d.user,
    '--server-data-dir', d.server, '--extensions-dir', d.ext];
  if (smokeDriver) args.push('--enable-smoke-test-driver');
  // The test workspace is ours; NetCam connects to agents only in trusted workspaces.
  if (trusted) args.push('--disable-workspace-trust');
  const child = startGroup(tools.node, args, { env: serverEnv(tools, env) });
  await waitForOutput(child, /Extension host agent listening on (\d+)/, 60_000, 'VS Code server');
  return { child, port, url: `http://127.0.0.1:${port}` };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Runs the extension tests inside the real extension host: opens the workbench with the
 * extensionDevelopmentPath/extensionTestsPath payload and resolves with the exit code the
 * test entry's run() produced (via the smoke-test driver's codeAutomationExit).
 */
export async function runExtensionTests({ server, browser, workspace, extensionPath, testsPath, timeoutMs, onLog }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ];
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => onLog?.(type, args));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`extension tests did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await page.close().catch(() => {});
  }
}

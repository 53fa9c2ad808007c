// Runs the real-VS-Code suites: (1) integration tests inside VS Code's extension host,
// (2) a UI test that installs the packaged .vsix into a fresh VS Code server and drives
// the workbench with Chromium. Prints one line per test, writes
// {"passed","failed","skipped"} to $NETCAM_COUNTS_FILE, exits non-zero on any failure.
// With CI=true a missing tool is a failure; locally the suites are skipped loudly.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ensureTools, missingSystemTools } from './tools.mjs';
import { startServer, launchBrowser, runExtensionTests } from './harness/vscode-server.mjs';
import { stopAll } from './harness/processes.mjs';
import { runUiTests } from './ui/ui-test.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const counts = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv.slice(2); // 'integration' | 'ui'
const wanted = (name) => only.length === 0 || only.includes(name);
const SUITES = ['integration', 'ui'].filter(wanted);
const tempRoots = [];

function report(outcome, title, extra = '') {
  counts[outcome === 'pass' ? 'passed' : outcome === 'fail' ? 'failed' : 'skipped'] += 1;
  const mark = outcome === 'pass' ? '  ✔' : outcome === 'fail' ? '  ✘' : '  -';
  console.log(`${mark} ${title}${extra ? ` ${extra}` : ''}`);
}

function tempDir(prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempRoots.push(d);
  return d;
}

function writeCounts() {
  if (process.env.NETCAM_COUNTS_FILE) writeFileSync(process.env.NETCAM_COUNTS_FILE, JSON.stringify(counts));
  console.log(`real VS Code: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

function build() {
  const r = spawnSync('node', ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('node scripts/build.mjs failed');
  const outfile = join(repo, '.vscode-test', 'e2e', 'suite.cjs');
  esbuild.buildSync({
    entryPoints: [join(repo, 'extension/test-e2e/suite/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.18',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outfile;
}

async function integration(tools, browser, testsPath, mode = 'trusted') {
  const root = tempDir(`netcam-e2e-${mode}-`);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace);
  const results = join(root, 'results.jsonl');
  writeFileSync(results, '');
  const started = performance.now();
  const server = await startServer(tools, join(root, 'vscode'), {
    smokeDriver: true,
    trusted: mode === 'trusted',
    env: { NETCAM_E2E_RESULTS: results, NETCAM_E2E_WORKSPACE: workspace, NETCAM_E2E_TMP: root, NETCAM_E2E_MODE: mode },
  });
  let exitCode;
  const logs = [];
  try {
    exitCode = await runExtensionTests({
      server, browser, workspace, extensionPath: repo, testsPath,
      timeoutMs: 8 * 60_000,
      onLog: (type, args) => logs.push(`${type}: ${Array.isArray(args) ? args.join(' ') : args}`),
    });
  } catch (err) {
    report('fail', `integration (${mode}): extension host run`, String(err.message ?? err));
  } finally {
    await stopAll();
  }
  const lines = readFileSync(results, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const l of lines) {
    if (l.event === 'pass') report('pass', `integration: ${l.title}`, `(${l.ms} ms)`);
    else if (l.event === 'fail') report('fail', `integration: ${l.title}`, `\n${indent(l.error)}`);
    else if (l.event === 'skip') report('skip', `integration: ${l.title}`);
  }
  const ended = lines.some((l) => l.event === 'end');
  if (!ended || (exitCode !== 0 && !lines.some((l) => l.event === 'fail'))) {
    report('fail', 'integration: the test run completed', `(exit ${exitCode}; last log lines:)\n${indent(logs.slice(-30).join('\n'))}`);
  }
  console.log(`  integration suite (${mode} workspace) took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function indent(text) {
  return String(text).split('\n').map((l) => `      ${l}`).join('\n');
}

async function main() {
  const missing = missingSystemTools();
  if (missing.length) {
    const what = missing.map((m) => `${m.tool} (apt-get install ${m.pkg})`).join(', ');
    if (process.env.CI === 'true') {
      report('fail', `real VS Code suites: missing ${what}: required in CI`);
    } else {
      console.warn(`\n  !!! SKIPPING the real VS Code suites: missing ${what}\n`);
      for (const s of SUITES) report('skip', `${s} suite (missing ${what})`);
    }
    return;
  }
  const t0 = performance.now();
  const tools = ensureTools((m) => console.log(`  ${m}`));
  console.log(`  tools ready (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const testsPath = build();
  const browser = await launchBrowser();
  try {
    if (wanted('integration')) {
      await integration(tools, browser, testsPath, 'trusted');
      await integration(tools, browser, testsPath, 'untrusted');
    }
    if (wanted('ui')) await runUiTests({ repo, tools, browser, tempDir, report });
  } finally {
    await browser.close().catch(() => {});
  }
}

try {
  await main();
} catch (err) {
  report('fail', 'real VS Code suites: harness', String(err?.stack ?? err));
} finally {
  await stopAll();
  for (const d of tempRoots) rmSync(d, { recursive: true, force: true });
  writeCounts();
}
process.exit(counts.failed ? 1 : 0);

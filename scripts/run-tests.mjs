// Runs every test suite and ends with one line of its own: `N passed, N failed`.
// Suites: the type check, the mocha suites (unit, loopback, real daemons, Chromium),
// and the real-VS-Code suites when they exist. With CI=true a missing system tool
// fails its suite instead of skipping it (see test/support/tools.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const totals = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv.slice(2);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

function runMocha(label, files) {
  if (!files.length) return;
  const counts = join(mkdtempSync(join(tmpdir(), 'netcam-counts-')), 'counts.json');
  console.log(`\n=== ${label}: ${files.length} file(s)`);
  const r = spawnSync('npx', ['mocha', ...files], { stdio: 'inherit', env: { ...process.env, NETCAM_COUNTS_FILE: counts } });
  if (existsSync(counts)) {
    const c = JSON.parse(readFileSync(counts, 'utf8'));
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
    if (r.status !== 0 && c.failed === 0) totals.failed += 1; // crashed after counting
  } else {
    console.log(`!!! ${label} did not complete (exit ${r.status})`);
    totals.failed += 1;
  }
}

function runStep(label, command, args) {
  console.log(`\n=== ${label}`);
  const r = spawnSync(command, args, { stdio: 'inherit' });
  if (r.status === 0) totals.passed += 1;
  else totals.failed += 1;
}

const wanted = (name) => only.length === 0 || only.includes(name);

if (wanted('build')) runStep('build: four bundles and the JSON Schema', 'node', ['scripts/build.mjs']);
if (wanted('typecheck')) runStep('typecheck: tsc --noEmit over every package', 'npx', ['tsc', '--noEmit', '-p', '.']);
if (wanted('unit')) {
  const roots = ['protocol', 'monitor-agent', 'manager', 'extension', 'webview'];
  runMocha('mocha suites', roots.flatMap((r) => findTests(join(r, 'test'))));
}
if (wanted('vscode') && existsSync('extension/test-e2e/run.mjs')) {
  const counts = join(mkdtempSync(join(tmpdir(), 'netcam-counts-')), 'counts.json');
  console.log('\n=== real VS Code suites');
  const r = spawnSync('node', ['extension/test-e2e/run.mjs'], { stdio: 'inherit', env: { ...process.env, NETCAM_COUNTS_FILE: counts } });
  if (existsSync(counts)) {
    const c = JSON.parse(readFileSync(counts, 'utf8'));
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
  }
  if (r.status !== 0 && !existsSync(counts)) totals.failed += 1;
}

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed ? 1 : 0);

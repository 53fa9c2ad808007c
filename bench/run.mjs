// `npm run bench`: bundles the bench (bench/src, TypeScript, importing the real agent and
// manager code) into a temp dir with esbuild, then runs it. The agent and manager run as
// compiled bundles, like the shipped ones, so their CPU numbers carry no loader overhead.
// Settings (env): BENCH_QUICK=1 (about 2 minutes, 1 run per measurement), BENCH_RUNS=N,
// BENCH_SCALE=x (multiplies every measurement window), BENCH_ONLY=a,b (sections by name),
// BENCH_BACKLOG=N (replay size), BENCH_CONSOLE_S=s (console ingest duration).
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const buildDir = mkdtempSync(join(tmpdir(), 'netcam-bench-build-'));
const cleanBuild = () => rmSync(buildDir, { recursive: true, force: true });
process.once('exit', cleanBuild);

await esbuild.build({
  entryPoints: {
    main: 'bench/src/main.ts',
    'agent-child': 'bench/src/agent-child.ts',
    'manager-child': 'bench/src/manager-child.ts',
  },
  outdir: buildDir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20.18',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
});

const { runBench, reportOnly } = await import(pathToFileURL(join(buildDir, 'main.cjs')).href);
// --report-only: rewrite docs/performance.md from bench/results/latest.json without measuring.
process.exitCode = process.argv.includes('--report-only') ? reportOnly({ repoDir: process.cwd() }) : await runBench({ buildDir, repoDir: process.cwd() });

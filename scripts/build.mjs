// Builds the four bundles (extension, webview, agent, CLI) and writes the JSON Schema.
// `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync, existsSync, chmodSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const nodeCommon = { ...common, platform: 'node', target: 'node20.18', format: 'cjs' };
const banner = { js: '#!/usr/bin/env node' };

const builds = [
  { ...nodeCommon, entryPoints: ['extension/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, platform: 'browser', target: 'chrome120', format: 'iife', entryPoints: ['webview/src/main.ts'], outfile: 'dist/webview/console.js' },
  // The agent is copied alone to target machines: every dependency inlined.
  { ...nodeCommon, entryPoints: ['monitor-agent/src/main.ts'], outfile: 'dist/netcam-agent.js', banner },
  { ...nodeCommon, entryPoints: ['manager/src/cli.ts'], outfile: 'dist/netcam.js', banner },
].filter((b) => existsSync(b.entryPoints[0]));

mkdirSync('dist', { recursive: true });
// The schema generator is TypeScript: bundle it to a temporary module and run it.
await esbuild.build({ ...nodeCommon, entryPoints: ['scripts/gen-schema.ts'], outfile: 'dist/.gen-schema.cjs', sourcemap: false });
const { generateSchemaFile } = await import(new URL('../dist/.gen-schema.cjs', import.meta.url).href);
generateSchemaFile();

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  for (const b of builds) if (b.banner) chmodSync(b.outfile, 0o755);
  console.log(`built ${builds.map((b) => b.outfile).join(', ')}`);
}

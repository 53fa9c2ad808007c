// DESIGN.md's one direction of dependency, checked on the source imports.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx|mts)$/.test(n) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const rules: [string, RegExp, string][] = [
  ['protocol/src', /(^vscode$)|monitor-agent\/|manager\/|extension\/|webview\//, 'protocol imports neither side'],
  ['monitor-agent/src', /(^vscode$)|manager\/|extension\/|webview\//, 'the agent never imports manager, extension, webview or vscode'],
  ['manager/src', /(^vscode$)|monitor-agent\/|extension\/|webview\//, 'the manager core never imports vscode or the agent'],
  ['webview/src', /(^vscode$)|^node:|^(fs|net|tls|path|os|child_process|crypto)$|monitor-agent\/|manager\/|extension\//, 'the webview never imports Node or vscode'],
  ['extension/src', /monitor-agent\/|webview\/src/, 'the extension reaches the agent only through manager and protocol'],
];

describe('layering (DESIGN.md)', () => {
  for (const [dir, forbidden, rule] of rules) {
    it(rule, () => {
      for (const file of sources(dir)) {
        for (const spec of imports(file)) {
          assert.ok(!forbidden.test(spec), `${file} imports '${spec}'`);
        }
      }
    });
  }
});

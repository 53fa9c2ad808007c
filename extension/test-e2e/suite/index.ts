// Test entry loaded by VS Code's extension host (extensionTestsPath). Bundled by
// extension/test-e2e/run.mjs into one CJS file; mocha stays external and is resolved
// from the repo's node_modules. Each test's outcome is appended to the file named by
// NETCAM_E2E_RESULTS (the runner outside reads it), because the extension host's
// console is not reliably forwarded to the browser.
import { appendFileSync } from 'node:fs';

type MochaCtor = typeof import('mocha');

function record(line: object): void {
  const file = process.env.NETCAM_E2E_RESULTS;
  if (file) appendFileSync(file, JSON.stringify(line) + '\n');
}

export function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha') as MochaCtor;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.NETCAM_E2E_GREP;
  if (grep) mocha.grep(grep);
  // Expose describe/it as globals, then load the (bundled) suites.
  mocha.suite.emit('pre-require', globalThis, 'netcam-e2e', mocha);
  if (process.env.NETCAM_E2E_MODE === 'untrusted') {
    require('./untrusted.e2e.js');
  } else {
    require('./activation.e2e.js');
    require('./commands.e2e.js');
    require('./collect.e2e.js');
    require('./diagnostics.e2e.js');
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      record({ event: 'end', failures });
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => record({ event: 'pass', title: t.fullTitle(), ms: t.duration }));
    runner.on('fail', (t, err: Error) => record({ event: 'fail', title: t.fullTitle(), error: String(err?.stack ?? err) }));
    runner.on('pending', (t) => record({ event: 'skip', title: t.fullTitle() }));
  });
}

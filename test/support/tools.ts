// Suites that need a system tool call requireTool() in a before() hook. Locally a
// missing tool skips the suite loudly, naming the Debian package; with CI=true it fails.
import { spawnSync } from 'node:child_process';

export function hasTool(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function requireTool(ctx: Mocha.Context, command: string, debianPackage: string): void {
  if (hasTool(command)) return;
  const message = `missing system tool '${command}' (apt-get install ${debianPackage})`;
  if (process.env.CI === 'true') throw new Error(`${message}: required in CI`);
  console.warn(`\n  !!! SKIPPING: ${message}\n`);
  ctx.skip();
}

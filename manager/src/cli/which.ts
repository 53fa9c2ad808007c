// Is a command on PATH? (The demo leaves out the icmp task when `ping` is missing.)
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function hasCommand(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

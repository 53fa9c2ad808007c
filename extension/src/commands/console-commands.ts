// Palette commands mirroring the result console's toolbar (Pause/Resume, Clear, Export
// CSV/JSON, Filter): each opens the console if needed and runs the same action there.
import type { ConsoleCommand } from '../../../protocol/src/console-messages.js';
import { registerCommand, type CommandEnv } from './command-env.js';

/** Command id → the webview action it runs. Keep in step with package.json `contributes.commands`. */
export const CONSOLE_PALETTE_COMMANDS: Readonly<Record<string, ConsoleCommand>> = {
  'netcam.console.togglePause': 'togglePause',
  'netcam.console.clear': 'clear',
  'netcam.console.exportCsv': 'exportCsv',
  'netcam.console.exportJson': 'exportJson',
  'netcam.console.focusFilter': 'focusFilter',
};

export function registerConsoleCommands(env: CommandEnv): void {
  for (const [id, command] of Object.entries(CONSOLE_PALETTE_COMMANDS)) {
    registerCommand(env, id, () => env.console.runCommand(command));
  }
}

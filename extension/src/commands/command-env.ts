// What every command handler needs, and the helpers they share: resolving the monitor a
// command is about (tree item, id argument, or a picker), and running a handler with
// its errors shown as one line (and logged) instead of thrown at the user.
import * as vscode from 'vscode';
import type { ConsoleCommand } from '../../../protocol/src/console-messages.js';
import type { AgentSecrets } from '../agent-secrets.js';
import type { NetcamWorkspace } from '../netcam-workspace.js';
import type { TreeElement } from '../tree/monitors-tree.js';

export interface ConsoleOpener {
  /** Opens (or reveals) the result console, optionally filtered to a monitor/task. */
  open(filter?: { monitorId?: string; taskId?: string }): Promise<void> | void;
  /** Runs a toolbar action in the console (opening it if needed). */
  runCommand(command: ConsoleCommand): void;
}

export interface CommandEnv {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  secrets: AgentSecrets;
  /** The workspace's NetCam state; throws a one-line error when no folder is open. */
  workspace(): NetcamWorkspace;
  console: ConsoleOpener;
}

export class NoFolderError extends Error {
  constructor() {
    super('NetCam keeps netcam.json in a workspace folder: open a folder first.');
  }
}

/** A command argument: a tree element, a monitor id, or nothing (→ picker). */
export type MonitorArg = TreeElement | string | undefined;

export function monitorIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'monitorId' in arg && typeof (arg as TreeElement).monitorId === 'string') return (arg as TreeElement).monitorId;
  return undefined;
}

export async function pickMonitor(ws: NetcamWorkspace, placeHolder: string, filter?: (id: string) => boolean): Promise<string | undefined> {
  const state = ws.getState();
  const monitors = state.monitors.filter((m) => !filter || filter(m.id));
  if (!monitors.length) {
    void vscode.window.showInformationMessage(state.monitors.length ? 'NetCam: no monitor fits this action right now.' : 'NetCam: no monitors configured yet.');
    return undefined;
  }
  if (monitors.length === 1 && filter) return monitors[0].id;
  const picked = await vscode.window.showQuickPick(
    monitors.map((m) => ({ label: m.name ?? m.id, description: `${m.host}:${m.port} · ${m.link}`, id: m.id })),
    { placeHolder, title: 'NetCam' },
  );
  return picked?.id;
}

/** Resolves the monitor id from the argument or by asking. */
export async function resolveMonitor(env: CommandEnv, arg: unknown, placeHolder: string, filter?: (id: string) => boolean): Promise<string | undefined> {
  const id = monitorIdOf(arg);
  if (id) return id;
  return pickMonitor(env.workspace(), placeHolder, filter);
}

/** Registers a command whose failures become one error notification plus a log line. */
export function registerCommand(env: CommandEnv, id: string, handler: (...args: unknown[]) => unknown): void {
  env.context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        const message = (err as Error)?.message ?? String(err);
        env.log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`NetCam: ${message}`);
        return undefined;
      }
    }),
  );
}

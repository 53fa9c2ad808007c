// Set Agent Secret, Export Results, Save Agent Bundle…, Open Result Console, Show Task in
// Console, Show Log.
import * as vscode from 'vscode';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateSecretText } from '../agent-secrets.js';
import type { TaskElement } from '../tree/monitors-tree.js';
import { monitorIdOf, registerCommand, resolveMonitor, type CommandEnv } from './command-env.js';

export const AGENT_BUNDLE = 'netcam-agent.js';

export function registerMiscCommands(env: CommandEnv): void {
  /** Optional second argument: the secret text (automation). Resolves true when stored. */
  registerCommand(env, 'netcam.setAgentSecret', async (arg?: unknown, secretArg?: unknown) => {
    const ws = env.workspace();
    const id = await resolveMonitor(env, arg, 'Set the agent secret of which monitor?');
    if (!id) return false;
    const monitor = ws.manager.config.getMonitor(id);
    let secret = typeof secretArg === 'string' ? secretArg : undefined;
    if (secret === undefined) {
      secret = await vscode.window.showInputBox({
        title: `NetCam: agent secret for ${id}${monitor ? ` (${monitor.host}:${monitor.port})` : ''}`,
        prompt: 'Paste the secret the agent printed when it started (ncs1_…). It is kept in VS Code\'s secret storage only.',
        placeHolder: 'ncs1_…',
        password: true,
        ignoreFocusOut: true,
        validateInput: (text) => validateSecretText(text),
      });
      if (secret === undefined) return false;
    }
    const problem = validateSecretText(secret);
    if (problem) throw new Error(problem);
    await env.secrets.set(id, secret);
    env.log.info(`stored the agent secret for ${id}`); // never the secret itself
    // A link that failed for want of a secret does not retry by itself: start it again.
    const state = ws.manager.getMonitorState(id);
    if (state?.link === 'error' || state?.link === 'backingOff') void vscode.commands.executeCommand('netcam.collect', id);
    return true;
  });

  /** Optional arguments (automation): { monitorId?, format: 'csv'|'json', uri }. */
  registerCommand(env, 'netcam.exportResults', async (opts?: unknown) => {
    const ws = env.workspace();
    const o = (opts ?? {}) as { monitorId?: string; format?: 'csv' | 'json'; uri?: vscode.Uri };
    let monitorId = o.monitorId;
    if (!opts) {
      const scope = await vscode.window.showQuickPick(
        [{ label: 'All monitors', id: undefined as string | undefined }, ...ws.config.monitors.map((m) => ({ label: m.id, description: `${m.host}:${m.port}`, id: m.id as string | undefined }))],
        { title: 'NetCam: Export Results', placeHolder: 'Results of which monitor?' },
      );
      if (!scope) return;
      monitorId = scope.id;
    }
    let format = o.format;
    if (!format) {
      const f = await vscode.window.showQuickPick([{ label: 'CSV', value: 'csv' as const }, { label: 'JSON', value: 'json' as const, description: 'one array of result objects' }], { title: 'NetCam: Export Results', placeHolder: 'Format' });
      if (!f) return;
      format = f.value;
    }
    const name = `netcam-results${monitorId ? `-${monitorId.replace(/[^A-Za-z0-9._-]/g, '_')}` : ''}.${format}`;
    const uri = o.uri ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(ws.folder.uri, name), filters: { [format.toUpperCase()]: [format] } }));
    if (!uri) return;
    const q = monitorId ? { monitorId } : {};
    const text = format === 'csv' ? await ws.manager.history.exportCsv(q) : await ws.manager.history.exportJson(q);
    await writeFile(uri.fsPath, text);
    env.log.info(`exported results${monitorId ? ` of ${monitorId}` : ''} to ${uri.fsPath}`);
    if (!o.uri) {
      void vscode.window.showInformationMessage(`NetCam: results exported to ${uri.fsPath}.`, 'Open').then((c) => {
        if (c) void vscode.window.showTextDocument(uri);
      });
    }
    return uri.fsPath;
  });

  /** Optional argument: the target folder Uri (automation). Resolves to the written path. */
  registerCommand(env, 'netcam.saveAgentBundle', async (folderArg?: unknown) => {
    let folder = folderArg instanceof vscode.Uri ? folderArg : undefined;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({ title: 'Save netcam-agent.js to…', canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Save Here' });
      folder = picked?.[0];
    }
    if (!folder) return undefined;
    const source = vscode.Uri.joinPath(env.context.extensionUri, 'dist', AGENT_BUNDLE);
    const target = join(folder.fsPath, AGENT_BUNDLE);
    await copyFile(source.fsPath, target);
    const commandLine = `sudo node ${AGENT_BUNDLE} --listen 0.0.0.0:7070`;
    env.log.info(`saved the agent bundle to ${target}; run it on the target machine with: ${commandLine}`);
    if (!(folderArg instanceof vscode.Uri)) {
      const choice = await vscode.window.showInformationMessage(
        `NetCam: saved ${target}. Copy it to the machine to monitor from (Node.js 20.18 or newer) and run: ${commandLine} — it prints the secret to paste into "NetCam: Set Agent Secret".`,
        'Copy Command Line',
      );
      if (choice) await vscode.env.clipboard.writeText(commandLine);
    }
    return target;
  });

  registerCommand(env, 'netcam.openConsole', async (filter?: unknown) => {
    const f = filter && typeof filter === 'object' && !(filter instanceof vscode.Uri) ? (filter as { monitorId?: string; taskId?: string }) : undefined;
    await env.console.open(f);
  });

  registerCommand(env, 'netcam.showTaskInConsole', async (arg?: unknown) => {
    const el = arg as TaskElement | undefined;
    const monitorId = monitorIdOf(el) ?? (await resolveMonitor(env, undefined, 'Show results of which monitor?'));
    if (!monitorId) return;
    await env.console.open({ monitorId, taskId: el?.taskId });
  });

  registerCommand(env, 'netcam.showLog', () => env.log.show());
}

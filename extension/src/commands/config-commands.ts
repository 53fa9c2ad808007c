// Create / Edit / Delete / Show monitor configs, and Import Legacy configs.json.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { convertLegacyConfig, type MonitorInput } from '../../../manager/src/index.js';
import { taskTarget } from '../../../protocol/src/index.js';
import { locateMonitor, locateTask } from '../model/json-locate.js';
import { createMonitorFlow } from '../wizard/create-monitor-flow.js';
import { VscodePrompter } from '../wizard/vscode-prompter.js';
import { positionAt } from '../config/config-diagnostics.js';
import { registerCommand, resolveMonitor, type CommandEnv } from './command-env.js';

export function registerConfigCommands(env: CommandEnv): void {
  /**
   * With a MonitorInput argument (automation, tests) the monitor is saved as given;
   * without one, the guided flow asks for it. Resolves to the new monitor's id.
   */
  registerCommand(env, 'netcam.createMonitorConfig', async (input?: unknown) => {
    const ws = env.workspace();
    const existing = ws.config.monitors.map((m) => m.id);
    const automated = isMonitorInput(input);
    const monitor = automated ? input : await createMonitorFlow(new VscodePrompter(), existing);
    if (!monitor) return undefined; // Escape: nothing written
    const saved = await ws.manager.config.createMonitor(monitor);
    env.log.info(`created monitor ${saved.id} (${saved.host}:${saved.port}, ${saved.tasks.length} tasks) in ${ws.configUri.fsPath}`);
    if (!automated) {
      void vscode.window
        .showInformationMessage(`NetCam: monitor ${saved.id} saved to netcam.json. Paste the agent's secret to connect.`, 'Set Agent Secret', 'Open netcam.json')
        .then((choice) => {
          if (choice === 'Set Agent Secret') void vscode.commands.executeCommand('netcam.setAgentSecret', saved.id);
          if (choice === 'Open netcam.json') void vscode.commands.executeCommand('netcam.editMonitorConfig', saved.id);
        });
    }
    return saved.id;
  });

  registerCommand(env, 'netcam.editMonitorConfig', async (arg?: unknown, taskId?: unknown) => {
    const ws = env.workspace();
    const id = await resolveMonitor(env, arg, 'Edit which monitor?');
    if (!id) return;
    const doc = await vscode.workspace.openTextDocument(ws.configUri);
    const text = doc.getText();
    const tid = typeof taskId === 'string' ? taskId : arg && typeof arg === 'object' && 'taskId' in arg ? String((arg as { taskId: string }).taskId) : undefined;
    const range = (tid ? locateTask(text, id, tid) : undefined) ?? locateMonitor(text, id);
    const editor = await vscode.window.showTextDocument(doc);
    if (range) {
      const start = positionAt(text, range.start);
      editor.selection = new vscode.Selection(start, start);
      editor.revealRange(new vscode.Range(start, positionAt(text, range.end)), vscode.TextEditorRevealType.AtTop);
    }
  });

  /** `{ confirmed: true }` as the second argument skips the modal (automation only). */
  registerCommand(env, 'netcam.deleteMonitorConfig', async (arg?: unknown, opts?: unknown) => {
    const ws = env.workspace();
    const id = await resolveMonitor(env, arg, 'Delete which monitor?');
    if (!id) return false;
    const monitor = ws.manager.config.getMonitor(id);
    if (!monitor) throw new Error(`no monitor "${id}" in netcam.json`);
    const confirmed = (opts as { confirmed?: boolean } | undefined)?.confirmed === true;
    if (!confirmed) {
      const answer = await vscode.window.showWarningMessage(
        `Delete monitor "${id}" (${monitor.host}:${monitor.port}, ${monitor.tasks.length} tasks) from netcam.json?`,
        { modal: true, detail: 'Its stored agent secret is deleted too. If results are being collected, its tasks are stopped on the agent first. Results already in the history stay.' },
        'Delete',
      );
      if (answer !== 'Delete') return false;
    }
    if (ws.manager.getMonitorState(id)?.link === 'connected') await ws.manager.stop([id]).catch(() => undefined);
    await ws.manager.config.deleteMonitor(id);
    await env.secrets.delete(id);
    env.log.info(`deleted monitor ${id} and its secret`);
    return true;
  });

  registerCommand(env, 'netcam.showConfigs', async () => {
    const ws = env.workspace();
    if (!ws.configExists) {
      const choice = await vscode.window.showInformationMessage('NetCam: there is no netcam.json in this workspace yet.', 'Create a Monitor', 'Import Legacy configs.json');
      if (choice === 'Create a Monitor') await vscode.commands.executeCommand('netcam.createMonitorConfig');
      if (choice === 'Import Legacy configs.json') await vscode.commands.executeCommand('netcam.importLegacy');
      return;
    }
    type Item = vscode.QuickPickItem & { monitorId?: string; taskId?: string };
    const items: Item[] = [{ label: '$(json) Open netcam.json' }];
    for (const m of ws.config.monitors) {
      items.push({ label: m.id, kind: vscode.QuickPickItemKind.Separator });
      items.push({ label: `$(vm) ${m.name ?? m.id}`, description: `${m.host}:${m.port}`, detail: `${m.tasks.length} task(s)`, monitorId: m.id });
      for (const t of m.tasks) {
        items.push({ label: `    ${t.name ?? t.id}`, description: `${t.type} ${taskTarget(t)} every ${t.interval} s`, monitorId: m.id, taskId: t.id });
      }
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'NetCam: Configs', placeHolder: 'Pick a monitor or task to show it in netcam.json', matchOnDescription: true });
    if (!picked) return;
    await vscode.commands.executeCommand('netcam.editMonitorConfig', picked.monitorId, picked.taskId);
  });

  /** Optional argument: the configs.json Uri (automation); otherwise a file dialog. */
  registerCommand(env, 'netcam.importLegacy', async (arg?: unknown) => {
    const ws = env.workspace();
    let uri = arg instanceof vscode.Uri ? arg : undefined;
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({ title: 'Import the Python NetCam configs.json', filters: { 'configs.json': ['json'] }, canSelectMany: false });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(uri.fsPath, 'utf8'));
    } catch (err) {
      throw new Error(`${uri.fsPath}: is not valid JSON (${(err as Error).message})`);
    }
    const conversion = convertLegacyConfig(parsed);
    const existing = new Set(ws.config.monitors.map((m) => m.id));
    let added = 0;
    for (const m of conversion.config.monitors) {
      if (existing.has(m.id)) {
        conversion.notes.push(`${m.id}: a monitor with this id already exists in netcam.json; not imported`);
        continue;
      }
      await ws.manager.config.createMonitor(m as unknown as MonitorInput);
      added++;
    }
    for (const note of conversion.notes) env.log.warn(`import: ${note}`);
    const summary = `NetCam: imported ${added} monitor(s) with ${conversion.tasks} task(s) from ${uri.fsPath}.`;
    env.log.info(summary);
    const actions = conversion.notes.length ? ['Show Notes', 'Open netcam.json'] : ['Open netcam.json'];
    void vscode.window
      .showInformationMessage(`${summary}${conversion.notes.length ? ` ${conversion.notes.length} note(s) in the log.` : ''} Agents need a secret each (Set Agent Secret).`, ...actions)
      .then((choice) => {
        if (choice === 'Show Notes') env.log.show(true);
        if (choice === 'Open netcam.json') void vscode.window.showTextDocument(ws.configUri);
      });
    return { added, notes: conversion.notes };
  });
}

function isMonitorInput(x: unknown): x is MonitorInput {
  return !!x && typeof x === 'object' && typeof (x as MonitorInput).id === 'string' && typeof (x as MonitorInput).host === 'string' && 'port' in x;
}

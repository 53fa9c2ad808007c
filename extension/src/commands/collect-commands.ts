// Collect (one / all), Stop (one / all), Run Task Now. Collecting shows progress while
// the links connect; cancelling it stops those monitors. A monitor without a stored
// secret is asked for one first (nothing connects without it).
import * as vscode from 'vscode';
import { isCollecting } from '../model/tree-model.js';
import type { TaskElement } from '../tree/monitors-tree.js';
import { registerCommand, resolveMonitor, type CommandEnv } from './command-env.js';

export function registerCollectCommands(env: CommandEnv): void {
  registerCommand(env, 'netcam.collect', async (arg?: unknown) => {
    env.workspace(); // no folder: one clear error before any picker
    const id = await resolveMonitor(env, arg, 'Collect results from which monitor?');
    if (!id) return;
    if (!(await ensureSecrets(env, [id]))) return;
    await collectWithProgress(env, [id]);
  });

  registerCommand(env, 'netcam.collectAll', async () => {
    const ws = env.workspace();
    const ids = ws.config.monitors.map((m) => m.id);
    if (!ids.length) {
      void vscode.window.showInformationMessage('NetCam: no monitors configured yet.', 'Create Monitor').then((c) => {
        if (c) void vscode.commands.executeCommand('netcam.createMonitorConfig');
      });
      return;
    }
    const missing: string[] = [];
    for (const id of ids) if (!(await env.secrets.has(id))) missing.push(id);
    if (missing.length) {
      env.log.warn(`collect all: no agent secret stored for ${missing.join(', ')}; those monitors are skipped`);
      void vscode.window.showWarningMessage(`NetCam: no agent secret for ${missing.join(', ')}: skipped.`, 'Set Agent Secret').then((c) => {
        if (c) void vscode.commands.executeCommand('netcam.setAgentSecret', missing[0]);
      });
    }
    const ready = ids.filter((id) => !missing.includes(id));
    if (ready.length) await collectWithProgress(env, ready);
  });

  registerCommand(env, 'netcam.stop', async (arg?: unknown) => {
    const ws = env.workspace();
    const id = await resolveMonitor(env, arg, 'Stop collection on which monitor?', (m) => isCollecting(ws.manager.getMonitorState(m)?.link ?? 'idle'));
    if (!id) return;
    await stopWithProgress(env, [id]);
  });

  registerCommand(env, 'netcam.stopAll', async () => {
    const ws = env.workspace();
    const ids = ws.getState().monitors.filter((m) => isCollecting(m.link)).map((m) => m.id);
    if (!ids.length) {
      void vscode.window.showInformationMessage('NetCam: no monitor is collecting.');
      return;
    }
    await stopWithProgress(env, ids);
  });

  registerCommand(env, 'netcam.runTaskNow', async (arg?: unknown) => {
    const ws = env.workspace();
    const el = arg as TaskElement | undefined;
    if (!el?.monitorId || !el.taskId) throw new Error('Run Task Now needs a task: use it from the Monitors tree.');
    ws.assertTrusted();
    await ws.manager.runNow(el.monitorId, el.taskId);
    env.log.info(`run now: ${el.monitorId}/${el.taskId}`);
  });
}

/** Asks for the secret of each monitor that has none; false if the user gave up. */
async function ensureSecrets(env: CommandEnv, ids: string[]): Promise<boolean> {
  for (const id of ids) {
    if (await env.secrets.has(id)) continue;
    const stored = await vscode.commands.executeCommand<boolean>('netcam.setAgentSecret', id);
    if (!stored) return false;
  }
  return true;
}

async function collectWithProgress(env: CommandEnv, ids: string[]): Promise<void> {
  const ws = env.workspace();
  ws.assertTrusted();
  const title = ids.length === 1 ? `NetCam: connecting to ${ids[0]}` : `NetCam: connecting to ${ids.length} monitors`;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const done = new Set<string>();
    const sub = ws.manager.onMonitorState((s) => {
      if (!ids.includes(s.id) || done.has(s.id) || s.link === 'connecting') return;
      done.add(s.id);
      progress.report({ increment: 100 / ids.length, message: `${s.id}: ${s.link}` });
    });
    const cancel = token.onCancellationRequested(() => {
      env.log.info(`collect cancelled: stopping ${ids.join(', ')}`);
      void ws.manager.stop(ids).catch((e) => env.log.warn(`stop after cancel: ${(e as Error).message}`));
    });
    try {
      await ws.collect(ids);
    } finally {
      sub.dispose();
      cancel.dispose();
    }
  });
  const failed = ids.map((id) => ws.manager.getMonitorState(id)).filter((s) => s && (s.link === 'error' || s.link === 'backingOff'));
  if (failed.length) {
    const lines = failed.map((s) => `${s!.id}: ${s!.lastError ?? s!.link}`).join('; ');
    env.log.warn(`collect: ${lines}`);
    const retrying = failed.every((s) => s!.link === 'backingOff');
    void vscode.window.showWarningMessage(`NetCam: ${lines}${retrying ? ' (retrying in the background)' : ''}`, 'Show Log').then((c) => {
      if (c) env.log.show(true);
    });
  }
}

async function stopWithProgress(env: CommandEnv, ids: string[]): Promise<void> {
  const ws = env.workspace();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `NetCam: stopping ${ids.join(', ')}` }, () => ws.manager.stop(ids));
  env.log.info(`stopped ${ids.join(', ')}`);
}

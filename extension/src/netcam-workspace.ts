// Owns the Manager for the open workspace: netcam.json in the first workspace folder
// (the first that has one, in a multi-root workspace), history in the extension's
// workspace storage, secrets from SecretStorage, log lines to the NetCam output channel.
// In an untrusted workspace nothing connects: collect/runNow refuse with a message.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Manager, type FleetState, type MonitorState, type NetcamConfig } from '../../manager/src/index.js';
import { taskTarget } from '../../protocol/src/index.js';
import { AgentSecrets } from './agent-secrets.js';
import { readSettings } from './settings.js';

export const CONFIG_FILE = 'netcam.json';

export class UntrustedWorkspaceError extends Error {
  constructor() {
    super('NetCam does not connect to agents in an untrusted workspace (Manage Workspace Trust to allow it).');
  }
}

export class NetcamWorkspace implements vscode.Disposable {
  readonly manager: Manager;
  readonly configUri: vscode.Uri;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    storageDir: string,
    readonly secrets: AgentSecrets,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.configUri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
    const settings = readSettings();
    this.manager = new Manager({
      configPath: this.configUri.fsPath,
      historyDir: join(storageDir, 'history'),
      secrets,
      log: {
        trace: (m) => log.trace(m),
        debug: (m) => log.debug(m),
        info: (m) => log.info(m),
        warn: (m) => log.warn(m),
        error: (m) => log.error(m),
      },
      retentionDays: settings.retentionDays,
      reconnect: { capMs: settings.reconnectCapMs },
    });
  }

  /** Picks the folder whose netcam.json exists, else the first folder; undefined with no folder. */
  static pickFolder(): vscode.WorkspaceFolder | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    return folders.find((f) => existsSync(join(f.uri.fsPath, CONFIG_FILE))) ?? folders[0];
  }

  get configExists(): boolean {
    return existsSync(this.configUri.fsPath);
  }

  get config(): NetcamConfig {
    return this.manager.config.config;
  }

  /**
   * The fleet as the tree shows it: the manager's link state, plus the configured tasks
   * of monitors that have not connected yet (so the tree lists them as `unknown`).
   */
  getState(): FleetState {
    const state = this.manager.getState();
    return {
      monitors: state.monitors.map((m): MonitorState => {
        const cfg = this.manager.config.getMonitor(m.id);
        const name = m.name ?? cfg?.name;
        if (m.tasks.length || !cfg?.tasks.length) return name ? { ...m, name } : m;
        return {
          ...m,
          ...(name ? { name } : {}),
          tasks: cfg.tasks.map((t) => ({
            id: t.id,
            ...(t.name ? { name: t.name } : {}),
            type: t.type,
            target: taskTarget(t),
            interval: t.interval,
            status: 'unknown' as const,
            since: new Date().toISOString(),
          })),
        };
      }),
    };
  }

  assertTrusted(): void {
    if (!vscode.workspace.isTrusted) throw new UntrustedWorkspaceError();
  }

  async collect(ids: string[] | 'all'): Promise<void> {
    this.assertTrusted();
    await this.manager.collect(ids);
  }

  async dispose(): Promise<void> {
    await this.manager.dispose();
  }
}

// VS Code entry point: wires the manager core (manager/) to the tree, commands, status
// bar, notifications, diagnostics and the result console. Everything registered here is
// pushed to context.subscriptions; deactivate() closes the links WITHOUT stopping the
// agents' tasks (they keep monitoring and buffering until the manager is back).
import * as vscode from 'vscode';
import { AgentSecrets } from './agent-secrets.js';
import { registerCollectCommands } from './commands/collect-commands.js';
import { NoFolderError, type CommandEnv, type ConsoleOpener } from './commands/command-env.js';
import { registerConfigCommands } from './commands/config-commands.js';
import { registerConsoleCommands } from './commands/console-commands.js';
import { registerMiscCommands } from './commands/misc-commands.js';
import { ConfigDiagnostics } from './config/config-diagnostics.js';
import { ResultConsole, type ConsoleDataSource } from './console/index.js';
import { FleetStatusBar } from './feedback/status-bar.js';
import { StatusNotifier } from './feedback/status-notifier.js';
import { isCollecting } from './model/tree-model.js';
import { CONFIG_FILE, NetcamWorkspace } from './netcam-workspace.js';
import { readSettings } from './settings.js';
import { MonitorsTreeProvider } from './tree/monitors-tree.js';

/** What activate() returns: used by the integration tests (and other extensions). */
export interface NetcamApi {
  workspace(): NetcamWorkspace | undefined;
  tree: MonitorsTreeProvider;
  statusBar: FleetStatusBar;
  diagnostics(): readonly vscode.Diagnostic[];
  resultConsole(): ResultConsole | undefined;
}

let current: NetcamWorkspace | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<NetcamApi> {
  const log = vscode.window.createOutputChannel('NetCam', { log: true });
  context.subscriptions.push(log);
  const secrets = new AgentSecrets(context.secrets);
  const settings = readSettings();

  const folder = NetcamWorkspace.pickFolder();
  const storage = context.storageUri ?? context.globalStorageUri;
  if (folder) {
    current = new NetcamWorkspace(folder, storage.fsPath, secrets, log);
    context.subscriptions.push(current);
  }
  const ws = current;
  const emptyState = { monitors: [] };
  const getState = () => ws?.getState() ?? emptyState;

  const tree = new MonitorsTreeProvider(getState, settings.refreshDebounceMs);
  const view = vscode.window.createTreeView('netcam.monitors', { treeDataProvider: tree, showCollapseAll: true });
  tree.scheduler.setVisible(view.visible);
  context.subscriptions.push(tree, view, view.onDidChangeVisibility((e) => tree.scheduler.setVisible(e.visible)));

  const statusBar = new FleetStatusBar(getState);
  const notifier = new StatusNotifier(settings.notifications, (monitorId, task) => `${monitorId}/${task.name ?? task.id}`);
  context.subscriptions.push(statusBar, notifier);

  // The result console (extension/src/console/) reads the manager's events and history.
  // It and its serializer exist even without a folder: VS Code restores a console panel
  // saved in this window only if the serializer is registered during activation.
  const noData: ConsoleDataSource = { onResult: () => undefined, onGap: () => undefined, getState: () => emptyState };
  const resultConsole = new ResultConsole(context.extensionUri, ws?.manager ?? noData, { log: (line) => log.info(line) });
  context.subscriptions.push(resultConsole, resultConsole.registerSerializer());
  const consoleOpener: ConsoleOpener = {
    open: (filter) => {
      if (!ws) throw new NoFolderError();
      resultConsole.show(filter);
      resultConsole.refreshMonitors();
    },
    runCommand: (command) => {
      if (!ws) throw new NoFolderError();
      resultConsole.runCommand(command);
    },
  };
  const env: CommandEnv = {
    context,
    log,
    secrets,
    workspace: () => {
      if (!current) throw new NoFolderError();
      return current;
    },
    console: consoleOpener,
  };
  registerConfigCommands(env);
  registerCollectCommands(env);
  registerMiscCommands(env);
  registerConsoleCommands(env);

  let diagnostics: ConfigDiagnostics | undefined;
  const updateContextKeys = () => {
    const state = getState();
    void vscode.commands.executeCommand('setContext', 'netcam:configMissing', !ws?.configExists);
    void vscode.commands.executeCommand('setContext', 'netcam:noMonitors', state.monitors.length === 0);
    void vscode.commands.executeCommand('setContext', 'netcam:hasMonitors', state.monitors.length > 0);
    void vscode.commands.executeCommand('setContext', 'netcam:anyCollecting', state.monitors.some((m) => isCollecting(m.link)));
  };
  const changed = () => {
    tree.scheduler.request();
    statusBar.request();
  };
  const monitorsChanged = () => {
    changed();
    updateContextKeys();
  };

  if (ws) {
    const manager = ws.manager;
    diagnostics = new ConfigDiagnostics(ws.configUri);
    context.subscriptions.push(diagnostics);
    const on = (d: { dispose(): void }) => context.subscriptions.push(d);
    on(manager.onMonitorState((s) => {
      log.debug(`${s.id}: ${s.link}${s.lastError ? ` (${s.lastError})` : ''}`);
      monitorsChanged();
    }));
    on(manager.onTaskState((monitorId, t) => {
      notifier.onTaskState(monitorId, t);
      changed();
    }));
    on(manager.onResult(() => changed()));
    on(manager.onGap((monitorId, gap) => log.warn(`${monitorId}: ${gap.count} result(s) lost between ${gap.fromTs} and ${gap.toTs} (${gap.reason})`)));
    on(manager.config.onDidChange(() => {
      diagnostics?.clear();
      monitorsChanged();
      tree.refreshNow();
      statusBar.update();
    }));
    on(manager.config.onError((issues) => {
      void diagnostics?.show(issues);
      updateContextKeys();
      log.warn(`netcam.json has ${issues.length} problem(s); the running collection keeps the last valid config`);
    }));
    // Reload right on save (the manager's file watcher is the fallback for outside edits).
    on(vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.fsPath !== ws.configUri.fsPath) return;
      manager.config.load().catch(() => undefined); // a broken file is reported through onError
    }));
    void manager.ready.then(() => {
      if (manager.config.issues.length) void diagnostics?.show(manager.config.issues);
      updateContextKeys();
      tree.refreshNow();
      statusBar.update();
    });
  }
  updateContextKeys();

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('netcam')) return;
      const s = readSettings();
      notifier.setMode(s.notifications);
      tree.scheduler.setDebounce(s.refreshDebounceMs);
      if (e.affectsConfiguration('netcam.history.retentionDays') || e.affectsConfiguration('netcam.connection.reconnectCapSeconds')) {
        log.info('history retention and reconnect cap changes apply after a window reload');
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (!current && vscode.workspace.workspaceFolders?.length) {
        void vscode.window.showInformationMessage('NetCam: reload the window to use netcam.json in the new folder.', 'Reload').then((c) => {
          if (c) void vscode.commands.executeCommand('workbench.action.reloadWindow');
        });
      }
    }),
  );

  log.info(`NetCam activated${ws ? ` for ${ws.configUri.fsPath}` : ' (no folder open)'}${vscode.workspace.isTrusted ? '' : '; untrusted workspace: no connections'}`);
  return { workspace: () => current, tree, statusBar, diagnostics: () => diagnostics?.get() ?? [], resultConsole: () => resultConsole };
}

/** Closes links without `stop`: agents keep monitoring while VS Code is closed. */
export async function deactivate(): Promise<void> {
  const ws = current;
  current = undefined;
  await ws?.manager.disconnect();
}

export { CONFIG_FILE };

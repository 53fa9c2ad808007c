// The result console's VS Code side: one WebviewPanel (created on demand, restored after a
// reload by the serializer), fed by a ConsoleFeed that buffers per monitor while the panel
// is hidden or closed. Agent data reaches the webview only through the typed messages.
import * as vscode from 'vscode';
import type { ConsoleCommand, ConsoleMonitorInfo, HostToWebview, WebviewToHost } from '../../../protocol/src/console-messages.js';
import { isWebviewToHost } from '../../../protocol/src/console-messages.js';
import { ConsoleFeed, type ConsoleFeedOptions } from './console-feed.js';
import { monitorsFromState, subscribe, watchMonitorChanges, type ConsoleDataSource } from './data-source.js';
import { loadChart, readUptime } from './chart-query.js';
import { newNonce, renderConsoleHtml } from './html.js';

export const RESULT_CONSOLE_VIEW_TYPE = 'netcam.resultConsole';

export interface ResultConsoleOptions extends ConsoleFeedOptions {
  /** Where the console reports problems (e.g. an OutputChannel's appendLine). */
  log?: (line: string) => void;
}

export class ResultConsole implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly feed: ConsoleFeed;
  private readonly unsubscribe: () => void;
  private readonly log: (line: string) => void;
  private readonly badEvents = new Set<string>();
  private readonly unwatchMonitors: () => void;
  private lastMonitorsSig = '';
  /** Palette commands and focus requests that arrived before the webview was ready. */
  private queued: HostToWebview[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: ConsoleDataSource,
    options: ResultConsoleOptions = {},
  ) {
    this.feed = new ConsoleFeed(options);
    this.log = options.log ?? (() => {});
    this.unsubscribe = subscribe(source, {
      result: (r, backfilled) => this.feed.addResult(r, backfilled),
      gap: (monitorId, gap) => this.feed.addGap(monitorId, gap),
      bad: (what) => {
        if (this.badEvents.has(what)) return;
        this.badEvents.add(what);
        this.log(`result console: ignored a malformed ${what} event from the manager (further ones are not logged)`);
      },
    });
    // Event-driven: link states and config edits reach an open console at once (a hidden
    // one gets the list on its next `ready`, as VS Code recreates it when shown).
    this.unwatchMonitors = watchMonitorChanges(source, () => this.refreshMonitors());
  }

  /** Registers the serializer so an open console comes back after a window reload. */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(RESULT_CONSOLE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, _state: unknown) => {
        // The webview restores its own UI state (filters, chart) with getState().
        this.adopt(panel);
      },
    });
  }

  /** "NetCam: Open Result Console"; with a monitor (and task), "Show in Console": filtered to it. */
  show(focus?: { monitorId?: string; taskId?: string }): void {
    if (this.panel) this.panel.reveal(undefined, false);
    else this.adopt(vscode.window.createWebviewPanel(RESULT_CONSOLE_VIEW_TYPE, 'NetCam Results', vscode.ViewColumn.Active, this.webviewOptions()));
    if (focus?.monitorId) {
      const message: HostToWebview = { type: 'focus', monitorId: focus.monitorId };
      if (focus.taskId) message.taskId = focus.taskId;
      this.send(message);
    }
  }

  /** A palette command mirroring a webview action; opens the console if needed. */
  runCommand(command: ConsoleCommand): void {
    if (!this.panel) this.show();
    else this.panel.reveal(undefined, false);
    this.send({ type: 'command', command });
  }

  /** Posts now, or after the webview's next `ready` if it cannot take it yet. */
  private send(message: HostToWebview): void {
    if (!this.feed.postMessage(message)) this.queued.push(message);
  }

  /** Tells the webview about monitors/tasks now (call on manager state changes). */
  refreshMonitors(): void {
    if (!this.source.getState) return;
    let monitors: ConsoleMonitorInfo[];
    try {
      monitors = monitorsFromState(this.source.getState());
    } catch (e) {
      this.log(`result console: getState failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const sig = JSON.stringify(monitors);
    if (sig === this.lastMonitorsSig) return;
    if (this.feed.postMessage({ type: 'monitors', monitors })) this.lastMonitorsSig = sig;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // Off on purpose: the host replays from its ring buffers when the panel shows again.
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.disposePanel();
    this.panel = panel;
    // Reset on restore too: the extension's path may have changed since the panel was saved.
    panel.webview.options = this.webviewOptions();
    panel.webview.html = this.html(panel.webview);
    this.feed.attach((m: HostToWebview) => panel.webview.postMessage(m), panel.visible);
    this.lastMonitorsSig = '';
    this.panelDisposables.push(
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.disposePanel();
        }
      }),
      panel.onDidChangeViewState(() => {
        this.feed.setVisible(panel.visible);
        if (panel.visible) this.lastMonitorsSig = '';
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
    );
  }

  private html(webview: vscode.Webview): string {
    return renderConsoleHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'console.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'console.css')).toString(),
    });
  }

  private onMessage(raw: unknown): void {
    if (!isWebviewToHost(raw)) {
      this.log('result console: ignored a malformed message from the webview');
      return;
    }
    const m: WebviewToHost = raw;
    switch (m.type) {
      case 'ready': {
        this.feed.onReady(m.haveUpTo);
        this.lastMonitorsSig = '';
        this.refreshMonitors();
        const queued = this.queued;
        this.queued = [];
        for (const message of queued) this.feed.postMessage(message);
        break;
      }
      case 'chartRequest':
        void loadChart(this.source, m, () => this.feed.entriesOf(m.monitorId)).then(
          (reply) => this.feed.postMessage(reply),
          (e) => this.log(`result console: chart failed: ${e instanceof Error ? e.message : String(e)}`),
        );
        break;
      case 'uptimeRequest':
        void readUptime(this.source, m.monitorId, m.taskId).then((uptime) => {
          if (uptime) this.feed.postMessage({ type: 'uptime', monitorId: m.monitorId, taskId: m.taskId, uptime });
        });
        break;
      case 'export':
        void this.saveExport(m.format, m.suggestedName, m.content, m.rows);
        break;
      case 'clear':
        this.feed.clear();
        break;
      case 'log':
        this.log(`result console (webview, ${m.level}): ${m.message}`);
        break;
    }
  }

  private async saveExport(format: 'csv' | 'json', suggestedName: string, content: string, rows: number): Promise<void> {
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
        filters: format === 'csv' ? { 'CSV files': ['csv'] } : { 'JSON files': ['json'] },
        saveLabel: `Export ${rows} rows`,
        title: 'Export NetCam results',
      });
      if (!target) {
        this.feed.postMessage({ type: 'exported', format, path: null, error: null });
        return;
      }
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
      this.feed.postMessage({ type: 'exported', format, path: target.fsPath || target.toString(), error: null });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.log(`result console: export failed: ${error}`);
      this.feed.postMessage({ type: 'exported', format, path: null, error });
    }
  }

  private disposePanel(): void {
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
    this.feed.detach();
  }

  dispose(): void {
    const panel = this.panel;
    this.panel = undefined;
    this.disposePanel();
    panel?.dispose();
    this.unsubscribe();
    this.unwatchMonitors();
    this.feed.dispose();
  }
}

// The "Monitors" tree: a thin mapping of the vscode-free NodeModels (model/tree-model.ts)
// onto TreeItems. Items get stable ids (expansion survives refresh) and lazy tooltips
// (resolveTreeItem). Refresh is driven by manager events through the RefreshScheduler.
import * as vscode from 'vscode';
import type { FleetState, MonitorState, TaskState } from '../model/fleet-state.js';
import { monitorNode, monitorTooltip, nextTickDelay, taskNode, taskTooltip, type NodeModel } from '../model/tree-model.js';
import { RefreshScheduler } from './refresh-scheduler.js';

export interface MonitorElement {
  kind: 'monitor';
  monitorId: string;
}
export interface TaskElement {
  kind: 'task';
  monitorId: string;
  taskId: string;
}
export type TreeElement = MonitorElement | TaskElement;

export class MonitorsTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private state: FleetState = { monitors: [] };
  private readonly elements = new Map<string, TreeElement>();
  readonly scheduler: RefreshScheduler;

  constructor(private readonly getState: () => FleetState, debounceMs: number) {
    this.scheduler = new RefreshScheduler(() => this.refreshNow(), debounceMs, () => nextTickDelay(this.state.monitors, Date.now()));
    this.state = getState();
  }

  /** Re-reads the state and tells VS Code everything may have changed. */
  refreshNow(): void {
    this.state = this.getState();
    this.changed.fire(undefined);
  }

  /** What the tree shows right now, as plain models (used by the status of tests and a11y). */
  snapshot(): { monitor: NodeModel; tasks: NodeModel[] }[] {
    const now = Date.now();
    return this.getState().monitors.map((m) => ({ monitor: monitorNode(m, now), tasks: m.tasks.map((t) => taskNode(m, t, now)) }));
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (!element) {
      this.state = this.getState();
      return this.state.monitors.map((m) => this.element({ kind: 'monitor', monitorId: m.id }));
    }
    if (element.kind === 'task') return [];
    const m = this.monitor(element.monitorId);
    return (m?.tasks ?? []).map((t) => this.element({ kind: 'task', monitorId: m!.id, taskId: t.id }));
  }

  getParent(element: TreeElement): TreeElement | undefined {
    return element.kind === 'task' ? this.element({ kind: 'monitor', monitorId: element.monitorId }) : undefined;
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    const now = Date.now();
    const m = this.monitor(element.monitorId);
    if (!m) return new vscode.TreeItem(element.monitorId);
    if (element.kind === 'monitor') return toItem(monitorNode(m, now));
    const t = m.tasks.find((x) => x.id === element.taskId);
    if (!t) return new vscode.TreeItem(element.taskId);
    const item = toItem(taskNode(m, t, now));
    item.command = { command: 'netcam.showTaskInConsole', title: 'Show in Console', arguments: [element] };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: TreeElement): vscode.TreeItem {
    const now = Date.now();
    const m = this.monitor(element.monitorId);
    if (!m) return item;
    const t: TaskState | undefined = element.kind === 'task' ? m.tasks.find((x) => x.id === element.taskId) : undefined;
    const md = element.kind === 'monitor' ? monitorTooltip(m, now) : t ? taskTooltip(m, t, now) : '';
    item.tooltip = new vscode.MarkdownString(md);
    return item;
  }

  private monitor(id: string): MonitorState | undefined {
    return this.state.monitors.find((m) => m.id === id);
  }

  /** One object per id, so VS Code's element identity is stable too. */
  private element<E extends TreeElement>(e: E): E {
    const key = e.kind === 'monitor' ? `m:${e.monitorId}` : `t:${e.monitorId}/${e.taskId}`;
    const known = this.elements.get(key);
    if (known) return known as E;
    this.elements.set(key, e);
    return e;
  }

  dispose(): void {
    this.scheduler.dispose();
    this.changed.dispose();
  }
}

function toItem(n: NodeModel): vscode.TreeItem {
  const item = new vscode.TreeItem(
    n.label,
    n.collapsible ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  item.id = n.id;
  item.description = n.description;
  item.iconPath = new vscode.ThemeIcon(n.icon.id, n.icon.color ? new vscode.ThemeColor(n.icon.color) : undefined);
  item.contextValue = n.contextValue;
  item.accessibilityInformation = { label: n.accessibilityLabel };
  return item;
}

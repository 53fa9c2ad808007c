// The console's toolbar: filters, order, follow, pause, clear and export. Every control is
// a vscode-elements component (keyboard reachable, themed by VS Code's variables).
import { h } from './dom.js';
import { fillSelect } from './select.js';
import type { RowFilter } from './filter.js';

type ValueEl = HTMLElement & { value: string };
type CheckEl = HTMLElement & { checked: boolean };

export const STATUS_OPTIONS: [string, string][] = [
  ['', 'All statuses'],
  ['up', 'Up'],
  ['degraded', 'Degraded'],
  ['down', 'Down'],
  ['problems', 'Degraded or down'],
  ['gaps', 'Lost results (gaps)'],
  ['backfilled', 'Backfilled'],
];

export interface ToolbarEvents {
  onFilter(f: RowFilter): void;
  onOrder(newestFirst: boolean): void;
  onFollow(follow: boolean): void;
  onPause(): void;
  onClear(): void;
  onExport(format: 'csv' | 'json'): void;
}

export class Toolbar {
  readonly root: HTMLElement;
  readonly text: ValueEl;
  private readonly monitor: ValueEl;
  private readonly task: ValueEl;
  private readonly type: ValueEl;
  private readonly status: ValueEl;
  private readonly order: ValueEl;
  private readonly follow: CheckEl;
  private readonly pause: HTMLElement;
  private filter: RowFilter;
  private monitorSig = '';
  private taskSig = '';
  private typeSig = '';
  private textTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(initial: RowFilter, newestFirst: boolean, follow: boolean, private readonly on: ToolbarEvents) {
    this.filter = { ...initial };
    this.text = h('vscode-textfield', { placeholder: 'Filter text (e.g. timeout web-01)', 'aria-label': 'Filter by text', class: 'f-text' }) as ValueEl;
    this.text.value = initial.text;
    this.monitor = h('vscode-single-select', { 'aria-label': 'Filter by monitor', class: 'f-monitor' }) as ValueEl;
    this.task = h('vscode-single-select', { 'aria-label': 'Filter by task', class: 'f-task' }) as ValueEl;
    this.type = h('vscode-single-select', { 'aria-label': 'Filter by type', class: 'f-type' }) as ValueEl;
    this.status = h('vscode-single-select', { 'aria-label': 'Filter by status', class: 'f-status' }) as ValueEl;
    this.order = h('vscode-single-select', { 'aria-label': 'Order', class: 'f-order' }) as ValueEl;
    fillSelect(this.status, STATUS_OPTIONS, initial.status);
    fillSelect(this.order, [['newest', 'Newest first'], ['oldest', 'Oldest first']], newestFirst ? 'newest' : 'oldest');
    this.setMonitors([]);
    this.setTasks([]);
    this.setTypes([]);
    this.follow = h('vscode-checkbox', { label: 'Follow live', class: 'f-follow' }) as CheckEl;
    this.follow.checked = follow;
    this.pause = h('vscode-button', { secondary: true, class: 'b-pause', 'aria-pressed': 'false' }, 'Pause');
    const clear = h('vscode-button', { secondary: true, class: 'b-clear' }, 'Clear');
    const csv = h('vscode-button', { class: 'b-export-csv' }, 'Export CSV');
    const json = h('vscode-button', { secondary: true, class: 'b-export-json' }, 'Export JSON');

    this.root = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Result console controls' },
      h('div', { class: 'filters' }, this.text, this.monitor, this.task, this.type, this.status),
      h('div', { class: 'actions' }, this.order, this.follow, this.pause, clear, csv, json),
    );

    this.text.addEventListener('input', () => {
      // Typing filters after a short pause; 50 000 rows re-filter in a few ms anyway.
      clearTimeout(this.textTimer);
      this.textTimer = setTimeout(() => this.change({ text: this.text.value }), 150);
    });
    this.text.addEventListener('change', () => this.change({ text: this.text.value }));
    this.monitor.addEventListener('change', () => this.change({ monitor: this.monitor.value, task: '' }));
    this.task.addEventListener('change', () => this.change({ task: this.task.value }));
    this.type.addEventListener('change', () => this.change({ type: this.type.value }));
    this.status.addEventListener('change', () => this.change({ status: this.status.value }));
    this.order.addEventListener('change', () => this.on.onOrder(this.order.value !== 'oldest'));
    this.follow.addEventListener('change', () => this.on.onFollow(this.follow.checked));
    this.pause.addEventListener('click', () => this.on.onPause());
    clear.addEventListener('click', () => this.on.onClear());
    csv.addEventListener('click', () => this.on.onExport('csv'));
    json.addEventListener('click', () => this.on.onExport('json'));
  }

  private change(part: Partial<RowFilter>): void {
    const next = { ...this.filter, ...part };
    if (JSON.stringify(next) === JSON.stringify(this.filter)) return;
    this.filter = next;
    this.on.onFilter(next);
  }

  /** Sets the filter from outside (e.g. "show only this task" in the details pane). */
  setFilter(f: RowFilter): void {
    this.filter = { ...f };
    this.text.value = f.text;
    this.monitor.value = f.monitor;
    this.status.value = f.status;
    this.type.value = f.type;
    this.taskSig = '';
    this.on.onFilter(this.filter);
  }

  setMonitors(ids: readonly string[]): void {
    const sig = ids.join('\n');
    if (sig === this.monitorSig && this.monitor.childElementCount) return;
    this.monitorSig = sig;
    const opts: [string, string][] = [['', 'All monitors'], ...ids.map((id): [string, string] => [id, id])];
    if (this.filter.monitor && !ids.includes(this.filter.monitor)) opts.push([this.filter.monitor, this.filter.monitor]);
    fillSelect(this.monitor, opts, this.filter.monitor);
  }

  setTasks(ids: readonly string[]): void {
    const sig = ids.join('\n');
    if (sig === this.taskSig && this.task.childElementCount) return;
    this.taskSig = sig;
    const opts: [string, string][] = [['', 'All tasks'], ...ids.map((id): [string, string] => [id, id])];
    if (this.filter.task && !ids.includes(this.filter.task)) opts.push([this.filter.task, this.filter.task]);
    fillSelect(this.task, opts, this.filter.task);
  }

  setTypes(types: readonly string[]): void {
    const sig = types.join('\n');
    if (sig === this.typeSig && this.type.childElementCount) return;
    this.typeSig = sig;
    const opts: [string, string][] = [['', 'All types'], ...types.map((t): [string, string] => [t, t])];
    if (this.filter.type && !types.includes(this.filter.type)) opts.push([this.filter.type, this.filter.type]);
    fillSelect(this.type, opts, this.filter.type);
  }

  setFollow(follow: boolean): void {
    if (this.follow.checked !== follow) this.follow.checked = follow;
  }

  setPaused(paused: boolean): void {
    this.pause.textContent = paused ? 'Resume' : 'Pause';
    this.pause.setAttribute('aria-pressed', String(paused));
  }

  focusFilter(): void {
    this.text.focus();
  }

  dispose(): void {
    clearTimeout(this.textTimer);
  }
}

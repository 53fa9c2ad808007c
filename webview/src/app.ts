// The result console: wires the host link, the row store, the table, the details pane,
// the charts and the toolbar. Incoming entries only touch data structures; the DOM is
// updated once per animation frame.
import type { ConsoleEntry, ConsoleUiState, HostToWebview, ConsoleMonitorInfo } from '../../protocol/src/console-messages.js';
import { h } from './dom.js';
import { formatCount } from './format.js';
import { type RowFilter } from './filter.js';
import { RowStore } from './row-store.js';
import { VirtualTable } from './virtual-table.js';
import { DetailsPane } from './details-pane.js';
import { ChartView, type TaskRef } from './chart-view.js';
import { Toolbar } from './toolbar.js';
import { LiveRegion } from './live-region.js';
import { toCsv, toJson, exportFileName } from './export.js';
import { sanitizeUiState } from './ui-state.js';
import type { HostLink } from './host-link.js';

const DEFAULT_MAX_ROWS = 50_000;

export class ConsoleApp {
  private readonly store = new RowStore(DEFAULT_MAX_ROWS);
  private readonly table: VirtualTable;
  private readonly details: DetailsPane;
  private readonly chart: ChartView;
  private readonly toolbar: Toolbar;
  private readonly live = new LiveRegion();
  private readonly statusLine: HTMLElement;
  private readonly noticeEl: HTMLElement;
  private ui: ConsoleUiState;
  private paused = false;
  /** Entries received while paused (bounded like the store). */
  private pausedQueue: ConsoleEntry[] = [];
  private pausedDropped = 0;
  private frameRequested = false;
  private resetView = true;
  private catchingUp = false;
  /** monitor → task → type, from results and from the host's monitor list. */
  private readonly tasks = new Map<string, Map<string, string>>();
  private readonly monitorStates = new Map<string, string>();
  private tasksChanged = true;

  constructor(private readonly host: HostLink, mount: HTMLElement) {
    this.ui = sanitizeUiState(host.restoredState());
    const filter: RowFilter = { monitor: this.ui.monitor, task: this.ui.task, type: this.ui.type, status: this.ui.status, text: this.ui.text };
    this.store.setFilter(filter);
    this.toolbar = new Toolbar(filter, this.ui.newestFirst, this.ui.follow, {
      onFilter: (f) => this.applyFilter(f),
      onOrder: (newestFirst) => {
        this.ui.newestFirst = newestFirst;
        this.table.newestFirst = newestFirst;
        this.resetView = true;
        this.saveState();
        this.requestFrame();
      },
      onFollow: (follow) => this.setFollow(follow, true),
      onPause: () => this.setPaused(!this.paused),
      onClear: () => this.clear(),
      onExport: (format) => this.exportRows(format),
    });
    this.table = new VirtualTable(this.store, {
      onSelect: (key, open) => this.onSelect(key, open),
      onFollowChange: (follow) => this.setFollow(follow, false),
    });
    this.table.newestFirst = this.ui.newestFirst;
    this.table.follow = this.ui.follow;
    this.details = new DetailsPane({
      onClose: () => {
        this.details.hide();
        this.table.root.focus();
      },
      onFilterTask: (monitor, task) => {
        this.toolbar.setFilter({ ...this.store.currentFilter, monitor, task });
      },
      onChartTask: (monitor, task) => this.chart.select(monitor, task, this.tasks.get(monitor)?.get(task)),
    });
    this.chart = new ChartView((m) => this.host.post(m), () => {
      this.ui.chartMonitor = this.chart.monitorId;
      this.ui.chartTask = this.chart.taskId;
      this.ui.chartRange = this.chart.range;
      this.saveState();
    });
    this.statusLine = h('div', { class: 'status-line', role: 'status', 'aria-live': 'off' });
    this.noticeEl = h('div', { class: 'notice', role: 'status', hidden: true });
    mount.replaceChildren(
      this.toolbar.root,
      h('div', { class: 'status-row' }, this.statusLine, this.noticeEl),
      this.chart.root,
      h('div', { class: 'table-wrap' }, this.table.root),
      this.details.root,
      this.live.root,
    );
    this.toolbar.setPaused(false);
    host.onMessage((m) => this.onHostMessage(m));
    window.addEventListener('resize', () => this.requestFrame());
    host.post({ type: 'ready', haveUpTo: null });
    this.requestFrame();
  }

  private onHostMessage(m: HostToWebview): void {
    switch (m.type) {
      case 'snapshot':
        if (m.reset) {
          this.store.clear();
          this.pausedQueue = [];
          this.resetView = true;
          this.details.hide();
        }
        this.store.setCap(m.maxRows);
        this.catchingUp = !m.done;
        this.ingest(m.entries, false);
        if (m.done && !this.chart.taskId && this.ui.chartTask) {
          this.chart.select(this.ui.chartMonitor, this.ui.chartTask, this.tasks.get(this.ui.chartMonitor)?.get(this.ui.chartTask), this.ui.chartRange);
        }
        break;
      case 'entries':
        this.ingest(m.entries, true);
        break;
      case 'monitors':
        this.onMonitors(m.monitors);
        break;
      case 'chart':
        this.chart.onChartData(m);
        break;
      case 'uptime':
        this.chart.onUptime(m);
        break;
      case 'exported':
        this.notice(m.error ? `Export failed: ${m.error}` : m.path ? `Exported to ${m.path}` : 'Export cancelled');
        break;
      case 'command':
        this.onCommand(m.command);
        break;
      case 'focus':
        this.focus(m.monitorId, m.taskId ?? '');
        break;
    }
    this.requestFrame();
  }

  private onCommand(c: string): void {
    if (c === 'pause') this.setPaused(true);
    else if (c === 'resume') this.setPaused(false);
    else if (c === 'togglePause') this.setPaused(!this.paused);
    else if (c === 'clear') this.clear();
    else if (c === 'exportCsv') this.exportRows('csv');
    else if (c === 'exportJson') this.exportRows('json');
    else if (c === 'focusFilter') this.toolbar.focusFilter();
  }

  /** "Show in Console": only this monitor/task, whatever else was filtered, and its chart. */
  private focus(monitor: string, task: string): void {
    if (!this.tasks.has(monitor)) {
      this.tasks.set(monitor, new Map());
      this.tasksChanged = true;
    }
    // setFilter → applyFilter, which also charts the task when one is given.
    this.toolbar.setFilter({ monitor, task, type: '', status: '', text: '' });
    if (task && (this.chart.monitorId !== monitor || this.chart.taskId !== task)) {
      this.chart.select(monitor, task, this.tasks.get(monitor)?.get(task));
    }
  }

  private ingest(entries: readonly ConsoleEntry[], live: boolean): void {
    for (const e of entries) {
      if (e.kind === 'result') {
        const r = e.result;
        let m = this.tasks.get(r.monitorId);
        if (!m) {
          m = new Map();
          this.tasks.set(r.monitorId, m);
          this.tasksChanged = true;
        }
        if (m.get(r.taskId) !== r.type) {
          m.set(r.taskId, r.type);
          this.tasksChanged = true;
        }
        if (live) this.live.note(r.status === 'up' ? 'up' : 'problem');
      } else if (live) this.live.note('gap');
    }
    // Charts keep following while the table is paused.
    this.chart.addLive(entries);
    if (this.paused) {
      this.pausedQueue.push(...entries);
      const over = this.pausedQueue.length - this.store.cap;
      if (over > 0) {
        this.pausedQueue.splice(0, over);
        this.pausedDropped += over;
      }
      return;
    }
    this.store.append(entries);
  }

  private onMonitors(monitors: readonly ConsoleMonitorInfo[]): void {
    for (const mon of monitors) {
      let m = this.tasks.get(mon.id);
      if (!m) {
        m = new Map();
        this.tasks.set(mon.id, m);
      }
      for (const t of mon.tasks) m.set(t.id, t.type);
      if (mon.state) this.monitorStates.set(mon.id, mon.state);
    }
    this.tasksChanged = true;
  }

  private applyFilter(f: RowFilter): void {
    this.store.setFilter(f);
    Object.assign(this.ui, { monitor: f.monitor, task: f.task, type: f.type, status: f.status, text: f.text });
    this.tasksChanged = true;
    this.resetView = true;
    // Filtering to one task charts that task.
    if (f.monitor && f.task && (f.monitor !== this.chart.monitorId || f.task !== this.chart.taskId)) {
      this.chart.select(f.monitor, f.task, this.tasks.get(f.monitor)?.get(f.task));
    }
    this.saveState();
    this.requestFrame();
  }

  private setFollow(follow: boolean, fromToolbar: boolean): void {
    this.ui.follow = follow;
    this.table.follow = follow;
    if (!fromToolbar) this.toolbar.setFollow(follow);
    else if (follow) this.table.scrollToEdge();
    this.saveState();
    this.requestFrame();
  }

  private setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    this.toolbar.setPaused(paused);
    if (!paused && this.pausedQueue.length) {
      const queued = this.pausedQueue;
      this.pausedQueue = [];
      this.store.dropped += this.pausedDropped;
      this.pausedDropped = 0;
      this.store.append(queued);
    }
    this.requestFrame();
  }

  private clear(): void {
    this.store.clear();
    this.pausedQueue = [];
    this.pausedDropped = 0;
    this.details.hide();
    this.table.selectedKey = null;
    this.resetView = true;
    this.host.post({ type: 'clear' });
    this.requestFrame();
  }

  private onSelect(key: number | null, open: boolean): void {
    if (key === null) return;
    if (!open && !this.details.isOpen) return;
    if (!open && this.details.isOpen && this.details.row?.entry.key === key) {
      // Escape on the grid closes the pane.
      this.details.hide();
      return;
    }
    const i = this.store.indexOfKey(key);
    if (i >= 0) this.details.show(this.store.viewRow(i));
  }

  private exportRows(format: 'csv' | 'json'): void {
    const rows = this.store.filteredRows();
    const content = format === 'csv' ? toCsv(rows) : toJson(rows);
    this.host.post({ type: 'export', format, suggestedName: exportFileName(format), content, rows: rows.length });
    this.notice(`Exporting ${formatCount(rows.length)} rows…`);
  }

  private notice(text: string): void {
    this.noticeEl.textContent = text;
    this.noticeEl.hidden = false;
  }

  private saveState(): void {
    this.host.saveState({ ...this.ui });
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame((now) => this.frame(now));
  }

  private frame(now: number): void {
    this.frameRequested = false;
    if (this.tasksChanged) this.refreshLists();
    const change = this.store.takeChange();
    this.table.update(change.added, change.removed, this.resetView);
    this.resetView = false;
    this.renderStatus();
    this.chart.frame(now);
    // The chart throttles itself: come back until it has drawn what it holds.
    if (this.chart.needsFrame) this.requestFrame();
  }

  private refreshLists(): void {
    this.tasksChanged = false;
    const monitors = [...this.tasks.keys()].sort();
    this.toolbar.setMonitors(monitors);
    const f = this.store.currentFilter;
    const taskIds = new Set<string>();
    const types = new Set<string>();
    const refs: TaskRef[] = [];
    for (const mon of monitors) {
      for (const [taskId, type] of [...this.tasks.get(mon)!].sort((a, b) => a[0].localeCompare(b[0]))) {
        types.add(type);
        refs.push({ monitorId: mon, taskId, type });
        if (!f.monitor || f.monitor === mon) taskIds.add(taskId);
      }
    }
    this.toolbar.setTasks([...taskIds].sort());
    this.toolbar.setTypes([...types].sort());
    this.chart.setTasks(refs);
  }

  private renderStatus(): void {
    const shown = this.store.viewLength;
    const kept = this.store.size;
    const parts = [`${formatCount(shown)} of ${formatCount(kept)} rows shown`];
    if (this.store.dropped) parts.push(`${formatCount(this.store.dropped)} older rows dropped from view (limit ${formatCount(this.store.cap)}; the manager’s history keeps them)`);
    if (this.paused) parts.push(`paused: ${formatCount(this.pausedQueue.length + this.pausedDropped)} new`);
    if (this.catchingUp) parts.push('loading…');
    const text = parts.join(' · ');
    if (this.statusLine.textContent !== text) this.statusLine.textContent = text;
    const d = this.statusLine.dataset;
    d.shown = String(shown);
    d.kept = String(kept);
    d.dropped = String(this.store.dropped);
    d.domRows = String(this.table.domRowCount);
  }
}

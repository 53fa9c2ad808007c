// The full record of one row: every field, and `details` as indented JSON. All text is
// set with textContent (it comes from agents).
import { h } from './dom.js';
import { formatMs } from './format.js';
import { rowSummary, type Row } from './filter.js';

export interface DetailsActions {
  onClose(): void;
  onFilterTask(monitorId: string, taskId: string): void;
  onChartTask(monitorId: string, taskId: string): void;
}

export class DetailsPane {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly fields: HTMLElement;
  private readonly json: HTMLElement;
  private readonly actions: HTMLElement;
  private current: Row | null = null;

  constructor(private readonly on: DetailsActions) {
    this.title = h('h2', { class: 'details-title', id: 'details-title' });
    this.fields = h('dl', { class: 'details-fields' });
    this.json = h('pre', { class: 'details-json', tabindex: 0, 'aria-label': 'details as JSON' });
    this.actions = h('div', { class: 'details-actions' });
    const close = h('vscode-button', { secondary: true, class: 'details-close', 'aria-label': 'Close details' }, 'Close');
    close.addEventListener('click', () => this.on.onClose());
    this.root = h(
      'section',
      { class: 'details', 'aria-labelledby': 'details-title', hidden: true },
      h('div', { class: 'details-head' }, this.title, this.actions, close),
      h('div', { class: 'details-body' }, this.fields, this.json),
    );
    this.root.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') this.on.onClose();
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  get row(): Row | null {
    return this.current;
  }

  show(row: Row): void {
    this.current = row;
    this.root.hidden = false;
    this.fields.replaceChildren();
    this.actions.replaceChildren();
    const add = (label: string, value: string) => this.fields.append(h('dt', {}, label), h('dd', {}, value));
    const e = row.entry;
    if (e.kind === 'result') {
      const r = e.result;
      this.title.textContent = `${r.monitorId} / ${r.taskId} — ${r.status}${e.backfilled ? ' (backfilled)' : ''}`;
      add('time (agent)', r.ts);
      add('monitor', r.monitorId);
      add('task', r.taskId);
      add('type', r.type);
      add('target', r.target);
      add('seq', String(r.seq));
      add('status', r.status);
      add('latency', formatMs(r.latencyMs));
      add('error', r.error ?? '—');
      add('summary', rowSummary(row) || '—');
      if (e.backfilled) add('delivery', 'backfilled from the agent’s buffer (the manager was away); not an outage');
      this.json.textContent = JSON.stringify(r.details, null, 2);
      const filter = h('vscode-button', { secondary: true }, 'Show only this task');
      filter.addEventListener('click', () => this.on.onFilterTask(r.monitorId, r.taskId));
      const chart = h('vscode-button', { secondary: true }, 'Chart this task');
      chart.addEventListener('click', () => this.on.onChartTask(r.monitorId, r.taskId));
      this.actions.append(filter, chart);
    } else {
      const g = e.gap;
      this.title.textContent = `${e.monitorId} — ${g.count} results lost (not an outage)`;
      add('monitor', e.monitorId);
      add('lost', `${g.count} results, seq ${g.fromSeq}–${g.toSeq}`);
      add('between', `${g.fromTs} and ${g.toTs}`);
      add('reason', g.reason || '—');
      add('meaning', 'the agent’s buffer was full and it dropped these results; it told the manager how many');
      this.json.textContent = JSON.stringify(g, null, 2);
    }
  }

  hide(): void {
    this.current = null;
    this.root.hidden = true;
  }
}

// The results table, virtualized: only the rows in (and just around) the viewport exist
// in the DOM, recycled from a small pool, so 50 000 rows scroll like 50.
import { h, setText } from './dom.js';
import { formatMs, formatTime } from './format.js';
import { rowSummary, type Row } from './filter.js';
import type { RowStore } from './row-store.js';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;

const COLUMNS = [
  ['time', 'Time (agent)'],
  ['monitor', 'Monitor'],
  ['task', 'Task'],
  ['type', 'Type'],
  ['target', 'Target'],
  ['status', 'Status'],
  ['latency', 'Latency'],
  ['summary', 'Summary'],
] as const;

interface PooledRow {
  el: HTMLElement;
  cells: Record<(typeof COLUMNS)[number][0], HTMLElement>;
  badge: HTMLElement;
  tag: HTMLElement;
  key: number;
  selected: boolean;
}

export interface VirtualTableEvents {
  onSelect(key: number | null, open: boolean): void;
  /** The user scrolled away from (false) or back to (true) the live edge. */
  onFollowChange(follow: boolean): void;
}

export class VirtualTable {
  readonly root: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly pool: PooledRow[] = [];
  private readonly empty: HTMLElement;
  newestFirst = true;
  follow = true;
  selectedKey: number | null = null;
  private ourScrollTop = -1;
  /** Viewport height, kept by a ResizeObserver so frames never force a layout to read it. */
  private viewportHeight = 400;

  constructor(
    private readonly store: RowStore,
    private readonly events: VirtualTableEvents,
  ) {
    const header = h('div', { class: 'row header', role: 'row', 'aria-rowindex': 1 });
    for (const [id, label] of COLUMNS) header.append(h('div', { class: `cell c-${id}`, role: 'columnheader' }, label));
    this.spacer = h('div', { class: 'spacer' });
    this.empty = h('div', { class: 'empty-note' }, 'No results yet. Start collecting from a monitor, or change the filters.');
    this.scroller = h('div', {
      class: 'scroller',
      role: 'rowgroup',
    }, this.spacer, this.empty);
    this.root = h(
      'div',
      { class: 'table', role: 'grid', tabindex: 0, 'aria-label': 'Results', 'aria-rowcount': 1 },
      h('div', { role: 'rowgroup', class: 'header-group' }, header),
      this.scroller,
    );
    this.scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => {
      this.viewportHeight = this.scroller.clientHeight || this.viewportHeight;
      this.render();
    }).observe(this.scroller);
    this.scroller.addEventListener('click', (ev) => this.onClick(ev));
    this.root.addEventListener('keydown', (ev) => this.onKey(ev));
  }

  private displayToView(d: number): number {
    return this.newestFirst ? this.store.viewLength - 1 - d : d;
  }

  private viewToDisplay(i: number): number {
    return this.newestFirst ? this.store.viewLength - 1 - i : i;
  }

  private maxScroll(): number {
    return Math.max(0, this.store.viewLength * ROW_HEIGHT - this.viewportHeight);
  }

  private setScrollTop(v: number): void {
    const top = Math.max(0, Math.min(v, this.maxScroll()));
    this.ourScrollTop = Math.round(top);
    this.scroller.scrollTop = top;
  }

  private currentTop(): number {
    return this.ourScrollTop >= 0 ? this.ourScrollTop : this.scroller.scrollTop;
  }

  private onScroll(): void {
    const top = this.scroller.scrollTop;
    if (Math.abs(top - this.ourScrollTop) > 1) {
      // The user scrolled: follow the live edge only while they sit on it.
      const atEdge = this.newestFirst ? top <= 1 : top >= this.maxScroll() - 1;
      if (atEdge !== this.follow) {
        this.follow = atEdge;
        this.events.onFollowChange(atEdge);
      }
    }
    this.ourScrollTop = -1;
    this.render();
  }

  /** Called once per frame after the store changed: keeps the viewport anchored. */
  update(added: number, removed: number, reset: boolean): void {
    this.spacer.style.height = `${this.store.viewLength * ROW_HEIGHT}px`;
    this.root.setAttribute('aria-rowcount', String(this.store.viewLength + 1));
    if (reset) {
      this.scrollToEdge();
    } else if (this.follow) {
      this.scrollToEdge();
    } else if (this.newestFirst && added) {
      // New rows were inserted above what the user is reading: keep it in place.
      this.setScrollTop(this.currentTop() + added * ROW_HEIGHT);
    } else if (!this.newestFirst && removed) {
      this.setScrollTop(this.currentTop() - removed * ROW_HEIGHT);
    }
    this.render();
  }

  scrollToEdge(): void {
    this.setScrollTop(this.newestFirst ? 0 : this.maxScroll() + ROW_HEIGHT);
  }

  private makeRow(): PooledRow {
    const cells = {} as PooledRow['cells'];
    const el = h('div', { class: 'row', role: 'row' });
    for (const [id] of COLUMNS) {
      const c = h('div', { class: `cell c-${id}`, role: 'gridcell' });
      cells[id] = c;
      el.append(c);
    }
    const badge = h('span', { class: 'badge' });
    const tag = h('span', { class: 'tag' });
    cells.status.append(badge, tag);
    const p: PooledRow = { el, cells, badge, tag, key: -1, selected: false };
    this.scroller.append(el);
    return p;
  }

  render(): void {
    const n = this.store.viewLength;
    this.empty.hidden = n > 0;
    const height = this.viewportHeight;
    // Right after we set scrollTop, use the value we set instead of reading it back (a read forces layout).
    const top = this.currentTop();
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(n - 1, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const count = Math.max(0, last - first + 1);
    while (this.pool.length < count) this.pool.push(this.makeRow());
    for (let i = 0; i < this.pool.length; i++) {
      const p = this.pool[i]!;
      if (i >= count) {
        if (!p.el.hidden) p.el.hidden = true;
        continue;
      }
      const d = first + i;
      const row = this.store.viewRow(this.displayToView(d));
      p.el.hidden = false;
      p.el.style.transform = `translateY(${d * ROW_HEIGHT}px)`;
      p.el.setAttribute('aria-rowindex', String(d + 2));
      if (p.key !== row.entry.key) this.fill(p, row);
      const sel = row.entry.key === this.selectedKey;
      if (sel !== p.selected) {
        p.selected = sel;
        p.el.classList.toggle('selected', sel);
        p.el.setAttribute('aria-selected', String(sel));
      }
    }
    // Bounded pool: a smaller viewport gives rows back.
    while (this.pool.length > count + 2 * OVERSCAN) this.pool.pop()!.el.remove();
    if (this.selectedKey !== null) this.root.setAttribute('aria-activedescendant', `row-${this.selectedKey}`);
    else this.root.removeAttribute('aria-activedescendant');
  }

  private fill(p: PooledRow, row: Row): void {
    const e = row.entry;
    p.key = e.key;
    p.el.id = `row-${e.key}`;
    p.el.dataset.key = String(e.key);
    const c = p.cells;
    if (e.kind === 'result') {
      const r = e.result;
      p.el.className = `row kind-result status-${r.status}${e.backfilled ? ' backfilled' : ''}`;
      setText(c.time, formatTime(r.ts));
      c.time.title = r.ts;
      setText(c.monitor, r.monitorId);
      setText(c.task, r.taskId);
      setText(c.type, r.type);
      setText(c.target, r.target);
      c.target.title = r.target;
      setText(p.badge, r.status);
      p.badge.className = `badge status-${r.status}`;
      setText(p.tag, e.backfilled ? 'backfilled' : '');
      p.tag.hidden = !e.backfilled;
      p.tag.title = e.backfilled ? 'Delivered from the agent’s buffer after the manager was away' : '';
      setText(c.latency, formatMs(r.latencyMs));
    } else {
      const g = e.gap;
      p.el.className = 'row kind-gap';
      setText(c.time, formatTime(g.fromTs));
      c.time.title = `${g.fromTs} – ${g.toTs}`;
      setText(c.monitor, e.monitorId);
      setText(c.task, '');
      setText(c.type, '');
      setText(c.target, '');
      c.target.title = '';
      setText(p.badge, 'gap');
      p.badge.className = 'badge status-gap';
      setText(p.tag, '');
      p.tag.hidden = true;
      setText(c.latency, '');
    }
    const summary = rowSummary(row);
    setText(c.summary, summary);
    c.summary.title = summary;
  }

  private onClick(ev: MouseEvent): void {
    const rowEl = (ev.target as Element).closest<HTMLElement>('.row');
    if (!rowEl?.dataset.key) return;
    const key = Number(rowEl.dataset.key);
    this.selectedKey = key;
    this.root.focus({ preventScroll: true });
    this.render();
    this.events.onSelect(key, true);
  }

  private onKey(ev: KeyboardEvent): void {
    const n = this.store.viewLength;
    if (!n) return;
    const pageRows = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    const cur = this.selectedKey === null ? -1 : this.store.indexOfKey(this.selectedKey);
    const curDisplay = cur < 0 ? -1 : this.viewToDisplay(cur);
    let next: number | null = null;
    switch (ev.key) {
      case 'ArrowDown':
        next = curDisplay + 1;
        break;
      case 'ArrowUp':
        next = curDisplay < 0 ? 0 : curDisplay - 1;
        break;
      case 'PageDown':
        next = curDisplay + pageRows;
        break;
      case 'PageUp':
        next = curDisplay - pageRows;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Enter':
      case ' ':
        if (this.selectedKey !== null) {
          ev.preventDefault();
          this.events.onSelect(this.selectedKey, true);
        }
        return;
      case 'Escape':
        this.events.onSelect(this.selectedKey, false);
        return;
      default:
        return;
    }
    ev.preventDefault();
    const d = Math.max(0, Math.min(n - 1, next));
    const row = this.store.viewRow(this.displayToView(d));
    this.selectedKey = row.entry.key;
    this.revealDisplayIndex(d);
    const top = this.scroller.scrollTop;
    const atEdge = this.newestFirst ? top <= 1 : top >= this.maxScroll() - 1;
    if (atEdge !== this.follow) {
      this.follow = atEdge;
      this.events.onFollowChange(atEdge);
    }
    this.render();
    this.events.onSelect(this.selectedKey, false);
  }

  private revealDisplayIndex(d: number): void {
    const top = d * ROW_HEIGHT;
    const view = this.scroller.clientHeight;
    if (top < this.scroller.scrollTop) this.setScrollTop(top);
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + view) this.setScrollTop(top + ROW_HEIGHT - view);
  }

  /** Number of row elements currently in the DOM (for tests and the benchmark). */
  get domRowCount(): number {
    return this.pool.length;
  }
}

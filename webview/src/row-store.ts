// The rows the webview keeps: at most `cap` (oldest dropped first), plus the list of those
// that pass the current filter. Appending is O(batch); a filter change is one pass.
import type { ConsoleEntry } from '../../protocol/src/console-messages.js';
import { matches, NO_FILTER, isEmptyFilter, type Row, type RowFilter } from './filter.js';

/** A growable queue over an array with a moving head, compacted now and then. */
class Queue<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  at(i: number): T {
    return this.items[this.head + i]!;
  }
  push(v: T): void {
    this.items.push(v);
  }
  shift(n: number): void {
    // Release the dropped items now, not at the next compaction.
    for (let i = this.head; i < this.head + n && i < this.items.length; i++) (this.items as (T | undefined)[])[i] = undefined;
    this.head += n;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

export interface ViewChange {
  /** Rows that entered the filtered view at its newest end. */
  added: number;
  /** Rows that left the filtered view at its oldest end (cap reached). */
  removed: number;
}

export class RowStore {
  private readonly rows = new Queue<Row>();
  /** Absolute index of rows.at(0): grows as old rows are dropped. */
  private base = 0;
  /** Absolute indices of rows passing the filter, ascending. */
  private readonly view = new Queue<number>();
  private filter: RowFilter = NO_FILTER;
  /** Rows dropped from the webview because of the cap (history keeps them). */
  dropped = 0;
  private pendingChange: ViewChange = { added: 0, removed: 0 };

  constructor(public cap: number) {}

  get size(): number {
    return this.rows.length;
  }
  get viewLength(): number {
    return this.view.length;
  }
  get currentFilter(): RowFilter {
    return this.filter;
  }

  /** The i-th filtered row, oldest first. */
  viewRow(i: number): Row {
    return this.rows.at(this.view.at(i) - this.base);
  }

  /** Every row passing the filter, oldest first (for export). */
  filteredRows(): Row[] {
    const out: Row[] = new Array(this.view.length);
    for (let i = 0; i < this.view.length; i++) out[i] = this.viewRow(i);
    return out;
  }

  /** All rows kept, oldest first. */
  allRows(): Row[] {
    const out: Row[] = new Array(this.rows.length);
    for (let i = 0; i < this.rows.length; i++) out[i] = this.rows.at(i);
    return out;
  }

  lastKey(): number | null {
    return this.rows.length ? this.rows.at(this.rows.length - 1).entry.key : null;
  }

  append(entries: readonly ConsoleEntry[]): void {
    const all = isEmptyFilter(this.filter);
    for (const entry of entries) {
      const row: Row = { entry };
      const abs = this.base + this.rows.length;
      this.rows.push(row);
      if (all || matches(row, this.filter)) {
        this.view.push(abs);
        this.pendingChange.added += 1;
      }
    }
    this.enforceCap();
  }

  private enforceCap(): void {
    const over = this.rows.length - this.cap;
    if (over <= 0) return;
    this.rows.shift(over);
    this.base += over;
    this.dropped += over;
    let gone = 0;
    while (gone < this.view.length && this.view.at(gone) < this.base) gone++;
    if (gone) {
      this.view.shift(gone);
      this.pendingChange.removed += gone;
    }
  }

  setCap(cap: number): void {
    this.cap = Math.max(1, cap);
    this.enforceCap();
  }

  setFilter(f: RowFilter): void {
    this.filter = { ...f };
    this.view.clear();
    const all = isEmptyFilter(f);
    for (let i = 0; i < this.rows.length; i++) if (all || matches(this.rows.at(i), f)) this.view.push(this.base + i);
    this.pendingChange = { added: 0, removed: 0 };
  }

  clear(): void {
    this.rows.clear();
    this.view.clear();
    this.base = 0;
    this.dropped = 0;
    this.pendingChange = { added: 0, removed: 0 };
  }

  /** What changed in the filtered view since the last call (for scroll anchoring). */
  takeChange(): ViewChange {
    const c = this.pendingChange;
    this.pendingChange = { added: 0, removed: 0 };
    return c;
  }

  /** Position in the filtered view of the row with this key, or -1. */
  indexOfKey(key: number): number {
    let lo = 0;
    let hi = this.view.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = this.viewRow(mid).entry.key;
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

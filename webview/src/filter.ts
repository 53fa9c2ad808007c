// Which rows the table shows: monitor, task, type, status and free text.
import type { ConsoleEntry } from '../../protocol/src/console-messages.js';
import { summarize, gapSummary } from './summary.js';

export const STATUS_FILTERS = ['', 'up', 'degraded', 'down', 'problems', 'gaps', 'backfilled'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface RowFilter {
  monitor: string;
  task: string;
  type: string;
  status: string;
  text: string;
}

export const NO_FILTER: RowFilter = { monitor: '', task: '', type: '', status: '', text: '' };

/** A row of the table plus its lazily computed one-line summary. */
export interface Row {
  entry: ConsoleEntry;
  summary?: string;
  hay?: string;
}

export function rowSummary(row: Row): string {
  if (row.summary === undefined) {
    row.summary = row.entry.kind === 'result' ? summarize(row.entry.result) : gapSummary(row.entry.gap);
  }
  return row.summary;
}

function haystack(row: Row): string {
  if (row.hay === undefined) {
    const e = row.entry;
    row.hay = (
      e.kind === 'result'
        ? [e.result.monitorId, e.result.taskId, e.result.type, e.result.target, e.result.status, rowSummary(row), e.backfilled ? 'backfilled' : '']
        : [e.monitorId, 'gap lost', rowSummary(row)]
    )
      .join('\u0001')
      .toLowerCase();
  }
  return row.hay;
}

export function isEmptyFilter(f: RowFilter): boolean {
  return !f.monitor && !f.task && !f.type && !f.status && !f.text.trim();
}

export function rowMonitor(e: ConsoleEntry): string {
  return e.kind === 'result' ? e.result.monitorId : e.monitorId;
}

/**
 * Gap records belong to a monitor, not a task or type: they stay visible under monitor,
 * task and type filters so a user looking at one task still sees that data went missing.
 */
export function matches(row: Row, f: RowFilter): boolean {
  const e = row.entry;
  if (f.monitor && rowMonitor(e) !== f.monitor) return false;
  if (e.kind === 'result') {
    const r = e.result;
    if (f.task && r.taskId !== f.task) return false;
    if (f.type && r.type !== f.type) return false;
    switch (f.status) {
      case '':
        break;
      case 'problems':
        if (r.status === 'up') return false;
        break;
      case 'gaps':
        return false;
      case 'backfilled':
        if (!e.backfilled) return false;
        break;
      default:
        if (r.status !== f.status) return false;
    }
  } else if (f.status && f.status !== 'gaps' && f.status !== 'problems') {
    return false;
  }
  const text = f.text.trim().toLowerCase();
  if (text) {
    const hay = haystack(row);
    for (const word of text.split(/\s+/)) if (!hay.includes(word)) return false;
  }
  return true;
}

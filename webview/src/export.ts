// CSV and JSON exports of the rows the current filter shows, oldest first.
import { rowSummary, type Row } from './filter.js';

export const CSV_COLUMNS = ['kind', 'ts', 'monitorId', 'taskId', 'type', 'target', 'seq', 'status', 'latencyMs', 'error', 'backfilled', 'summary', 'details'] as const;

/** RFC 4180 quoting; text that a spreadsheet would run as a formula gets a leading `'`. */
export function csvField(value: unknown, isText = true): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (isText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(row: Row): string {
  const e = row.entry;
  if (e.kind === 'result') {
    const r = e.result;
    return [
      csvField('result'),
      csvField(r.ts),
      csvField(r.monitorId),
      csvField(r.taskId),
      csvField(r.type),
      csvField(r.target),
      csvField(r.seq, false),
      csvField(r.status),
      csvField(r.latencyMs, false),
      csvField(r.error),
      csvField(e.backfilled ? 'true' : 'false'),
      csvField(rowSummary(row)),
      csvField(JSON.stringify(r.details)),
    ].join(',');
  }
  const g = e.gap;
  return [
    csvField('gap'),
    csvField(g.fromTs),
    csvField(e.monitorId),
    '',
    '',
    '',
    csvField(`${g.fromSeq}-${g.toSeq}`),
    '',
    '',
    '',
    '',
    csvField(rowSummary(row)),
    csvField(JSON.stringify(g)),
  ].join(',');
}

export function toCsv(rows: readonly Row[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(csvLine(row));
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(rows: readonly Row[]): string {
  const items = rows.map((row) => {
    const e = row.entry;
    return e.kind === 'result' ? { kind: 'result', backfilled: e.backfilled, ...e.result } : { kind: 'gap', monitorId: e.monitorId, ...e.gap };
  });
  return `${JSON.stringify(items, null, 1)}\n`;
}

export function exportFileName(format: 'csv' | 'json', now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `netcam-results-${stamp}.${format}`;
}

// The small UI state persisted with setState: filters, order, follow, chart selection.
import type { ChartRange, ConsoleUiState } from '../../protocol/src/console-messages.js';
import { CHART_RANGES } from '../../protocol/src/console-messages.js';

export const DEFAULT_UI_STATE: ConsoleUiState = {
  v: 1,
  monitor: '',
  task: '',
  type: '',
  status: '',
  text: '',
  newestFirst: true,
  follow: true,
  chartMonitor: '',
  chartTask: '',
  chartRange: '1h',
};

/** Reads a restored state defensively: anything odd falls back to the default. */
export function sanitizeUiState(raw: unknown): ConsoleUiState {
  const out = { ...DEFAULT_UI_STATE };
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  for (const k of ['monitor', 'task', 'type', 'status', 'text', 'chartMonitor', 'chartTask'] as const) {
    if (typeof r[k] === 'string' && (r[k] as string).length <= 512) out[k] = r[k] as string;
  }
  for (const k of ['newestFirst', 'follow'] as const) if (typeof r[k] === 'boolean') out[k] = r[k] as boolean;
  if (typeof r.chartRange === 'string' && Object.hasOwn(CHART_RANGES, r.chartRange)) out.chartRange = r.chartRange as ChartRange;
  return out;
}

// The one typed message union between the result console's host (extension/) and its
// webview (webview/), with run-time guards for both directions. The webview renders agent
// data, so the host treats everything it receives from it as untrusted input.
import type { Gap, Result } from './result.js';
import type { ChartBucket, UptimeFigures } from './console-series.js';
import { RESULT_STATUSES } from './result.js';

/** One row of the console. `key` is assigned by the host, strictly increasing. */
export interface ConsoleResultEntry {
  kind: 'result';
  key: number;
  result: Result;
  /** Delivered from the agent's buffer after the manager was away (late, not an outage). */
  backfilled: boolean;
}
export interface ConsoleGapEntry {
  kind: 'gap';
  key: number;
  monitorId: string;
  gap: Gap;
}
export type ConsoleEntry = ConsoleResultEntry | ConsoleGapEntry;

export interface ConsoleTaskInfo {
  id: string;
  type: string;
  name?: string;
  target?: string;
}
export interface ConsoleMonitorInfo {
  id: string;
  /** Link state as the manager reports it (e.g. `connected`, `reconnecting`), if known. */
  state?: string;
  tasks: ConsoleTaskInfo[];
}

/** Chart ranges offered by the console (ms). */
export const CHART_RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const;
export type ChartRange = keyof typeof CHART_RANGES;

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Largest export the host accepts from the webview (characters). */
export const MAX_EXPORT_CHARS = 256 * 1024 * 1024;

export const CONSOLE_COMMANDS = ['pause', 'resume', 'togglePause', 'clear', 'exportCsv', 'exportJson', 'focusFilter'] as const;
export type ConsoleCommand = (typeof CONSOLE_COMMANDS)[number];

// ---- host → webview ----
export interface SnapshotMessage {
  type: 'snapshot';
  /** True on the first chunk: the webview drops what it had. */
  reset: boolean;
  entries: ConsoleEntry[];
  /** False while more snapshot chunks follow. */
  done: boolean;
  /** Rows the webview keeps at most (older ones are dropped from view, not from history). */
  maxRows: number;
}
export interface EntriesMessage { type: 'entries'; entries: ConsoleEntry[] }
export interface MonitorsMessage { type: 'monitors'; monitors: ConsoleMonitorInfo[] }
export interface ChartDataMessage {
  type: 'chart';
  monitorId: string;
  taskId: string;
  range: ChartRange;
  bucketMs: number;
  buckets: ChartBucket[];
  uptime: UptimeFigures | null;
  /** Agent time (epoch ms) of the newest result the buckets include, so the webview adds
   *  only later live results and counts none twice. */
  historyUntil: number | null;
  /** Set when history could not be read; the chart then shows live data only. */
  error: string | null;
}
export interface UptimeMessage { type: 'uptime'; monitorId: string; taskId: string; uptime: UptimeFigures | null }
export interface ExportedMessage { type: 'exported'; format: ExportFormat; path: string | null; error: string | null }
/** A palette command mirrored into the webview (every toolbar action has one). */
export interface CommandMessage { type: 'command'; command: ConsoleCommand }
/** "Show in Console": narrow the rows to this monitor (and task) and chart that task. */
export interface FocusMessage { type: 'focus'; monitorId: string; taskId?: string }

export type HostToWebview =
  | SnapshotMessage
  | EntriesMessage
  | MonitorsMessage
  | ChartDataMessage
  | UptimeMessage
  | ExportedMessage
  | CommandMessage
  | FocusMessage;

// ---- webview → host ----
export interface ReadyMessage {
  type: 'ready';
  /** Highest entry key the webview still holds (after a hidden→visible switch), else null. */
  haveUpTo: number | null;
}
export interface ChartRequestMessage { type: 'chartRequest'; monitorId: string; taskId: string; range: ChartRange }
export interface UptimeRequestMessage { type: 'uptimeRequest'; monitorId: string; taskId: string }
export interface ExportMessage { type: 'export'; format: ExportFormat; suggestedName: string; content: string; rows: number }
export interface ClearMessage { type: 'clear' }
export interface LogMessage { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }

export type WebviewToHost = ReadyMessage | ChartRequestMessage | UptimeRequestMessage | ExportMessage | ClearMessage | LogMessage;

/** The small UI state the webview persists with `setState` (and the serializer restores). */
export interface ConsoleUiState {
  v: 1;
  monitor: string;
  task: string;
  type: string;
  status: string;
  text: string;
  newestFirst: boolean;
  follow: boolean;
  chartMonitor: string;
  chartTask: string;
  chartRange: ChartRange;
}

// ---- guards ----
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown) => v === null || isNum(v);
const isStrOrNull = (v: unknown, max = 4096) => v === null || isStr(v, max);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isId = (v: unknown): v is string => isStr(v, 256) && v.length > 0;
const isRange = (v: unknown): v is ChartRange => typeof v === 'string' && Object.hasOwn(CHART_RANGES, v);

function isResult(v: unknown): v is Result {
  return (
    isObj(v) &&
    isId(v.monitorId) &&
    isId(v.taskId) &&
    isStr(v.type, 32) &&
    isStr(v.target) &&
    isNum(v.seq) &&
    isStr(v.ts, 64) &&
    (RESULT_STATUSES as readonly unknown[]).includes(v.status) &&
    isNumOrNull(v.latencyMs) &&
    isStrOrNull(v.error, 65536) &&
    isObj(v.details)
  );
}

function isGap(v: unknown): v is Gap {
  return isObj(v) && isNum(v.fromSeq) && isNum(v.toSeq) && isNum(v.count) && isStr(v.reason) && isStr(v.fromTs, 64) && isStr(v.toTs, 64);
}

export function isConsoleEntry(v: unknown): v is ConsoleEntry {
  if (!isObj(v) || !isNum(v.key)) return false;
  if (v.kind === 'result') return isBool(v.backfilled) && isResult(v.result);
  if (v.kind === 'gap') return isId(v.monitorId) && isGap(v.gap);
  return false;
}

const isEntries = (v: unknown): v is ConsoleEntry[] => Array.isArray(v) && v.every(isConsoleEntry);

function isUptime(v: unknown): v is UptimeFigures | null {
  return v === null || (isObj(v) && isNumOrNull(v.h1) && isNumOrNull(v.h24) && isNumOrNull(v.d7));
}

function isBucket(v: unknown): v is ChartBucket {
  return (
    isObj(v) &&
    isNum(v.t) &&
    isNum(v.n) &&
    isNumOrNull(v.min) &&
    isNumOrNull(v.med) &&
    isNumOrNull(v.max) &&
    isNumOrNull(v.loss) &&
    isNum(v.up) &&
    isNum(v.degraded) &&
    isNum(v.down) &&
    isNum(v.lost)
  );
}

function isMonitorInfo(v: unknown): v is ConsoleMonitorInfo {
  return (
    isObj(v) &&
    isId(v.id) &&
    (v.state === undefined || isStr(v.state, 64)) &&
    Array.isArray(v.tasks) &&
    v.tasks.every((t) => isObj(t) && isId(t.id) && isStr(t.type, 32) && (t.name === undefined || isStr(t.name)) && (t.target === undefined || isStr(t.target)))
  );
}

/** Guard for messages the webview receives. */
export function isHostToWebview(v: unknown): v is HostToWebview {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'snapshot':
      return isBool(v.reset) && isBool(v.done) && isNum(v.maxRows) && isEntries(v.entries);
    case 'entries':
      return isEntries(v.entries);
    case 'monitors':
      return Array.isArray(v.monitors) && v.monitors.every(isMonitorInfo);
    case 'chart':
      return (
        isId(v.monitorId) &&
        isId(v.taskId) &&
        isRange(v.range) &&
        isNum(v.bucketMs) &&
        v.bucketMs > 0 &&
        Array.isArray(v.buckets) &&
        v.buckets.every(isBucket) &&
        isUptime(v.uptime) &&
        isNumOrNull(v.historyUntil) &&
        isStrOrNull(v.error)
      );
    case 'uptime':
      return isId(v.monitorId) && isId(v.taskId) && isUptime(v.uptime);
    case 'exported':
      return (EXPORT_FORMATS as readonly unknown[]).includes(v.format) && isStrOrNull(v.path) && isStrOrNull(v.error);
    case 'command':
      return (CONSOLE_COMMANDS as readonly unknown[]).includes(v.command);
    case 'focus':
      return isId(v.monitorId) && (v.taskId === undefined || isId(v.taskId));
    default:
      return false;
  }
}

/** Guard for messages the host receives from the webview (untrusted). */
export function isWebviewToHost(v: unknown): v is WebviewToHost {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready':
      return v.haveUpTo === null || (isNum(v.haveUpTo) && v.haveUpTo >= 0);
    case 'chartRequest':
      return isId(v.monitorId) && isId(v.taskId) && isRange(v.range);
    case 'uptimeRequest':
      return isId(v.monitorId) && isId(v.taskId);
    case 'export':
      return (
        (EXPORT_FORMATS as readonly unknown[]).includes(v.format) &&
        isStr(v.suggestedName, 200) &&
        // A file name only: no directories, no hidden files.
        /^[\w][\w .-]*$/.test(v.suggestedName) &&
        isStr(v.content, MAX_EXPORT_CHARS) &&
        isNum(v.rows) &&
        v.rows >= 0
      );
    case 'clear':
      return true;
    case 'log':
      return (v.level === 'info' || v.level === 'warn' || v.level === 'error') && isStr(v.message, 2000);
    default:
      return false;
  }
}

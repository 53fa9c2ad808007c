// What the console needs from the manager core, and the adapters that read its events
// defensively. The names match the manager (`onResult`, `onGap`, `history.query`,
// `history.uptime`, `getState`) so the extension passes the Manager in directly; the
// shapes of what they deliver are normalized here, so small differences (a listener that
// gets `(result, info)` or `{result, backfilled}`, an unsubscribe function or a
// Disposable, a Promise or a plain value) need no glue code.
import type { ConsoleMonitorInfo, ConsoleTaskInfo } from '../../../protocol/src/console-messages.js';
import { isConsoleEntry } from '../../../protocol/src/console-messages.js';
import type { UptimeFigures } from '../../../protocol/src/console-series.js';
import type { Gap, Result } from '../../../protocol/src/result.js';

export interface ConsoleHistoryQuery {
  monitorId?: string;
  taskId?: string;
  /** Agent time, ISO 8601 (what results carry in `ts`). */
  from?: string | number;
  to?: string | number;
  limit?: number;
}

export interface ConsoleDataSource {
  /** Live results; the listener may receive `(result, info?)` or `({result, backfilled})`. */
  onResult(listener: (first: unknown, second?: unknown) => void): unknown;
  /** Gap records; `(monitorId, gap)`, `({monitorId, gap})` or `({monitorId, ...gap})`. */
  onGap(listener: (first: unknown, second?: unknown) => void): unknown;
  history?: {
    query(q: ConsoleHistoryQuery): unknown;
    /** Gap records of a monitor (the manager's HistoryStore keeps them apart from results). */
    gaps?(q: ConsoleHistoryQuery): unknown;
    /** Percentages 0–100 (or null) for the last hour, day and week. */
    uptime?(monitorId: string, taskId: string): unknown;
  };
  getState?(): unknown;
  /** Link/task-list changes of a monitor (the Manager's `onMonitorState`). */
  onMonitorState?(listener: (...args: unknown[]) => void): unknown;
  /** The config store: `onDidChange` fires when monitors or tasks are added, edited or removed. */
  config?: { onDidChange?(listener: (...args: unknown[]) => void): unknown };
}

export interface NormalizedResult {
  result: Result;
  /** undefined when the source did not say. */
  backfilled: boolean | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isResultLike(v: unknown): v is Result {
  return isConsoleEntry({ kind: 'result', key: 0, backfilled: false, result: v });
}

function isGapLike(v: unknown): v is Gap {
  return isConsoleEntry({ kind: 'gap', key: 0, monitorId: 'x', gap: v });
}

function backfilledFlag(...candidates: unknown[]): boolean | undefined {
  for (const c of candidates) {
    if (!isObj(c)) continue;
    if (typeof c.backfilled === 'boolean') return c.backfilled;
    if (typeof c.backlog === 'boolean') return c.backlog;
    if (typeof c.live === 'boolean') return !c.live;
  }
  return undefined;
}

/** Strips extra fields a source may add, so the webview gets exactly a Result. */
function cleanResult(r: Result): Result {
  const { monitorId, taskId, type, target, seq, ts, status, latencyMs, error, details } = r;
  return { monitorId, taskId, type, target, seq, ts, status, latencyMs, error, details };
}

export function normalizeResultEvent(first: unknown, second?: unknown): NormalizedResult | null {
  if (isResultLike(first)) return { result: cleanResult(first), backfilled: backfilledFlag(second, first) };
  if (isObj(first) && isResultLike(first.result)) return { result: cleanResult(first.result), backfilled: backfilledFlag(first, second, first.result) };
  return null;
}

export function normalizeGapEvent(first: unknown, second?: unknown): { monitorId: string; gap: Gap } | null {
  const pick = (g: Obj): Gap => ({
    fromSeq: g.fromSeq as number,
    toSeq: g.toSeq as number,
    count: g.count as number,
    reason: g.reason as string,
    fromTs: g.fromTs as string,
    toTs: g.toTs as string,
  });
  if (typeof first === 'string' && isGapLike(second)) return { monitorId: first, gap: pick(second as unknown as Obj) };
  if (isObj(first) && typeof first.monitorId === 'string') {
    if (isGapLike(first.gap)) return { monitorId: first.monitorId, gap: pick(first.gap as unknown as Obj) };
    const g = pick(first);
    if (isGapLike(g)) return { monitorId: first.monitorId, gap: g };
  }
  if (isGapLike(first) && typeof second === 'string') return { monitorId: second, gap: pick(first as unknown as Obj) };
  return null;
}

/** Turns whatever a subscription returned into an unsubscribe function. */
export function toUnsubscribe(handle: unknown): () => void {
  if (typeof handle === 'function') return () => void (handle as () => unknown)();
  if (isObj(handle) && typeof handle.dispose === 'function') return () => void (handle.dispose as () => unknown).call(handle);
  return () => {};
}

/** Fallback only: results older than this on arrival count as backfilled when the source
 *  gives no flag (the Manager does: `onResult(r, { backfilled })`). */
export const BACKFILL_AGE_MS = 120_000;

export function inferBackfilled(r: Result, arrivalMs: number): boolean {
  const t = Date.parse(r.ts);
  return Number.isFinite(t) && arrivalMs - t > BACKFILL_AGE_MS;
}

export interface ConsoleSink {
  result(result: Result, backfilled: boolean): void;
  gap(monitorId: string, gap: Gap): void;
  /** A malformed event (logged once per kind by the caller). */
  bad(what: string): void;
}

/** Subscribes the sink to the source; returns the unsubscribe function. */
export function subscribe(source: ConsoleDataSource, sink: ConsoleSink): () => void {
  const offResult = toUnsubscribe(
    source.onResult((first, second) => {
      const n = normalizeResultEvent(first, second);
      if (!n) return sink.bad('result');
      sink.result(n.result, n.backfilled ?? inferBackfilled(n.result, Date.now()));
    }),
  );
  const offGap = toUnsubscribe(
    source.onGap((first, second) => {
      const n = normalizeGapEvent(first, second);
      if (!n) return sink.bad('gap');
      sink.gap(n.monitorId, n.gap);
    }),
  );
  return () => {
    offResult();
    offGap();
  };
}

/** Calls `changed` whenever the monitor list may have changed (link state or config); returns the unsubscribe function. */
export function watchMonitorChanges(source: ConsoleDataSource, changed: () => void): () => void {
  const offs: (() => void)[] = [];
  if (typeof source.onMonitorState === 'function') offs.push(toUnsubscribe(source.onMonitorState(() => changed())));
  // Deferred: the manager applies a config change in its own listener, which may run after
  // this one; reading the state a microtask later sees the new monitors and tasks.
  if (source.config && typeof source.config.onDidChange === 'function') offs.push(toUnsubscribe(source.config.onDidChange(() => queueMicrotask(changed))));
  return () => {
    for (const off of offs) off();
  };
}

/** Reads monitors and their tasks from `getState()`, whatever its exact shape. */
export function monitorsFromState(state: unknown): ConsoleMonitorInfo[] {
  let list: unknown[] = [];
  if (Array.isArray(state)) list = state;
  else if (state instanceof Map) list = [...state.values()];
  else if (isObj(state)) {
    const m = state.monitors;
    if (Array.isArray(m)) list = m;
    else if (m instanceof Map) list = [...m.values()];
    else if (isObj(m)) list = Object.entries(m).map(([id, v]) => (isObj(v) ? { id, ...v } : { id }));
  }
  const out: ConsoleMonitorInfo[] = [];
  for (const raw of list) {
    if (!isObj(raw)) continue;
    const cfg = isObj(raw.config) ? raw.config : {};
    const id = [raw.id, raw.monitorId, cfg.id].find((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 256);
    if (!id) continue;
    const stateText = [raw.link, raw.state, raw.status, raw.linkState, isObj(raw.link) ? raw.link.state : undefined].find((v): v is string => typeof v === 'string');
    const rawTasks = Array.isArray(raw.tasks) ? raw.tasks : Array.isArray(cfg.tasks) ? cfg.tasks : [];
    const tasks: ConsoleTaskInfo[] = [];
    for (const t of rawTasks) {
      if (!isObj(t)) continue;
      const task = isObj(t.task) ? { ...t.task, ...t } : t;
      if (typeof task.id !== 'string' || !task.id || typeof task.type !== 'string') continue;
      const info: ConsoleTaskInfo = { id: task.id.slice(0, 256), type: task.type.slice(0, 32) };
      if (typeof task.name === 'string') info.name = task.name.slice(0, 200);
      const target = [task.target, task.url, task.host, task.server].find((v): v is string => typeof v === 'string');
      if (target) info.target = target.slice(0, 1000);
      tasks.push(info);
    }
    const info: ConsoleMonitorInfo = { id, tasks };
    if (stateText) info.state = stateText.slice(0, 64);
    out.push(info);
  }
  return out;
}

/** Reads uptime as percentages 0–100 (the manager's unit); also `{up,total}` or `{ratio}`. */
export function normalizeUptime(v: unknown): UptimeFigures | null {
  if (!isObj(v)) return null;
  const read = (x: unknown): number | null => {
    if (typeof x === 'number' && Number.isFinite(x)) return Math.max(0, Math.min(100, x));
    if (isObj(x)) {
      if (typeof x.percent === 'number') return read(x.percent);
      if (typeof x.ratio === 'number') return read(x.ratio * 100);
      if (typeof x.up === 'number' && typeof x.total === 'number') return x.total > 0 ? read((100 * x.up) / x.total) : null;
    }
    return null;
  };
  return { h1: read(v.h1 ?? v['1h']), h24: read(v.h24 ?? v['24h']), d7: read(v.d7 ?? v['7d']) };
}

/** Reads a history query's answer: an array, or `{items|results: [...]}`. */
export function historyItems(v: unknown): { results: Result[]; gaps: { monitorId: string; gap: Gap }[] } {
  const list = Array.isArray(v) ? v : isObj(v) && Array.isArray(v.items) ? v.items : isObj(v) && Array.isArray(v.results) ? v.results : [];
  const results: Result[] = [];
  const gaps: { monitorId: string; gap: Gap }[] = [];
  for (const item of list) {
    const r = normalizeResultEvent(item);
    if (r) {
      results.push(r.result);
      continue;
    }
    const g = normalizeGapEvent(item);
    if (g) gaps.push(g);
  }
  return { results, gaps };
}

/** Awaits a value or promise with a deadline. */
export async function withTimeout<T>(value: T | PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve(value),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

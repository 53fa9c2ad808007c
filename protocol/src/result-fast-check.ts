// A hand-written validator for `results` messages, the manager's hot path (up to 1000 results
// per message, tens of thousands per second during a backlog replay). It accepts only what the
// generic interpreter (schema-lang.ts `check` with `resultSchema`) accepts and returns the same
// copy; anything it does not accept goes to the generic interpreter, which then reports the
// issues, so error messages are the interpreter's own. protocol/test/result-fast-check.test.ts
// checks the equivalence with random valid and mutated results.
import { ID_PATTERN, TASK_TYPES } from './config-schema.js';
import { RESULT_STATUSES, type Result } from './result.js';

export const ISO_TS_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';
/** maxLength of a result's `target` and `error`, and of any ISO timestamp. */
export const RESULT_TEXT_MAX = 2048;
export const ISO_TS_MAX = 40;

// The same flags as schema-lang's compiledPattern, so both match the same strings.
const idRe = new RegExp(ID_PATTERN, 'u');
const isoTsRe = new RegExp(ISO_TS_PATTERN, 'u');
const taskTypes = new Set<unknown>(TASK_TYPES);
const statuses = new Set<unknown>(RESULT_STATUSES);
const RESULT_KEYS = new Set(['monitorId', 'taskId', 'type', 'target', 'seq', 'ts', 'status', 'latencyMs', 'error', 'details']);

/** schema-lang counts maxLength in code points; UTF-16 length is an upper bound of that. */
function withinLength(s: string, max: number): boolean {
  return s.length <= max || [...s].length <= max;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A copy of `v` (keys in input order, `details` shared as the interpreter does) if it is a valid Result. */
export function fastCheckResult(v: unknown): Result | undefined {
  if (!isPlainObject(v)) return undefined;
  const keys = Object.keys(v);
  // Exactly the ten required keys: none missing, none unknown.
  if (keys.length !== RESULT_KEYS.size) return undefined;
  for (let i = 0; i < keys.length; i += 1) if (!RESULT_KEYS.has(keys[i])) return undefined;
  const { monitorId, taskId, type, target, seq, ts, status, latencyMs, error, details } = v;
  if (typeof monitorId !== 'string' || !idRe.test(monitorId)) return undefined;
  if (typeof taskId !== 'string' || !idRe.test(taskId)) return undefined;
  if (!taskTypes.has(type) || !statuses.has(status)) return undefined;
  if (typeof target !== 'string' || !withinLength(target, RESULT_TEXT_MAX)) return undefined;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1 || seq > Number.MAX_SAFE_INTEGER) return undefined;
  if (typeof ts !== 'string' || !withinLength(ts, ISO_TS_MAX) || !isoTsRe.test(ts)) return undefined;
  if (latencyMs !== null && (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0)) return undefined;
  if (error !== null && (typeof error !== 'string' || !withinLength(error, RESULT_TEXT_MAX))) return undefined;
  if (!isPlainObject(details)) return undefined;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i += 1) out[keys[i]] = v[keys[i]]; // only the ten known names: no __proto__
  return out as unknown as Result;
}

/**
 * The validated copy of a `results` message if it is valid, else undefined (the caller then
 * runs the generic interpreter for the issues).
 */
export function fastCheckResultsMessage(data: Record<string, unknown>, maxItems: number): { type: 'results'; items: Result[] } | undefined {
  const keys = Object.keys(data);
  const envelope = keys.length === 2 && ((keys[0] === 'type' && keys[1] === 'items') || (keys[0] === 'items' && keys[1] === 'type'));
  if (!envelope || data.type !== 'results') return undefined;
  const items = data.items;
  if (!Array.isArray(items) || items.length < 1 || items.length > maxItems) return undefined;
  const copies = new Array<Result>(items.length);
  for (let i = 0; i < items.length; i += 1) {
    const copy = fastCheckResult(items[i]);
    if (!copy) return undefined;
    copies[i] = copy;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = key === 'items' ? copies : 'results';
  return out as { type: 'results'; items: Result[] };
}

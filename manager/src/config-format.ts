// Writes netcam.json the way a person would: a fixed key order (id, name, type, the
// type's own fields in schema order, then the scheduling fields), 2-space indent, a
// final newline. Equal configs always produce byte-equal files, so diffs stay small.
import { taskSchemas, type NetcamConfig, type TaskType } from '../../protocol/src/index.js';

const CONFIG_KEYS = ['$schema', 'version', 'monitors'];
const MONITOR_KEYS = ['id', 'name', 'host', 'port', 'tasks'];
const TASK_HEAD = ['id', 'name', 'type'];
const TASK_TAIL = ['interval', 'timeout', 'degradedAboveMs', 'downAfter'];

function taskKeyOrder(type: unknown): string[] {
  const schema = taskSchemas[type as TaskType];
  const own = schema ? Object.keys(schema.properties ?? {}).filter((k) => !TASK_HEAD.includes(k) && !TASK_TAIL.includes(k)) : [];
  return [...TASK_HEAD, ...own, ...TASK_TAIL];
}

/** Copy of `obj` with `order` keys first (in that order), then any others sorted. */
function ordered(obj: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rest = Object.keys(obj).filter((k) => !order.includes(k)).sort();
  for (const key of [...order, ...rest]) {
    if (Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined) {
      Object.defineProperty(out, key, { value: obj[key], enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Orders a raw (not necessarily valid) config document. */
export function orderConfig(doc: unknown): unknown {
  if (!isObject(doc)) return doc;
  const top = ordered(doc, CONFIG_KEYS);
  if (Array.isArray(top.monitors)) {
    top.monitors = top.monitors.map((m) => {
      if (!isObject(m)) return m;
      const monitor = ordered(m, MONITOR_KEYS);
      if (Array.isArray(monitor.tasks)) {
        monitor.tasks = monitor.tasks.map((t) => (isObject(t) ? ordered(t, taskKeyOrder(t.type)) : t));
      }
      return monitor;
    });
  }
  return top;
}

export function formatConfig(doc: NetcamConfig | unknown): string {
  return `${JSON.stringify(orderConfig(doc), null, 2)}\n`;
}

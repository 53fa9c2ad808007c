// What the guided "Create Monitor Config" flow asks for each task type, derived from the
// protocol's schema so the defaults and limits are the ones the agent applies. Validation
// runs the protocol's own checkTask on the task built so far, so the wizard can never
// accept something the agent would reject.
import { checkTask, formatIssue, monitorSchema, taskSchemas, TASK_TYPES, type Schema, type TaskType } from '../../../protocol/src/index.js';

export type FieldKind = 'text' | 'integer' | 'number' | 'boolean' | 'enum' | 'enumList';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
  description: string;
  default?: unknown;
  options?: readonly string[];
}

export const TASK_DESCRIPTIONS: Record<TaskType, string> = {
  icmp: 'Ping: loss and round-trip times (ICMP echo)',
  traceroute: 'Path to a host, hop by hop, with per-hop RTT',
  http: 'HTTP request: status, body keyword, per-phase timings',
  https: 'HTTPS request: as http, plus certificate and TLS facts',
  ntp: 'NTP server: clock offset, delay, stratum',
  dns: 'DNS query to a given server, per record type',
  tcp: 'TCP port: connect time, optional send/expect banner',
  udp: 'UDP port: open, closed or open|filtered',
  echo: 'Echo service: sends text, checks the reply byte for byte',
};

/** Fields the wizard skips: advanced ones stay editable in netcam.json. */
const SKIPPED = new Set(['type', 'id', 'name', 'headers', 'degradedAboveMs', 'downAfter']);
/** Asked last, after the type's own parameters (interval before timeout: timeout < interval). */
const COMMON_LAST = ['interval', 'timeout'];

function kindOf(s: Schema): FieldKind {
  if (s.type === 'array') return 'enumList';
  if (s.enum) return 'enum';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'integer') return 'integer';
  if (s.type === 'number') return 'number';
  return 'text';
}

function describe(s: Schema): string {
  return (s.markdownDescription ?? s.description ?? '').replace(/`/g, '');
}

export function taskFields(type: TaskType): FieldSpec[] {
  const schema = taskSchemas[type];
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = Object.keys(props).filter((n) => !SKIPPED.has(n) && !COMMON_LAST.includes(n));
  return [...names, ...COMMON_LAST].map((name) => {
    const s = props[name];
    const kind = kindOf(s);
    const options = kind === 'enum' ? s.enum?.map(String) : kind === 'enumList' ? s.items?.enum?.map(String) : undefined;
    return { name, kind, required: required.has(name), description: describe(s), default: s.default, options };
  });
}

export { TASK_TYPES };

/** The text pre-filled in an input box for a field. */
export function defaultText(field: FieldSpec): string {
  if (field.default === undefined) return '';
  return Array.isArray(field.default) ? field.default.join(',') : String(field.default);
}

/** Converts what the user typed; `undefined` value means "leave the field out". */
export function parseFieldInput(field: FieldSpec, raw: string): { value?: unknown; error?: string } {
  const text = raw.trim();
  if (text === '') return field.required ? { error: `${field.name}: required` } : {};
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) return { error: `${field.name}: must be a number` };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { error: `${field.name}: must be a whole number` };
      return { value: n };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { error: `${field.name}: must be true or false` };
    case 'enumList':
      return { value: text.split(',').map((s) => s.trim()).filter(Boolean) };
    default:
      // Text fields keep what was typed (spaces may matter in `send`/`expect`).
      return { value: field.name === 'host' || field.name === 'server' || field.name === 'url' || field.name === 'query' ? text : raw };
  }
}

/**
 * Validates `value` for `field` in the context of the task built so far. Only issues about
 * this field count: fields not asked yet are missing, which is not the user's mistake now.
 */
export function validateField(type: TaskType, sofar: Record<string, unknown>, field: FieldSpec, raw: string): string | undefined {
  const parsed = parseFieldInput(field, raw);
  if (parsed.error) return parsed.error;
  if (parsed.value === undefined) return undefined;
  const candidate = { ...sofar, type, [field.name]: parsed.value };
  const r = checkTask(candidate, 'task');
  if (r.ok) return undefined;
  const prefix = `task.${field.name}`;
  const mine = r.issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}[`) || i.path.startsWith(`${prefix}.`));
  return mine.length ? formatIssue({ ...mine[0], path: mine[0].path.replace(/^task\./, '') }) : undefined;
}

const hostSchema = monitorSchema.properties!.host;
const idPattern = new RegExp(monitorSchema.properties!.id.pattern!, 'u');

export function validateMonitorHost(raw: string): string | undefined {
  const text = raw.trim();
  if (!text) return 'host: required (the address the agent listens on)';
  if (!new RegExp(hostSchema.pattern!, 'u').test(text)) return `host: ${hostSchema.errorMessage}`;
  return undefined;
}

export function validatePort(raw: string): string | undefined {
  const n = Number(raw.trim());
  if (!raw.trim() || !Number.isInteger(n) || n < 1 || n > 65535) return 'port: must be a whole number from 1 to 65535';
  return undefined;
}

export function validateMonitorId(raw: string, existing: readonly string[]): string | undefined {
  const text = raw.trim();
  if (!idPattern.test(text)) return `id: ${monitorSchema.properties!.id.errorMessage}`;
  if (existing.includes(text)) return `id: a monitor with id "${text}" already exists`;
  return undefined;
}

/** A free monitor id suggested from the host: "web-01.example.test" → "web-01". */
export function suggestMonitorId(host: string, existing: readonly string[]): string {
  const first = host.trim().replace(/^\[|\]$/g, '');
  let base = /^[\d.]+$/.test(first) || first.includes(':') ? first.replace(/[^A-Za-z0-9]+/g, '-') : first.split('.')[0];
  base = base.replace(/[^A-Za-z0-9._:@-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'monitor';
  if (!existing.includes(base)) return base;
  for (let n = 2; ; n++) if (!existing.includes(`${base}-${n}`)) return `${base}-${n}`;
}

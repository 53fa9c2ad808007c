// Converts the Python NetCam's configs.json into netcam.json. Legacy shape:
//   { "<IP>:<Port>": { "IP": str, "Port": int, "Services": { "<Name>": { params..., "frequency": n } } } }
// with the nine service names Ping, Tracert, HTTP, HTTPS, NTP, DNS, TCP, UDP, Echo.
// Everything that cannot be mapped is reported in `notes`, never silently dropped.
import { checkConfig, checkTask, DNS_RECORD_TYPES, formatIssue, type NetcamConfig } from '../../protocol/src/index.js';

export interface LegacyConversion {
  /** The new document (only fields that were set; defaults stay implicit). */
  config: NetcamConfig;
  /** One line per thing that was dropped, renamed or could not be mapped. */
  notes: string[];
  monitors: number;
  tasks: number;
}

type Raw = Record<string, unknown>;
type Mapper = (params: Raw, take: (key: string) => unknown, note: (msg: string) => void) => Raw;

const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Legacy numbers were sometimes typed in as strings. */
function num(v: unknown): unknown {
  return typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
}

function recordTypes(v: unknown, note: (m: string) => void): string[] | undefined {
  let list: unknown[];
  if (v === undefined) return undefined;
  if (typeof v === 'string') list = v.split(/[\s,]+/).filter(Boolean);
  else if (Array.isArray(v)) list = v;
  else if (isObject(v)) list = Object.keys(v).filter((k) => v[k]);
  else list = [v];
  const known = new Set<string>(DNS_RECORD_TYPES);
  const out: string[] = [];
  for (const item of list) {
    const t = typeof item === 'string' ? item.trim().toUpperCase() : undefined;
    if (t && known.has(t)) {
      if (!out.includes(t)) out.push(t);
    } else {
      note(`record type ${JSON.stringify(item)} is not supported (supported: ${DNS_RECORD_TYPES.join(', ')}); dropped`);
    }
  }
  if (!out.length) {
    note('no usable record types; using A');
    return ['A'];
  }
  return out;
}

const dropped = (key: string, why: string): Mapper => (_p, take, note) => {
  if (take(key) !== undefined) note(`"${key}" dropped: ${why}`);
  return {};
};

const SERVICES: Record<string, { type: string; id: string; map: Mapper[] }> = {
  ping: {
    type: 'icmp',
    id: 'ping',
    map: [
      (_p, take) => ({ host: take('host'), ttl: num(take('ttl')), timeout: num(take('timeout')) }),
      dropped('sequence_number', 'each echo request now gets its own sequence number'),
    ],
  },
  tracert: {
    type: 'traceroute',
    id: 'tracert',
    map: [
      (_p, take) => ({ host: take('host'), maxHops: num(take('max_hops')), probesPerHop: num(take('pings_per_hop')) }),
      dropped('verbose', 'every result now carries the full hop list'),
    ],
  },
  http: { type: 'http', id: 'http', map: [(_p, take) => ({ url: take('url'), timeout: num(take('timeout')) })] },
  https: { type: 'https', id: 'https', map: [(_p, take) => ({ url: take('url'), timeout: num(take('timeout')) })] },
  ntp: { type: 'ntp', id: 'ntp', map: [(_p, take) => ({ server: take('server') ?? take('ntp_server'), timeout: num(take('timeout')) })] },
  dns: {
    type: 'dns',
    id: 'dns',
    map: [
      (_p, take, note) => ({
        server: take('server') ?? take('dns_server'),
        query: take('query'),
        recordTypes: recordTypes(take('record_types') ?? take('record_type'), note),
        timeout: num(take('timeout')),
      }),
    ],
  },
  tcp: { type: 'tcp', id: 'tcp', map: [(_p, take) => ({ host: take('server') ?? take('host'), port: num(take('port')), timeout: num(take('timeout')) })] },
  udp: { type: 'udp', id: 'udp', map: [(_p, take) => ({ host: take('server') ?? take('host'), port: num(take('port')), timeout: num(take('timeout')) })] },
  echo: { type: 'echo', id: 'echo', map: [(_p, take) => ({ host: take('server') ?? take('host'), port: num(take('port')), timeout: num(take('timeout')) })] },
};

function convertService(monitorKey: string, name: string, params: unknown, notes: string[]): Raw | undefined {
  const where = `${monitorKey} / ${name}`;
  const service = SERVICES[name.toLowerCase()];
  if (!service) {
    notes.push(`${where}: unknown service "${name}" (known: Ping, Tracert, HTTP, HTTPS, NTP, DNS, TCP, UDP, Echo); not imported`);
    return undefined;
  }
  if (!isObject(params)) {
    notes.push(`${where}: parameters must be an object; not imported`);
    return undefined;
  }
  const used = new Set<string>();
  const take = (key: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, key)) return undefined;
    used.add(key);
    return params[key];
  };
  const note = (msg: string) => notes.push(`${where}: ${msg}`);
  const task: Raw = { id: service.id, type: service.type };
  for (const map of service.map) Object.assign(task, map(params, take, note));
  const frequency = num(take('frequency'));
  task.interval = frequency ?? 60; // the old tool's default
  for (const key of Object.keys(params)) if (!used.has(key)) note(`"${key}" has no equivalent; dropped`);
  for (const key of Object.keys(task)) if (task[key] === undefined) delete task[key];
  // The old tool had no "timeout below interval" rule; keep the task with a shorter timeout.
  if (typeof task.timeout === 'number' && typeof task.interval === 'number' && task.timeout >= task.interval && task.interval > 0) {
    const shorter = task.interval / 2;
    note(`timeout ${task.timeout} s is not below the interval ${task.interval} s; timeout set to ${shorter} s`);
    task.timeout = shorter;
  }
  let checked = checkTask(task, 'task');
  if (!checked.ok && checked.issues.every((i) => i.path === 'task.timeout') && typeof task.interval === 'number' && task.timeout === undefined) {
    // The type's default timeout is not below this (short) interval.
    task.timeout = task.interval / 2;
    note(`interval ${task.interval} s is shorter than the default timeout; timeout set to ${task.timeout} s`);
    checked = checkTask(task, 'task');
  }
  if (!checked.ok) {
    note(`cannot be imported: ${checked.issues.map(formatIssue).join('; ')}`);
    return undefined;
  }
  return task;
}

/** Converts the parsed legacy file. Throws only if the input is not an object of monitors. */
export function convertLegacyConfig(legacy: unknown): LegacyConversion {
  if (!isObject(legacy)) throw new Error('legacy config: must be an object keyed by "<IP>:<Port>"');
  const notes: string[] = [];
  const monitors: Raw[] = [];
  let tasks = 0;
  for (const [key, value] of Object.entries(legacy)) {
    if (!isObject(value)) {
      notes.push(`${key}: not an object; not imported`);
      continue;
    }
    const host = value.IP ?? value.ip ?? key.replace(/:\d+$/, '');
    const port = num(value.Port ?? value.port ?? key.match(/:(\d+)$/)?.[1]);
    const id = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/.test(key) ? key : `${host}:${port}`;
    for (const extra of Object.keys(value)) {
      if (!['IP', 'ip', 'Port', 'port', 'Services', 'services'].includes(extra)) notes.push(`${key}: "${extra}" has no equivalent; dropped`);
    }
    const services = value.Services ?? value.services ?? {};
    const converted: Raw[] = [];
    if (isObject(services)) {
      for (const [name, params] of Object.entries(services)) {
        const task = convertService(key, name, params, notes);
        if (task) converted.push(task);
      }
    } else {
      notes.push(`${key}: "Services" must be an object; no tasks imported`);
    }
    const monitor: Raw = { id, host, port, tasks: converted };
    const check = checkConfig({ version: 1, monitors: [monitor] });
    if (!check.ok) {
      notes.push(`${key}: cannot be imported: ${check.issues.map(formatIssue).join('; ')}`);
      continue;
    }
    monitors.push(monitor);
    tasks += converted.length;
  }
  return { config: { version: 1, monitors } as unknown as NetcamConfig, notes, monitors: monitors.length, tasks };
}

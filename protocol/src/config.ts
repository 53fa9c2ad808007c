// Types and run-time validation of tasks, monitors and `netcam.json`.
import { check, joinPath, ValidationError, type SchemaIssue } from './schema-lang.js';
import { configSchema, monitorSchema, taskSchema, TASK_TYPES, DNS_RECORD_TYPES, HTTP_METHODS } from './config-schema.js';

export type TaskType = (typeof TASK_TYPES)[number];
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];
export type HttpMethod = (typeof HTTP_METHODS)[number];

interface TaskCommon {
  id: string;
  name?: string;
  interval: number;
  timeout: number;
  degradedAboveMs?: number;
  downAfter: number;
}
export interface IcmpTask extends TaskCommon { type: 'icmp'; host: string; count: number; ttl: number; packetSize: number; ipVersion: 'auto' | '4' | '6' }
export interface TracerouteTask extends TaskCommon { type: 'traceroute'; host: string; maxHops: number; probesPerHop: number }
interface HttpCommon extends TaskCommon {
  url: string;
  method: HttpMethod;
  headers?: Record<string, string>;
  expectStatus: string;
  keyword?: string;
  invertKeyword: boolean;
  followRedirects: boolean;
  maxRedirects: number;
}
export interface HttpTask extends HttpCommon { type: 'http' }
export interface HttpsTask extends HttpCommon { type: 'https'; ignoreTlsErrors: boolean }
export interface NtpTask extends TaskCommon { type: 'ntp'; server: string; port: number; samples: number }
export interface DnsTask extends TaskCommon {
  type: 'dns'; server: string; port: number; query: string; recordTypes: DnsRecordType[]; transport: 'udp' | 'tcp'; expect?: string;
}
export interface TcpTask extends TaskCommon { type: 'tcp'; host: string; port: number; send?: string; expect?: string }
export interface UdpTask extends TaskCommon { type: 'udp'; host: string; port: number; payload: string; expect?: string }
export interface EchoTask extends TaskCommon { type: 'echo'; host: string; port: number; transport: 'tcp' | 'udp'; sentences: number }

export type Task = IcmpTask | TracerouteTask | HttpTask | HttpsTask | NtpTask | DnsTask | TcpTask | UdpTask | EchoTask;
export type TaskOf<T extends TaskType> = Extract<Task, { type: T }>;

export interface MonitorConfig {
  id: string;
  name?: string;
  host: string;
  port: number;
  tasks: Task[];
}

export interface NetcamConfig {
  $schema?: string;
  version: 1;
  monitors: MonitorConfig[];
}

/** What a task targets, as shown in results and the tree. */
export function taskTarget(task: Task): string {
  switch (task.type) {
    case 'icmp':
    case 'traceroute':
      return task.host;
    case 'http':
    case 'https':
      return task.url;
    case 'ntp':
    case 'dns':
      return `${task.server}:${task.port}`;
    case 'tcp':
    case 'udp':
    case 'echo':
      return `${hostForPort(task.host)}:${task.port}`;
  }
}

function hostForPort(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Rules JSON Schema cannot express: timeout below interval, ids unique. */
function crossFieldIssues(tasks: Task[], base: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const ids = new Map<string, number>();
  tasks.forEach((task, i) => {
    const at = joinPath(base, i);
    if (task.timeout >= task.interval) {
      issues.push({ path: joinPath(at, 'timeout'), message: `must be < interval (${task.interval})` });
    }
    const first = ids.get(task.id);
    if (first !== undefined) {
      issues.push({ path: joinPath(at, 'id'), message: `duplicates the id of ${joinPath(base, first)} ("${task.id}")` });
    } else {
      ids.set(task.id, i);
    }
  });
  return issues;
}

/** Gives every task without an id `<type>-<n>` (n counts tasks of that type, from 1). */
function assignTaskIds(tasks: Task[]): Task[] {
  const taken = new Set(tasks.map((t) => t.id).filter(Boolean));
  const counters = new Map<string, number>();
  return tasks.map((task) => {
    if (task.id) return task;
    let n = counters.get(task.type) ?? 0;
    let candidate: string;
    do {
      n += 1;
      candidate = `${task.type}-${n}`;
    } while (taken.has(candidate));
    counters.set(task.type, n);
    taken.add(candidate);
    return { ...task, id: candidate };
  });
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: SchemaIssue[] };

export function checkTasks(input: unknown, base = 'tasks'): Checked<Task[]> {
  const r = check({ type: 'array', items: taskSchema, maxItems: monitorSchema.properties!.tasks.maxItems }, input, base);
  if (r.issues.length) return { ok: false, issues: r.issues };
  const tasks = assignTaskIds(r.value as Task[]);
  const issues = crossFieldIssues(tasks, base);
  return issues.length ? { ok: false, issues } : { ok: true, value: tasks };
}

/** Validates one task and applies its defaults. */
export function checkTask(input: unknown, path = 'task'): Checked<Task> {
  const r = check(taskSchema, input, path);
  if (r.issues.length) return { ok: false, issues: r.issues };
  const [task] = assignTaskIds([r.value as Task]);
  const issues = crossFieldIssues([task], path).map((issue) => ({ ...issue, path: issue.path.replace(`${path}[0]`, path) }));
  return issues.length ? { ok: false, issues } : { ok: true, value: task };
}

export function checkConfig(input: unknown): Checked<NetcamConfig> {
  const r = check(configSchema, input, '');
  if (r.issues.length) return { ok: false, issues: r.issues };
  const config = r.value as NetcamConfig;
  const issues: SchemaIssue[] = [];
  const monitorIds = new Map<string, number>();
  config.monitors = config.monitors.map((monitor, i) => {
    const at = joinPath('monitors', i);
    const first = monitorIds.get(monitor.id);
    if (first !== undefined) issues.push({ path: joinPath(at, 'id'), message: `duplicates the id of monitors[${first}] ("${monitor.id}")` });
    else monitorIds.set(monitor.id, i);
    const tasks = assignTaskIds(monitor.tasks);
    issues.push(...crossFieldIssues(tasks, joinPath(at, 'tasks')));
    return { ...monitor, tasks };
  });
  return issues.length ? { ok: false, issues } : { ok: true, value: config };
}

/** Like checkConfig but throws a ValidationError whose message lists every issue. */
export function parseConfig(input: unknown): NetcamConfig {
  const r = checkConfig(input);
  if (!r.ok) throw new ValidationError(r.issues);
  return r.value;
}

export function parseTask(input: unknown): Task {
  const r = checkTask(input);
  if (!r.ok) throw new ValidationError(r.issues);
  return r.value;
}

/** Parses the text of a netcam.json; JSON syntax errors come back as issues too. */
export function checkConfigText(text: string): Checked<NetcamConfig> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [{ path: '(file)', message: `is not valid JSON: ${(err as Error).message}` }] };
  }
  return checkConfig(data);
}

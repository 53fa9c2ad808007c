// Turns the manager's FleetState into what the monitors tree shows: labels, descriptions,
// icons, context values, tooltips and stable ids. No vscode import: the tree provider
// maps these plain objects onto TreeItems, and the unit tests check them directly.
import type { Result, TaskType } from '../../../protocol/src/index.js';
import type { LinkState, MonitorState, TaskState, TaskStatus } from './fleet-state.js';
import { escapeMarkdown, formatAge, formatLatency } from './format.js';

export interface IconModel {
  /** Codicon id, e.g. `pulse` or `loading~spin`. */
  id: string;
  /** Theme colour id, e.g. `testing.iconPassed`; undefined keeps the default colour. */
  color?: string;
}

export interface NodeModel {
  kind: 'monitor' | 'task';
  /** Stable across refreshes (expansion state is keyed by it); never derived from status. */
  id: string;
  monitorId: string;
  taskId?: string;
  label: string;
  description: string;
  icon: IconModel;
  /** `monitor.<link>` or `task.<status>.<live|offline>` (menus' `when` clauses match it). */
  contextValue: string;
  accessibilityLabel: string;
  collapsible: boolean;
}

export const monitorNodeId = (monitorId: string): string => `monitor:${monitorId}`;
export const taskNodeId = (monitorId: string, taskId: string): string => `task:${monitorId}/${taskId}`;

const LINK_ICON: Record<LinkState, IconModel> = {
  idle: { id: 'vm-outline' },
  connecting: { id: 'loading~spin' },
  connected: { id: 'vm-active', color: 'testing.iconPassed' },
  backingOff: { id: 'debug-disconnect', color: 'list.warningForeground' },
  stopped: { id: 'vm-outline', color: 'disabledForeground' },
  error: { id: 'error', color: 'list.errorForeground' },
};

export const TASK_TYPE_ICON: Record<TaskType, string> = {
  icmp: 'pulse',
  traceroute: 'type-hierarchy-sub',
  http: 'globe',
  https: 'lock',
  ntp: 'watch',
  dns: 'symbol-namespace',
  tcp: 'plug',
  udp: 'broadcast',
  echo: 'mirror',
};

const STATUS_COLOR: Record<TaskStatus, string | undefined> = {
  up: 'testing.iconPassed',
  degraded: 'list.warningForeground',
  down: 'testing.iconFailed',
  stale: 'disabledForeground',
  unknown: undefined,
};

/** "connected", "connecting…", "retrying in 12 s", "stopped", "not collecting", "error: …". */
export function describeMonitorLink(m: Pick<MonitorState, 'link' | 'nextRetryAt' | 'lastError'>, now: number): string {
  switch (m.link) {
    case 'idle':
      return 'not collecting';
    case 'connecting':
      return 'connecting…';
    case 'connected':
      return 'connected';
    case 'backingOff': {
      if (m.nextRetryAt === undefined) return 'retrying';
      const s = Math.max(0, Math.ceil((m.nextRetryAt - now) / 1000));
      return s === 0 ? 'retrying now' : `retrying in ${s} s`;
    }
    case 'stopped':
      return 'stopped';
    case 'error':
      return m.lastError ? `error: ${m.lastError}` : 'error';
  }
}

/** Live = results can arrive now, so "Run Now" makes sense. */
export function isCollecting(link: LinkState): boolean {
  return link === 'connecting' || link === 'connected' || link === 'backingOff';
}

export function monitorNode(m: MonitorState, now: number): NodeModel {
  const link = describeMonitorLink(m, now);
  const counts = countStatuses(m.tasks);
  const summary = m.link === 'connected' && m.tasks.length ? ` · ${summarizeCounts(counts)}` : '';
  const label = m.name ? `${m.name}` : m.id;
  return {
    kind: 'monitor',
    id: monitorNodeId(m.id),
    monitorId: m.id,
    label,
    description: `${link}${summary}`,
    icon: LINK_ICON[m.link],
    contextValue: `monitor.${m.link}`,
    accessibilityLabel: `monitor ${label} at ${m.host} port ${m.port}, ${link}, ${m.tasks.length} tasks`,
    collapsible: m.tasks.length > 0,
  };
}

export function taskNode(m: MonitorState, t: TaskState, now: number): NodeModel {
  const label = t.name ?? t.id;
  // Not collecting: the status is only what was last seen, shown dimmed.
  const live = m.link === 'connected';
  const shownStatus = live || !t.last ? t.status : `last ${t.status}`;
  const parts = [t.target, shownStatus];
  const latency = t.last && t.status !== 'down' && t.status !== 'stale' ? formatLatency(t.last.latencyMs) : '';
  if (latency) parts.push(latency);
  const age = t.last ? formatAge(now - Date.parse(t.last.ts)) : 'no result yet';
  return {
    kind: 'task',
    id: taskNodeId(m.id, t.id),
    monitorId: m.id,
    taskId: t.id,
    label,
    description: parts.join(' · '),
    icon: { id: TASK_TYPE_ICON[t.type] ?? 'circle-outline', color: live || !t.last ? STATUS_COLOR[t.status] : 'disabledForeground' },
    contextValue: `task.${t.status}.${live ? 'live' : 'offline'}`,
    accessibilityLabel: `${t.type} task ${label} to ${t.target}, ${shownStatus}${latency ? `, ${latency}` : ''}, last result ${age}`,
    collapsible: false,
  };
}

export function countStatuses(tasks: readonly TaskState[]): Record<TaskStatus, number> {
  const counts: Record<TaskStatus, number> = { down: 0, degraded: 0, stale: 0, unknown: 0, up: 0 };
  for (const t of tasks) counts[t.status] += 1;
  return counts;
}

/** Worst first: "1 down 2 degraded 7 up". */
export const STATUS_ORDER: TaskStatus[] = ['down', 'degraded', 'stale', 'unknown', 'up'];
export function summarizeCounts(counts: Record<TaskStatus, number>): string {
  return STATUS_ORDER.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(' ');
}

/** Markdown tooltip of a monitor. */
export function monitorTooltip(m: MonitorState, now: number): string {
  const lines = [`**${escapeMarkdown(m.name ?? m.id)}** — \`${m.host}:${m.port}\``, '', `Link: ${escapeMarkdown(describeMonitorLink(m, now))}`];
  if (m.lastHeardAt !== undefined && m.link === 'connected') lines.push(`Last heard from: ${formatAge(now - m.lastHeardAt)}`);
  if (m.lastError && m.link !== 'error') lines.push(`Last error: ${escapeMarkdown(m.lastError)}`);
  if (m.tasks.length) lines.push(`Tasks: ${summarizeCounts(countStatuses(m.tasks))}`);
  return lines.join('  \n');
}

/** Markdown tooltip of a task: its last result's details and age. */
export function taskTooltip(m: MonitorState, t: TaskState, now: number): string {
  const lines = [`**${escapeMarkdown(t.name ?? t.id)}** (${t.type}) → \`${t.target}\``, '', `Status: **${t.status}**`];
  const r = t.last;
  if (!r) {
    lines.push('No result yet.');
    return lines.join('  \n');
  }
  lines.push(`Last result: ${r.status}, ${formatAge(now - Date.parse(r.ts))} (${r.ts}, seq ${r.seq})`);
  if (r.latencyMs !== null) lines.push(`Latency: ${formatLatency(r.latencyMs)}`);
  if (r.error) lines.push(`Error: ${escapeMarkdown(r.error)}`);
  const details = detailLines(r);
  if (details.length) lines.push('', ...details);
  void m;
  return lines.join('  \n');
}

/** One line per details field; nested values as compact JSON, capped. */
export function detailLines(r: Pick<Result, 'details'>, maxLines = 14): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(r.details ?? {})) {
    if (out.length >= maxLines) {
      out.push('…');
      break;
    }
    let text = value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (text.length > 120) text = `${text.slice(0, 117)}…`;
    out.push(`${escapeMarkdown(key)}: \`${text.replace(/`/g, "'")}\``);
  }
  return out;
}

/** The soonest moment a description changes by itself (a "retrying in N s" countdown). */
export function nextTickDelay(monitors: readonly MonitorState[], now: number): number | undefined {
  let soonest: number | undefined;
  for (const m of monitors) {
    if (m.link !== 'backingOff' || m.nextRetryAt === undefined) continue;
    const remaining = m.nextRetryAt - now;
    if (remaining <= 0) continue;
    const delay = remaining % 1000 || 1000;
    soonest = soonest === undefined ? delay : Math.min(soonest, delay);
  }
  return soonest;
}

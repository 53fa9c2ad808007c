// The status-bar item's text, icon and tooltip from the fleet state, worst state first.
import type { FleetState } from './fleet-state.js';
import { countStatuses, describeMonitorLink, isCollecting, STATUS_ORDER } from './tree-model.js';

export interface StatusSummary {
  /** False when nothing is configured: the item is hidden. */
  visible: boolean;
  /** e.g. "$(error) NetCam 1 down 7 up". */
  text: string;
  tooltip: string;
  /** The worst thing visible, for an accessibility label and tests. */
  worst: 'down' | 'unreachable' | 'degraded' | 'stale' | 'ok' | 'idle';
}

export function summarizeFleet(state: FleetState, now: number): StatusSummary {
  const monitors = state.monitors;
  if (!monitors.length) return { visible: false, text: '', tooltip: '', worst: 'idle' };
  const collecting = monitors.filter((m) => isCollecting(m.link));
  const unreachable = monitors.filter((m) => m.link === 'backingOff' || m.link === 'error').length;
  const counts = countStatuses(collecting.filter((m) => m.link === 'connected').flatMap((m) => m.tasks));
  const parts: string[] = [];
  if (counts.down) parts.push(`${counts.down} down`);
  if (unreachable) parts.push(`${unreachable} unreachable`);
  for (const s of STATUS_ORDER) if (s !== 'down' && counts[s]) parts.push(`${counts[s]} ${s}`);
  const worst: StatusSummary['worst'] = counts.down
    ? 'down'
    : unreachable
      ? 'unreachable'
      : counts.degraded
        ? 'degraded'
        : counts.stale
          ? 'stale'
          : collecting.length
            ? 'ok'
            : 'idle';
  const icon = { down: '$(error)', unreachable: '$(debug-disconnect)', degraded: '$(warning)', stale: '$(watch)', ok: '$(pass)', idle: '$(circle-outline)' }[worst];
  const text = parts.length ? `${icon} NetCam ${parts.join(' ')}` : `${icon} NetCam ${collecting.length ? 'connecting' : 'idle'}`;
  const tooltip = monitors
    .map((m) => {
      const c = countStatuses(m.tasks);
      const tasks = m.link === 'connected' ? ` — ${STATUS_ORDER.filter((s) => c[s]).map((s) => `${c[s]} ${s}`).join(', ')}` : '';
      return `${m.name ?? m.id}: ${describeMonitorLink(m, now)}${tasks}`;
    })
    .join('\n');
  return { visible: true, text, tooltip: `${tooltip}\n\nClick to open the result console.`, worst };
}

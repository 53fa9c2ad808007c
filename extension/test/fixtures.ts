// Plain FleetState objects for the model tests.
import type { Result } from '../../protocol/src/index.js';
import type { MonitorState, TaskState } from '../src/model/fleet-state.js';

export const NOW = Date.parse('2026-11-25T10:00:00.000Z');

export function result(over: Partial<Result> = {}): Result {
  return {
    monitorId: 'web-01', taskId: 'ssh', type: 'tcp', target: '10.0.0.22:22', seq: 42,
    ts: new Date(NOW - 12_000).toISOString(), status: 'up', latencyMs: 0.84, error: null,
    details: { state: 'open', connectMs: 0.84, banner: 'SSH-2.0-OpenSSH_9.2p1' }, ...over,
  };
}

export function task(over: Partial<TaskState> = {}): TaskState {
  return { id: 'ssh', type: 'tcp', target: '10.0.0.22:22', interval: 60, status: 'up', since: new Date(NOW).toISOString(), last: result(), ...over };
}

export function monitor(over: Partial<MonitorState> = {}): MonitorState {
  return { id: 'web-01', host: '127.0.0.1', port: 7070, link: 'connected', tasks: [task()], ...over };
}

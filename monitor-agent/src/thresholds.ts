// Turns a probe's raw outcome into the reported one: `downAfter` (a flap guard: fewer
// consecutive failures than downAfter are reported `degraded`, with the error) and
// `degradedAboveMs` (an `up` slower than that is `degraded`).
import type { Task } from '../../protocol/src/index.js';
import type { ProbeOutcome } from './probes/types.js';

export interface ThresholdResult {
  outcome: ProbeOutcome;
  /** Consecutive `down` outcomes so far, including this one. */
  failures: number;
}

export function applyThresholds(task: Task, raw: ProbeOutcome, failuresBefore: number): ThresholdResult {
  if (raw.status === 'down') {
    const failures = failuresBefore + 1;
    if (failures < task.downAfter) return { outcome: { ...raw, status: 'degraded' }, failures };
    return { outcome: raw, failures };
  }
  if (raw.status === 'up' && task.degradedAboveMs !== undefined && raw.latencyMs !== null && raw.latencyMs > task.degradedAboveMs) {
    const error = raw.error ?? `slow: latency ${round(raw.latencyMs)} ms above degradedAboveMs ${task.degradedAboveMs}`;
    return { outcome: { ...raw, status: 'degraded', error }, failures: 0 };
  }
  return { outcome: raw, failures: 0 };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

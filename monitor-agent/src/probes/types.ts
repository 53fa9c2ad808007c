// The one signature every probe has (blackbox_exporter's `prober/` style): a parsed
// task and a cancellation signal in, an outcome out. The scheduler adds monitorId,
// taskId, seq, ts and target, and applies degradedAboveMs/downAfter.
import type { ResultStatus, Task, TaskOf, TaskType } from '../../../protocol/src/index.js';

export interface ProbeOutcome {
  status: ResultStatus;
  /** The protocol's headline latency in ms (reference/probes.md), measured on a monotonic clock; null if not measured. */
  latencyMs: number | null;
  /** `<class>: <message>` (timeout, refused, dns_error, tls_error, status_mismatch, body_mismatch, echo_mismatch, unreachable, permission…); null when up. */
  error: string | null;
  details: Record<string, unknown>;
}

export interface ProbeContext {
  /** Aborted on timeout or stop; a probe must release its sockets/processes and return promptly. */
  signal: AbortSignal;
  /** The task's timeout in ms (task.timeout * 1000). */
  timeoutMs: number;
  /** Per-task memory kept by the scheduler between runs (e.g. traceroute's previous path). */
  state: Record<string, unknown>;
}

/** Never throws: every failure is an outcome with status `down`. */
export type Probe<T extends Task = Task> = (task: T, ctx: ProbeContext) => Promise<ProbeOutcome>;

export type ProbeRegistry = { [K in TaskType]: Probe<TaskOf<K>> };

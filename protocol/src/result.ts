// The result of one task run, as the agent produces it and the manager stores it.
import type { TaskType } from './config.js';

export const RESULT_STATUSES = ['up', 'degraded', 'down'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export interface Result {
  monitorId: string;
  taskId: string;
  type: TaskType;
  target: string;
  /** Per agent, strictly increasing, never reused (survives agent restarts). */
  seq: number;
  /** Agent clock at the start of the run, ISO 8601 with milliseconds. */
  ts: string;
  status: ResultStatus;
  latencyMs: number | null;
  /** `<class>: <message>`, e.g. `timeout: no reply within 1000 ms`; null when up. */
  error: string | null;
  /** Protocol-specific fields (reference/probes.md). */
  details: Record<string, unknown>;
}

/** A run of results the agent had to drop (buffer budget); delivered in place of them. */
export interface Gap {
  fromSeq: number;
  toSeq: number;
  count: number;
  reason: string;
  /** Agent timestamps of the first and last dropped result. */
  fromTs: string;
  toTs: string;
}

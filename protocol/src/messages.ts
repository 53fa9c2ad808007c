// Every message of the manager <-> agent link (docs/protocol.md), its type and its schema.
// A decoded frame becomes a Message only through parseMessage, which validates it.
import type { Schema } from './schema-lang.js';
import { check, ValidationError, type SchemaIssue } from './schema-lang.js';
import { ID_PATTERN, TASK_TYPES, taskSchema } from './config-schema.js';
import { checkTasks, type Task } from './config.js';
import { RESULT_STATUSES, type Gap, type Result } from './result.js';
import { fastCheckResultsMessage, ISO_TS_MAX, ISO_TS_PATTERN, RESULT_TEXT_MAX } from './result-fast-check.js';

export const PROTOCOL_VERSION = 1;
/** Results per `results` message; the frame cap bounds the bytes too. */
export const MAX_RESULTS_PER_MESSAGE = 1000;

export const ERROR_CODES = [
  'version_mismatch',
  'bad_message',
  'unexpected_message',
  'invalid_tasks',
  'echo_mismatch',
  'not_ready',
  'replaced',
  'shutting_down',
  'timeout',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// ---- manager -> agent
export interface HelloFromManager { type: 'hello'; v: number; role: 'manager'; software: string }
export interface SetId { type: 'setId'; monitorId: string }
export interface TasksMessage { type: 'tasks'; tasks: Task[] }
/** Start (or keep) running; the agent delivers every result with seq > `after`. */
export interface Start { type: 'start'; after: number }
export interface Ack { type: 'ack'; seq: number }
export interface RunNow { type: 'runNow'; taskId: string }
export interface Stop { type: 'stop' }

// ---- agent -> manager
export interface HelloFromAgent {
  type: 'hello';
  v: number;
  role: 'agent';
  software: string;
  monitorId: string | null;
  /** Hash of the running task set (tasksHash), or null when no tasks run. */
  tasksHash: string | null;
  /** Highest seq the agent has produced so far (0 if none). */
  lastSeq: number;
  /** Highest seq the agent knows the manager stored. */
  ackedSeq: number;
}
export interface IdAck { type: 'idAck'; monitorId: string }
export interface TaskEcho { type: 'taskEcho'; index: number; task: Task }
export interface TasksReady { type: 'tasksReady'; count: number; hash: string }
export interface Started { type: 'started'; tasks: number; restarted: boolean; backlog: number }
export interface ResultsMessage { type: 'results'; items: Result[] }
export interface GapMessage extends Gap { type: 'gap' }
export interface Stopped { type: 'stopped'; lastSeq: number }

// ---- both ways
export interface Heartbeat { type: 'heartbeat'; ts: string; ackedSeq: number; lastSeq: number; queued: number }
export interface ErrorMessage { type: 'error'; code: ErrorCode; message: string }

export type ManagerMessage = HelloFromManager | SetId | TasksMessage | Start | Ack | RunNow | Stop | Heartbeat | ErrorMessage;
export type AgentMessage =
  | HelloFromAgent | IdAck | TaskEcho | TasksReady | Started | ResultsMessage | GapMessage | Stopped | Heartbeat | ErrorMessage;
export type Message = ManagerMessage | AgentMessage;

// ---- schemas
const seq: Schema = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER };
const posSeq: Schema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };
const monitorId: Schema = { type: 'string', pattern: ID_PATTERN };
const software: Schema = { type: 'string', maxLength: 128 };
const isoTs: Schema = { type: 'string', maxLength: ISO_TS_MAX, pattern: ISO_TS_PATTERN };
const hash: Schema = { type: 'string', pattern: '^[0-9a-f]{64}$' };

function msg(type: string, properties: Record<string, Schema>): Schema {
  return {
    type: 'object',
    properties: { type: { const: type }, ...properties },
    required: ['type', ...Object.keys(properties)],
    additionalProperties: false,
  };
}

export const resultSchema: Schema = {
  type: 'object',
  properties: {
    monitorId,
    taskId: monitorId,
    type: { enum: TASK_TYPES },
    target: { type: 'string', maxLength: RESULT_TEXT_MAX },
    seq: posSeq,
    ts: isoTs,
    status: { enum: RESULT_STATUSES },
    latencyMs: { type: ['number', 'null'], minimum: 0 },
    error: { type: ['string', 'null'], maxLength: RESULT_TEXT_MAX },
    details: { type: 'object' },
  },
  required: ['monitorId', 'taskId', 'type', 'target', 'seq', 'ts', 'status', 'latencyMs', 'error', 'details'],
  additionalProperties: false,
};

const gapFields: Record<string, Schema> = {
  fromSeq: posSeq,
  toSeq: posSeq,
  count: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  reason: { type: 'string', maxLength: 256 },
  fromTs: isoTs,
  toTs: isoTs,
};

const heartbeat = msg('heartbeat', { ts: isoTs, ackedSeq: seq, lastSeq: seq, queued: seq });
const error = msg('error', { code: { enum: ERROR_CODES }, message: { type: 'string', maxLength: 2048 } });

export const managerMessageSchemas: Record<ManagerMessage['type'], Schema> = {
  hello: msg('hello', { v: { type: 'integer', minimum: 1, maximum: 65535 }, role: { const: 'manager' }, software }),
  setId: msg('setId', { monitorId }),
  // Tasks are checked in full by checkTasks below; here only the envelope.
  tasks: msg('tasks', { tasks: { type: 'array', items: taskSchema, maxItems: 10000 } }),
  start: msg('start', { after: seq }),
  ack: msg('ack', { seq }),
  runNow: msg('runNow', { taskId: monitorId }),
  stop: msg('stop', {}),
  heartbeat,
  error,
};

export const agentMessageSchemas: Record<AgentMessage['type'], Schema> = {
  hello: msg('hello', {
    v: { type: 'integer', minimum: 1, maximum: 65535 },
    role: { const: 'agent' },
    software,
    monitorId: { type: ['string', 'null'], pattern: ID_PATTERN },
    tasksHash: { type: ['string', 'null'], pattern: '^[0-9a-f]{64}$' },
    lastSeq: seq,
    ackedSeq: seq,
  }),
  idAck: msg('idAck', { monitorId }),
  taskEcho: msg('taskEcho', { index: { type: 'integer', minimum: 0, maximum: 9999 }, task: taskSchema }),
  tasksReady: msg('tasksReady', { count: { type: 'integer', minimum: 0, maximum: 10000 }, hash }),
  started: msg('started', { tasks: { type: 'integer', minimum: 0, maximum: 10000 }, restarted: { type: 'boolean' }, backlog: seq }),
  results: msg('results', { items: { type: 'array', items: resultSchema, minItems: 1, maxItems: MAX_RESULTS_PER_MESSAGE } }),
  gap: msg('gap', gapFields),
  stopped: msg('stopped', { lastSeq: seq }),
  heartbeat,
  error,
};

export class ProtocolError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

function parseWith<M extends { type: string }>(schemas: Record<string, Schema>, data: unknown, side: string): M {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ProtocolError('bad_message', `message: must be object`);
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(schemas, type)) {
    throw new ProtocolError('bad_message', `message.type: unknown ${side} message type ${JSON.stringify(type)?.slice(0, 40)}`);
  }
  // The manager's hot path: a valid `results` message skips the generic interpreter
  // (same verdict and copy, see result-fast-check.ts); an invalid one gets its issues from it.
  if (type === 'results' && schemas === agentMessageSchemas) {
    const fast = fastCheckResultsMessage(data as Record<string, unknown>, MAX_RESULTS_PER_MESSAGE);
    if (fast) return fast as unknown as M;
  }
  const r = check(schemas[type], data, type);
  let issues: SchemaIssue[] = r.issues;
  let value = r.value as M;
  if (!issues.length && type === 'tasks') {
    const tasks = checkTasks((value as unknown as TasksMessage).tasks, 'tasks.tasks');
    if (tasks.ok) value = { ...value, tasks: tasks.value };
    else issues = tasks.issues;
  }
  if (!issues.length && type === 'gap') {
    const gap = value as unknown as Gap;
    if (gap.toSeq < gap.fromSeq) issues = [{ path: 'gap.toSeq', message: 'must be >= fromSeq' }];
  }
  if (issues.length) {
    throw new ProtocolError(type === 'tasks' ? 'invalid_tasks' : 'bad_message', new ValidationError(issues).message);
  }
  return value;
}

/** Validates a decoded frame sent by a manager (the agent calls this). */
export function parseManagerMessage(data: unknown): ManagerMessage {
  return parseWith<ManagerMessage>(managerMessageSchemas, data, 'manager');
}

/** Validates a decoded frame sent by an agent (the manager calls this). */
export function parseAgentMessage(data: unknown): AgentMessage {
  return parseWith<AgentMessage>(agentMessageSchemas, data, 'agent');
}

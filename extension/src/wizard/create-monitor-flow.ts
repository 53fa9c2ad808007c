// The guided "Create Monitor Config" flow: host and port of the agent, a monitor id, then
// task after task (type first, then its parameters with the probe defaults pre-filled).
// Returns the new monitor, or undefined if the user pressed Escape anywhere (nothing is
// written in that case: the caller saves only a returned monitor).
import { checkTask, formatIssue, TASK_TYPES, type TaskType } from '../../../protocol/src/index.js';
import type { MonitorInput } from '../../../manager/src/config-store.js';
import type { Prompter } from './prompter.js';
import {
  defaultText,
  parseFieldInput,
  suggestMonitorId,
  TASK_DESCRIPTIONS,
  taskFields,
  validateField,
  validateMonitorHost,
  validateMonitorId,
  validatePort,
  type FieldSpec,
} from './task-fields.js';

export const DEFAULT_AGENT_PORT = 7070;
const TITLE = 'NetCam: Create Monitor Config';
type TaskChoice = TaskType | 'done';

export async function createMonitorFlow(prompter: Prompter, existingIds: readonly string[]): Promise<MonitorInput | undefined> {
  const host = await prompter.input({
    title: TITLE,
    step: 1,
    totalSteps: 4,
    prompt: 'Address of the machine running netcam-agent (host name, IPv4 or IPv6)',
    placeholder: 'e.g. 192.0.2.10 or web-01.example.test',
    validate: validateMonitorHost,
  });
  if (host === undefined) return undefined;
  const portText = await prompter.input({
    title: TITLE,
    step: 2,
    totalSteps: 4,
    prompt: 'Port the agent listens on (netcam-agent --listen HOST:PORT)',
    value: String(DEFAULT_AGENT_PORT),
    validate: validatePort,
  });
  if (portText === undefined) return undefined;
  const id = await prompter.input({
    title: TITLE,
    step: 3,
    totalSteps: 4,
    prompt: 'Monitor id: tags every result from this agent',
    value: suggestMonitorId(host, existingIds),
    validate: (text) => validateMonitorId(text, existingIds),
  });
  if (id === undefined) return undefined;

  const tasks: Record<string, unknown>[] = [];
  for (;;) {
    const choice = await prompter.pick<TaskChoice>({
      title: `${TITLE} (${id.trim()}: ${tasks.length} task${tasks.length === 1 ? '' : 's'})`,
      step: 4,
      totalSteps: 4,
      placeholder: tasks.length ? 'Add another task, or save the monitor' : 'Pick the first task this monitor runs',
      items: [
        ...(tasks.length ? [{ label: '$(check) Save monitor', description: `with ${tasks.length} task(s)`, value: 'done' as const }] : []),
        ...TASK_TYPES.map((t) => ({ label: t, description: TASK_DESCRIPTIONS[t], value: t as TaskChoice })),
        ...(tasks.length ? [] : [{ label: '$(check) Save monitor without tasks', description: 'add tasks later in netcam.json', value: 'done' as const }]),
      ],
    });
    if (choice === undefined) return undefined;
    if (choice === 'done') break;
    const task = await taskFlow(prompter, choice, tasks.length + 1);
    if (task === undefined) return undefined;
    tasks.push(task);
  }
  return { id: id.trim(), host: host.trim(), port: Number(portText.trim()), tasks };
}

/** Asks each parameter of one task; returns the task as written to netcam.json. */
export async function taskFlow(prompter: Prompter, type: TaskType, n: number): Promise<Record<string, unknown> | undefined> {
  const fields = taskFields(type);
  const task: Record<string, unknown> = { type };
  for (const [i, field] of fields.entries()) {
    const title = `${TITLE} — task ${n}: ${type} (${field.name})`;
    const value = await askField(prompter, type, task, field, title, i + 1, fields.length);
    if (value === CANCELLED) return undefined;
    if (value !== undefined && !sameAsDefault(value, field.default)) task[field.name] = value;
    else if (value !== undefined && field.required) task[field.name] = value;
  }
  // Belt and braces: the assembled task must pass the protocol's check as a whole.
  const r = checkTask(task, 'task');
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('; '));
  return task;
}

const CANCELLED = Symbol('cancelled');

async function askField(
  prompter: Prompter,
  type: TaskType,
  sofar: Record<string, unknown>,
  field: FieldSpec,
  title: string,
  step: number,
  totalSteps: number,
): Promise<unknown | typeof CANCELLED> {
  if (field.kind === 'enum' || field.kind === 'boolean') {
    const options = field.kind === 'boolean' ? ['true', 'false'] : (field.options ?? []);
    const picked = await prompter.pick<string>({
      title,
      step,
      totalSteps,
      placeholder: `${field.name}: ${field.description}`,
      items: options.map((o) => ({ label: o, description: String(field.default) === o ? 'default' : undefined, value: o })),
    });
    if (picked === undefined) return CANCELLED;
    return field.kind === 'boolean' ? picked === 'true' : picked;
  }
  if (field.kind === 'enumList') {
    const defaults = new Set(Array.isArray(field.default) ? field.default.map(String) : []);
    for (;;) {
      const picked = await prompter.pickMany<string>({
        title,
        step,
        totalSteps,
        placeholder: `${field.name}: ${field.description} (pick one or more)`,
        items: (field.options ?? []).map((o) => ({ label: o, value: o, picked: defaults.has(o) })),
      });
      if (picked === undefined) return CANCELLED;
      if (picked.length) return picked;
    }
  }
  const text = await prompter.input({
    title,
    step,
    totalSteps,
    prompt: `${field.name}${field.required ? '' : ' (optional: leave empty to skip)'} — ${field.description}`,
    value: defaultText(field),
    validate: (raw) => validateField(type, sofar, field, raw),
  });
  if (text === undefined) return CANCELLED;
  return parseFieldInput(field, text).value;
}

function sameAsDefault(value: unknown, dflt: unknown): boolean {
  return dflt !== undefined && JSON.stringify(value) === JSON.stringify(dflt);
}

// `netcam-agent check --json '<task JSON>'`: validates one task, runs it once here, and
// prints one result JSON on stdout. Exit 0 whether the target is up or down; exit 2 with
// a one-line error naming the field on bad input. How users debug a task before deploying it.
import { checkTask, formatIssue, taskTarget, type Result, type Task } from '../../protocol/src/index.js';
import { probes } from './probes/index.js';
import type { Probe, ProbeOutcome } from './probes/types.js';

const USAGE = `usage: netcam-agent check --json '<task JSON>'

Runs one task once on this machine and prints its result as JSON (exit 0, up or down).
Bad input exits 2 with a one-line error naming the field.

example:
  netcam-agent check --json '{"type":"tcp","host":"127.0.0.1","port":22}'`;

/** Extra time past the task's timeout before the run is cut off (ping needs its intervals). */
const GRACE_MS = 2000;

export function parseCheckArgs(argv: string[]): { help: true } | { json: string } | { error: string } {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') {
      if (i + 1 >= argv.length) return { error: '--json needs a value (the task as JSON)' };
      json = argv[++i];
    } else if (a.startsWith('--json=')) json = a.slice('--json='.length);
    else return { error: `unknown argument ${JSON.stringify(a)} (see --help)` };
  }
  return json === undefined ? { error: "missing --json '<task JSON>' (see --help)" } : { json };
}

export function parseTaskJson(text: string): { task: Task } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: `task: is not valid JSON: ${(err as Error).message}` };
  }
  const r = checkTask(data);
  if (!r.ok) return { error: r.issues.map(formatIssue).join('; ') };
  return { task: r.value };
}

/** Runs one task once, applying `degradedAboveMs` as the scheduler does. */
export async function runOnce(task: Task, signal?: AbortSignal): Promise<Result> {
  const ts = new Date().toISOString();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), task.timeout * 1000 * 2 + GRACE_MS);
  const stop = (): void => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  let outcome: ProbeOutcome;
  try {
    const probe = probes[task.type] as Probe<Task>;
    outcome = await probe(task, { signal: controller.signal, timeoutMs: task.timeout * 1000, state: {} });
  } catch (err) {
    // A probe must not throw; if one does anyway, the user still gets a result.
    outcome = { status: 'down', latencyMs: null, error: `error: ${(err as Error)?.message ?? String(err)}`, details: {} };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
  let status = outcome.status;
  if (status === 'up' && task.degradedAboveMs !== undefined && outcome.latencyMs !== null && outcome.latencyMs > task.degradedAboveMs) status = 'degraded';
  return {
    monitorId: 'local',
    taskId: task.id,
    type: task.type,
    target: taskTarget(task),
    seq: 1,
    ts,
    status,
    latencyMs: outcome.latencyMs,
    error: outcome.error,
    details: outcome.details,
  };
}

export async function runCheckCli(argv: string[]): Promise<number> {
  const args = parseCheckArgs(argv);
  if ('help' in args) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in args) {
    console.error(`netcam-agent check: ${args.error}`);
    return 2;
  }
  const parsed = parseTaskJson(args.json);
  if ('error' in parsed) {
    console.error(`netcam-agent check: ${parsed.error}`);
    return 2;
  }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await runOnce(parsed.task, controller.signal);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

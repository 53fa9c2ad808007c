// The running task set and monitor ID, persisted in `<data dir>/state.json` so a
// restarted agent resumes its tasks before any manager connects. Writes are atomic and
// serialized; a damaged file is reported and ignored (the spool is separate and safe).
import { join } from 'node:path';
import { checkTasks, ID_PATTERN, type Task } from '../../protocol/src/index.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';

export interface TaskState {
  monitorId: string | null;
  tasks: Task[] | null;
}

export class TaskStateFile {
  readonly path: string;
  private chain: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'state.json');
  }

  /** The saved state; problems come back as `warning` and an empty state. */
  async load(): Promise<{ state: TaskState; warning: string | null }> {
    const empty: TaskState = { monitorId: null, tasks: null };
    let data: unknown;
    try {
      data = await readJsonFile(this.path);
    } catch (err) {
      return { state: empty, warning: `${(err as Error).message}; starting without tasks` };
    }
    if (data === null) return { state: empty, warning: null };
    const d = data as { monitorId?: unknown; tasks?: unknown };
    const monitorId = typeof d.monitorId === 'string' && new RegExp(ID_PATTERN).test(d.monitorId) ? d.monitorId : null;
    if (d.tasks === null || d.tasks === undefined) return { state: { monitorId, tasks: null }, warning: null };
    const checked = checkTasks(d.tasks, 'state.tasks');
    if (!checked.ok) {
      const first = checked.issues[0];
      return { state: { monitorId, tasks: null }, warning: `${this.path}: ${first.path}: ${first.message}; starting without tasks` };
    }
    return { state: { monitorId, tasks: checked.value }, warning: null };
  }

  save(state: TaskState): Promise<void> {
    const text = JSON.stringify({ v: 1, monitorId: state.monitorId, tasks: state.tasks, savedAt: new Date().toISOString() });
    const next = this.chain.then(() => writeFileAtomic(this.path, text));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every save so far has finished. */
  settled(): Promise<void> {
    return this.chain;
  }
}

// netcam.json: load, validate, watch, and change it safely. The file stays the user's:
// a save re-reads it first, refuses to touch it while it is broken (the user's edit is
// never overwritten), writes atomically with a stable layout, and keeps fields the user
// left out (defaults are applied in memory, not written back). Task ids are written out
// so that deleting one task never renumbers the others.
import { readFile, stat } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import {
  checkConfig,
  checkConfigText,
  formatIssue,
  type MonitorConfig,
  type NetcamConfig,
  type SchemaIssue,
  type Task,
} from '../../protocol/src/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { formatConfig } from './config-format.js';
import { Emitter } from './events.js';
import { silentLogger, type Logger } from './log.js';

export interface ConfigIssue {
  /** The config file's path. */
  file: string;
  /** JSON path inside the file, e.g. `monitors[0].tasks[2].interval` (`(file)` for syntax errors). */
  path: string;
  message: string;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  return `${issue.file}: ${formatIssue(issue)}`;
}

/** A broken file on disk, or a change that would make the config invalid. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly issues: ConfigIssue[], prefix = '') {
    super(prefix + issues.map(formatConfigIssue).join('; '));
    this.name = 'ConfigError';
  }
}

/** What callers pass to create a monitor; tasks may omit ids and defaults. */
export interface MonitorInput {
  id: string;
  name?: string;
  host: string;
  port: number;
  tasks?: unknown[];
}

export const EMPTY_CONFIG: NetcamConfig = { version: 1, monitors: [] };

type RawDoc = { version?: unknown; monitors: Record<string, unknown>[]; [k: string]: unknown };

export interface ConfigStoreOptions {
  log?: Logger;
  /** fs.watch events are coalesced over this window (ms). */
  debounceMs?: number;
  /** Polling fallback period (ms) for file systems where fs.watch misses changes. */
  pollMs?: number;
}

export class ConfigStore {
  private current: NetcamConfig = structuredClone(EMPTY_CONFIG);
  private currentIssues: ConfigIssue[] = [];
  private lastText: string | null | undefined = undefined; // undefined = never read; null = missing
  private lastStat = '';
  private chain: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private readonly debounceMs: number;
  private readonly pollMs: number;
  private readonly changed = new Emitter<[NetcamConfig]>();
  private readonly errored = new Emitter<[ConfigIssue[]]>();

  /** Fires with the new valid config after a load, save or external edit changed it. */
  readonly onDidChange = this.changed.event;
  /** Fires with the problems when the file on disk became (or still is, after an edit) broken. */
  readonly onError = this.errored.event;

  constructor(readonly path: string, opts: ConfigStoreOptions = {}) {
    this.log = opts.log ?? silentLogger;
    this.debounceMs = opts.debounceMs ?? 100;
    this.pollMs = opts.pollMs ?? 2000;
  }

  /** The last valid config (defaults applied). Empty until loaded, or if the file never was valid. */
  get config(): NetcamConfig {
    return this.current;
  }

  /** Problems with the file as it is on disk now; empty when it is valid or missing. */
  get issues(): ConfigIssue[] {
    return this.currentIssues;
  }

  getMonitor(id: string): MonitorConfig | undefined {
    return this.current.monitors.find((m) => m.id === id);
  }

  /** Reads and validates the file. A missing file is an empty config. Throws ConfigError if broken. */
  load(): Promise<NetcamConfig> {
    return this.serial(async () => {
      await this.refresh(true);
      if (this.currentIssues.length) throw new ConfigError(this.path, this.currentIssues);
      return this.current;
    });
  }

  /** Starts reloading on change (fs.watch with debounce, plus polling as a fallback). */
  watch(): void {
    if (this.pollTimer) return;
    try {
      // Watch the directory: editors and our own saves replace the file by rename,
      // which ends a watch on the file itself.
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, name) => {
        if (name && name.toString() !== basename(this.path)) return;
        this.scheduleReload();
      });
      this.watcher.on('error', () => this.unwatchFs());
    } catch {
      this.watcher = undefined; // e.g. the directory does not exist yet: polling covers it
    }
    this.pollTimer = setInterval(() => void this.pollOnce(), this.pollMs);
    this.pollTimer.unref();
  }

  dispose(): void {
    this.unwatchFs();
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.pollTimer = undefined;
    this.debounceTimer = undefined;
    this.changed.clear();
    this.errored.clear();
  }

  // ---- changes (each re-reads the file, refuses if it is broken, validates, writes atomically)

  createMonitor(input: MonitorInput): Promise<MonitorConfig> {
    return this.mutate((doc) => {
      if (doc.monitors.some((m) => m.id === input.id)) throw this.invalid(`monitors`, `a monitor with id "${input.id}" already exists`);
      doc.monitors.push({ ...input, tasks: input.tasks ?? [] } as unknown as Record<string, unknown>);
    }).then((c) => c.monitors.find((m) => m.id === input.id)!);
  }

  /** Changes a monitor's fields (including its id); `tasks`, if given, replaces the task list. */
  updateMonitor(id: string, changes: Partial<MonitorInput>): Promise<MonitorConfig> {
    const newId = changes.id ?? id;
    return this.mutate((doc) => {
      const i = this.monitorIndex(doc, id);
      if (newId !== id && doc.monitors.some((m) => m.id === newId)) throw this.invalid(`monitors[${i}].id`, `a monitor with id "${newId}" already exists`);
      doc.monitors[i] = { ...doc.monitors[i], ...changes } as Record<string, unknown>;
    }).then((c) => c.monitors.find((m) => m.id === newId)!);
  }

  deleteMonitor(id: string): Promise<void> {
    return this.mutate((doc) => {
      doc.monitors.splice(this.monitorIndex(doc, id), 1);
    }).then(() => undefined);
  }

  /** Adds a task (id generated as `<type>-<n>` if absent); resolves to it with defaults applied. */
  createTask(monitorId: string, task: unknown): Promise<Task> {
    let index = -1;
    return this.mutate((doc) => {
      const tasks = this.tasksOf(doc, monitorId);
      index = tasks.push(structuredClone(task) as Record<string, unknown>) - 1;
    }).then((c) => c.monitors.find((m) => m.id === monitorId)!.tasks[index]);
  }

  /** Replaces a task (the new object may carry a new id). */
  updateTask(monitorId: string, taskId: string, task: unknown): Promise<Task> {
    let index = -1;
    return this.mutate((doc) => {
      const tasks = this.tasksOf(doc, monitorId);
      index = this.taskIndex(tasks, monitorId, taskId);
      const next = structuredClone(task) as Record<string, unknown>;
      if (next.id === undefined) next.id = taskId;
      tasks[index] = next;
    }).then((c) => c.monitors.find((m) => m.id === monitorId)!.tasks[index]);
  }

  deleteTask(monitorId: string, taskId: string): Promise<void> {
    return this.mutate((doc) => {
      const tasks = this.tasksOf(doc, monitorId);
      tasks.splice(this.taskIndex(tasks, monitorId, taskId), 1);
    }).then(() => undefined);
  }

  /** Replaces the whole document (validated first; refused like any save while the file on disk is broken). */
  replace(config: unknown): Promise<NetcamConfig> {
    return this.mutate((doc) => {
      const next = structuredClone(config) as RawDoc;
      for (const key of Object.keys(doc)) delete doc[key];
      Object.assign(doc, next);
    });
  }

  // ---- internals

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private mutate(change: (doc: RawDoc) => void): Promise<NetcamConfig> {
    return this.serial(async () => {
      const text = await this.readText();
      let doc: RawDoc = { version: 1, monitors: [] };
      if (text !== null) {
        const checked = checkConfigText(text);
        if (!checked.ok) {
          const issues = this.toIssues(checked.issues);
          this.setIssues(text, issues);
          throw new ConfigError(this.path, issues, 'not saved, the file on disk is broken (fix it first): ');
        }
        doc = JSON.parse(text) as RawDoc;
        doc.monitors ??= [];
        pinTaskIds(doc, checked.value);
      }
      change(doc);
      if (doc.version === undefined) doc.version = 1;
      const checked = checkConfig(doc);
      if (!checked.ok) throw new ConfigError(this.path, this.toIssues(checked.issues), 'not saved: ');
      pinTaskIds(doc, checked.value);
      const out = formatConfig(doc);
      await writeFileAtomic(this.path, out);
      this.lastText = out;
      this.lastStat = await this.statKey();
      this.accept(checked.value);
      return checked.value;
    });
  }

  private monitorIndex(doc: RawDoc, id: string): number {
    const i = doc.monitors.findIndex((m) => m.id === id);
    if (i < 0) throw this.invalid('monitors', `no monitor with id "${id}"`);
    return i;
  }

  private tasksOf(doc: RawDoc, monitorId: string): Record<string, unknown>[] {
    const monitor = doc.monitors[this.monitorIndex(doc, monitorId)];
    if (!Array.isArray(monitor.tasks)) monitor.tasks = [];
    return monitor.tasks as Record<string, unknown>[];
  }

  private taskIndex(tasks: Record<string, unknown>[], monitorId: string, taskId: string): number {
    const i = tasks.findIndex((t) => t.id === taskId);
    if (i < 0) throw this.invalid('tasks', `monitor "${monitorId}" has no task with id "${taskId}"`);
    return i;
  }

  private invalid(path: string, message: string): ConfigError {
    return new ConfigError(this.path, [{ file: this.path, path, message }], 'not saved: ');
  }

  private toIssues(issues: SchemaIssue[]): ConfigIssue[] {
    return issues.map((i) => ({ file: this.path, path: i.path, message: i.message }));
  }

  private async readText(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private async statKey(): Promise<string> {
    try {
      const s = await stat(this.path);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  /** Re-reads the file; fires events only when its content changed (or always, when `force`). */
  private async refresh(force = false): Promise<void> {
    this.lastStat = await this.statKey();
    let text: string | null;
    try {
      text = await this.readText();
    } catch (err) {
      const issues = [{ file: this.path, path: '(file)', message: `cannot be read: ${(err as Error).message}` }];
      this.setIssues(undefined, issues);
      return;
    }
    if (!force && text === this.lastText) return;
    this.lastText = text;
    if (text === null) {
      this.accept(structuredClone(EMPTY_CONFIG));
      return;
    }
    const checked = checkConfigText(text);
    if (checked.ok) this.accept(checked.value);
    else this.setIssues(text, this.toIssues(checked.issues));
  }

  private accept(config: NetcamConfig): void {
    const wasBroken = this.currentIssues.length > 0;
    const same = !wasBroken && JSON.stringify(config) === JSON.stringify(this.current);
    this.current = config;
    this.currentIssues = [];
    if (!same) this.changed.fire(config);
  }

  private setIssues(text: string | null | undefined, issues: ConfigIssue[]): void {
    if (text !== undefined) this.lastText = text;
    this.currentIssues = issues;
    this.log.warn(`config: ${issues.map(formatConfigIssue).join('; ')}`);
    this.errored.fire(issues);
  }

  private scheduleReload(): void {
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.serial(() => this.refresh()).catch((err) => this.log.error(`config: reload failed: ${(err as Error).message}`));
    }, this.debounceMs);
    this.debounceTimer.unref();
  }

  private async pollOnce(): Promise<void> {
    if ((await this.statKey()) !== this.lastStat) this.scheduleReload();
  }

  private unwatchFs(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/** Writes the ids the validator assigned into the raw document, so they stay stable. */
function pinTaskIds(doc: RawDoc, valid: NetcamConfig): void {
  doc.monitors.forEach((monitor, i) => {
    const tasks = monitor.tasks;
    if (!Array.isArray(tasks)) return;
    tasks.forEach((task: Record<string, unknown>, j: number) => {
      const id = valid.monitors[i]?.tasks[j]?.id;
      if (task && typeof task === 'object' && task.id === undefined && id) task.id = id;
    });
  });
}

/** Reads and validates a config file without keeping any state (for `netcam validate`). */
export async function checkConfigFile(path: string): Promise<{ config?: NetcamConfig; issues: ConfigIssue[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'does not exist' : `cannot be read: ${(err as Error).message}`;
    return { issues: [{ file: path, path: '(file)', message }] };
  }
  const checked = checkConfigText(text);
  if (checked.ok) return { config: checked.value, issues: [] };
  return { issues: checked.issues.map((i) => ({ file: path, path: i.path, message: i.message })) };
}

/**
 * The NetCam manager core (no `vscode` import): what the VS Code extension and the
 * `netcam` CLI share.
 *
 * ```ts
 * const manager = new Manager({ configPath, historyDir, secrets, log });
 * await manager.ready;                       // netcam.json read (a broken file: manager.config.issues / onError)
 * manager.onResult((r, meta) => ...);        // every stored result (duplicates dropped), seq order per monitor; meta.backfilled: from the agent's backlog
 * manager.onGap((monitorId, gap) => ...);    // describeGap(gap): "N results lost between T1 and T2 (reason)"
 * manager.onMonitorState((s) => ...);        // link: idle|connecting|connected|backingOff|stopped|error (+ nextRetryAt, lastError)
 * manager.onTaskState((monitorId, t) => ...);// status: up|degraded|down|stale|unknown
 * await manager.collect(['web-01']);         // or 'all'; resolves once each link connected or failed its first try
 * await manager.runNow('web-01', 'ssh');
 * manager.getState();                        // FleetState snapshot for the tree / status bar
 * await manager.stop('all');                 // `stop` to each agent, waits for `stopped` (10 s max)
 * await manager.disconnect();                // close WITHOUT stop: agents keep monitoring and buffering
 * await manager.dispose();                   // disconnect + release watchers and timers
 * ```
 *
 * - `SecretProvider.get(monitorId)` returns the `ncs1_...` text or undefined; it is asked on
 *   every connection attempt. Nothing the manager logs or throws contains a secret.
 * - `Logger` gets trace/debug/info/warn/error lines; `onLog` mirrors them as events.
 * - `manager.config` (ConfigStore): `config`, `issues`, `getMonitor`, `load`,
 *   `createMonitor`/`updateMonitor`/`deleteMonitor`, `createTask`/`updateTask`/`deleteTask`,
 *   `replace`; atomic writes, stable layout, refuses to save over a broken file
 *   (ConfigError, whose `issues` name file and JSON path); `onDidChange(config)`, `onError(issues)`.
 * - `manager.history` (HistoryStore): `query({monitorId?, taskId?, from?, to?, limit?})`,
 *   `gaps(q)`, `uptime(monitorId, taskId)` -> `{h1, h24, d7}` (% or null), `exportCsv(q)`,
 *   `exportJson(q)` (strings), `lastSeq(monitorId)`, `sweep()`.
 * - Events return a `Disposable` (`{ dispose(): void }`).
 */
export { Manager, type ManagerOptions } from './manager.js';
export { ConfigStore, ConfigError, checkConfigFile, formatConfigIssue, EMPTY_CONFIG, type ConfigIssue, type MonitorInput } from './config-store.js';
export { formatConfig } from './config-format.js';
export { HistoryStore, DEFAULT_RETENTION_DAYS, type HistoryStoreOptions } from './history-store.js';
export { Backoff, DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_CAP_MS, HEALTHY_RESET_MS, type BackoffOptions } from './backoff.js';
export { Emitter, type Disposable } from './events.js';
export { silentLogger, levelLogger, redactSecrets, type Logger, type LogLevel } from './log.js';
export { staticSecrets, type SecretProvider } from './secrets.js';
export { envSecrets, secretEnvName } from './env-secrets.js';
export { convertLegacyConfig, type LegacyConversion } from './legacy-import.js';
export { staleAfterMs, STALE_GRACE_S } from './health.js';
export { firstDifference } from './echo-compare.js';
export {
  describeGap,
  describeLink,
  type FleetState,
  type GapRecord,
  type HistoryQuery,
  type LinkState,
  type MonitorState,
  type ResultMeta,
  type TaskState,
  type TaskStatus,
  type Uptime,
} from './types.js';
export type { Gap, MonitorConfig, NetcamConfig, Result, Task, TaskType } from '../../protocol/src/index.js';

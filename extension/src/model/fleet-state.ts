// The manager's state types as the extension reads them, re-exported from one place so
// the vscode-free models and the adapters agree.
export type { FleetState, MonitorState, TaskState, LinkState, TaskStatus } from '../../../manager/src/types.js';

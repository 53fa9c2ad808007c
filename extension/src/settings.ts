// Reads NetCam's settings (contributes.configuration in package.json).
import * as vscode from 'vscode';
import type { NotifyMode } from './model/notify-policy.js';

export interface NetcamSettings {
  notifications: NotifyMode;
  retentionDays: number;
  reconnectCapMs: number;
  refreshDebounceMs: number;
}

export function readSettings(): NetcamSettings {
  const c = vscode.workspace.getConfiguration('netcam');
  return {
    notifications: c.get<NotifyMode>('notifications.taskStatus', 'downAndRecover'),
    retentionDays: c.get<number>('history.retentionDays', 30),
    reconnectCapMs: c.get<number>('connection.reconnectCapSeconds', 60) * 1000,
    refreshDebounceMs: c.get<number>('tree.refreshDebounceMs', 300),
  };
}

// Notifications when tasks go down or recover: at most one per task per minute, grouped
// when several change together (model/notify-policy.ts), switchable in settings. Link
// trouble is never a notification (it shows in the tree, the status bar and the log).
import * as vscode from 'vscode';
import type { TaskState, TaskStatus } from '../model/fleet-state.js';
import { GROUP_WINDOW_MS, NotifyPolicy, type NotifyMode } from '../model/notify-policy.js';

export class StatusNotifier implements vscode.Disposable {
  private readonly policy: NotifyPolicy;
  private readonly previous = new Map<string, TaskStatus>();
  private timer: NodeJS.Timeout | undefined;

  constructor(mode: NotifyMode, private readonly labelOf: (monitorId: string, task: TaskState) => string) {
    this.policy = new NotifyPolicy(mode);
  }

  setMode(mode: NotifyMode): void {
    this.policy.setMode(mode);
  }

  onTaskState(monitorId: string, task: TaskState): void {
    const key = `${monitorId}\u0000${task.id}`;
    const from = this.previous.get(key) ?? 'unknown';
    this.previous.set(key, task.status);
    const schedule = this.policy.offer(
      { monitorId, taskId: task.id, label: this.labelOf(monitorId, task), from, to: task.status, error: task.last?.error },
      performance.now(),
    );
    if (schedule && !this.timer) this.timer = setTimeout(() => this.flush(), GROUP_WINDOW_MS);
  }

  private flush(): void {
    this.timer = undefined;
    for (const n of this.policy.flush()) {
      const show = n.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(n.message, 'Open Console', 'Turn Off').then((choice) => {
        if (choice === 'Open Console') void vscode.commands.executeCommand('netcam.openConsole');
        if (choice === 'Turn Off') {
          void vscode.workspace.getConfiguration('netcam').update('notifications.taskStatus', 'off', vscode.ConfigurationTarget.Global);
        }
      });
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

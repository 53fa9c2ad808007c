// The status-bar item: the fleet's state worst first ("NetCam 1 down 7 up"), hidden when
// nothing is configured; a click opens the result console.
import * as vscode from 'vscode';
import type { FleetState } from '../model/fleet-state.js';
import { summarizeFleet, type StatusSummary } from '../model/status-summary.js';

export class FleetStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  last: StatusSummary | undefined;

  constructor(private readonly getState: () => FleetState) {
    this.item = vscode.window.createStatusBarItem('netcam.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'NetCam';
    this.item.command = 'netcam.openConsole';
    this.update();
  }

  /** Coalesces bursts of events into one update. */
  request(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 250);
  }

  update(): void {
    const s = summarizeFleet(this.getState(), Date.now());
    this.last = s;
    if (!s.visible) {
      this.item.hide();
      return;
    }
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.accessibilityInformation = { label: s.text.replace(/\$\([^)]*\)\s*/g, '') };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
  }
}

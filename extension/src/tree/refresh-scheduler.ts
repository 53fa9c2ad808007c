// Coalesces refresh requests (debounce) and holds them while the view is hidden, like
// vscode-containers' RefreshManager: manager events only mark the tree dirty; the
// refresh runs once per debounce window, and only while someone can see it. Also
// schedules the next "retrying in N s" countdown tick while a monitor backs off.
import type * as vscode from 'vscode';

export class RefreshScheduler implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private dirty = false;
  private visible = false;

  constructor(
    private readonly refresh: () => void,
    private debounceMs: number,
    /** Delay to the next self-changing description (countdowns), or undefined. */
    private readonly nextTick: () => number | undefined,
  ) {}

  setDebounce(ms: number): void {
    this.debounceMs = ms;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.dirty) this.schedule(0);
    if (!visible) this.clearTimers();
  }

  /** Something changed: refresh soon (or when the view becomes visible). */
  request(): void {
    this.dirty = true;
    if (this.visible && !this.timer) this.schedule(this.debounceMs);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.visible) return;
      this.dirty = false;
      this.refresh();
      this.scheduleTick();
    }, delay);
  }

  private scheduleTick(): void {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    const delay = this.nextTick();
    if (delay === undefined) return;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      this.request();
    }, Math.max(50, delay + 20));
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.timer = undefined;
    this.tickTimer = undefined;
  }

  dispose(): void {
    this.clearTimers();
  }
}

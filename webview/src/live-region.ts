// A screen-reader log of the stream, throttled: at most one short line every 5 s, so a
// thousand results a second do not drown the reader.
import { h } from './dom.js';

const INTERVAL_MS = 5000;
const KEEP_LINES = 3;

export class LiveRegion {
  readonly root = h('div', { class: 'sr-only', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Result stream summary' });
  private count = 0;
  private problems = 0;
  private lost = 0;
  private timer: ReturnType<typeof setInterval> | undefined = setInterval(() => this.flush(), INTERVAL_MS);

  note(kind: 'up' | 'problem' | 'gap'): void {
    this.count += 1;
    if (kind === 'problem') this.problems += 1;
    if (kind === 'gap') this.lost += 1;
  }

  private flush(): void {
    if (!this.count) return;
    const parts = [`${this.count} new result${this.count === 1 ? '' : 's'}`];
    if (this.problems) parts.push(`${this.problems} degraded or down`);
    if (this.lost) parts.push(`${this.lost} gap record${this.lost === 1 ? '' : 's'}`);
    this.count = this.problems = this.lost = 0;
    this.root.append(h('p', {}, parts.join(', ')));
    while (this.root.childElementCount > KEEP_LINES) this.root.firstElementChild!.remove();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

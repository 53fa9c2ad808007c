// Fills a <vscode-single-select> with options, keeping the chosen value selected.
import { h } from './dom.js';

export function fillSelect(select: HTMLElement, options: readonly (readonly [string, string])[], value: string): void {
  const children = options.map(([v, label]) => {
    const o = h('vscode-option', { value: v }, label);
    if (v === value) o.setAttribute('selected', '');
    return o;
  });
  select.replaceChildren(...children);
  (select as HTMLElement & { value: string }).value = value;
}

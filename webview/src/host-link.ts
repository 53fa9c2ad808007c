/// <reference types="vscode-webview" />
// The webview's side of the host link: the VS Code API acquired once, kept in this module
// (not on window), and typed with the shared message union.
import type { ConsoleUiState, HostToWebview, WebviewToHost } from '../../protocol/src/console-messages.js';
import { isHostToWebview } from '../../protocol/src/console-messages.js';

export interface HostLink {
  post(message: WebviewToHost): void;
  restoredState(): unknown;
  saveState(state: ConsoleUiState): void;
  onMessage(handler: (message: HostToWebview) => void): void;
}

export function connectHost(): HostLink {
  const api = acquireVsCodeApi<ConsoleUiState>();
  return {
    post: (message) => api.postMessage(message),
    restoredState: () => api.getState(),
    saveState: (state) => api.setState(state),
    onMessage(handler) {
      window.addEventListener('message', (ev: MessageEvent) => {
        if (isHostToWebview(ev.data)) handler(ev.data);
        else api.postMessage({ type: 'log', level: 'warn', message: `console: ignored a malformed host message (${describe(ev.data)})` } satisfies WebviewToHost);
      });
    },
  };
}

function describe(v: unknown): string {
  const t = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
  return typeof t === 'string' ? `type ${t.slice(0, 40)}` : typeof v;
}

// Test harness for the result console webview: a loopback HTTP server that serves the
// real built bundle and stylesheet inside the host's real HTML (same CSP, fresh nonce),
// plus a fake `acquireVsCodeApi` that records what the webview posts and keeps setState.
// Chromium is Debian's, driven by playwright-core.
import { createServer, type Server } from 'node:http';
import { readFileSync, statSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newNonce, renderConsoleHtml } from '../../../extension/src/console/html.js';
import type { HostToWebview } from '../../../protocol/src/console-messages.js';

// This file runs as CommonJS (the package has no "type": "module").
const ROOT = resolve(dirname(__filename), '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'webview', 'console.js');

export const THEMES = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  'high-contrast': 'vscode-high-contrast',
  'high-contrast-light': 'vscode-high-contrast-light',
} as const;
export type ThemeName = keyof typeof THEMES;

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-precise-memory-info',
];

function newestMtime(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return t;
}

/** Builds the bundles when the webview bundle is missing or older than its sources. */
export function ensureBuilt(): void {
  const sources = Math.max(newestMtime(join(ROOT, 'webview', 'src')), newestMtime(join(ROOT, 'protocol', 'src')));
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  const r = spawnSync('node', ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr || r.stdout}`);
}

// Runs in the page before the bundle: the fake VS Code API and a synthetic result maker.
const FAKE_HOST_JS = `(() => {
  const cfg = JSON.parse(document.currentScript.dataset.cfg);
  window.__sent = [];
  window.__state = cfg.state === null ? undefined : cfg.state;
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  document.body.className = cfg.bodyClass;
  document.body.dataset.vscodeThemeKind = cfg.bodyClass.split(' ')[0];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (m) => { window.__sent.push(JSON.parse(JSON.stringify(m))); },
      getState: () => window.__state,
      setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); return s; },
    });
  };
  window.__host = (m) => window.postMessage(m, '*');
  const monitors = ['web-01', 'db-01', 'edge-02'];
  const tasks = [['gw', 'icmp', '192.0.2.1'], ['site', 'https', 'https://example.test/'], ['ssh', 'tcp', '192.0.2.22:22'], ['time', 'ntp', 'ntp.example.test:123']];
  window.__synth = (i, baseMs, stepMs) => {
    const [taskId, type, target] = tasks[i % tasks.length];
    const monitorId = monitors[Math.floor(i / tasks.length) % monitors.length];
    const status = i % 17 === 5 ? 'down' : i % 11 === 3 ? 'degraded' : 'up';
    const lat = status === 'down' ? null : 5 + (i % 13) * 1.7;
    const details = type === 'icmp'
      ? { sent: 3, received: status === 'down' ? 0 : 3, lossPct: status === 'down' ? 100 : 0, rtt: lat === null ? { min: null, avg: null, median: null, max: null, stddev: null } : { min: lat - 1, avg: lat, median: lat, max: lat + 2, stddev: 0.5 }, samples: [], ttl: 64, resolvedIp: '192.0.2.1' }
      : type === 'https' ? { statusCode: status === 'down' ? 503 : 200, httpVersion: '1.1', redirects: 0, bodyBytes: 1234, timings: { dns: 1, connect: 2, tls: 3, firstByte: 4, total: lat }, keywordFound: null }
      : type === 'tcp' ? { connectMs: lat, resolvedIp: '192.0.2.22', banner: 'SSH-2.0-OpenSSH_9.2', state: status === 'down' ? 'refused' : 'open' }
      : { offsetMs: 1.25, delayMs: lat, stratum: 2, referenceId: 'GPS', leap: 0, version: 4 };
    return { kind: 'result', key: i + 1, backfilled: false, result: {
      monitorId, taskId, type, target, seq: i + 1, ts: new Date(baseMs + i * stepMs).toISOString(), status,
      latencyMs: lat, error: status === 'down' ? 'timeout: no reply within 1000 ms' : null, details } };
  };
  // Posts n synthetic entries in host-sized batches (the host batches every 50 ms).
  window.__flood = (from, n, baseMs, stepMs, batch) => {
    for (let i = from; i < from + n; i += batch) {
      const entries = [];
      for (let j = i; j < Math.min(from + n, i + batch); j++) entries.push(window.__synth(j, baseMs, stepMs));
      window.postMessage({ type: 'entries', entries }, '*');
    }
  };
})();`;

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export interface ConsolePage {
  page: Page;
  origin: string;
  /** Posts a host→webview message. */
  host(message: HostToWebview): Promise<void>;
  /** Messages the webview posted, in order. */
  sent(): Promise<{ type: string; [k: string]: unknown }[]>;
  /** Loads the console page (again) with a theme and a restored state. */
  open(theme?: ThemeName, state?: unknown): Promise<void>;
}

export interface ConsoleHarness {
  browser: Browser;
  server: Server;
  origin: string;
  newPage(width?: number, height?: number): Promise<ConsolePage>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<ConsoleHarness> {
  ensureBuilt();
  const pageConfigs = new Map<string, { theme: ThemeName; state: unknown }>();
  let nextId = 1;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/console') {
        const cfg = pageConfigs.get(url.searchParams.get('id') ?? '') ?? { theme: 'dark' as ThemeName, state: null };
        const origin = `http://${req.headers.host}`;
        const nonce = newNonce();
        let html = renderConsoleHtml({ cspSource: origin, nonce, scriptUri: `${origin}/dist/webview/console.js`, styleUri: `${origin}/media/console.css` });
        const themeLink = `<link rel="stylesheet" href="${origin}/theme/${cfg.theme}.css">\n`;
        html = html.replace('<link rel="stylesheet"', `${themeLink}<link rel="stylesheet"`);
        const fake = `<script nonce="${escapeAttr(nonce)}" data-cfg="${escapeAttr(JSON.stringify({ bodyClass: THEMES[cfg.theme], state: cfg.state ?? null }))}">${FAKE_HOST_JS}</script>\n`;
        html = html.replace(`<script nonce="`, `${fake}<script nonce="`);
        return send('text/html; charset=utf-8', html);
      }
      if (url.pathname === '/dist/webview/console.js') return send('text/javascript', readFileSync(BUNDLE));
      if (url.pathname === '/media/console.css') return send('text/css', readFileSync(join(ROOT, 'media', 'console.css')));
      const theme = /^\/theme\/([a-z-]+)\.css$/.exec(url.pathname);
      if (theme && theme[1]! in THEMES) return send('text/css', readFileSync(join(ROOT, 'webview', 'test', 'fixtures', 'themes', `${theme[1]}.css`)));
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, timeout: 60_000 });

  return {
    browser,
    server,
    origin,
    async newPage(width = 1280, height = 800) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const cp: ConsolePage = {
        page,
        origin,
        async host(message) {
          await page.evaluate((m) => window.postMessage(m, '*'), message);
        },
        async sent() {
          return page.evaluate(() => (window as unknown as { __sent: { type: string }[] }).__sent);
        },
        async open(theme = 'dark', state = null) {
          const id = String(nextId++);
          pageConfigs.set(id, { theme, state });
          await page.goto(`${origin}/console?id=${id}`);
          await page.waitForFunction(() => (window as unknown as { __sent?: { type: string }[] }).__sent?.some((m) => m.type === 'ready'));
        },
      };
      return cp;
    },
    async close() {
      await browser.close().catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The UI test, as a person would use NetCam: the packaged .vsix installed into a fresh
// VS Code server, a real agent on loopback, and Chromium clicking and typing:
// open the NetCam view → create a monitor with the guided palette flow → paste the
// agent's secret → "NetCam: Collect Results from All Monitors" → statuses turn up →
// open the result console → stop. Each step is one reported test; screenshots go to
// test-results/vscode-ui/ (and to docs/images/ with NETCAM_UPDATE_SCREENSHOTS=1).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installVsix, startServer } from '../harness/vscode-server.mjs';
import { startGroup, stopGroup, waitForOutput } from '../harness/processes.mjs';

const STEP_TIMEOUT = 45_000;

export async function runUiTests({ repo, tools, browser, tempDir, report }) {
  const started = performance.now();
  const root = tempDir('netcam-e2e-ui-');
  const shotsDir = join(repo, 'test-results', 'vscode-ui');
  mkdirSync(shotsDir, { recursive: true });
  const publish = process.env.NETCAM_UPDATE_SCREENSHOTS === '1' ? join(repo, 'docs', 'images') : undefined;
  if (publish) mkdirSync(publish, { recursive: true });

  const steps = [];
  const step = (title, fn) => steps.push({ title, fn });
  const ctx = { repo, tools, browser, root };

  step('packages the extension as a .vsix with the agent bundle inside', async () => {
    const r = spawnSync('npm', ['run', 'package', '--silent'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
    ctx.vsix = join(repo, 'dist', 'netcam.vsix');
    const ls = spawnSync('npx', ['vsce', 'ls', '--no-dependencies'], { cwd: repo, encoding: 'utf8' }).stdout;
    for (const f of ['dist/extension.js', 'dist/netcam-agent.js', 'media/schemas/netcam.schema.json']) {
      if (!ls.split('\n').includes(f)) throw new Error(`${f} missing from the VSIX:\n${ls}`);
    }
    for (const line of ls.split('\n')) {
      if (/node_modules|\.map$|\.ts$|^extension\/|^monitor-agent\/|^manager\/|^protocol\//.test(line)) throw new Error(`VSIX ships ${line}, which it does not need`);
    }
  });

  step('installs the .vsix into a fresh VS Code server and opens the workbench', async () => {
    const serverRoot = join(root, 'vscode');
    installVsix(tools, serverRoot, ctx.vsix);
    ctx.workspace = join(root, 'workspace');
    mkdirSync(ctx.workspace);
    ctx.agent = await startAgent(root);
    ctx.server = await startServer(tools, serverRoot, { smokeDriver: true });
    ctx.page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    const payload = encodeURIComponent(JSON.stringify([['skipWelcome', 'true']]));
    await ctx.page.goto(`${ctx.server.url}/?folder=${encodeURIComponent(ctx.workspace)}&payload=${payload}`);
    await ctx.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await ctx.page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await hideSecondarySideBar(ctx.page);
    await widenSideBar(ctx.page, 460);
  });

  step('clicks the NetCam activity-bar icon and sees the welcome view', async () => {
    const { page } = ctx;
    await page.locator('.activitybar .action-item a[aria-label^="NetCam"], .activitybar .action-item[aria-label^="NetCam"]').first().click({ timeout: STEP_TIMEOUT });
    await page.getByRole('button', { name: 'Create a monitor' }).waitFor({ timeout: STEP_TIMEOUT });
    await page.getByRole('button', { name: 'Import legacy configs.json' }).waitFor({ timeout: 5_000 });
    await shot(page, 'netcam-welcome.png');
  });

  step('creates a monitor with the guided palette flow (host, port, id, two tcp tasks)', async () => {
    const { page, agent } = ctx;
    await runCommand(page, 'NetCam: Create Monitor Config');
    await answer(page, '127.0.0.1', /Address of the machine/);
    await answer(page, String(agent.port), /Port the agent listens on/);
    await answer(page, 'lab-01', /Monitor id/);
    // Task 1: the agent's own port (open → up).
    await pick(page, 'tcp');
    await answer(page, '127.0.0.1', /^host/);
    await answer(page, String(agent.port), /^port/);
    await answer(page, '', /^send/);
    await answer(page, '', /^expect/);
    await answer(page, '5', /^interval/);
    await answer(page, '', /^timeout/);
    // Task 2: a closed port (refused → down).
    await pick(page, 'tcp');
    await answer(page, '127.0.0.1', /^host/);
    await answer(page, '1', /^port/);
    await answer(page, '', /^send/);
    await answer(page, '', /^expect/);
    await answer(page, '5', /^interval/);
    await answer(page, '', /^timeout/);
    await pick(page, 'Save monitor');
    await treeRow(page, /^monitor lab-01 at 127\.0\.0\.1 port \d+, not collecting, 2 tasks/);
    await treeRow(page, /^tcp task tcp-1 to 127\.0\.0\.1:\d+, unknown/);
    await treeRow(page, /^tcp task tcp-2 to 127\.0\.0\.1:1, unknown/);
    await dismissNotifications(page);
    await shot(page, 'netcam-monitor-created.png');
  });

  step('pastes the agent secret with "NetCam: Set Agent Secret"', async () => {
    const { page, agent } = ctx;
    await runCommand(page, 'NetCam: Set Agent Secret');
    await pick(page, 'lab-01');
    await answer(page, 'not-a-secret', /Paste the secret/, { expectError: /must start with "ncs1_"/ });
    // The inline error replaced the prompt; the title still names the monitor.
    await answer(page, agent.secret, /agent secret for lab-01/);
    await treeRow(page, /^monitor lab-01 at 127\.0\.0\.1 port \d+, not collecting/);
  });

  step('runs "NetCam: Collect Results from All Monitors" from F1 and sees statuses turn up', async () => {
    const { page } = ctx;
    await runCommand(page, 'NetCam: Collect Results from All Monitors');
    await treeRow(page, /^monitor lab-01 at 127\.0\.0\.1 port \d+, connected, 2 tasks/, 60_000);
    await treeRow(page, /^tcp task tcp-1 to 127\.0\.0\.1:\d+, up, [\d.]+ ms, last result/, 60_000);
    await treeRow(page, /^tcp task tcp-2 to 127\.0\.0\.1:1, down, last result/, 60_000);
    await page.locator('.statusbar-item', { hasText: 'NetCam 1 down 1 up' }).first().waitFor({ timeout: STEP_TIMEOUT });
    await dismissNotifications(page);
    await page.waitForTimeout(500);
    await shot(page, 'netcam-collecting.png');
  });

  step('hovers a task and sees the last result\'s details in the tooltip', async () => {
    const { page } = ctx;
    const row = page.locator('.part.sidebar .monaco-list-row[aria-label^="tcp task tcp-2"]').first();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Last result' }).first();
    for (let attempt = 0; attempt < 3 && !(await hover.isVisible().catch(() => false)); attempt++) {
      await page.mouse.move(5, 400);
      await row.hover();
      await hover.waitFor({ timeout: 8_000 }).catch(() => {});
    }
    const text = await hover.innerText({ timeout: STEP_TIMEOUT });
    for (const want of [/Status: down/, /Last result: down, \d+ s ago/, /Error: refused/, /state: refused/]) {
      if (!want.test(text)) throw new Error(`tooltip lacks ${want}:\n${text}`);
    }
    await shot(page, 'netcam-tooltip.png');
    await page.mouse.move(5, 400);
  });

  step('opens the result console and sees results stream in', async () => {
    const { page } = ctx;
    await runCommand(page, 'NetCam: Open Result Console');
    await page.locator('.tab', { hasText: 'NetCam Results' }).first().waitFor({ timeout: STEP_TIMEOUT });
    // The console is a webview: find its frame and wait for rows naming the monitor.
    const deadline = performance.now() + STEP_TIMEOUT;
    let found = false;
    while (!found && performance.now() < deadline) {
      for (const frame of page.frames()) {
        const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (/lab-01/.test(text) && /tcp-1/.test(text)) found = true;
      }
      if (!found) await page.waitForTimeout(500);
    }
    if (!found) throw new Error('no result rows for lab-01/tcp-1 in the console webview');
    await page.waitForTimeout(1000);
    await shot(page, 'netcam-console.png');
    await runCommand(page, 'View: Close All Editors');
  });

  step('clicks a task in the tree and sees the console filtered to that task', async () => {
    const { page } = ctx;
    // Clicking a task row runs "Show in Console": the console opens on that task alone.
    const rows = page.locator('.pane-body .monaco-list-row');
    await treeRow(page, /^tcp task tcp-1 /);
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    await rows.nth(labels.findIndex((l) => /^tcp task tcp-1 /.test(l))).click();
    await page.locator('.tab', { hasText: 'NetCam Results' }).first().waitFor({ timeout: STEP_TIMEOUT });
    let last = 'no console frame';
    await waitUntil(async () => {
      for (const frame of page.frames()) {
        const seen = await frame.evaluate(() => {
          const task = document.querySelector('.f-task');
          if (!task) return null;
          const cells = [...document.querySelectorAll('.scroller .row')].filter((r) => getComputedStyle(r).display !== 'none').map((r) => [...r.querySelectorAll('.cell')].map((c) => (c.textContent ?? '').trim()));
          return { task: task.value, chart: document.querySelector('.chart-task')?.value ?? '', cells };
        }).catch(() => null);
        if (!seen) continue;
        last = JSON.stringify(seen).slice(0, 400);
        if (seen.task === 'tcp-1' && /tcp-1/.test(seen.chart) && seen.cells.length > 0 && seen.cells.every((c) => c[1] === 'lab-01' && c[2] === 'tcp-1')) return true;
      }
      return false;
    }, STEP_TIMEOUT, async () => `the console filtered to lab-01/tcp-1; last seen ${last}`, page);
    await shot(page, 'netcam-console-task.png');
    await runCommand(page, 'View: Close All Editors');
  });

  step('stops collection from the view title and sees the monitor stopped', async () => {
    const { page } = ctx;
    // View-title actions show while the pointer is over the view.
    await page.locator('.part.sidebar .monaco-list-row').first().hover();
    await page.locator('.part.sidebar [aria-label^="Stop Collection on All Monitors"]').first().click({ timeout: STEP_TIMEOUT });
    await treeRow(page, /^monitor lab-01 at 127\.0\.0\.1 port \d+, stopped, 2 tasks/, 30_000);
    await treeRow(page, /^tcp task tcp-1 to 127\.0\.0\.1:\d+, last up/);
    await dismissNotifications(page);
    await shot(page, 'netcam-stopped.png');
  });

  let failed = false;
  try {
    for (const s of steps) {
      if (failed) {
        report('skip', `ui: ${s.title}`, '(after an earlier failure)');
        continue;
      }
      const t0 = performance.now();
      try {
        await s.fn();
        report('pass', `ui: ${s.title}`, `(${Math.round(performance.now() - t0)} ms)`);
      } catch (err) {
        failed = true;
        if (ctx.page) await ctx.page.screenshot({ path: join(shotsDir, 'failure.png') }).catch(() => {});
        report('fail', `ui: ${s.title}`, `\n      ${String(err?.stack ?? err).split('\n').slice(0, 8).join('\n      ')}\n      (screenshot: ${join(shotsDir, 'failure.png')})`);
      }
    }
  } finally {
    await ctx.page?.close().catch(() => {});
    if (ctx.server) await stopGroup(ctx.server.child);
    if (ctx.agent) await stopGroup(ctx.agent.child);
    console.log(`  ui suite took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  async function shot(page, name) {
    const path = join(shotsDir, name);
    await page.screenshot({ path });
    if (publish) copyFileSync(path, join(publish, name));
  }
}

/** A real agent on loopback, on the machine's own Node (the agent supports Node 20.18+). */
async function startAgent(root) {
  const { generateSecret } = await loadSecretHelper();
  const dataDir = mkdtempSync(join(root, 'agent-'));
  const secret = generateSecret();
  const secretFile = join(dataDir, 'secret');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  const bundle = join(process.cwd(), 'dist', 'netcam-agent.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} missing: run node scripts/build.mjs`);
  const child = startGroup(process.execPath, [bundle, '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--secret-file', secretFile]);
  const m = await waitForOutput(child, /listening on [^\s]*:(\d+)/, 15_000, 'netcam-agent');
  return { child, port: Number(m[1]), secret };
}

async function loadSecretHelper() {
  // The same format as protocol/src/secret.ts: 32 random bytes, base64url, "ncs1_" prefix.
  const { randomBytes } = await import('node:crypto');
  return { generateSecret: () => `ncs1_${randomBytes(32).toString('base64url')}` };
}

// ---- workbench helpers (selectors of VS Code 1.139's DOM)

const QUICK_INPUT = '.quick-input-widget';

async function quickInputVisible(page, timeout) {
  try {
    await page.locator(`${QUICK_INPUT} input`).first().waitFor({ state: 'visible', timeout });
    return true;
  } catch {
    return false;
  }
}

/** F1, type the command's title, run it (F1 sometimes needs a second press). */
async function runCommand(page, title) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Escape');
    await page.locator('.monaco-workbench').click({ position: { x: 640, y: 5 } }).catch(() => {});
    await page.keyboard.press('F1');
    if (await quickInputVisible(page, 3_000)) break;
  }
  const input = page.locator(`${QUICK_INPUT} input`).first();
  await input.fill(`>${title}`);
  const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: title }).first();
  await row.waitFor({ timeout: STEP_TIMEOUT });
  await row.click();
}

/** Answers the open InputBox whose prompt matches `promptRe`. */
async function answer(page, text, promptRe, { expectError, replace = true } = {}) {
  const widget = page.locator(QUICK_INPUT);
  await waitUntil(async () => {
    if (!(await widget.isVisible())) return false;
    const message = await widget.locator('.quick-input-message, .quick-input-description, .quick-input-title').allInnerTexts().catch(() => []);
    return message.some((m) => promptRe.test(m.trim()));
  }, STEP_TIMEOUT, () => `an input box asking ${promptRe}`, page);
  const input = widget.locator('input').first();
  if (replace) await input.fill(text);
  else await input.type(text);
  if (expectError) {
    await waitUntil(async () => expectError.test((await widget.innerText()).trim()), 10_000, () => `inline error ${expectError}`, page);
    return;
  }
  await page.keyboard.press('Enter');
  // Wait for this prompt to be replaced (next step) or closed.
  await waitUntil(async () => {
    if (!(await widget.isVisible())) return true;
    const value = await input.inputValue().catch(() => '');
    const message = (await widget.locator('.quick-input-message').allInnerTexts().catch(() => [])).join(' ');
    return value !== text || !promptRe.test(message);
  }, 10_000, () => `the input box to accept "${text}" (${promptRe})`, page);
}

/** Picks the QuickPick item whose label is `label`. */
async function pick(page, label) {
  const widget = page.locator(QUICK_INPUT);
  const row = widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^(\\s*)${escapeRe(label)}$`) }) }).first();
  await row.waitFor({ timeout: STEP_TIMEOUT });
  await row.click();
  await page.waitForTimeout(150);
}

/** Waits for a row of the NetCam tree whose accessible label matches `re`. */
async function treeRow(page, re, timeout = STEP_TIMEOUT) {
  const rows = page.locator('.pane-body .monaco-list-row');
  await waitUntil(async () => {
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    return labels.some((l) => re.test(l));
  }, timeout, async () => `a tree row matching ${re}; rows: ${JSON.stringify(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))))}`, page);
}

/** Drags the side bar's sash so descriptions are not cut off in screenshots (best effort). */
async function widenSideBar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox().catch(() => null);
  if (!box) return;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/** The chat panel on the right is not ours: close it so screenshots show NetCam. */
async function hideSecondarySideBar(page) {
  const bar = page.locator('.part.auxiliarybar');
  if (!(await bar.isVisible().catch(() => false))) return;
  const close = bar.locator('.codicon-close, .codicon-layout-sidebar-right-off').first();
  await close.click({ timeout: 5_000 }).catch(() => {});
  if (await bar.isVisible().catch(() => false)) await page.keyboard.press('Control+Alt+B');
}

async function dismissNotifications(page) {
  await page.keyboard.press('Escape');
  const close = page.locator('.notification-toast .codicon-notifications-clear, .notifications-toasts .action-label.codicon-close');
  for (const el of await close.all()) await el.click({ timeout: 1000 }).catch(() => {});
}

async function waitUntil(check, timeoutMs, describe, page) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${await describe()}`);
    await page.waitForTimeout(150);
  }
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

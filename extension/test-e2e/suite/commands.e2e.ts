// Configs created through the commands' API land in netcam.json and validate; invalid
// input is refused and leaves the file as it was; delete removes the monitor and its secret.
import * as assert from 'node:assert/strict';
import { readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { checkConfigText } from '../../../protocol/src/index.js';
import { generateSecret } from '../../../protocol/src/index.js';
import { netcamApi, waitFor, workspaceDir } from './support.js';

describe('config commands', () => {
  const file = () => join(workspaceDir(), 'netcam.json');
  after(() => rmSync(file(), { force: true }));

  it('creates netcam.json with a valid monitor through netcam.createMonitorConfig', async () => {
    const api = await netcamApi();
    rmSync(file(), { force: true });
    const id = await vscode.commands.executeCommand('netcam.createMonitorConfig', {
      id: 'cmd-01', host: '127.0.0.1', port: 7070,
      tasks: [{ type: 'tcp', host: '127.0.0.1', port: 22 }, { type: 'icmp', host: '127.0.0.1', interval: 10 }],
    });
    assert.equal(id, 'cmd-01');
    assert.ok(existsSync(file()), 'netcam.json written');
    const checked = checkConfigText(readFileSync(file(), 'utf8'));
    assert.ok(checked.ok, `netcam.json validates: ${JSON.stringify(!checked.ok && checked.issues)}`);
    assert.deepEqual(checked.value.monitors.map((m) => [m.id, m.tasks.map((t) => t.id)]), [['cmd-01', ['tcp-1', 'icmp-1']]]);
    // The tree shows it, with its tasks, before anything connects.
    const rows = await waitFor(() => api.tree.snapshot().find((r) => r.monitor.monitorId === 'cmd-01'), 10_000, () => 'tree row for cmd-01');
    assert.equal(rows.monitor.description, 'not collecting');
    assert.deepEqual(rows.tasks.map((t) => t.label), ['tcp-1', 'icmp-1']);
  });

  it('refuses an invalid monitor and leaves netcam.json unchanged', async () => {
    await netcamApi();
    const before = readFileSync(file(), 'utf8');
    const id = await vscode.commands.executeCommand('netcam.createMonitorConfig', { id: 'bad', host: '127.0.0.1', port: 99999, tasks: [] });
    assert.equal(id, undefined);
    assert.equal(readFileSync(file(), 'utf8'), before);
  });

  it('Edit Monitor Config opens netcam.json at that monitor', async () => {
    await netcamApi();
    await vscode.commands.executeCommand('netcam.createMonitorConfig', { id: 'cmd-02', host: '127.0.0.2', port: 7071, tasks: [] });
    await vscode.commands.executeCommand('netcam.editMonitorConfig', 'cmd-02');
    const editor = await waitFor(() => vscode.window.activeTextEditor, 10_000, () => 'an active editor');
    assert.equal(editor.document.uri.fsPath, file());
    const line = editor.document.lineAt(editor.selection.active.line).text;
    const next = editor.document.lineAt(editor.selection.active.line + 1).text;
    assert.match(`${line}\n${next}`, /"id": "cmd-02"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(await vscode.commands.executeCommand('netcam.deleteMonitorConfig', 'cmd-02', { confirmed: true }), true);
  });

  it('imports a legacy configs.json next to the existing monitors', async () => {
    await netcamApi();
    const legacy = join(process.env.NETCAM_E2E_TMP ?? workspaceDir(), 'configs.json');
    writeFileSync(legacy, JSON.stringify({
      '127.0.0.3:5000': { IP: '127.0.0.3', Port: 5000, Services: { Ping: { host: '127.0.0.1', ttl: 64, frequency: 30 }, TCP: { server: '127.0.0.1', port: 22, frequency: 60 }, Bogus: {} } },
    }));
    const r = await vscode.commands.executeCommand<{ added: number; notes: string[] }>('netcam.importLegacy', vscode.Uri.file(legacy));
    assert.equal(r?.added, 1);
    assert.ok(r.notes.some((n) => /unknown service "Bogus"/.test(n)), r.notes.join('\n'));
    const checked = checkConfigText(readFileSync(file(), 'utf8'));
    assert.ok(checked.ok);
    const imported = checked.value.monitors.find((m) => m.host === '127.0.0.3')!;
    assert.deepEqual(imported.tasks.map((t) => [t.type, t.interval]), [['icmp', 30], ['tcp', 60]]);
    assert.ok(checked.value.monitors.some((m) => m.id === 'cmd-01'), 'existing monitor kept');
    assert.equal(await vscode.commands.executeCommand('netcam.deleteMonitorConfig', imported.id, { confirmed: true }), true);
  });

  it('stores a secret only after it validates, and delete removes monitor and secret', async () => {
    const api = await netcamApi();
    assert.equal(await vscode.commands.executeCommand('netcam.setAgentSecret', 'cmd-01', 'not-a-secret'), undefined);
    assert.equal(await api.workspace()!.secrets.has('cmd-01'), false);
    assert.equal(await vscode.commands.executeCommand('netcam.setAgentSecret', 'cmd-01', generateSecret()), true);
    assert.equal(await api.workspace()!.secrets.has('cmd-01'), true);
    assert.equal(await vscode.commands.executeCommand('netcam.deleteMonitorConfig', 'cmd-01', { confirmed: true }), true);
    assert.equal(await api.workspace()!.secrets.has('cmd-01'), false);
    const checked = checkConfigText(readFileSync(file(), 'utf8'));
    assert.ok(checked.ok);
    assert.deepEqual(checked.value.monitors, []);
    assert.ok(!readFileSync(file(), 'utf8').includes('ncs1_'), 'no secret in netcam.json');
  });

  it('saves the agent bundle shipped inside the extension', async () => {
    await netcamApi();
    const target = vscode.Uri.file(join(process.env.NETCAM_E2E_TMP ?? workspaceDir(), 'bundle-out'));
    await vscode.workspace.fs.createDirectory(target);
    const written = await vscode.commands.executeCommand<string>('netcam.saveAgentBundle', target);
    assert.ok(written && existsSync(written), 'netcam-agent.js written');
    assert.match(readFileSync(written, 'utf8').slice(0, 200), /^#!\/usr\/bin\/env node/);
  });
});

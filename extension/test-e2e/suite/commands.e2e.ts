// Configs created through the commands' API land in netcam.json and validate; invalid
// input is refused and leaves the file as it was; delete removes the monitor and its secret.
import * as assert from 'node:assert/strict';
import { readFileSync, existsSync, rmSync } from 'node:fs';
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

// Collect from a real loopback agent fills the tree with live statuses; stop ends the
// agent's tasks; disconnect (what closing VS Code does) leaves them running.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { agentHello, netcamApi, startAgent, stopAllAgents, waitFor, workspaceDir, type RunningAgent } from './support.js';

describe('collect and stop with a loopback agent', function () {
  this.timeout(120_000);
  let agent: RunningAgent;
  const file = () => join(workspaceDir(), 'netcam.json');

  before(async () => {
    agent = await startAgent();
    const api = await netcamApi();
    rmSync(file(), { force: true });
    await api.workspace()!.manager.config.load().catch(() => undefined);
    const id = await vscode.commands.executeCommand('netcam.createMonitorConfig', {
      id: 'loop', host: '127.0.0.1', port: agent.port,
      tasks: [
        { id: 'agent-port', type: 'tcp', host: '127.0.0.1', port: agent.port, interval: 2, timeout: 1 },
        { id: 'closed-port', type: 'tcp', host: '127.0.0.1', port: 1, interval: 2, timeout: 1 },
      ],
    });
    assert.equal(id, 'loop');
    assert.equal(await vscode.commands.executeCommand('netcam.setAgentSecret', 'loop', agent.secret), true);
  });

  after(async () => {
    const api = await netcamApi();
    await api.workspace()?.manager.stop('all').catch(() => undefined);
    await stopAllAgents();
    rmSync(file(), { force: true });
  });

  it('shows live statuses in the tree and the status bar after Collect', async () => {
    const api = await netcamApi();
    await vscode.commands.executeCommand('netcam.collect', 'loop');
    const row = await waitFor(() => {
      const r = api.tree.snapshot().find((x) => x.monitor.monitorId === 'loop');
      const up = r?.tasks.find((t) => t.taskId === 'agent-port');
      const down = r?.tasks.find((t) => t.taskId === 'closed-port');
      return r?.monitor.description.startsWith('connected') && up?.description.includes(' · up') && down?.description.includes(' · down') ? r : undefined;
    }, 60_000, () => `trusted: ${vscode.workspace.isTrusted}; state: ${JSON.stringify(api.workspace()!.manager.getMonitorState('loop'))}\ntree: ${JSON.stringify(api.tree.snapshot())}\nagent output:\n${agent.output()}`);
    assert.equal(row.monitor.contextValue, 'monitor.connected');
    assert.equal(row.monitor.icon.id, 'vm-active');
    const up = row.tasks.find((t) => t.taskId === 'agent-port')!;
    assert.match(up.description, new RegExp(`^127\\.0\\.0\\.1:${agent.port} · up · [\\d.]+ ms$`));
    assert.equal(up.icon.color, 'testing.iconPassed');
    assert.equal(up.contextValue, 'task.up.live');
    assert.equal(row.tasks.find((t) => t.taskId === 'closed-port')!.icon.color, 'testing.iconFailed');
    await waitFor(() => api.statusBar.last?.text === '$(error) NetCam 1 down 1 up', 5_000, () => `status bar: ${api.statusBar.last?.text}`);
  });

  it('exports the collected results', async () => {
    const out = vscode.Uri.file(join(process.env.NETCAM_E2E_TMP ?? workspaceDir(), 'export.csv'));
    const written = await vscode.commands.executeCommand<string>('netcam.exportResults', { monitorId: 'loop', format: 'csv', uri: out });
    assert.equal(written, out.fsPath);
    const lines = readFileSync(out.fsPath, 'utf8').trim().split('\n');
    assert.ok(lines.length >= 3, `header + results:\n${lines.join('\n')}`);
    assert.ok(lines.slice(1).some((l) => l.includes('agent-port') && l.includes('up')));
    assert.ok(lines.slice(1).some((l) => l.includes('closed-port') && l.includes('down')));
  });

  it('keeps the agent monitoring when the manager disconnects (VS Code closing)', async () => {
    const api = await netcamApi();
    await api.workspace()!.manager.disconnect();
    const first = await agentHello(agent);
    assert.equal(first.monitorId, 'loop');
    assert.ok(first.tasksHash, 'the agent still runs its tasks');
    const later = await waitFor(async () => {
      const h = await agentHello(agent);
      return h.lastSeq > first.lastSeq ? h : undefined;
    }, 20_000, () => 'the agent produced no new results while the manager was away');
    assert.ok(later.lastSeq > first.lastSeq);
    // Collect again: the backlog is delivered and the link is live once more.
    await vscode.commands.executeCommand('netcam.collect', 'loop');
    await waitFor(() => api.workspace()!.manager.getMonitorState('loop')?.link === 'connected', 30_000, () => 'reconnect');
    await waitFor(async () => (await api.workspace()!.manager.history.query({ monitorId: 'loop' })).some((r) => r.seq >= later.lastSeq), 30_000, () => 'backlog delivered');
  });

  it('Stop ends the tasks on the agent', async () => {
    const api = await netcamApi();
    await vscode.commands.executeCommand('netcam.stop', 'loop');
    const row = await waitFor(() => {
      const r = api.tree.snapshot().find((x) => x.monitor.monitorId === 'loop');
      return r?.monitor.description === 'stopped' ? r : undefined;
    }, 20_000, () => `tree: ${JSON.stringify(api.tree.snapshot().map((r) => r.monitor.description))}`);
    assert.equal(row.monitor.contextValue, 'monitor.stopped');
    const hello = await agentHello(agent);
    assert.equal(hello.tasksHash, null, 'the agent runs no tasks after stop');
    assert.equal(hello.monitorId, null);
    const seq = hello.lastSeq;
    await new Promise((r) => setTimeout(r, 4500)); // two task intervals
    assert.equal((await agentHello(agent)).lastSeq, seq, 'no results after stop');
    assert.ok(!readFileSync(file(), 'utf8').includes(agent.secret), 'no secret in netcam.json');
  });
});

// In an untrusted workspace NetCam edits netcam.json but opens no connection: a
// workspace file must not be able to make VS Code dial out (workspace trust).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { agentHello, netcamApi, startAgent, stopAllAgents, type RunningAgent } from './support.js';

describe('untrusted workspace', function () {
  this.timeout(60_000);
  let agent: RunningAgent;
  before(async () => {
    agent = await startAgent();
  });
  after(() => stopAllAgents());

  it('keeps config editing but never connects to an agent', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this run opens the folder untrusted');
    const api = await netcamApi();
    assert.equal(await vscode.commands.executeCommand('netcam.createMonitorConfig', {
      id: 'untrusted', host: '127.0.0.1', port: agent.port, tasks: [{ type: 'tcp', host: '127.0.0.1', port: agent.port, interval: 2, timeout: 1 }],
    }), 'untrusted');
    assert.equal(await vscode.commands.executeCommand('netcam.setAgentSecret', 'untrusted', agent.secret), true);
    await vscode.commands.executeCommand('netcam.collect', 'untrusted');
    await vscode.commands.executeCommand('netcam.collectAll');
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(api.workspace()!.manager.getMonitorState('untrusted')?.link ?? 'idle', 'idle');
    const hello = await agentHello(agent);
    assert.equal(hello.monitorId, null, 'no manager ever handed this agent an id');
    assert.equal(hello.lastSeq, 0, 'the agent ran nothing');
  });
});

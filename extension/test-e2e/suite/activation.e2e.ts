// The extension activates inside a real VS Code extension host and registers every
// command its manifest contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, netcamApi } from './support.js';

describe('activation', () => {
  it('activates in the real extension host', async () => {
    const api = await netcamApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)!.isActive, true);
    assert.ok(api.workspace(), 'a NetCam workspace for the open folder');
  });

  it('registers every contributed command, all in category NetCam', async () => {
    await netcamApi();
    const contributed = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string; category: string }[];
    assert.ok(contributed.length >= 14, `${contributed.length} commands contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepEqual(missing, [], 'contributed but not registered');
    assert.deepEqual(contributed.filter((c) => c.category !== 'NetCam').map((c) => c.command), []);
    // Every result-console toolbar action has a palette twin.
    const consoleActions = ['togglePause', 'clear', 'exportCsv', 'exportJson', 'focusFilter'].map((a) => `netcam.console.${a}`);
    const ids = new Set(contributed.map((c) => c.command));
    assert.deepEqual(consoleActions.filter((id) => !ids.has(id)), [], 'console actions without a palette command');
  });

  it('a console palette command opens the result console', async () => {
    const api = await netcamApi();
    const rc = api.resultConsole()!;
    assert.ok(rc, 'the result console exists');
    await vscode.commands.executeCommand('netcam.console.focusFilter');
    assert.equal(rc.isOpen, true, 'netcam.console.focusFilter opened the console');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

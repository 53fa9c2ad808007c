// An invalid netcam.json shows up in the Problems panel at the JSON path; the manager
// keeps the last good config; fixing the file clears the problem.
import * as assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { netcamApi, waitFor, workspaceDir } from './support.js';

describe('netcam.json diagnostics', function () {
  this.timeout(60_000);
  const file = () => join(workspaceDir(), 'netcam.json');
  const good = { version: 1, monitors: [{ id: 'diag', host: '127.0.0.1', port: 7070, tasks: [{ id: 'ssh', type: 'tcp', host: '127.0.0.1', port: 22 }] }] };
  after(() => rmSync(file(), { force: true }));

  it('reports a bad field at its path and keeps the last valid config', async () => {
    const api = await netcamApi();
    const ws = api.workspace()!;
    if (!existsSync(file())) writeFileSync(file(), '{ "version": 1, "monitors": [] }\n');
    // Edit and save through VS Code, as a user would (an external write could race the
    // editor's copy of a document an earlier test opened).
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file()));
    const editor = await vscode.window.showTextDocument(doc);
    // Earlier tests rewrote the file behind this document's back: reload it from disk.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    const saveAs = async (content: string) => {
      assert.ok(await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), content)), 'edit applied');
      assert.ok(await doc.save(), 'saved');
    };
    await saveAs(JSON.stringify(good, null, 2) + '\n');
    await waitFor(() => ws.config.monitors.some((m) => m.id === 'diag'), 10_000, () => 'good config loaded');

    const bad = structuredClone(good);
    (bad.monitors[0].tasks[0] as Record<string, unknown>).port = 70000;
    const text = JSON.stringify(bad, null, 2) + '\n';
    await saveAs(text);

    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(vscode.Uri.file(file())).filter((x) => x.source === 'NetCam');
      return d.length ? d : undefined;
    }, 15_000, () => 'a NetCam diagnostic on netcam.json');
    assert.equal(diags[0].message, 'monitors[0].tasks[0].port: must be <= 65535');
    const line = text.split('\n')[diags[0].range.start.line];
    assert.match(line, /"port": 70000/);
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    // The manager still has the last valid config.
    assert.equal((ws.config.monitors[0].tasks[0] as { port: number }).port, 22);

    // A syntax error is located too.
    await saveAs(text.replace('"host"', '"host" "'));
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'NetCam' && /is not valid JSON/.test(d.message)), 15_000, () => 'syntax diagnostic');

    // Fixing the file clears the problems.
    await saveAs(JSON.stringify(good, null, 2) + '\n');
    await waitFor(() => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'NetCam'), 15_000, () => 'diagnostics cleared');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

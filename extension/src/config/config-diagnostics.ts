// Problems in netcam.json shown in the Problems panel, underlined at the JSON path the
// validator names. The running collection keeps the last good config meanwhile (the
// manager only applies a config that validates).
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import type { ConfigIssue } from '../../../manager/src/index.js';
import { locateJsonPath, syntaxErrors, type TextRange } from '../model/json-locate.js';

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('netcam');

  constructor(private readonly uri: vscode.Uri) {}

  async show(issues: readonly ConfigIssue[]): Promise<void> {
    const text = await this.currentText();
    const toRange = (r: TextRange) => new vscode.Range(positionAt(text, r.start), positionAt(text, r.end));
    const diagnostics: vscode.Diagnostic[] = [];
    for (const issue of issues) {
      const syntax = issue.path === '(file)' ? syntaxErrors(text) : [];
      if (syntax.length) {
        for (const e of syntax) diagnostics.push(diagnostic(toRange(e.range), `netcam.json: ${e.message}`));
        continue;
      }
      const label = issue.path === '(file)' ? '' : `${issue.path}: `;
      diagnostics.push(diagnostic(toRange(locateJsonPath(text, issue.path)), `${label}${issue.message}`));
    }
    this.collection.set(this.uri, diagnostics);
  }

  clear(): void {
    this.collection.delete(this.uri);
  }

  get(): readonly vscode.Diagnostic[] {
    return this.collection.get(this.uri) ?? [];
  }

  private async currentText(): Promise<string> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    if (open && !open.isDirty) return open.getText();
    try {
      return await readFile(this.uri.fsPath, 'utf8');
    } catch {
      return open?.getText() ?? '';
    }
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function diagnostic(range: vscode.Range, message: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
  d.source = 'NetCam';
  return d;
}

/** Offset → Position without needing an open TextDocument. */
export function positionAt(text: string, offset: number): vscode.Position {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return new vscode.Position(line, end - lineStart);
}

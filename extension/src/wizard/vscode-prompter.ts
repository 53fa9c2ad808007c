// The Prompter on VS Code's QuickPick and InputBox: titles with step counters, inline
// validation while typing, and Escape (hide) resolving to undefined.
import * as vscode from 'vscode';
import type { InputRequest, PickItem, PickRequest, Prompter } from './prompter.js';

export class VscodePrompter implements Prompter {
  input(req: InputRequest): Promise<string | undefined> {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = req.title;
      box.prompt = req.prompt;
      box.value = req.value ?? '';
      box.placeholder = req.placeholder;
      box.step = req.step;
      box.totalSteps = req.totalSteps;
      box.password = req.password ?? false;
      box.ignoreFocusOut = true;
      const validate = () => {
        box.validationMessage = req.validate?.(box.value);
        return box.validationMessage === undefined;
      };
      let done = false;
      const finish = (value: string | undefined) => {
        if (done) return;
        done = true;
        resolve(value);
        box.dispose();
      };
      box.onDidChangeValue(() => validate());
      box.onDidAccept(() => {
        if (validate()) finish(box.value);
      });
      box.onDidHide(() => finish(undefined));
      if (box.value) validate();
      box.show();
    });
  }

  pick<T>(req: PickRequest<T>): Promise<T | undefined> {
    return this.quickPick(req, false).then((r) => r?.[0]);
  }

  pickMany<T>(req: PickRequest<T>): Promise<T[] | undefined> {
    return this.quickPick(req, true);
  }

  private quickPick<T>(req: PickRequest<T>, many: boolean): Promise<T[] | undefined> {
    return new Promise((resolve) => {
      type Item = vscode.QuickPickItem & { value: T };
      const qp = vscode.window.createQuickPick<Item>();
      const items: Item[] = req.items.map((i: PickItem<T>) => ({ label: i.label, description: i.description, detail: i.detail, value: i.value }));
      qp.title = req.title;
      qp.placeholder = req.placeholder;
      qp.step = req.step;
      qp.totalSteps = req.totalSteps;
      qp.canSelectMany = many;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = true;
      qp.items = items;
      if (many) qp.selectedItems = items.filter((_, i) => req.items[i].picked);
      let done = false;
      const finish = (value: T[] | undefined) => {
        if (done) return;
        done = true;
        resolve(value);
        qp.dispose();
      };
      qp.onDidAccept(() => {
        const chosen = many ? qp.selectedItems : qp.activeItems.slice(0, 1);
        if (!many && !chosen.length) return;
        finish(chosen.map((i) => i.value));
      });
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  }
}

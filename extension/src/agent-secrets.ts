// Pairing secrets live only in VS Code's SecretStorage, under `netcam.agentSecret.<monitorId>`:
// never in settings, netcam.json, logs or error messages. The manager asks for a secret on
// every connection attempt through the SecretProvider seam.
import type * as vscode from 'vscode';
import type { SecretProvider } from '../../manager/src/index.js';
import { parseSecret } from '../../protocol/src/index.js';

export const secretKey = (monitorId: string): string => `netcam.agentSecret.${monitorId}`;

export class AgentSecrets implements SecretProvider {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async get(monitorId: string): Promise<string | undefined> {
    try {
      return await this.storage.get(secretKey(monitorId));
    } catch {
      // No OS keyring (Linux without one): treat as "not set"; the user is asked again.
      return undefined;
    }
  }

  async has(monitorId: string): Promise<boolean> {
    return (await this.get(monitorId)) !== undefined;
  }

  /** Validates first; throws the one-line parse error (which never echoes the text). */
  async set(monitorId: string, secret: string): Promise<void> {
    parseSecret(secret);
    await this.storage.store(secretKey(monitorId), secret.trim());
  }

  async delete(monitorId: string): Promise<void> {
    await this.storage.delete(secretKey(monitorId));
  }

  onDidChange(listener: (monitorId: string) => void): vscode.Disposable {
    return this.storage.onDidChange((e) => {
      if (e.key.startsWith('netcam.agentSecret.')) listener(e.key.slice('netcam.agentSecret.'.length));
    });
  }
}

/** Checks pasted text for the InputBox: an error line, or undefined when it is a valid secret. */
export function validateSecretText(text: string): string | undefined {
  try {
    parseSecret(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

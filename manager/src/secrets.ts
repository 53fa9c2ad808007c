// Where pairing secrets come from. The extension implements this with VS Code's
// SecretStorage; the CLI with env-secrets.ts. The manager asks on every connection
// attempt (so a replaced secret is used at once) and never logs what it gets.

export interface SecretProvider {
  /** The monitor's pairing secret as the agent printed it (`ncs1_...`), or undefined if none is stored. */
  get(monitorId: string): Promise<string | undefined>;
}

/** A fixed map of secrets (tests, the demo). */
export function staticSecrets(secrets: Record<string, string> | ((monitorId: string) => string | undefined)): SecretProvider {
  return {
    get: async (monitorId) => (typeof secrets === 'function' ? secrets(monitorId) : Object.prototype.hasOwnProperty.call(secrets, monitorId) ? secrets[monitorId] : undefined),
  };
}

// Placeholder: `netcam-agent check` (the probes work provides it).
export async function runCheckCli(_argv: string[]): Promise<number> {
  console.error('netcam-agent check: not yet implemented');
  return 2;
}

// Placeholder: `netcam-agent echo-server` (the probes work provides it).
export async function runEchoServerCli(_argv: string[]): Promise<number> {
  console.error('netcam-agent echo-server: not yet implemented');
  return 2;
}

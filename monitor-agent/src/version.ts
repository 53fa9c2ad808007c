// The agent's version, reported in `hello.software` and `--version`.
export const AGENT_VERSION = '0.1.0';
export const AGENT_SOFTWARE = `netcam-agent/${AGENT_VERSION}`;

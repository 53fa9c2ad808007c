// Usage text of every subcommand (`netcam <command> --help`).
export const MAIN_HELP = `netcam: the NetCam manager CLI (configs, collection, history) — headless twin of the VS Code extension

usage: netcam <command> [options]

commands:
  collect (--monitor ID... | --all)   connect to agents, hand over ID and tasks, stream results until Ctrl+C
  validate [FILE]                     check a netcam.json (default ./netcam.json); errors name the JSON path
  import-legacy FILE [--out FILE]     convert the Python NetCam's configs.json to netcam.json
  list                                show the monitors and tasks of netcam.json (the old "see configs")
  echo-server [--host H] [--port P]   run the included TCP+UDP echo server (default 127.0.0.1:12345)
  demo                                loopback demo: echo server, one agent, an HTTP server, live results

Run "netcam <command> --help" for a command's options.
Exit codes: 0 ok, 1 runtime failure, 2 bad arguments or a bad config.`;

export const COLLECT_HELP = `usage: netcam collect (--monitor ID [--monitor ID...] | --all) [options]

Connects to each monitor agent (one independent link per monitor), hands over its ID and
tasks, checks every echoed task against what was sent, then prints results as they arrive.
Links that fail are retried with exponential backoff (1 s base, 60 s cap, full jitter).
Ctrl+C (or SIGTERM) sends "stop" to every agent, waits for it to confirm, and exits 0.
Every result is stored in the history directory before it is acknowledged.

options:
  -m, --monitor ID       a monitor id from the config (repeatable)
  -a, --all              every monitor in the config
  -c, --config FILE      config file (default ./netcam.json)
      --json             one result object per line on stdout (log lines go to stderr)
      --history-dir DIR  where results are stored (default $XDG_STATE_HOME/netcam/history,
                         i.e. ~/.local/state/netcam/history)
      --secret-file FILE pairing secret(s): one "ncs1_..." line for every monitor, or lines
                         "<monitor id> ncs1_..."
  -v, --verbose          debug log lines on stderr

Secrets, most specific first: the secret file's line for the monitor, the environment
variable NETCAM_SECRET_<MONITOR ID> (uppercased, every other character -> _), the secret
file's single secret, NETCAM_SECRET.`;

export const VALIDATE_HELP = `usage: netcam validate [FILE]

Checks FILE (default ./netcam.json) against the schema. Prints one line per problem,
naming the JSON path (monitors[0].tasks[2].interval: must be >= 1), and exits 2 if there
is any; otherwise prints a summary and exits 0.`;

export const IMPORT_HELP = `usage: netcam import-legacy FILE [--out FILE] [--force]

Converts the Python NetCam's configs.json: "<IP>:<Port>" monitors, the services Ping,
Tracert, HTTP, HTTPS, NTP, DNS, TCP, UDP and Echo, "frequency" -> "interval", "server" or
"dns_server". Everything that could not be mapped is listed on stderr.

options:
  -o, --out FILE   write netcam.json there (atomically) instead of to stdout
  -f, --force      overwrite --out if it exists`;

export const LIST_HELP = `usage: netcam list [--config FILE] [--json]

Shows every monitor and its tasks (defaults applied) from the config.

options:
  -c, --config FILE   config file (default ./netcam.json)
      --json          the validated config as JSON`;

export const ECHO_HELP = `usage: netcam echo-server [--host 127.0.0.1] [--port 12345]

Runs the included echo server (TCP and UDP; a TCP client sending "Goodbye" is
disconnected) until Ctrl+C. It is the agent's own server: this command runs
netcam-agent.js echo-server from beside the netcam CLI (or $NETCAM_AGENT_JS).`;

export const DEMO_HELP = `usage: netcam demo [--json] [--duration SECONDS]

On loopback only: starts the echo server, one agent (throwaway data dir and secret),
a small HTTP server and a demo netcam.json whose every task is up here (icmp to
127.0.0.1, tcp/udp/echo to the echo server, http to the HTTP server), then collects and
prints results until Ctrl+C. Everything it started is stopped and removed on exit.

options:
      --json              one result object per line on stdout
      --duration SECONDS  stop by itself after this long (as if Ctrl+C was pressed)
      --keep              keep the temp dir (config, history, agent data) and print its path`;

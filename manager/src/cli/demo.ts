// `netcam demo`: everything on loopback, nothing left behind. Starts the echo server and
// one agent (both from the agent bundle beside this CLI), a small HTTP server, writes a
// demo netcam.json whose every task is up here, then collects until Ctrl+C (or
// --duration) and stops and removes all of it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from '../../../protocol/src/index.js';
import { formatConfig } from '../config-format.js';
import { Manager } from '../manager.js';
import { staticSecrets } from '../secrets.js';
import { parse, UsageError } from './args.js';
import { OwnedChild } from './child.js';
import { styleFor } from './format.js';
import { DEMO_HELP } from './help.js';
import { stderrLogger } from './log-sink.js';
import { agentScript } from './paths.js';
import { runCollection } from './run-collection.js';
import { hasCommand } from './which.js';

const READY_TIMEOUT_MS = 10_000;
export const DEMO_MONITOR_ID = 'demo';

export function demoTasks(ports: { echoTcp: number; echoUdp: number; http: number }, withPing: boolean): unknown[] {
  const every = 5;
  return [
    ...(withPing ? [{ id: 'ping-loopback', type: 'icmp', host: '127.0.0.1', count: 2, interval: every }] : []),
    { id: 'tcp-echo-port', type: 'tcp', host: '127.0.0.1', port: ports.echoTcp, interval: every },
    { id: 'udp-echo-port', type: 'udp', host: '127.0.0.1', port: ports.echoUdp, payload: 'netcam demo', expect: 'netcam demo', interval: every },
    { id: 'echo-tcp', type: 'echo', host: '127.0.0.1', port: ports.echoTcp, interval: every },
    { id: 'echo-udp', type: 'echo', host: '127.0.0.1', port: ports.echoUdp, transport: 'udp', interval: every },
    { id: 'web', type: 'http', url: `http://127.0.0.1:${ports.http}/health`, keyword: 'OK', timeout: 2, interval: every },
  ];
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parse('demo', argv, { json: { type: 'boolean' }, duration: { type: 'string' }, keep: { type: 'boolean' } });
  if (values.help) {
    console.log(DEMO_HELP);
    return 0;
  }
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) throw new UsageError(`--duration: must be a number of seconds > 0, got ${JSON.stringify(values.duration)}`);
  const script = agentScript();
  if (!existsSync(script)) {
    console.error(`netcam demo: the agent bundle ${script} is missing; run "npm run build" first`);
    return 1;
  }
  const info = (line: string) => process.stderr.write(`[demo] ${line}\n`);
  const tmp = await mkdtemp(join(tmpdir(), 'netcam-demo-'));
  const children: OwnedChild[] = [];
  let http: Server | undefined;
  let code = 1;
  try {
    const secret = generateSecret();
    await writeFile(join(tmp, 'secret'), `${secret}\n`, { mode: 0o600 });

    const echo = new OwnedChild('the echo server (netcam-agent.js echo-server)', [script, 'echo-server', '--host', '127.0.0.1', '--port', '0']);
    children.push(echo);
    const echoLine = await echo.waitFor(/listening on 127\.0\.0\.1:(\d+) \(TCP\) and 127\.0\.0\.1:(\d+) \(UDP\)/, READY_TIMEOUT_MS);
    const echoTcp = Number(echoLine[1]);
    const echoUdp = Number(echoLine[2]);
    info(`echo server on 127.0.0.1:${echoTcp} (TCP) and 127.0.0.1:${echoUdp} (UDP) (pid ${echo.pid})`);

    http = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`NetCam demo: OK (${req.method} ${req.url})\n`);
    });
    await new Promise<void>((resolve, reject) => {
      http!.once('error', reject);
      http!.listen(0, '127.0.0.1', resolve);
    });
    const httpPort = (http.address() as AddressInfo).port;
    info(`HTTP server on http://127.0.0.1:${httpPort}/`);

    const agent = new OwnedChild('the agent (netcam-agent.js --listen)', [script, '--listen', '127.0.0.1:0', '--data-dir', join(tmp, 'agent-data'), '--secret-file', join(tmp, 'secret')]);
    children.push(agent);
    const agentLine = await agent.waitFor(/listening on (?:\[[^\]]+\]|[^\s:]+):(\d+)/, READY_TIMEOUT_MS);
    const agentPort = Number(agentLine[1]);
    info(`agent on 127.0.0.1:${agentPort} (pid ${agent.pid}, data in ${join(tmp, 'agent-data')})`);

    const withPing = hasCommand('ping');
    if (!withPing) info('no "ping" command here (apt-get install iputils-ping): the icmp task is left out');
    const configPath = join(tmp, 'netcam.json');
    await writeFile(configPath, formatConfig({ version: 1, monitors: [{ id: DEMO_MONITOR_ID, name: 'Loopback demo agent', host: '127.0.0.1', port: agentPort, tasks: demoTasks({ echoTcp, echoUdp, http: httpPort }, withPing) }] }));
    info(`config ${configPath}; collecting (Ctrl+C stops the agent's tasks and cleans up)`);

    const manager = new Manager({
      configPath,
      historyDir: join(tmp, 'history'),
      secrets: staticSecrets({ [DEMO_MONITOR_ID]: secret }),
      log: stderrLogger(styleFor(process.stderr)),
      reconnect: { staggerMs: 0 },
      watchConfig: false,
    });
    let died: string | undefined;
    const until = new Promise<void>((resolve) => {
      if (duration !== undefined) setTimeout(resolve, duration * 1000).unref();
      for (const child of children) {
        void child.exited.then((why) => {
          died ??= `${child.label} ${why}; output: ${child.output()}`;
          resolve();
        });
      }
    });
    code = await runCollection(manager, { ids: 'all', json: !!values.json, style: styleFor(process.stdout), until });
    if (died) {
      console.error(`netcam demo: ${died}`);
      code = 1;
    }
  } catch (err) {
    console.error(`netcam demo: ${(err as Error).message}`);
    code = 1;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    if (http) await new Promise<void>((resolve) => http!.close(() => resolve()));
    if (values.keep) info(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
    info('stopped the agent, the echo server and the HTTP server; removed the temp files');
  }
  return code;
}

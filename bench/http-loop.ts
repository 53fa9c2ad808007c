// Quick loop for the HTTP probe's own cost: N sequential checks against a Node server in a
// separate process (so its CPU is not ours), CPU ms/check of this process, p50 total, and
// p50 of `curl -w %{time_total}` interleaved on the same target. Loopback only.
// Usage: npx tsx bench/http-loop.ts [N]   (needs openssl and curl)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHttpProbes } from '../monitor-agent/src/probes/http.js';
import { parseTask } from '../protocol/src/index.js';

// The target: node:http and node:https in their own process (its CPU is not counted).
const SERVER = `
const http = require('http'), https = require('https'), fs = require('fs');
const body = 'hello netcam '.repeat(50);
const h = (q, s) => { s.writeHead(200, { 'content-type': 'text/plain' }); s.end(body); };
const a = http.createServer(h).listen(0, '127.0.0.1', () => {
  const b = https.createServer({ key: fs.readFileSync(__dirname + '/key.pem'), cert: fs.readFileSync(__dirname + '/cert.pem') }, h).listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ http: a.address().port, https: b.address().port }));
  });
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

async function main(): Promise<void> {
const n = Number(process.argv[2] ?? 2000);
const certDir = mkdtempSync(join(tmpdir(), 'netcam-http-loop-'));
process.once('exit', () => rmSync(certDir, { recursive: true, force: true }));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${certDir}/key.pem`, '-out', `${certDir}/cert.pem`, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
writeFileSync(`${certDir}/server.cjs`, SERVER);
const server = spawn(process.execPath, [`${certDir}/server.cjs`], { stdio: ['pipe', 'pipe', 'inherit'] });
const ports = await new Promise<{ http: number; https: number }>((res) => server.stdout!.once('data', (d) => res(JSON.parse(String(d)))));
const probes = makeHttpProbes({ ca: readFileSync(`${certDir}/cert.pem`, 'utf8') });
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const scheme of ['http', 'https'] as const) {
  const task = parseTask({ type: scheme, url: `${scheme}://127.0.0.1:${ports[scheme]}/`, interval: 10, timeout: 5 }) as never;
  const probe = probes[scheme] as (t: never, c: unknown) => Promise<{ status: string; latencyMs: number | null; error: string | null }>;
  const run = () => probe(task, { signal: new AbortController().signal, timeoutMs: 5000, state: {} });
  for (let i = 0; i < 200; i++) await run(); // warm-up
  const count = scheme === 'https' ? Math.ceil(n / 4) : n;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const lat: number[] = [];
  for (let i = 0; i < count; i++) {
    const o = await run();
    if (o.status !== 'up') throw new Error(o.error ?? 'down');
    lat.push(o.latencyMs!);
  }
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const agent: number[] = [];
  const curl: number[] = [];
  for (let i = 0; i < 150; i++) {
    agent.push((await run()).latencyMs!);
    const out = execFileSync('curl', ['-s', '-o', '/dev/null', '--cacert', `${certDir}/cert.pem`, '-w', '%{time_total}', `${scheme}://127.0.0.1:${ports[scheme]}/`], { encoding: 'utf8' });
    curl.push(Number(out) * 1000);
  }
  console.log(`${scheme}: ${count} checks, CPU ${((c.user + c.system) / 1000 / count).toFixed(3)} ms/check, wall ${(wall / count).toFixed(3)} ms/check, p50 total ${median(lat).toFixed(3)} ms; interleaved agent p50 ${median(agent).toFixed(3)} vs curl ${median(curl).toFixed(3)} ms (agent ${(median(agent) - median(curl)).toFixed(3)})`);
}
server.kill();
}
void main();

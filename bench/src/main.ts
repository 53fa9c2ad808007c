// The bench runner (issue 8): starts the loopback servers, runs every measurement several
// times, prints the table, writes bench/results/latest.json and docs/performance.md.
// Every child process and temp dir is owned by procs.ts and removed on any exit.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SPOOL_BUDGET } from '../../monitor-agent/src/spool/spool.js';
import { runAgentOnce, prefillSpool, type RunContext, type RunResult, type RunSpec } from './agent-run.js';
import { blackboxSlots, runBlackbox, runFping, type ToolRun } from './compare.js';
import { measureFidelity, type FidelityRow } from './fidelity.js';
import { describeMachine } from './machine.js';
import { killAllSync, stopAll, tempDir, removeDir } from './procs.js';
import { buildRows, printTable, writePerformanceDoc, type BenchData, type ConsoleIngest } from './report.js';
import { startServers } from './servers.js';
import { many, inProcessMix } from './tasks.js';
import { ensureTools } from './tools.js';

export interface Settings {
  quick: boolean;
  runs: number;
  scale: number;
  only: Set<string> | null;
}

function settings(): Settings {
  const quick = process.env.BENCH_QUICK === '1';
  const runs = Math.max(1, Number(process.env.BENCH_RUNS) || (quick ? 1 : 3));
  const scale = Number(process.env.BENCH_SCALE) || 1;
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
  return { quick, runs, scale, only };
}

/** Fixed digits, or n/a for a figure that does not exist (NaN arrives as null over IPC). */
const fx = (v: number | null | undefined, digits: number): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

const log = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/** Rewrites docs/performance.md from bench/results/latest.json (after editing report.ts's text). */
export function reportOnly({ repoDir }: { repoDir: string }): number {
  const data = JSON.parse(readFileSync(join(repoDir, 'bench', 'results', 'latest.json'), 'utf8')) as BenchData;
  const rows = buildRows(data);
  printTable(rows, data);
  writePerformanceDoc(join(repoDir, 'docs', 'performance.md'), rows, data);
  return 0;
}

export async function runBench({ buildDir, repoDir }: { buildDir: string; repoDir: string }): Promise<number> {
  const onSignal = (sig: string): void => {
    log(`${sig}: stopping every server and child, removing temp dirs`);
    // SIGTERM first (nginx's master stops its workers), SIGKILL for whatever is left.
    const hard = setTimeout(() => {
      killAllSync();
      process.exit(130);
    }, 4000);
    void stopAll().finally(() => {
      clearTimeout(hard);
      killAllSync();
      process.exit(130);
    });
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('exit', killAllSync);

  const s = settings();
  const t0 = performance.now();
  try {
    ensureTools(log);
    const machine = describeMachine();
    log(`${s.quick ? 'QUICK' : 'full'} run: ${s.runs} run(s) per measurement, window scale ${s.scale}; load average at start ${machine.loadAvgAtStart.toFixed(2)}`);
    const data = await measure(s, buildDir, repoDir);
    data.machine = machine;
    data.totalSeconds = (performance.now() - t0) / 1000;
    data.loadAvgAtEnd = loadavg()[0];
    const rows = buildRows(data);
    printTable(rows, data);
    const resultsDir = join(repoDir, 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    if (s.quick || s.only) {
      // A partial or smoke run must not replace the full run's figures.
      writeFileSync(join(resultsDir, 'partial.json'), `${JSON.stringify({ ...data, rows }, null, 2)}\n`);
      log(`partial run (BENCH_QUICK/BENCH_ONLY): wrote bench/results/partial.json only, in ${Math.round(data.totalSeconds)} s`);
      return 0;
    }
    writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ ...data, rows }, null, 2)}\n`);
    writePerformanceDoc(join(repoDir, 'docs', 'performance.md'), rows, data);
    log(`wrote bench/results/latest.json and docs/performance.md in ${Math.round(data.totalSeconds)} s`);
    return 0;
  } catch (err) {
    log(`FAILED: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  } finally {
    await stopAll();
  }
}

async function measure(s: Settings, buildDir: string, repoDir: string): Promise<BenchData> {
  const want = (name: string): boolean => !s.only || s.only.has(name);
  const w = (full: number, quick: number): number => (s.quick ? quick : full) * s.scale;
  const dir = tempDir('servers');
  const logDir = tempDir('logs');
  const data: BenchData = { settings: { quick: s.quick, runs: s.runs, scale: s.scale }, when: new Date().toISOString(), runs: {}, tools: {}, fidelity: [], totalSeconds: 0 };

  const servers = await startServers(dir, join(repoDir, 'dist', 'netcam-agent.js'));
  log(`servers up: nginx http :${servers.httpPort} https :${servers.httpsPort}, dnsmasq :${servers.dnsPort}, chronyd :${servers.ntpPort}, echo :${servers.echoPort}`);
  const ctx: RunContext = { buildDir, logDir, caFile: servers.caFile };

  const repeat = async (spec: RunSpec, key: string): Promise<void> => {
    const list: RunResult[] = (data.runs[key] = []);
    for (let i = 0; i < s.runs; i++) {
      log(`${spec.label} (run ${i + 1}/${s.runs}): ${spec.tasks.length} tasks, warm-up ${spec.warmupS} s, window ${spec.windowS} s`);
      const r = await runAgentOnce(ctx, spec);
      log(
        `  ${fx(r.checksPerS, 0)} checks/s, ${fx(r.upPct, 1)} % up, agent CPU ${fx(r.agentCpuPctOfCore, 1)} % of a core ` +
          `(${fx(r.agentCpuMsPerCheck, 3)} ms/check), lateness p99 ${fx(r.agent.lateness.p99, 2)} ms (ICMP ${fx(r.agent.latenessIcmp.p99, 2)}), ` +
          `first runs KS ${fx(r.agent.firstRuns.ksD, 3)} (due ${fx(r.agent.firstRunsDue?.ksD ?? NaN, 3)}, deciles ${r.agent.firstRuns.decileMin}-${r.agent.firstRuns.decileMax}, first-run lateness p50/p99/max ${fx(r.agent.firstRunLateness?.p50 ?? NaN, 1)}/${fx(r.agent.firstRunLateness?.p99 ?? NaN, 1)}/${fx(r.agent.firstRunLateness?.max ?? NaN, 1)} ms), ` +
          `RSS ${fx(r.rssMB, 1)} MB (heap ${r.agent.memory.heapUsed} MB, ${fx(r.agent.memory.heapLiveAfterGc, 1)} MB live after GC), delivery p99 ${fx(r.manager.tsToStored.p99, 1)} ms` +
          (r.replay ? `, replay ${fx(r.replay.resultsPerSecond, 0)} results/s (prefill ${fx(r.replay.prefillS, 1)} s)` : '') +
          (Object.keys(r.agent.errors).length ? `; errors: ${JSON.stringify(r.agent.errors)}` : ''),
      );
      list.push(r);
    }
  };
  const repeatTool = async (key: string, fn: () => Promise<ToolRun>): Promise<void> => {
    const list: ToolRun[] = (data.tools[key] = []);
    for (let i = 0; i < s.runs; i++) {
      const r = await fn();
      log(`  ${key} (run ${i + 1}/${s.runs}): ${fx(r.probesPerS, 0)} probes/s, ${fx(r.okPct, 1)} % ok, CPU ${fx(r.cpuPctOfCore, 1)} % (${fx(r.cpuMsPerProbe, 3)} ms/probe)`);
      list.push(r);
    }
  };

  try {
    // (1)(2)(3)(4) 1 000 in-process checks/s: throughput, CPU, lateness, RSS and its slope, delivery.
    if (want('inproc')) await repeat({ label: '1000 in-process tasks @1s', tasks: inProcessMix(1000, servers), warmupS: w(4, 3), windowS: w(30, 10) }, 'inproc');
    // (1) HTTPS with a new TLS handshake per check.
    if (want('https')) await repeat({ label: '200 HTTPS tasks @1s', tasks: many('https', 200, servers), warmupS: w(4, 3), windowS: w(10, 5) }, 'https');
    // (1)(2) ICMP through ping next to the in-process load.
    if (want('icmp')) {
      await repeat({ label: '1000 in-process + 200 ICMP tasks @1s', tasks: [...inProcessMix(1000, servers), ...many('icmp', 200, servers)], warmupS: w(4, 3), windowS: w(10, 5) }, 'icmpMixed');
    }
    // (3) memory at 5 000 tasks (5 s interval: the same 1 000 checks/s).
    if (want('memory')) await repeat({ label: '5000 in-process tasks @5s', tasks: inProcessMix(5000, servers, 5), warmupS: w(6, 6), windowS: w(8, 5) }, 'tasks5000');
    // (4) replay of a backlog while live results flow.
    if (want('replay')) {
      const probeDir = tempDir('spool-size');
      const sample = await prefillSpool(join(probeDir, 'spool'), 2000, inProcessMix(1000, servers));
      removeDir(probeDir);
      const bytesPerResult = sample.bytes / 2000;
      const hour = 3_600_000;
      const fits = Math.floor((0.9 * DEFAULT_SPOOL_BUDGET) / bytesPerResult);
      // A full hour does not fit the default spool budget, and the largest backlog that does
      // would take minutes per run at the rates measured here; 150 k results (2.5 min at
      // 1 000/s) reaches a steady rate and keeps the whole bench under 15 minutes.
      const backlog = Number(process.env.BENCH_BACKLOG) || (s.quick ? 50_000 : 150_000);
      data.replayPlan = { bytesPerResult, hourResults: hour, hourBytes: hour * bytesPerResult, defaultBudgetBytes: DEFAULT_SPOOL_BUDGET, backlog, fits };
      const replayRuns = s.quick ? 1 : Math.min(s.runs, 2);
      const saved = s.runs;
      s.runs = replayRuns;
      await repeat({ label: `replay ${backlog} results + 1000 live tasks`, tasks: inProcessMix(1000, servers), warmupS: 1, windowS: 2, backlog }, 'replay');
      // The same backlog with a light live load: what the link itself can do.
      await repeat({ label: `replay ${backlog} results + 10 live tasks`, tasks: inProcessMix(10, servers), warmupS: 1, windowS: 2, backlog }, 'replayLight');
      s.runs = saved;
    }
    // (6) side by side: the same HTTP/TCP/DNS work at the same rate, then ICMP alone.
    if (want('compare')) {
      const mix = { http: 150, tcp: 150, dns: 150 };
      await repeat({ label: 'NetCam 150 HTTP + 150 TCP + 150 DNS @1s', tasks: [...many('http', mix.http, servers), ...many('tcp', mix.tcp, servers), ...many('dns', mix.dns, servers)], warmupS: w(4, 3), windowS: w(8, 5) }, 'compareMix');
      await repeatTool('blackboxMix', () => runBlackbox(dir, servers, blackboxSlots(servers, { http_2xx: mix.http, tcp_connect: mix.tcp, dns_a: mix.dns }), w(3, 2), w(8, 5)));
      await repeat({ label: 'NetCam 200 ICMP tasks @1s', tasks: many('icmp', 200, servers), warmupS: w(4, 3), windowS: w(8, 5) }, 'icmpOnly');
      await repeatTool('blackboxIcmp', () => runBlackbox(dir, servers, blackboxSlots(servers, { icmp: 200 }), w(3, 2), w(8, 5)));
      await repeatTool('fping', () => runFping(dir, 200, w(3, 2), w(8, 5)));
    }
    // (5) fidelity on a quiet machine (nothing else of ours running).
    if (want('fidelity')) {
      log('fidelity: agent probes vs ping, curl, dig on the same targets');
      data.fidelity = await measureFidelity(servers, s.quick ? 30 : 200);
      for (const f of data.fidelity) log(`  ${f.what}: agent ${fx(f.agentP50, 3)} ms vs ${f.reference} ${fx(f.referenceP50, 3)} ms (diff ${fx(f.diffP50, 3)})`);
    }
  } finally {
    await servers.stop();
  }
  // (7) the console helper's script, when it exists.
  if (want('console')) data.consoleIngest = await runConsoleIngest(repoDir, s);
  return data;
}

async function runConsoleIngest(repoDir: string, s: Settings): Promise<ConsoleIngest> {
  const script = join(repoDir, 'bench', 'console-ingest.mjs');
  if (!existsSync(script)) return { ran: false, note: 'bench/console-ingest.mjs does not exist yet' };
  // The issue asks for memory after 5 minutes of 1 000 results/s.
  const seconds = Number(process.env.BENCH_CONSOLE_S) || (s.quick ? 15 : 120);
  const resultFile = join(repoDir, 'bench', 'results', 'console-ingest.json');
  rmSync(resultFile, { force: true });
  log(`console ingest: bench/console-ingest.mjs ${seconds} (webview in Chromium, 1 000 results/s)`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, String(seconds), '1000'], { cwd: repoDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const collect = (d: Buffer): void => {
      out += d.toString();
      process.stderr.write(d);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGTERM'), (seconds + 180) * 1000);
    child.once('close', (code) => {
      clearTimeout(timer);
      let figures: Record<string, unknown> | undefined;
      try {
        figures = JSON.parse(readFileSync(resultFile, 'utf8')) as Record<string, unknown>;
      } catch {
        figures = undefined;
      }
      resolve({ ran: true, exitCode: code, seconds, figures, output: out.slice(-4000) });
    });
  });
}

// One measured run of the agent: a fresh agent child and a manager child (TLS-PSK link,
// tasks handed over by the manager as in real use), a warm-up, then a window in which
// the agent's CPU (from /proc, its ping children included), RSS, run starts and the
// manager's store times are recorded. Everything is stopped and deleted afterwards.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Spool } from '../../monitor-agent/src/spool/spool.js';
import type { AgentStartArgs, AgentWindowStats } from './agent-child.js';
import { IpcClient } from './ipc.js';
import type { ManagerStartArgs, ManagerWindowStats, ReplayStats } from './manager-child.js';
import { cpuTimes, forkOwned, removeDir, rssMB, sleep, stopChild, tempDir, waitExit } from './procs.js';
import { slope } from './stats.js';
import type { TaskInput } from './tasks.js';

export interface RunContext {
  buildDir: string;
  logDir: string;
  caFile: string;
}

export interface RunSpec {
  label: string;
  tasks: TaskInput[];
  warmupS: number;
  windowS: number;
  /** Pre-fill the agent's spool with this many results before it starts (replay). */
  backlog?: number;
}

export interface RunResult {
  label: string;
  tasks: number;
  windowS: number;
  checks: number;
  checksPerS: number;
  upPct: number;
  agentCpuPctOfCore: number;
  agentCpuMsPerCheck: number;
  managerCpuMsPerResult: number;
  rssMB: number;
  rssMaxMB: number;
  rssSlopeMBPerH: number;
  agent: AgentWindowStats;
  manager: ManagerWindowStats;
  replay?: ReplayStats & { prefillS: number; backlogBytes: number };
}

export async function prefillSpool(dir: string, count: number, tasks: TaskInput[]): Promise<{ seconds: number; bytes: number }> {
  const t0 = performance.now();
  const spool = await Spool.open({ dir });
  const startMs = Date.now() - count; // one result per ms of the past: "1 000 results/s"
  for (let i = 0; i < count; i++) {
    const task = tasks[i % tasks.length];
    const ts = startMs + i;
    spool.append(ts, (seq) =>
      JSON.stringify({
        monitorId: 'bench',
        taskId: task.id,
        type: task.type,
        target: `127.0.0.1:${(task.port as number | undefined) ?? 80}`,
        seq,
        ts: new Date(ts).toISOString(),
        status: 'up',
        latencyMs: 0.123,
        error: null,
        details: { state: 'open', connectMs: 0.123, resolvedIp: '127.0.0.1', banner: null },
      }),
    );
    if (i % 20_000 === 19_999) await spool.flush();
  }
  await spool.flush();
  const bytes = spool.stats().bytes;
  await spool.close();
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

export async function runAgentOnce(ctx: RunContext, spec: RunSpec): Promise<RunResult> {
  const dataDir = tempDir('agent');
  const mgrDir = tempDir('manager');
  const slug = spec.label.replace(/[^a-z0-9]+/gi, '-');
  const expectedRuns = Math.ceil(spec.tasks.length * (spec.windowS + 5) * 1.2) + 1000;
  let prefill = { seconds: 0, bytes: 0 };
  if (spec.backlog) prefill = await prefillSpool(join(dataDir, 'spool'), spec.backlog, spec.tasks);

  const agentProc = forkOwned(join(ctx.buildDir, 'agent-child.cjs'), join(ctx.logDir, `${slug}-agent.log`), {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: ctx.caFile },
    // BENCH_PROFILE_DIR=dir: a V8 CPU profile of each agent run, to see where its CPU goes.
    execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [])],
  });
  const mgrProc = forkOwned(join(ctx.buildDir, 'manager-child.cjs'), join(ctx.logDir, `${slug}-manager.log`), {
    execArgv: process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', join(process.env.BENCH_PROFILE_DIR, 'manager')] : [],
  });
  const agent = new IpcClient(agentProc, 'agent');
  const mgr = new IpcClient(mgrProc, 'manager');
  try {
    const startArgs: AgentStartArgs = { dataDir, maxTasks: spec.tasks.length + 10, maxRecords: expectedRuns };
    const { port, secret } = await agent.call<{ port: number; secret: string | null }>('start', startArgs);
    if (!secret) throw new Error('agent did not create a pairing secret');
    const mArgs: ManagerStartArgs = {
      dir: mgrDir,
      monitorId: 'bench',
      host: '127.0.0.1',
      port,
      secret,
      tasks: spec.tasks as unknown as ManagerStartArgs['tasks'],
      backlogLastSeq: spec.backlog ?? 0,
      maxRecords: expectedRuns,
    };
    await mgr.call('start', mArgs, 120_000);
    let replay: ReplayStats | undefined;
    if (spec.backlog) replay = await mgr.call<ReplayStats>('replay', { timeoutMs: 300_000 }, 310_000);
    await sleep(spec.warmupS * 1000);

    const pid = agentProc.pid!;
    const cpu0 = cpuTimes(pid);
    const mcpu0 = cpuTimes(mgrProc.pid!);
    await Promise.all([agent.call('windowStart'), mgr.call('windowStart')]);
    const t0 = performance.now();
    const rssT: number[] = [];
    const rss: number[] = [];
    while (performance.now() - t0 < spec.windowS * 1000) {
      rssT.push((performance.now() - t0) / 3_600_000);
      rss.push(rssMB(pid));
      await sleep(Math.min(1000, spec.windowS * 1000 - (performance.now() - t0)));
    }
    const cpu1 = cpuTimes(pid);
    const mcpu1 = cpuTimes(mgrProc.pid!);
    rss.push(rssMB(pid));
    rssT.push((performance.now() - t0) / 3_600_000);
    const [a, m] = await Promise.all([agent.call<AgentWindowStats>('windowEnd'), mgr.call<ManagerWindowStats>('windowEnd')]);

    const checks = Object.values(a.completed).reduce((x, y) => x + y, 0);
    const up = Object.values(a.up).reduce((x, y) => x + y, 0);
    const cpuS = cpu1.withChildren - cpu0.withChildren;
    return {
      label: spec.label,
      tasks: spec.tasks.length,
      windowS: a.seconds,
      checks,
      checksPerS: checks / a.seconds,
      upPct: checks ? (100 * up) / checks : 0,
      agentCpuPctOfCore: (100 * cpuS) / a.seconds,
      agentCpuMsPerCheck: checks ? (1000 * cpuS) / checks : NaN,
      managerCpuMsPerResult: m.stored ? (1000 * (mcpu1.self - mcpu0.self)) / m.stored : NaN,
      rssMB: rss[rss.length - 1],
      rssMaxMB: Math.max(...rss),
      rssSlopeMBPerH: slope(rssT, rss),
      agent: a,
      manager: m,
      replay: replay && { ...replay, prefillS: prefill.seconds, backlogBytes: prefill.bytes },
    };
  } finally {
    await mgr.call('close', {}, 15_000).catch(() => undefined);
    await agent.call('close', {}, 15_000).catch(() => undefined);
    await Promise.all([waitExit(mgrProc, 3000), waitExit(agentProc, 3000)]);
    await Promise.all([stopChild(mgrProc), stopChild(agentProc)]);
    removeDir(dataDir);
    removeDir(mgrDir);
  }
}

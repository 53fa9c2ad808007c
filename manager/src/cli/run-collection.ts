// The live part shared by `netcam collect` and `netcam demo`: print results and link
// changes as they happen, and on Ctrl+C / SIGTERM send `stop` to every agent and return 0.
import type { Manager } from '../manager.js';
import { describeLink, type MonitorState } from '../types.js';
import { formatGap, formatResult, paint, tag, type Style } from './format.js';

export interface CollectionOptions {
  ids: string[] | 'all';
  json: boolean;
  style: Style;
  /** Resolves to end the collection as if Ctrl+C was pressed (demo --duration). */
  until?: Promise<void>;
}

/** Resolves to the exit code: 0 after a clean stop, 1 when every link failed for good. */
export async function runCollection(manager: Manager, opts: CollectionOptions): Promise<number> {
  const out = process.stdout;
  manager.onResult((r) => out.write(opts.json ? `${JSON.stringify(r)}\n` : `${formatResult(r, opts.style)}\n`));
  manager.onGap((id, gap) => process.stderr.write(`${formatGap(id, gap, opts.style)}\n`));
  let allFailed: () => void = () => undefined;
  const failed = new Promise<void>((resolve) => (allFailed = resolve));
  const selected = () => manager.getState().monitors.filter((m) => opts.ids === 'all' || opts.ids.includes(m.id));
  manager.onMonitorState((s: MonitorState) => {
    if (s.link === 'connecting') process.stderr.write(`${tag(s.id)} connecting to ${s.host}:${s.port}\n`);
    if (s.link === 'stopped') process.stderr.write(`${tag(s.id)} stopped\n`);
    if (s.link === 'error' && selected().every((m) => m.link === 'error')) allFailed();
  });

  let signalled: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => (signalled = resolve));
  let count = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      process.stderr.write(`[${sig}] sending stop to every agent (again to quit at once)\n`);
      signalled();
    } else {
      process.stderr.write('quitting without waiting for the agents\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await manager.collect(opts.ids);
    const outcome = await Promise.race([interrupted.then(() => 'stop' as const), failed.then(() => 'failed' as const), (opts.until ?? new Promise<never>(() => undefined)).then(() => 'stop' as const)]);
    if (outcome === 'failed') {
      for (const m of selected()) process.stderr.write(`${tag(m.id)} ${paint(opts.style, 'red', describeLink(m))}\n`);
      await manager.dispose();
      return 1;
    }
    await manager.stop(opts.ids);
    await manager.dispose();
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

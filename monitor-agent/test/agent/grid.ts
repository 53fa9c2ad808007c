// "Is this task still on its ideal schedule?" robust to CPU contention: timers fire late,
// never (meaningfully) early, so each run's offset from the grid is measured relative to
// the least-late run, and the median of those offsets must be small. Drift (period =
// interval + run time) or a restart with a new phase pushes most runs off the grid.
export function gridMedianOffsetMs(times: readonly number[], intervalMs: number): number {
  if (times.length < 2) return 0;
  const t0 = times[0];
  const devs = times.map((t) => {
    const m = (((t - t0) % intervalMs) + intervalMs) % intervalMs;
    return m > intervalMs / 2 ? m - intervalMs : m;
  });
  const base = Math.min(...devs);
  const rel = devs.map((d) => d - base).sort((a, b) => a - b);
  return rel[Math.floor(rel.length / 2)];
}

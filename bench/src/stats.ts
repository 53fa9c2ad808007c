// Small statistics used by every measurement: percentiles, medians across runs, the
// slope of a memory series, and how evenly first runs fall over the interval.

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (!n) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[rank];
}

export function median(values: ArrayLike<number>): number {
  const finite = Array.from(values).filter((v) => Number.isFinite(v));
  if (!finite.length) return NaN;
  finite.sort((a, b) => a - b);
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

export function max(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return values.length ? m : NaN;
}

export interface Distribution {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function distribution(values: ArrayLike<number>): Distribution {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: max(values) };
}

/** Least-squares slope of y over x (units of y per unit of x). */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 3) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : NaN;
}

export interface Evenness {
  n: number;
  /** Kolmogorov-Smirnov distance from the uniform distribution over the interval. */
  ksD: number;
  /** D above which uniformity is rejected at 5 % (1.36/sqrt(n)). */
  ksCritical: number;
  /** Fewest and most first runs in any tenth of the interval (n/10 expected in each). */
  decileMin: number;
  decileMax: number;
}

/** How evenly fractions in [0, 1) cover the interval. */
export function evenness(fractions: number[]): Evenness {
  const xs = fractions.filter((f) => Number.isFinite(f)).map((f) => Math.min(Math.max(f, 0), 0.999999)).sort((a, b) => a - b);
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, (i + 1) / n - xs[i], xs[i] - i / n);
  const deciles = new Array<number>(10).fill(0);
  for (const x of xs) deciles[Math.floor(x * 10)]++;
  return { n, ksD: d, ksCritical: n ? 1.36 / Math.sqrt(n) : NaN, decileMin: Math.min(...deciles), decileMax: Math.max(...deciles) };
}

// Seq-range helpers for gap bookkeeping. Gaps are kept sorted and disjoint.
import type { Gap } from '../../../protocol/src/index.js';

/** Parts of [from, to] not covered by any gap in `gaps` (sorted, disjoint). */
export function uncoveredRanges(from: number, to: number, gaps: readonly Gap[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = from;
  for (const g of gaps) {
    if (g.toSeq < start) continue;
    if (g.fromSeq > to) break;
    if (g.fromSeq > start) out.push([start, Math.min(to, g.fromSeq - 1)]);
    start = Math.max(start, g.toSeq + 1);
    if (start > to) break;
  }
  if (start <= to) out.push([start, to]);
  return out;
}

/**
 * Adds `gap` to the sorted list, merging it with gaps it overlaps or touches. A merged
 * gap keeps the earliest fromTs, the latest toTs and the newest reason.
 */
export function addGap(gaps: Gap[], gap: Gap): Gap[] {
  const merged: Gap[] = [];
  let cur = { ...gap };
  for (const g of gaps) {
    if (g.toSeq + 1 < cur.fromSeq || g.fromSeq > cur.toSeq + 1) {
      merged.push(g);
      continue;
    }
    const fromSeq = Math.min(g.fromSeq, cur.fromSeq);
    const toSeq = Math.max(g.toSeq, cur.toSeq);
    cur = {
      fromSeq,
      toSeq,
      count: toSeq - fromSeq + 1,
      reason: cur.reason,
      fromTs: g.fromSeq <= cur.fromSeq ? g.fromTs : cur.fromTs,
      toTs: g.toSeq >= cur.toSeq ? g.toTs : cur.toTs,
    };
  }
  merged.push(cur);
  return merged.sort((a, b) => a.fromSeq - b.fromSeq);
}

/** The part of `gap` after `cursor` (a manager that already has some of it needs only the rest). */
export function clipGap(gap: Gap, cursor: number): Gap {
  if (gap.fromSeq > cursor) return gap;
  const fromSeq = cursor + 1;
  return { ...gap, fromSeq, count: Math.max(1, Math.min(gap.count, gap.toSeq - cursor)) };
}

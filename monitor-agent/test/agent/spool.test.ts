// The durable spool on a real file system: restart, ack, byte budget with gap records,
// corruption, and a fast-check model of append/ack/crash/restart/budget.
import assert from 'node:assert/strict';
import { openSync, readdirSync, readFileSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Gap } from '../../../protocol/src/index.js';
import { crc32 } from '../../src/crc32.js';
import { Spool, spoolDiskBytes, type SpoolBatch } from '../../src/spool/spool.js';
import { tempDir } from './fixtures.js';

const payload = (seq: number, tag = 'x', pad = 150): string =>
  JSON.stringify({ seq, tag, pad: 'p'.repeat(pad) });

/** Everything a manager would receive from `cursor` on: result seqs (with their tags) and gaps. */
async function drain(spool: Spool, cursor = 0): Promise<{ seqs: number[]; tags: string[]; gaps: Gap[]; cursor: number }> {
  const seqs: number[] = [];
  const tags: string[] = [];
  const gaps: Gap[] = [];
  for (;;) {
    const batch: SpoolBatch | null = await spool.readBatch(cursor, 1000, 900 * 1024);
    if (!batch) break;
    if (batch.kind === 'gap') {
      gaps.push(batch.gap);
      cursor = batch.gap.toSeq;
      continue;
    }
    batch.items.forEach((buf, i) => {
      const obj = JSON.parse(buf.toString('utf8')) as { seq: number; tag: string };
      assert.equal(obj.seq, batch.seqs[i], 'payload matches its record seq');
      seqs.push(obj.seq);
      tags.push(obj.tag);
    });
    cursor = batch.lastSeq;
  }
  return { seqs, tags, gaps, cursor };
}

function segmentFiles(dir: string): string[] {
  return readdirSync(join(dir, 'segments')).sort().map((n) => join(dir, 'segments', n));
}

describe('agent spool', function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('netcam-spool-');
  });
  afterEach(() => dir.remove());

  it('crc32 matches the standard check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  it('keeps results across a restart, resumes after the ack, and never reuses a seq', async () => {
    let spool = await Spool.open({ dir: dir.path });
    for (let i = 0; i < 100; i++) spool.append(Date.now(), (seq) => payload(seq));
    await spool.flush();
    assert.deepEqual((await drain(spool)).seqs, Array.from({ length: 100 }, (_, i) => i + 1));
    spool.ack(50);
    await spool.close();

    spool = await Spool.open({ dir: dir.path });
    assert.equal(spool.lastSeq, 100);
    assert.equal(spool.ackedSeq, 50);
    const seq = spool.append(Date.now(), (s) => payload(s));
    assert.equal(seq, 101);
    await spool.flush();
    const got = await drain(spool, spool.ackedSeq);
    assert.deepEqual(got.seqs, Array.from({ length: 51 }, (_, i) => i + 51));
    assert.deepEqual(got.gaps, []);
    await spool.close();
  });

  it('deletes segments only once they are acknowledged', async () => {
    const spool = await Spool.open({ dir: dir.path, budgetBytes: 1024 * 1024, segmentBytes: 16 * 1024 });
    for (let i = 0; i < 1000; i++) spool.append(Date.now(), (seq) => payload(seq));
    await spool.flush();
    const before = segmentFiles(dir.path).length;
    assert.ok(before > 5, `${before} segments`);
    spool.ack(500);
    await spool.flush();
    const mid = segmentFiles(dir.path).length;
    assert.ok(mid < before && mid > 1, `${before} -> ${mid}`);
    assert.deepEqual((await drain(spool, 500)).seqs.length, 500, 'nothing unacknowledged was deleted');
    spool.ack(1000);
    await spool.flush();
    assert.equal(segmentFiles(dir.path).length, 1, 'only the active segment is left');
    await spool.close();
  });

  it('stays within a 1 MiB budget while 10x that is appended, and reports the dropped results as a gap', async () => {
    const budget = 1024 * 1024;
    const spool = await Spool.open({ dir: dir.path, budgetBytes: budget });
    const t0 = Date.now();
    let appended = 0;
    let maxDisk = 0;
    while (appended * 200 < 10 * budget) {
      for (let i = 0; i < 500; i++) spool.append(t0 + appended++, (seq) => payload(seq));
      await spool.flush();
      const disk = await spoolDiskBytes(dir.path);
      maxDisk = Math.max(maxDisk, disk);
      assert.ok(disk <= budget, `disk use ${disk} > budget ${budget}`);
    }
    assert.ok(spool.stats().droppedResults > 0);
    const got = await drain(spool);
    assert.equal(got.gaps.length, 1, 'one merged gap for the dropped oldest results');
    const gap = got.gaps[0];
    assert.equal(gap.fromSeq, 1);
    assert.equal(gap.count, gap.toSeq - gap.fromSeq + 1);
    assert.match(gap.reason, /spool budget of 1048576 bytes/);
    assert.equal(gap.fromTs, new Date(t0).toISOString());
    assert.equal(got.seqs[0], gap.toSeq + 1, 'results continue right after the gap');
    assert.equal(gap.count + got.seqs.length, appended, 'dropped + delivered = appended');
    assert.ok(maxDisk > budget * 0.7, `the budget is used (max ${maxDisk})`);
    await spool.close();

    // The gap survives a restart, until acknowledged.
    const again = await Spool.open({ dir: dir.path, budgetBytes: budget });
    const after = await drain(again);
    assert.deepEqual(after.gaps, got.gaps);
    again.ack(gap.toSeq);
    assert.deepEqual((await drain(again, gap.toSeq)).gaps, []);
    await again.close();
  });

  it('skips and counts corrupt records (flipped bytes, a broken length, a torn tail) and reports the lost seqs', async () => {
    const spool = await Spool.open({ dir: dir.path, budgetBytes: 1024 * 1024, segmentBytes: 16 * 1024 });
    for (let i = 0; i < 300; i++) spool.append(Date.now(), (seq) => payload(seq));
    await spool.flush();
    await spool.abandon(); // as if killed after the writes: no clean-shutdown marker
    const files = segmentFiles(dir.path).filter((f) => statSync(f).size > 0);
    assert.ok(files.length >= 3);
    // 1. flip payload bytes in the middle of the first segment
    flip(files[0], Math.floor(statSync(files[0]).size / 2), 8);
    // 2. break a length field near the start of the second segment (record 2's header)
    const second = readFileSync(files[1]);
    const rec2 = second.indexOf(Buffer.from([0x4e, 0x43, 0xa7, 0xe5]), 4);
    flip(files[1], rec2 + 5, 2);
    // 3. cut the last segment in the middle of its last record
    const last = files[files.length - 1];
    truncateSync(last, statSync(last).size - 20);

    const logs: string[] = [];
    const reopened = await Spool.open({ dir: dir.path, log: (l) => logs.push(l) });
    assert.ok(reopened.stats().corruptRecords >= 3, `counted ${reopened.stats().corruptRecords}`);
    const got = await drain(reopened);
    const lost = got.gaps.reduce((n, g) => n + g.count, 0);
    assert.ok(lost >= 3 && lost <= 10, `lost ${lost}`);
    assert.equal(got.seqs.length + lost, 300, 'every seq is delivered or reported lost');
    assert.deepEqual(got.seqs, [...got.seqs].sort((a, b) => a - b));
    assert.ok(logs.some((l) => /skipped \d+ corrupt record/.test(l)));
    // New results continue after the highest seq ever handed out.
    assert.equal(reopened.append(Date.now(), (s) => payload(s)), 301);
    await reopened.close();
  });

  it('model: append / ack / kill / restart / budget never lose or invent a result', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('append' as const), n: fc.integer({ min: 1, max: 400 }) }),
            fc.record({ op: fc.constant('ack' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }) }),
            fc.record({ op: fc.constant('kill' as const), flushFirst: fc.boolean() }),
            fc.record({ op: fc.constant('restart' as const) }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        async (ops) => {
          const d = tempDir('netcam-spool-model-');
          const budget = 64 * 1024;
          const open = (): Promise<Spool> => Spool.open({ dir: d.path, budgetBytes: budget, segmentBytes: 8 * 1024 });
          try {
            let spool = await open();
            let uid = 0;
            // tag -> seq of every result known to be written to disk (it must not vanish silently)
            const durable = new Map<string, number>();
            let live = new Map<number, string>(); // seq -> tag appended on the current instance
            const appendedAll = new Set<string>();
            const settle = (): void => {
              for (const [seq, tag] of live) if (seq <= spool.writtenSeq) durable.set(tag, seq);
              live = new Map([...live].filter(([seq]) => seq > spool.writtenSeq));
            };
            for (const o of ops) {
              if (o.op === 'append') {
                for (let i = 0; i < o.n; i++) {
                  const tag = `u${uid++}`;
                  appendedAll.add(tag);
                  live.set(spool.append(Date.now(), (seq) => payload(seq, tag, 40)), tag);
                }
              } else if (o.op === 'ack') {
                await spool.flush();
                settle();
                spool.ack(Math.floor(spool.writtenSeq * o.frac));
              } else if (o.op === 'kill') {
                if (o.flushFirst) await spool.flush();
                await spool.abandon();
                settle();
                live.clear(); // still queued when killed: lost (and reported if the meta knew their seqs)
                spool = await open();
              } else {
                await spool.close();
                settle();
                spool = await open();
              }
              assert.ok((await spoolDiskBytes(d.path)) <= budget, 'disk use within budget');
            }
            await spool.flush();
            settle();
            const got = await drain(spool, spool.ackedSeq);
            // Invariants: nothing invented, nothing twice, in order; losses are reported
            // or are results that were still queued in memory at a kill.
            for (const t of got.tags) assert.ok(appendedAll.has(t), `invented ${t}`);
            assert.equal(new Set(got.tags).size, got.tags.length, 'no duplicates');
            assert.deepEqual(got.seqs, [...got.seqs].sort((a, b) => a - b));
            const gapCount = got.gaps.reduce((n, g) => n + g.count, 0);
            assert.equal(got.seqs.length + gapCount, spool.lastSeq - spool.ackedSeq, 'delivered + dropped = pending');
            const delivered = new Set(got.tags);
            const inGap = (seq: number): boolean => got.gaps.some((g) => g.fromSeq <= seq && seq <= g.toSeq);
            for (const [tag, seq] of durable) {
              assert.ok(seq <= spool.ackedSeq || delivered.has(tag) || inGap(seq), `${tag} (seq ${seq}) vanished silently`);
            }
            await spool.close();
          } finally {
            d.remove();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

function flip(path: string, offset: number, n: number): void {
  const fd = openSync(path, 'r+');
  const buf = Buffer.alloc(n);
  const data = readFileSync(path);
  for (let i = 0; i < n; i++) buf[i] = data[offset + i] ^ 0xff;
  writeSync(fd, buf, 0, n, offset);
  closeSync(fd);
}

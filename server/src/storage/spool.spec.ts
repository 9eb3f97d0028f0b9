import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SamplePoint } from '../contracts';
import { Spool, SpoolLockedError, type SpoolOptions } from './spool';

const pt = (i: number): SamplePoint => ({
  enterpriseId: 'bjpc',
  sourceId: 'tf01',
  tag: `LIA-${i % 7}`,
  tsMs: 1_700_000_000_000 + i,
  v: i,
  q: 'good',
});

/** A message of `n` points starting at `from`. */
const msg = (from: number, n: number) => Array.from({ length: n }, (_, k) => pt(from + k));

describe('Spool (write-ahead log of accepted points)', () => {
  let dir: string;
  let logs: string[];
  const open = (over: Partial<SpoolOptions> = {}) =>
    Spool.open({
      dir,
      segmentBytes: 4096,
      maxBytes: 64 * 1024 * 1024,
      fsyncMs: 50,
      log: (level, m) => logs.push(`${level}: ${m}`),
      ...over,
    });
  const readAll = (s: Spool, from = s.checkpointPos): SamplePoint[] => {
    const out: SamplePoint[] = [];
    let pos = from;
    for (let guard = 0; pos < s.endPos && guard < 100_000; guard++) {
      const r = s.read(pos, 1000);
      out.push(...r.points);
      if (r.nextPos === pos) break;
      pos = r.nextPos;
    }
    return out;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hazard-spool-'));
    logs = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('batchWrites (one write per turn of messages)', () => {
    const onDisk = () =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.wal'))
        .reduce((n, f) => n + statSync(join(dir, f)).size, 0);

    it('writes the frames of a turn together on flush, and reads them back before that', () => {
      const s = open({ segmentBytes: 1024 * 1024, batchWrites: true });
      try {
        s.append(msg(0, 5));
        s.append(msg(5, 5));
        const end = s.append(msg(10, 5));
        expect(onDisk()).toBe(0);
        // A replay reads what is batched too: read writes the batch first.
        expect(readAll(s).map((p) => p.v)).toEqual(msg(0, 15).map((p) => p.v));
        expect(onDisk()).toBe(end);
        s.append(msg(15, 5));
        s.flush();
        expect(onDisk()).toBe(s.endPos);
      } finally {
        s.close();
      }
    });

    it('writes a batch by itself at the end of the turn when nobody flushes', async () => {
      const s = open({ segmentBytes: 1024 * 1024, batchWrites: true });
      try {
        s.append(msg(0, 5));
        expect(onDisk()).toBe(0);
        await new Promise((r) => setImmediate(r));
        expect(onDisk()).toBe(s.endPos);
      } finally {
        s.close();
      }
    });

    it('writes an alarm event at once, with the points batched before it', () => {
      const s = open({ segmentBytes: 1024 * 1024, batchWrites: true });
      try {
        s.append(msg(0, 5));
        s.appendAlarmEvent({
          seq: 1,
          tsMs: 1_700_000_000_000,
          transition: 'ack',
          fromState: 'unacked',
          alarm: { id: 'a1' } as never,
        });
        expect(onDisk()).toBe(s.endPos);
      } finally {
        s.close();
      }
    });

    it('survives a restart: what was flushed is there, in order, across segments', () => {
      let s = open({ segmentBytes: 512, batchWrites: true });
      for (let i = 0; i < 40; i++) s.append(msg(i * 5, 5));
      s.close();
      s = open({ segmentBytes: 512 });
      try {
        expect(readAll(s).map((p) => p.v)).toEqual(msg(0, 200).map((p) => p.v));
      } finally {
        s.close();
      }
    });
  });

  it('reads back what was appended, in order, across segment files', () => {
    const s = open();
    for (let i = 0; i < 300; i++) s.append(msg(i * 10, 10));
    expect(readdirSync(dir).filter((f) => f.endsWith('.wal')).length).toBeGreaterThan(3);
    expect(readAll(s)).toEqual(msg(0, 3000));
    s.close();
  });

  it('reads in batches of whole messages, at least maxPoints unless at the end', () => {
    const s = open();
    const ends = [0, 1, 2, 3].map((i) => s.append(msg(i * 10, 10)));
    const r = s.read(0, 15);
    expect(r.points).toEqual(msg(0, 20));
    expect(r.nextPos).toBe(ends[1]);
    s.close();
  });

  it('replays after a reopen only what was not committed, and deletes segments wholly committed', () => {
    let s = open();
    const ends: number[] = [];
    for (let i = 0; i < 300; i++) ends.push(s.append(msg(i * 10, 10)));
    const segmentsBefore = s.stats().segments;
    s.commit(ends[199]!);
    expect(s.stats().segments).toBeLessThan(segmentsBefore);
    s.close();
    s = open();
    expect(s.checkpointPos).toBe(ends[199]);
    expect(readAll(s)).toEqual(msg(2000, 1000));
    s.close();
  });

  it('survives a crash: no close, the checkpoint saved by the fsync timer, the rest replayed', async () => {
    const s = open();
    s.start();
    const ends: number[] = [];
    for (let i = 0; i < 50; i++) ends.push(s.append(msg(i * 10, 10)));
    s.commit(ends[9]!);
    // The timer fires every 50 ms; the fdatasync callback can take longer on a machine busy with other test workers.
    for (let waited = 0; s.stats().fsyncs === 0 && waited < 5000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(s.stats().fsyncs).toBeGreaterThan(0);
    // Simulated SIGKILL: the object is abandoned with its files open; a new process opens the directory.
    const again = Spool.open({ dir, segmentBytes: 4096, maxBytes: 1e9, fsyncMs: 50, log: () => undefined });
    expect(readAll(again)).toEqual(msg(100, 400));
    again.close();
    s.close();
  });

  it('cuts a torn tail (a frame half-written when the process died) and keeps every whole frame', () => {
    let s = open({ segmentBytes: 1024 * 1024 });
    for (let i = 0; i < 20; i++) s.append(msg(i * 5, 5));
    s.close();
    const wal = join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.wal'))!,
    );
    const size = statSync(wal).size;
    appendFileSync(wal, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 1, 9, 9]));
    s = open({ segmentBytes: 1024 * 1024 });
    expect(s.stats().truncatedBytes).toBe(11);
    expect(statSync(wal).size).toBe(size);
    expect(readAll(s)).toEqual(msg(0, 100));
    expect(logs.some((l) => l.includes('torn tail'))).toBe(true);
    s.append(msg(100, 5));
    expect(readAll(s)).toEqual(msg(0, 105));
    s.close();
  });

  it('skips the rest of a segment after a corrupt frame, counts it, and keeps the segments after it', () => {
    let s = open();
    const ends: number[] = [];
    for (let i = 0; i < 100; i++) ends.push(s.append(msg(i * 10, 10)));
    s.close();
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.wal'))
      .sort();
    expect(files.length).toBeGreaterThan(2);
    const secondBase = Number(files[1]!.slice(0, 20));
    const messagesInFirst = ends.filter((e) => e <= secondBase).length;
    // Flip a byte inside the second frame of the first segment.
    const fd = openSync(join(dir, files[0]!), 'r+');
    writeSync(fd, Buffer.alloc(1, 0xff), 0, 1, ends[0]! + 20);
    closeSync(fd);
    s = open();
    const got = readAll(s);
    expect(s.stats().corruptFrames).toBe(1);
    // The frame before the corrupt one, then everything from the second segment on, intact and in order.
    expect(got).toEqual([...msg(0, 10), ...msg(messagesInFirst * 10, 1000 - messagesInFirst * 10)]);
    expect(logs.some((l) => l.startsWith('error: spool: corrupt frame'))).toBe(true);
    s.close();
  });

  it('beyond maxBytes drops the oldest whole segments, counts their points and says so', () => {
    const s = open({ segmentBytes: 4096, maxBytes: 16 * 1024 });
    for (let i = 0; i < 400; i++) s.append(msg(i * 10, 10));
    const stats = s.stats();
    expect(stats.pendingBytes).toBeLessThanOrEqual(16 * 1024);
    expect(stats.droppedPoints).toBeGreaterThan(0);
    const left = readAll(s);
    // Nothing lost without being counted, and what is left is the newest, in order.
    expect(left.length + stats.droppedPoints).toBe(4000);
    expect(left).toEqual(msg(4000 - left.length, left.length));
    expect(logs.some((l) => l.includes('spool full'))).toBe(true);
    s.close();
  });

  it('refuses a directory another live process holds, and takes over the lock of a dead one', () => {
    writeFileSync(join(dir, 'lock'), '1\n'); // pid 1 is alive
    expect(() => open()).toThrow(SpoolLockedError);
    writeFileSync(join(dir, 'lock'), '999999999\n');
    const s = open();
    s.append(msg(0, 1));
    s.close();
  });

  it('reads a frame larger than its read buffer', () => {
    const s = open({ segmentBytes: 64 * 1024 * 1024 });
    const big = Array.from({ length: 10_000 }, (_, k) => ({ ...pt(k), tag: `T-${'x'.repeat(60)}-${k % 10}` }));
    for (let i = 0; i < 20; i++) s.append(big);
    s.append(msg(0, 3));
    const r = s.read(0, 1e9);
    expect(r.points.length).toBe(200_003);
    expect(r.points.at(-1)).toEqual(pt(2));
    s.close();
  });
});

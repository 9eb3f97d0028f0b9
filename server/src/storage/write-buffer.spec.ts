import type { AlarmEvent, SamplePoint } from '../contracts';
import type { RawQuery, StoreBatch, StoredSample, TelemetryStore } from './store.port';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from './spool';
import { WriteBuffer, type WriteBufferOptions } from './write-buffer';

/** An in-memory store that can be made to fail or to hold a write open. */
class FakeStore implements TelemetryStore {
  readonly description = 'fake store';
  readonly written: StoreBatch[] = [];
  attempts = 0;
  /** How many of the next writes reject. */
  failNext = 0;
  private gate: { promise: Promise<void>; open: () => void } | null = null;

  /** Holds the next writes open until release(). */
  hold(): void {
    let open: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = null;
  }

  async writeBatch(batch: StoreBatch): Promise<void> {
    this.attempts++;
    const copy = { points: [...batch.points], alarmEvents: [...batch.alarmEvents] };
    if (this.gate) await this.gate.promise;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('store down');
    }
    this.written.push(copy);
  }

  /** The values of the points of each written batch. */
  batches(): number[][] {
    return this.written.map((b) => b.points.map((p) => p.v as number));
  }

  init(): Promise<void> {
    return Promise.resolve();
  }

  queryRaw(_q: RawQuery): Promise<StoredSample[]> {
    return Promise.resolve([]);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function point(i: number): SamplePoint {
  return { enterpriseId: 'ent1', sourceId: 'src1', tag: `LI-${i % 3}`, tsMs: 1_000_000 + i, v: i, q: 'good' };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

const alarmEvent: AlarmEvent = {
  seq: 1,
  tsMs: 1,
  transition: 'raise',
  fromState: 'normal',
  alarm: {
    id: 'LI-1:hi@1',
    key: 'LI-1:hi',
    tag: 'LI-1',
    enterpriseId: 'ent1',
    sourceId: 'src1',
    condition: 'H',
    priority: 3,
    state: 'unacked',
    active: true,
    latching: false,
    chattering: false,
    value: 8.2,
    limit: 8,
    unit: 'm',
    raisedAt: 1,
    updatedAt: 1,
    message: '',
  },
};

describe(WriteBuffer.name, () => {
  let store: FakeStore;
  let opts: WriteBufferOptions & { onError: jest.Mock; onRecovered: jest.Mock };
  let sut: WriteBuffer;

  function make(overrides: Partial<Pick<WriteBufferOptions, 'flushMs' | 'batchPoints' | 'maxBufferedPoints'>> = {}) {
    opts = { ...opts, ...overrides };
    return new WriteBuffer(store, opts);
  }

  function pushRange(from: number, to: number): void {
    for (const i of range(from, to)) sut.push(point(i));
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    store = new FakeStore();
    opts = { flushMs: 1000, batchPoints: 100, maxBufferedPoints: 1000, onError: jest.fn(), onRecovered: jest.fn() };
    sut = make();
  });

  afterEach(() => {
    void sut.drain(0);
    jest.useRealTimers();
  });

  it('writes the buffered points in one store request, not one per point', async () => {
    pushRange(0, 5);
    await sut.flush();

    expect(store.attempts).toBe(1);
    expect(store.batches()).toEqual([[0, 1, 2, 3, 4]]);
    expect(sut.stats()).toMatchObject({ bufferedPoints: 0, storedPoints: 5, batches: 1, failedWrites: 0 });
  });

  it('does not call the store when nothing is buffered', async () => {
    await sut.flush();

    expect(store.attempts).toBe(0);
  });

  it('flushes on its own as soon as batchPoints are waiting', async () => {
    sut = make({ batchPoints: 3 });
    pushRange(0, 2);
    await jest.advanceTimersByTimeAsync(0);

    expect(store.attempts).toBe(0);

    sut.push(point(2));
    await jest.advanceTimersByTimeAsync(0);

    expect(store.batches()).toEqual([[0, 1, 2]]);
  });

  it('splits a backlog into batches of batchPoints and writes them in order', async () => {
    sut = make({ batchPoints: 4 });
    pushRange(0, 10);
    await jest.runAllTimersAsync();

    expect(store.batches()).toEqual([range(0, 4), range(4, 8)]);

    await sut.flush();

    expect(store.batches()).toEqual([range(0, 4), range(4, 8), range(8, 10)]);
  });

  it('flushes a partial batch every flushMs once started', async () => {
    sut.start();
    pushRange(0, 2);
    await jest.advanceTimersByTimeAsync(999);

    expect(store.attempts).toBe(0);

    await jest.advanceTimersByTimeAsync(1);

    expect(store.batches()).toEqual([[0, 1]]);
  });

  it('joins a write in flight instead of starting a second one', async () => {
    store.hold();
    pushRange(0, 2);
    const first = sut.flush();
    sut.push(point(2));
    const second = sut.flush();

    expect(store.attempts).toBe(1);

    store.release();
    await Promise.all([first, second]);
    await sut.flush();

    expect(store.batches()).toEqual([[0, 1], [2]]);
  });

  it('keeps the points of a failed write and writes them first, in order, once the store recovers', async () => {
    store.failNext = 1;
    store.hold();
    pushRange(0, 2);
    const failing = sut.flush();
    sut.push(point(2));
    store.release();
    await failing;

    expect(store.written).toEqual([]);
    expect(sut.stats()).toMatchObject({ bufferedPoints: 3, storedPoints: 0, failedWrites: 1, lastError: 'store down' });
    expect(opts.onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'store down' }), 3);

    pushRange(3, 5);
    jest.advanceTimersByTime(250);
    await sut.flush();

    expect(store.batches()).toEqual([[0, 1, 2, 3, 4]]);
    expect(opts.onRecovered).toHaveBeenCalledTimes(1);
    expect(sut.stats()).toMatchObject({ bufferedPoints: 0, storedPoints: 5, lastError: undefined });
  });

  it('waits out a doubling backoff between retries, capped at 10 s', async () => {
    store.failNext = Number.POSITIVE_INFINITY;
    sut.push(point(0));
    await sut.flush();
    const delays = [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000];

    for (const delayMs of delays) {
      const attempts = store.attempts;
      jest.advanceTimersByTime(delayMs - 1);
      await sut.flush();

      expect(store.attempts).toBe(attempts);

      jest.advanceTimersByTime(1);
      await sut.flush();

      expect(store.attempts).toBe(attempts + 1);
    }
  });

  it('does not call onRecovered after a write that never failed', async () => {
    sut.push(point(0));
    await sut.flush();

    expect(opts.onRecovered).not.toHaveBeenCalled();
  });

  it('drops the oldest points beyond maxBufferedPoints while the store fails, and counts them', async () => {
    sut = make({ maxBufferedPoints: 5 });
    store.failNext = 1;
    pushRange(0, 8);
    await sut.flush();

    expect(sut.stats()).toMatchObject({ bufferedPoints: 5, droppedPoints: 3 });
    expect(opts.onError).toHaveBeenCalledWith(expect.any(Error), 5);

    jest.advanceTimersByTime(250);
    await sut.flush();

    expect(store.batches()).toEqual([[3, 4, 5, 6, 7]]);
    expect(sut.stats()).toMatchObject({ storedPoints: 5, droppedPoints: 3 });
  });

  it('writes alarm events with the points and keeps them through a failed write', async () => {
    store.failNext = 1;
    sut.pushAlarmEvent(alarmEvent);
    sut.push(point(0));
    await sut.flush();
    jest.advanceTimersByTime(250);
    await sut.flush();

    expect(store.written).toEqual([{ points: [point(0)], alarmEvents: [alarmEvent] }]);
    expect(sut.stats().storedAlarmEvents).toBe(1);
  });

  it('writes alarm events even when no points are buffered', async () => {
    sut.pushAlarmEvent(alarmEvent);
    await sut.flush();

    expect(store.written).toEqual([{ points: [], alarmEvents: [alarmEvent] }]);
  });

  it('drain writes everything still buffered, batch by batch, and stops the timer', async () => {
    sut = make({ batchPoints: 4 });
    sut.start();
    pushRange(0, 10);
    await sut.drain();

    expect(store.batches()).toEqual([range(0, 4), range(4, 8), range(8, 10)]);

    await jest.advanceTimersByTimeAsync(0);
    sut.push(point(10));
    await jest.advanceTimersByTimeAsync(10_000);

    expect(store.attempts).toBe(3);
  });

  it('drain retries a failing store without waiting out the backoff until everything is written', async () => {
    store.failNext = 2;
    pushRange(0, 3);
    const drained = sut.drain();
    await jest.advanceTimersByTimeAsync(400);
    await drained;

    expect(store.attempts).toBe(3);
    expect(store.batches()).toEqual([[0, 1, 2]]);
  });

  it('drain gives up after its deadline and leaves the points buffered', async () => {
    store.failNext = Number.POSITIVE_INFINITY;
    pushRange(0, 3);
    const drained = sut.drain(1000);
    await jest.advanceTimersByTimeAsync(1200);
    await drained;

    expect(sut.stats().bufferedPoints).toBe(3);
  });
});

describe(`${WriteBuffer.name} with a disk spool`, () => {
  let dir: string;
  let store: FakeStore;
  let spool: Spool;
  let modes: string[];

  const openSpool = () =>
    Spool.open({ dir, segmentBytes: 4096, maxBytes: 64 * 1024 * 1024, fsyncMs: 50, log: () => undefined });
  const make = (over: Partial<WriteBufferOptions> = {}) =>
    new WriteBuffer(store, {
      flushMs: 1000,
      batchPoints: 100,
      maxBufferedPoints: 200,
      spool,
      onError: () => undefined,
      onRecovered: () => undefined,
      onModeChange: (mode) => modes.push(mode),
      ...over,
    });
  /** Messages of 10 points each, numbered from `from`. */
  const pushMessages = (sut: WriteBuffer, from: number, to: number) => {
    for (let i = from; i < to; i += 10) sut.pushPoints(range(i, Math.min(i + 10, to)).map(point));
  };
  const storedValues = () => store.batches().flat();
  /** Flushes until nothing is left (bounded), stepping over the retry backoff. */
  const drainAll = async (sut: WriteBuffer) => {
    for (let i = 0; i < 1000 && (sut.stats().bufferedPoints > 0 || sut.stats().mode === 'replay'); i++) {
      jest.advanceTimersByTime(10_000);
      await sut.flush();
    }
  };

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['setImmediate'] });
    dir = mkdtempSync(join(tmpdir(), 'hazard-wb-spool-'));
    store = new FakeStore();
    spool = openSpool();
    modes = [];
  });

  afterEach(() => {
    spool.close();
    rmSync(dir, { recursive: true, force: true });
    jest.useRealTimers();
  });

  it('appends every message to the spool before buffering it, and commits what the store confirmed', async () => {
    const sut = make();
    pushMessages(sut, 0, 50);
    expect(spool.stats().appendedFrames).toBe(5);
    expect(spool.pendingBytes).toBeGreaterThan(0);
    await sut.flush();
    expect(storedValues()).toEqual(range(0, 50));
    expect(spool.pendingBytes).toBe(0);
  });

  it('commits only whole messages: a message split across two batches stays pending until both are stored', async () => {
    const sut = make({ batchPoints: 15 });
    pushMessages(sut, 0, 20);
    await sut.flush();
    expect(storedValues()).toEqual(range(0, 15));
    // Message 2 (points 10–19) is half stored: the checkpoint stays after message 1.
    expect(spool.read(spool.checkpointPos, 100).points.map((p) => p.v)).toEqual(range(10, 20));
    await sut.flush();
    expect(spool.pendingBytes).toBe(0);
  });

  it('past maxBufferedPoints during an outage lets memory go, then replays from disk in order: nothing lost', async () => {
    const sut = make();
    store.failNext = 1_000_000;
    for (let i = 0; i < 2000; i += 100) {
      pushMessages(sut, i, i + 100);
      jest.advanceTimersByTime(10_000);
      await sut.flush();
    }
    expect(modes).toEqual(['replay']);
    expect(sut.stats()).toMatchObject({ mode: 'replay', bufferedPoints: 0, droppedPoints: 0 });
    expect(store.written).toEqual([]);

    store.failNext = 0;
    pushMessages(sut, 2000, 2050); // still arriving while the store catches up
    await drainAll(sut);
    expect(storedValues()).toEqual(range(0, 2050));
    expect(modes).toEqual(['replay', 'live']);
    expect(sut.stats()).toMatchObject({ mode: 'live', replayedPoints: 2050, droppedPoints: 0 });
    expect(spool.pendingBytes).toBe(0);

    // Back to live: later messages go through memory again.
    pushMessages(sut, 2050, 2060);
    expect(sut.stats().bufferedPoints).toBe(10);
  });

  it('replays on start what a crashed process had accepted but not stored', async () => {
    const crashed = make({ batchPoints: 1000 });
    pushMessages(crashed, 0, 300);
    await crashed.flush();
    pushMessages(crashed, 300, 420); // accepted (PUBACKed) but never written: the process dies here
    // The fsync timer has run once since the write (it persists the checkpoint after the data is durable).
    spool.sync();
    // fdatasync runs on libuv's thread pool: on a loaded machine it takes real time, not a number of turns. Wait
    // by the (unfaked) monotonic clock, up to 10 s.
    const deadlineNs = process.hrtime.bigint() + 10_000_000_000n;
    while (spool.stats().fsyncs === 0 && process.hrtime.bigint() < deadlineNs) {
      await new Promise((r) => setImmediate(r));
    }
    expect(spool.stats().fsyncs).toBe(1);

    const fresh = openSpool();
    const restarted = new WriteBuffer(store, {
      flushMs: 1000,
      batchPoints: 100,
      maxBufferedPoints: 200,
      spool: fresh,
      onError: () => undefined,
      onRecovered: () => undefined,
    });
    expect(restarted.stats().mode).toBe('replay');
    await drainAll(restarted);
    expect(storedValues()).toEqual(range(0, 420));
    fresh.close();
  });

  it('spools alarm events: one the store has not confirmed survives a crash and is replayed in order', async () => {
    const crashed = make();
    pushMessages(crashed, 0, 10);
    crashed.pushAlarmEvent(alarmEvent);
    const ack: AlarmEvent = { ...alarmEvent, seq: 2, tsMs: 2, transition: 'ack', user: '张三', comment: '已确认' };
    crashed.pushAlarmEvent(ack);
    pushMessages(crashed, 10, 20); // nothing written: the process dies here

    const fresh = openSpool();
    expect(fresh.pendingAlarmEvents()).toEqual([alarmEvent, ack]);
    const restarted = new WriteBuffer(store, {
      flushMs: 1000,
      batchPoints: 100,
      maxBufferedPoints: 200,
      spool: fresh,
      onError: () => undefined,
      onRecovered: () => undefined,
    });
    await drainAll(restarted);
    expect(store.written).toEqual([{ points: range(0, 20).map(point), alarmEvents: [alarmEvent, ack] }]);
    expect(restarted.stats()).toMatchObject({ replayedPoints: 20, replayedAlarmEvents: 2 });
    expect(fresh.pendingBytes).toBe(0);
    fresh.close();
  });

  it('commits an alarm event once stored, even with no point after it', async () => {
    const sut = make();
    pushMessages(sut, 0, 10);
    sut.pushAlarmEvent(alarmEvent);
    await sut.flush();
    expect(store.written).toEqual([{ points: range(0, 10).map(point), alarmEvents: [alarmEvent] }]);
    expect(spool.pendingBytes).toBe(0);
    expect(spool.pendingAlarmEvents()).toEqual([]);
  });

  it('keeps the checkpoint before an alarm event whose write failed', async () => {
    const sut = make();
    store.failNext = 1;
    sut.pushAlarmEvent(alarmEvent);
    pushMessages(sut, 0, 10);
    await sut.flush();
    expect(spool.pendingAlarmEvents()).toEqual([alarmEvent]);
    jest.advanceTimersByTime(10_000);
    await sut.flush();
    expect(spool.pendingBytes).toBe(0);
    expect(store.written).toEqual([{ points: range(0, 10).map(point), alarmEvents: [alarmEvent] }]);
  });

  it('holds a message in memory when the spool cannot take it, and says so', async () => {
    const onSpoolError = jest.fn();
    const sut = make({ onSpoolError });
    spool.close(); // any append now throws
    pushMessages(sut, 0, 10);
    expect(onSpoolError).toHaveBeenCalledWith(expect.any(Error));
    expect(sut.stats()).toMatchObject({ bufferedPoints: 10, spoolWriteErrors: 1 });
    await sut.flush();
    expect(storedValues()).toEqual(range(0, 10));
    spool = openSpool();
  });
});

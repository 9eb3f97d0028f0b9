import type { AlarmEvent, SamplePoint } from '../contracts';
import type { Spool, SpoolStats } from './spool';
import type { TelemetryStore } from './store.port';

export interface WriteBufferOptions {
  /** Flush at least this often. */
  flushMs: number;
  /** Flush once this many points are waiting. */
  batchPoints: number;
  /**
   * Most points held in memory while the store fails. With a spool the rest waits on disk and is replayed (nothing
   * dropped); without one the oldest are dropped and counted in `droppedPoints`.
   */
  maxBufferedPoints: number;
  /** The durable write-ahead spool (DESIGN.md §5); absent only in unit tests and when SPOOL_MAX_BYTES=0. */
  spool?: Spool;
  onError: (err: Error, pendingPoints: number) => void;
  onRecovered: () => void;
  /** Spool I/O failed (disk full, I/O error): the points are held in memory instead, and this is loud. */
  onSpoolError?: (err: Error) => void;
  /** The buffer switched between writing from memory and replaying from the spool. */
  onModeChange?: (mode: WriteMode, detail: string) => void;
}

/** `live`: the store keeps up, points are written from memory; `replay`: they are read back from the spool. */
export type WriteMode = 'live' | 'replay';

export interface WriteBufferStats {
  mode: WriteMode;
  bufferedPoints: number;
  storedPoints: number;
  storedAlarmEvents: number;
  /** Points lost for good (no spool and memory full, or spool full or failing); each loss is logged. */
  droppedPoints: number;
  /** Points written from the spool after an outage or a crash. */
  replayedPoints: number;
  /** Alarm events written from the spool after an outage or a crash. */
  replayedAlarmEvents: number;
  failedWrites: number;
  batches: number;
  spoolWriteErrors: number;
  spool?: SpoolStats;
  lastError?: string;
}

/**
 * Batches points and alarm events into one store request at a time (DESIGN.md §5). With a spool every message is
 * first appended to disk (`pushPoints`, synchronous, before the PUBACK), then buffered in memory; a successful
 * write commits the spool position of the last whole message it covered. When the store fails, the batch is put
 * back in front and retried with backoff; once more than `maxBufferedPoints` wait, memory is let go and the buffer
 * replays from the spool's checkpoint, in order, until it has caught up with the live end.
 */
export class WriteBuffer {
  private points: SamplePoint[] = [];
  private alarmEvents: AlarmEvent[] = [];
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private immediateScheduled = false;
  private retryAtMs = 0;
  private backoffMs = 0;
  private failing = false;
  private mode: WriteMode = 'live';
  /** Replay: the next spool position to read. */
  private readPos = 0;
  /**
   * Live: spool position after each buffered frame (a message's points or an alarm event), and the running point
   * and alarm event counts at its end. A frame is stored once both counts are written.
   */
  private markEnd: number[] = [];
  private markEvents: number[] = [];
  private markPos: number[] = [];
  private markHead = 0;
  private pushedTotal = 0;
  private writtenTotal = 0;
  private pushedEvents = 0;
  private writtenEvents = 0;
  /** Points in memory that the spool failed to take (lost if memory must be let go). */
  private unspooled = 0;
  private readonly spool: Spool | undefined;
  private readonly s: Omit<WriteBufferStats, 'mode' | 'bufferedPoints' | 'spool'> = {
    storedPoints: 0,
    storedAlarmEvents: 0,
    droppedPoints: 0,
    replayedPoints: 0,
    replayedAlarmEvents: 0,
    failedWrites: 0,
    batches: 0,
    spoolWriteErrors: 0,
  };

  constructor(
    private readonly store: TelemetryStore,
    private readonly opts: WriteBufferOptions,
  ) {
    this.spool = opts.spool;
    if (this.spool && this.spool.pendingBytes > 0) {
      // What the store had not confirmed when we last stopped (or died) goes first.
      this.mode = 'replay';
      this.readPos = this.spool.checkpointPos;
    }
  }

  start(): void {
    if (this.timer) return;
    this.spool?.start();
    this.timer = setInterval(() => void this.flush(), this.opts.flushMs);
    this.timer.unref();
    if (this.mode === 'replay') setImmediate(() => void this.flush());
  }

  /** One point (tests and callers without messages); the hot path uses pushPoints once per message. */
  push(point: SamplePoint): void {
    this.pushPoints([point]);
  }

  /** Hot path, once per MQTT message: the spool append happens here, synchronously, before the PUBACK. */
  pushPoints(points: readonly SamplePoint[]): void {
    if (points.length === 0) return;
    let pos = -1;
    if (this.spool) {
      try {
        pos = this.spool.append(points);
      } catch (err) {
        this.s.spoolWriteErrors++;
        this.opts.onSpoolError?.(err as Error);
      }
    }
    // Replaying: the spool has it; memory would only hold a second copy.
    if (this.mode === 'replay' && pos >= 0) return;
    for (let i = 0; i < points.length; i++) this.points.push(points[i]!);
    this.pushedTotal += points.length;
    if (pos >= 0) {
      this.markEnd.push(this.pushedTotal);
      this.markEvents.push(this.pushedEvents);
      this.markPos.push(pos);
    } else if (this.spool) {
      this.unspooled += points.length;
    }
    // While the store is failing, keep memory bounded between retries too (a batch at a time, not per point).
    if (this.failing && this.points.length > this.opts.maxBufferedPoints + this.opts.batchPoints) this.overflow();
    if (this.points.length >= this.opts.batchPoints && !this.immediateScheduled && !this.inFlight) {
      this.immediateScheduled = true;
      setImmediate(() => {
        this.immediateScheduled = false;
        void this.flush();
      });
    }
  }

  /** Writes the spool's batched frames (before the PUBACKs of a turn of messages leave); never throws. */
  flushSpool(): void {
    try {
      this.spool?.flush();
    } catch (err) {
      this.s.spoolWriteErrors++;
      this.opts.onSpoolError?.(err as Error);
    }
  }

  /**
   * One alarm transition or operator action: appended to the spool synchronously like a message's points, so the
   * journal and the state rebuilt from it at start survive a crash (docs/alarm-lifecycle.md "Rebuild").
   */
  pushAlarmEvent(event: AlarmEvent): void {
    let pos = -1;
    if (this.spool) {
      try {
        pos = this.spool.appendAlarmEvent(event);
      } catch (err) {
        this.s.spoolWriteErrors++;
        this.opts.onSpoolError?.(err as Error);
      }
    }
    if (this.mode === 'replay' && pos >= 0) return;
    this.alarmEvents.push(event);
    this.pushedEvents++;
    if (pos >= 0) {
      this.markEnd.push(this.pushedTotal);
      this.markEvents.push(this.pushedEvents);
      this.markPos.push(pos);
    }
  }

  stats(): WriteBufferStats {
    return {
      ...this.s,
      mode: this.mode,
      bufferedPoints: this.points.length,
      ...(this.spool ? { spool: this.spool.stats() } : {}),
    };
  }

  /** Writes what is buffered, one batch at a time; never rejects (errors are reported through onError). */
  async flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (!this.hasWork()) return;
    if (this.failing && Date.now() < this.retryAtMs) return;
    this.inFlight = this.writeOne().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private hasWork(): boolean {
    return (
      this.points.length > 0 ||
      this.alarmEvents.length > 0 ||
      (this.mode === 'replay' && this.spool !== undefined && this.readPos < this.spool.endPos)
    );
  }

  private async writeOne(): Promise<void> {
    let replayed: SamplePoint[] = [];
    let replayedEvents: AlarmEvent[] = [];
    let replayTo = -1;
    if (this.mode === 'replay' && this.spool) {
      const r = this.spool.read(this.readPos, this.opts.batchPoints);
      replayed = r.points;
      replayedEvents = r.alarmEvents;
      replayTo = r.nextPos;
    }
    const room = Math.max(this.opts.batchPoints - replayed.length, 0);
    const fromMemory = this.points.length <= room ? this.points : this.points.slice(0, room);
    this.points = fromMemory === this.points ? [] : this.points.slice(fromMemory.length);
    const points =
      replayed.length === 0 ? fromMemory : fromMemory.length === 0 ? replayed : replayed.concat(fromMemory);
    const eventsFromMemory = this.alarmEvents;
    this.alarmEvents = [];
    const alarmEvents = replayedEvents.length === 0 ? eventsFromMemory : replayedEvents.concat(eventsFromMemory);
    try {
      if (points.length > 0 || alarmEvents.length > 0) await this.store.writeBatch({ points, alarmEvents });
      this.s.storedPoints += points.length;
      this.s.storedAlarmEvents += alarmEvents.length;
      this.s.replayedPoints += replayed.length;
      this.s.replayedAlarmEvents += replayedEvents.length;
      this.s.batches++;
      this.writtenTotal += fromMemory.length;
      this.writtenEvents += eventsFromMemory.length;
      if (this.points.length === 0) this.unspooled = 0;
      this.commit(replayTo);
      if (this.failing) {
        this.failing = false;
        this.backoffMs = 0;
        this.s.lastError = undefined;
        this.opts.onRecovered();
      }
      if (this.points.length >= this.opts.batchPoints || this.mode === 'replay') {
        setImmediate(() => void this.flush());
      }
    } catch (err) {
      this.points = fromMemory.concat(this.points);
      this.alarmEvents = eventsFromMemory.concat(this.alarmEvents);
      this.s.failedWrites++;
      this.s.lastError = (err as Error).message;
      this.failing = true;
      this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 250), 10_000);
      this.retryAtMs = Date.now() + this.backoffMs;
      if (this.points.length > this.opts.maxBufferedPoints) this.overflow();
      this.opts.onError(err as Error, this.points.length);
    }
  }

  /** After a successful write: advance the spool checkpoint over what the store now holds. */
  private commit(replayTo: number): void {
    const spool = this.spool;
    if (!spool) return;
    if (this.mode === 'replay') {
      if (replayTo >= 0) {
        this.readPos = replayTo;
        spool.commit(replayTo);
      }
      if (this.readPos >= spool.endPos) {
        this.mode = 'live';
        this.opts.onModeChange?.('live', `caught up with the spool after ${this.s.replayedPoints} replayed points`);
      }
      return;
    }
    let pos = -1;
    while (
      this.markHead < this.markEnd.length &&
      this.markEnd[this.markHead]! <= this.writtenTotal &&
      this.markEvents[this.markHead]! <= this.writtenEvents
    ) {
      pos = this.markPos[this.markHead]!;
      this.markHead++;
    }
    if (this.markHead > 4096 && this.markHead * 2 > this.markEnd.length) {
      this.markEnd = this.markEnd.slice(this.markHead);
      this.markEvents = this.markEvents.slice(this.markHead);
      this.markPos = this.markPos.slice(this.markHead);
      this.markHead = 0;
    }
    if (pos >= 0) spool.commit(pos);
  }

  /** More waits than memory may hold: with a spool, let memory go and replay from disk; without, drop the oldest. */
  private overflow(): void {
    if (!this.spool) {
      this.trim();
      return;
    }
    if (this.mode === 'replay') {
      // Only points the spool could not take are in memory now; beyond the bound they are lost, and counted.
      this.trim();
      return;
    }
    const lost = Math.min(this.unspooled, this.points.length);
    if (lost > 0) this.s.droppedPoints += lost;
    this.points = [];
    this.writtenTotal = this.pushedTotal;
    // Alarm events stay in memory (few, and those the spool refused exist nowhere else); the spooled ones are
    // written again by the replay, which the stores take as the same events.
    this.markEnd = [];
    this.markEvents = [];
    this.markPos = [];
    this.markHead = 0;
    this.unspooled = 0;
    this.mode = 'replay';
    this.readPos = this.spool.checkpointPos;
    this.opts.onModeChange?.(
      'replay',
      `store unavailable with more than ${this.opts.maxBufferedPoints} points waiting: continuing from the spool on disk (${this.spool.pendingBytes} bytes)${lost > 0 ? `; ${lost} points the spool had refused are lost` : ''}`,
    );
  }

  /** Drops the oldest points beyond the bound, counting them (never silent). */
  private trim(): void {
    const excess = this.points.length - this.opts.maxBufferedPoints;
    if (excess <= 0) return;
    this.points.splice(0, excess);
    this.s.droppedPoints += excess;
  }

  /**
   * Stops the timer and writes everything still buffered or spooled (graceful shutdown); gives up after
   * `deadlineMs`, leaving the rest in the spool for the next start.
   */
  async drain(deadlineMs = 10_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const until = Date.now() + deadlineMs;
    while ((this.hasWork() || this.inFlight) && Date.now() < until) {
      this.retryAtMs = 0;
      await (this.inFlight ?? this.flush());
      if (this.failing) await new Promise((r) => setTimeout(r, 200));
    }
  }
}

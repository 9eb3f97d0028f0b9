import type { AlarmEvent, SamplePoint } from '../contracts';
import type { TelemetryStore } from './store.port';

export interface WriteBufferOptions {
  /** Flush at least this often. */
  flushMs: number;
  /** Flush once this many points are waiting. */
  batchPoints: number;
  /** While the store fails, keep at most this many points; older ones are counted in `droppedPoints`. */
  maxBufferedPoints: number;
  onError: (err: Error, pendingPoints: number) => void;
  onRecovered: () => void;
}

export interface WriteBufferStats {
  bufferedPoints: number;
  storedPoints: number;
  storedAlarmEvents: number;
  droppedPoints: number;
  failedWrites: number;
  batches: number;
  lastError?: string;
}

/**
 * Batches points and alarm events into one store request at a time (DESIGN.md §5). `push` is synchronous and
 * allocation-free beyond the array slot; flushing happens off the hot path. On failure the batch is put back in
 * front, in order, and retried with backoff. (The durable disk spool for long outages comes with issue 4.)
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
  private readonly s: WriteBufferStats = {
    bufferedPoints: 0,
    storedPoints: 0,
    storedAlarmEvents: 0,
    droppedPoints: 0,
    failedWrites: 0,
    batches: 0,
  };

  constructor(
    private readonly store: TelemetryStore,
    private readonly opts: WriteBufferOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  push(point: SamplePoint): void {
    this.points.push(point);
    // While the store is failing, keep memory bounded between retries too (trimmed a batch at a time, not per point).
    if (this.failing && this.points.length > this.opts.maxBufferedPoints + this.opts.batchPoints) this.trim();
    if (this.points.length >= this.opts.batchPoints && !this.immediateScheduled && !this.inFlight) {
      this.immediateScheduled = true;
      setImmediate(() => {
        this.immediateScheduled = false;
        void this.flush();
      });
    }
  }

  pushAlarmEvent(event: AlarmEvent): void {
    this.alarmEvents.push(event);
  }

  stats(): WriteBufferStats {
    return { ...this.s, bufferedPoints: this.points.length };
  }

  /** Writes what is buffered, one batch at a time; never rejects (errors are reported through onError). */
  async flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.points.length === 0 && this.alarmEvents.length === 0) return;
    if (this.failing && Date.now() < this.retryAtMs) return;
    this.inFlight = this.writeOne().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async writeOne(): Promise<void> {
    const points =
      this.points.length <= this.opts.batchPoints ? this.points : this.points.slice(0, this.opts.batchPoints);
    this.points = points === this.points ? [] : this.points.slice(points.length);
    const alarmEvents = this.alarmEvents;
    this.alarmEvents = [];
    try {
      await this.store.writeBatch({ points, alarmEvents });
      this.s.storedPoints += points.length;
      this.s.storedAlarmEvents += alarmEvents.length;
      this.s.batches++;
      if (this.failing) {
        this.failing = false;
        this.backoffMs = 0;
        this.s.lastError = undefined;
        this.opts.onRecovered();
      }
      if (this.points.length >= this.opts.batchPoints) setImmediate(() => void this.flush());
    } catch (err) {
      this.points = points.concat(this.points);
      this.alarmEvents = alarmEvents.concat(this.alarmEvents);
      this.s.failedWrites++;
      this.s.lastError = (err as Error).message;
      this.failing = true;
      this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 250), 10_000);
      this.retryAtMs = Date.now() + this.backoffMs;
      this.trim();
      this.opts.onError(err as Error, this.points.length);
    }
  }

  /** Drops the oldest points beyond the bound, counting them (never silent). */
  private trim(): void {
    const excess = this.points.length - this.opts.maxBufferedPoints;
    if (excess <= 0) return;
    this.points.splice(0, excess);
    this.s.droppedPoints += excess;
  }

  /** Stops the timer and writes everything still buffered (graceful shutdown); gives up after `deadlineMs`. */
  async drain(deadlineMs = 10_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const until = Date.now() + deadlineMs;
    while ((this.points.length > 0 || this.alarmEvents.length > 0 || this.inFlight) && Date.now() < until) {
      this.retryAtMs = 0;
      await (this.inFlight ?? this.flush());
      if (this.failing) await new Promise((r) => setTimeout(r, 200));
    }
  }
}

import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AlarmEvent, SamplePoint } from '../contracts';
import {
  FRAME_HEADER_BYTES,
  FrameEncoder,
  SpoolFrameError,
  decodePayload,
  frameIntact,
  framePointCount,
  readFrameHeader,
} from './spool.codec';

export interface SpoolOptions {
  /** Directory of the segments, the checkpoint and the lock (DATA_DIR/spool). */
  dir: string;
  /** A segment is closed and a new one started past this size. */
  segmentBytes: number;
  /** Most bytes kept that the store has not confirmed; beyond it the oldest segments are dropped, counted, logged. */
  maxBytes: number;
  /** Data and checkpoint are fsync'd at this interval (the window a power loss can cost; a process crash costs nothing). */
  fsyncMs: number;
  /**
   * Frames appended in one turn of the event loop are written together (one write instead of one per message) by
   * `flush`, which the MQTT client calls before it lets the turn's PUBACKs go (ingest/mqtt.client.ts), and at the
   * latest at the end of the turn. Off: every append is written before it returns.
   */
  batchWrites?: boolean;
  log: (level: 'log' | 'warn' | 'error', message: string) => void;
}

export interface SpoolStats {
  /** Bytes appended that the store has not confirmed yet. */
  pendingBytes: number;
  segments: number;
  appendedFrames: number;
  appendedBytes: number;
  fsyncs: number;
  /** Points dropped because the spool reached SPOOL_MAX_BYTES (never silently: each drop is logged). */
  droppedPoints: number;
  /** Frames found corrupt when read back (CRC mismatch), skipped with the rest of their segment. */
  corruptFrames: number;
  /** Bytes cut from a torn tail at start (a frame half-written when the process died). */
  truncatedBytes: number;
}

interface Segment {
  base: number;
  size: number;
}

const CHECKPOINT = 'checkpoint';
const LOCK = 'lock';
const SEGMENT_RE = /^(\d{20})\.wal$/;
const READ_CHUNK_BYTES = 4 * 1_048_576;
/** Batched frames waiting beyond this are written at once (a turn of 64 kB socket reads stays far below it). */
const MAX_BATCH_BYTES = 4 * 1_048_576;

const segmentName = (base: number) => `${String(base).padStart(20, '0')}.wal`;

/** Another live process holds the spool directory. */
export class SpoolLockedError extends Error {
  override name = 'SpoolLockedError';
}

/**
 * The write-ahead spool between MQTT and the store (DESIGN.md §5, docs/storage.md). Every accepted message is
 * appended as one frame, and written (synchronously; with `batchWrites` together with the other frames of its turn
 * of the event loop) before its PUBACK leaves, so a process crash (SIGKILL, OOM) loses nothing the broker was told
 * we had; data and checkpoint are fsync'd every `fsyncMs`, which bounds what a power
 * loss can cost. The write buffer commits the position up to which the store has confirmed; on start everything
 * after the checkpoint is replayed (the stores are idempotent on tag + time, so a replayed duplicate is harmless).
 *
 * Positions are logical byte offsets over the whole spool; a segment file is named by its first position.
 */
export class Spool {
  private readonly encoder = new FrameEncoder();
  private segments: Segment[] = [];
  private fd = -1;
  private end = 0;
  private checkpoint = 0;
  private savedCheckpoint = -1;
  private dirty = false;
  private syncing = false;
  private timer: NodeJS.Timeout | null = null;
  private readFd = -1;
  private readBase = -1;
  private readBuf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  private closed = false;
  /** batchWrites: frames appended but not yet written, `batchLen` bytes of `batchBuf`, all past `written`. */
  private batchBuf = Buffer.allocUnsafe(0);
  private batchLen = 0;
  private flushScheduled = false;
  /** Position up to which frames are in the kernel (`end` minus the batch). */
  private written = 0;
  private readonly s: SpoolStats = {
    pendingBytes: 0,
    segments: 0,
    appendedFrames: 0,
    appendedBytes: 0,
    fsyncs: 0,
    droppedPoints: 0,
    corruptFrames: 0,
    truncatedBytes: 0,
  };

  private constructor(private readonly opts: SpoolOptions) {}

  /** Opens (and recovers) the spool in `opts.dir`: takes the lock, cuts a torn tail, finds the checkpoint. */
  static open(opts: SpoolOptions): Spool {
    const spool = new Spool(opts);
    spool.recover();
    return spool;
  }

  /** Position after the last appended frame. */
  get endPos(): number {
    return this.end;
  }

  /** Position up to which the store has confirmed every point. */
  get checkpointPos(): number {
    return this.checkpoint;
  }

  get pendingBytes(): number {
    return this.end - this.checkpoint;
  }

  stats(): SpoolStats {
    return { ...this.s, pendingBytes: this.end - this.checkpoint, segments: this.segments.length };
  }

  /** Starts the fsync timer. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.sync(), this.opts.fsyncMs);
    this.timer.unref();
  }

  /**
   * Appends one message's points as a frame (synchronous write: on return the bytes are in the kernel, safe from a
   * process crash). Returns the position after the frame. Throws on an I/O error (the caller keeps the points).
   */
  append(points: readonly SamplePoint[]): number {
    if (this.closed) throw new Error('spool is closed');
    return this.appendFrame(this.encoder.encode(points));
  }

  /**
   * Appends one alarm transition or operator action (the journal, docs/alarm-lifecycle.md), synchronously like
   * `append`: once it returns, a crash cannot lose the event, and the REST answer to an ack follows it.
   */
  appendAlarmEvent(event: AlarmEvent): number {
    if (this.closed) throw new Error('spool is closed');
    const pos = this.appendFrame(this.encoder.encodeAlarmEvent(event));
    // A failed write leaves it batched for the next flush; the journal keeps it in memory meanwhile.
    if (this.opts.batchWrites) this.flushOrLog();
    return pos;
  }

  /**
   * Writes the batched frames (batchWrites) in one write; a no-op when there are none. Throws on an I/O error: the
   * frames stay batched and the next flush tries again (until then they are held in memory, like the write buffer's).
   */
  flush(): void {
    if (this.batchLen === 0 || this.closed) return;
    let off = 0;
    try {
      while (off < this.batchLen) off += writeSync(this.fd, this.batchBuf, off, this.batchLen - off);
    } finally {
      // What made it out is out, even when the rest failed.
      if (off > 0) {
        this.batchBuf.copy(this.batchBuf, 0, off, this.batchLen);
        this.batchLen -= off;
        this.written += off;
      }
    }
  }

  private appendFrame(frame: Buffer): number {
    let seg = this.segments[this.segments.length - 1]!;
    if (seg.size > 0 && seg.size + frame.length > this.opts.segmentBytes) {
      this.flush();
      seg = this.rotate();
    }
    if (this.opts.batchWrites) {
      if (this.batchLen + frame.length > MAX_BATCH_BYTES) this.flush();
      this.batch(frame);
    } else {
      let written = 0;
      while (written < frame.length) written += writeSync(this.fd, frame, written, frame.length - written);
      this.written += frame.length;
    }
    seg.size += frame.length;
    this.end += frame.length;
    this.s.appendedFrames++;
    this.s.appendedBytes += frame.length;
    this.dirty = true;
    if (this.end - this.checkpoint > this.opts.maxBytes) this.dropOldest();
    return this.end;
  }

  /** Copies a frame into the batch (the encoder reuses its buffer) and makes sure it is written this turn. */
  private batch(frame: Buffer): void {
    if (this.batchLen + frame.length > this.batchBuf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.batchBuf.length * 2, this.batchLen + frame.length, 256 * 1024));
      this.batchBuf.copy(next, 0, 0, this.batchLen);
      this.batchBuf = next;
    }
    frame.copy(this.batchBuf, this.batchLen);
    this.batchLen += frame.length;
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushOrLog();
    });
  }

  /** `flush` for callers that cannot throw: a failure is logged and the batch waits for the next flush. */
  private flushOrLog(): void {
    try {
      this.flush();
    } catch (err) {
      this.opts.log('error', `spool write failed, ${this.batchLen} bytes held in memory: ${(err as Error).message}`);
    }
  }

  /**
   * Reads whole frames from `fromPos` until at least `maxItems` points and alarm events (or the end). A position
   * before the checkpoint (dropped data) is moved up to it. Corrupt frames are skipped with the rest of their
   * segment. `alarmEventsOnly` skips point frames undecoded (the start-up scan of what the store lacks).
   */
  read(
    fromPos: number,
    maxItems: number,
    alarmEventsOnly = false,
  ): { points: SamplePoint[]; alarmEvents: AlarmEvent[]; nextPos: number } {
    const points: SamplePoint[] = [];
    const alarmEvents: AlarmEvent[] = [];
    const pointSink = alarmEventsOnly ? null : points;
    try {
      this.flush();
    } catch {
      // Read what is written; the batch is retried by the next flush.
    }
    const end = this.written;
    let pos = Math.max(fromPos, this.checkpoint);
    while (pos < end && points.length + alarmEvents.length < maxItems) {
      const seg = this.segmentAt(pos);
      const segEnd = Math.min(seg.base + seg.size, end);
      if (pos >= segEnd) {
        const next = this.nextSegmentBase(seg);
        if (next <= pos) break;
        pos = next;
        continue;
      }
      const got = readSync(
        this.readFdFor(seg),
        this.readBuf,
        0,
        Math.min(this.readBuf.length, segEnd - pos),
        pos - seg.base,
      );
      let off = 0;
      let bad: string | undefined;
      while (off < got && points.length + alarmEvents.length < maxItems) {
        const probe = readFrameHeader(this.readBuf, off, got);
        if (probe.kind === 'incomplete') break;
        if (probe.kind === 'corrupt') {
          bad = probe.reason;
          break;
        }
        const payloadOff = off + FRAME_HEADER_BYTES;
        if (!frameIntact(this.readBuf, payloadOff, probe.payloadBytes, probe.crc)) {
          bad = 'CRC mismatch';
          break;
        }
        const before = points.length;
        try {
          decodePayload(this.readBuf, payloadOff, probe.payloadBytes, pointSink, alarmEvents);
        } catch (err) {
          if (!(err instanceof SpoolFrameError)) throw err;
          points.length = before;
          bad = err.message;
          break;
        }
        off = payloadOff + probe.payloadBytes;
      }
      if (bad === undefined && off === 0 && got > 0) {
        // A frame larger than the read buffer, or one cut short by the end of its segment.
        const need = got >= 4 ? FRAME_HEADER_BYTES + this.readBuf.readUInt32LE(0) : FRAME_HEADER_BYTES;
        if (pos + need <= segEnd && need > this.readBuf.length) {
          this.readBuf = Buffer.allocUnsafe(need);
          continue;
        }
        bad = 'frame runs past the end of its segment';
      }
      if (bad !== undefined) {
        // The good frames before the corrupt one are returned; the rest of the segment is skipped.
        this.corrupt(seg, pos + off, bad);
        pos = this.nextSegmentBase(seg);
        break;
      }
      pos += off;
    }
    return { points, alarmEvents, nextPos: Math.min(pos, end) };
  }

  /** Every alarm event the store has not confirmed yet, oldest first (read once at start, for the rebuild). */
  pendingAlarmEvents(): AlarmEvent[] {
    const out: AlarmEvent[] = [];
    let pos = this.checkpoint;
    while (pos < this.end) {
      const r = this.read(pos, 10_000, true);
      for (const e of r.alarmEvents) out.push(e);
      if (r.nextPos <= pos) break;
      pos = r.nextPos;
    }
    return out;
  }

  /** The store confirmed everything before `pos`: advance the checkpoint and delete segments wholly before it. */
  commit(pos: number): void {
    if (pos <= this.checkpoint) return;
    this.checkpoint = Math.min(pos, this.end);
    this.dirty = true;
    while (this.segments.length > 1 && this.segments[0]!.base + this.segments[0]!.size <= this.checkpoint) {
      this.removeSegment(this.segments.shift()!);
    }
  }

  /** fsyncs the data (off the event loop) and persists the checkpoint; called by the timer. */
  sync(): void {
    if (!this.dirty || this.syncing || this.closed) return;
    this.flushOrLog();
    this.dirty = false;
    this.syncing = true;
    const fd = this.fd;
    fdatasync(fd, (err) => {
      this.syncing = false;
      if (err && !this.closed) this.opts.log('error', `spool fsync failed: ${err.message}`);
      else this.s.fsyncs++;
      // The checkpoint is written after the data it covers is durable.
      if (!this.closed) this.saveCheckpoint();
    });
  }

  /** Makes everything durable and releases the directory (graceful shutdown). */
  close(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      this.flush();
      fdatasyncSync(this.fd);
      this.saveCheckpoint();
    } finally {
      this.closed = true;
      closeSync(this.fd);
      if (this.readFd >= 0) closeSync(this.readFd);
      this.readFd = -1;
      try {
        unlinkSync(join(this.opts.dir, LOCK));
      } catch {
        // already gone
      }
    }
  }

  private recover(): void {
    const { dir } = this.opts;
    mkdirSync(dir, { recursive: true });
    this.lock();
    const bases = readdirSync(dir)
      .map((name) => SEGMENT_RE.exec(name)?.[1])
      .filter((b): b is string => b !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    this.segments = bases.map((base) => ({ base, size: fstatSizeOf(join(dir, segmentName(base))) }));
    const saved = readCheckpoint(join(dir, CHECKPOINT));
    const first = this.segments[0]?.base ?? 0;
    this.checkpoint = Math.max(saved ?? first, first);
    // Segments wholly confirmed can go.
    while (this.segments.length > 1 && this.segments[0]!.base + this.segments[0]!.size <= this.checkpoint) {
      this.removeSegment(this.segments.shift()!);
    }
    if (this.segments.length === 0) {
      this.segments.push({ base: this.checkpoint, size: 0 });
      this.fd = openSync(join(dir, segmentName(this.checkpoint)), 'a');
    } else {
      const last = this.segments[this.segments.length - 1]!;
      this.fd = openSync(join(dir, segmentName(last.base)), 'r+');
      const goodBytes = this.validTail(last);
      if (goodBytes < last.size) {
        ftruncateSync(this.fd, goodBytes);
        this.s.truncatedBytes += last.size - goodBytes;
        this.opts.log(
          'warn',
          `spool: cut a torn tail of ${last.size - goodBytes} bytes from ${segmentName(last.base)}`,
        );
        last.size = goodBytes;
      }
      closeSync(this.fd);
      this.fd = openSync(join(dir, segmentName(last.base)), 'a');
    }
    const last = this.segments[this.segments.length - 1]!;
    this.end = last.base + last.size;
    this.written = this.end;
    if (this.checkpoint > this.end) {
      // The checkpoint outran data a power loss took back; nothing before the end is pending.
      this.opts.log('warn', `spool: checkpoint ${this.checkpoint} beyond the data (${this.end}); reset to the end`);
      this.checkpoint = this.end;
    }
    this.savedCheckpoint = saved ?? -1;
    if (this.pendingBytes > 0) {
      this.opts.log('log', `spool: ${this.pendingBytes} bytes not yet confirmed by the store; replaying them`);
    }
  }

  /** Length of the prefix of the last segment that holds whole, intact frames. */
  private validTail(seg: Segment): number {
    let pos = 0;
    const buf = Buffer.allocUnsafe(Math.min(seg.size, READ_CHUNK_BYTES) || 1);
    let chunk = buf;
    while (pos < seg.size) {
      const want = Math.min(chunk.length, seg.size - pos);
      const got = readSync(this.fd, chunk, 0, want, pos);
      let off = 0;
      while (off < got) {
        const probe = readFrameHeader(chunk, off, got);
        if (probe.kind === 'corrupt') return pos + off;
        if (probe.kind === 'incomplete') {
          const need = got - off >= 4 ? FRAME_HEADER_BYTES + chunk.readUInt32LE(off) : FRAME_HEADER_BYTES;
          if (pos + off + need > seg.size) return pos + off;
          if (off === 0) chunk = Buffer.allocUnsafe(need);
          break;
        }
        const payloadOff = off + FRAME_HEADER_BYTES;
        if (!frameIntact(chunk, payloadOff, probe.payloadBytes, probe.crc)) return pos + off;
        off = payloadOff + probe.payloadBytes;
      }
      pos += off;
    }
    return pos;
  }

  private lock(): void {
    const file = join(this.opts.dir, LOCK);
    if (existsSync(file)) {
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new SpoolLockedError(
          `spool directory ${this.opts.dir} is in use by process ${pid}; two servers must not share a DATA_DIR`,
        );
      }
    }
    writeFileSync(file, `${process.pid}\n`);
  }

  private rotate(): Segment {
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    const seg = { base: this.end, size: 0 };
    this.segments.push(seg);
    this.fd = openSync(join(this.opts.dir, segmentName(seg.base)), 'a');
    return seg;
  }

  /** Beyond SPOOL_MAX_BYTES: drop whole segments, oldest first, counting their points (the newest data matters most). */
  private dropOldest(): void {
    while (this.end - this.checkpoint > this.opts.maxBytes && this.segments.length > 1) {
      const seg = this.segments.shift()!;
      const points = this.countPoints(seg, Math.max(this.checkpoint - seg.base, 0));
      this.s.droppedPoints += points;
      this.removeSegment(seg);
      this.checkpoint = this.segments[0]!.base;
      this.dirty = true;
      this.opts.log(
        'error',
        `spool full (SPOOL_MAX_BYTES=${this.opts.maxBytes}): dropped ${points} unconfirmed points of segment ${segmentName(seg.base)}`,
      );
    }
  }

  private countPoints(seg: Segment, fromOffset: number): number {
    let points = 0;
    let pos = seg.base + fromOffset;
    const end = seg.base + seg.size;
    while (pos < end) {
      const { points: batch, nextPos } = this.readSegmentCount(seg, pos);
      points += batch;
      if (nextPos <= pos) break;
      pos = nextPos;
    }
    return points;
  }

  /** Counts the points of the frames in one chunk from `pos`; returns where it stopped. */
  private readSegmentCount(seg: Segment, pos: number): { points: number; nextPos: number } {
    const fd = this.readFdFor(seg);
    const got = readSync(fd, this.readBuf, 0, Math.min(this.readBuf.length, seg.base + seg.size - pos), pos - seg.base);
    let off = 0;
    let points = 0;
    while (off < got) {
      const probe = readFrameHeader(this.readBuf, off, got);
      if (probe.kind !== 'frame') break;
      points += framePointCount(this.readBuf, off + FRAME_HEADER_BYTES);
      off += FRAME_HEADER_BYTES + probe.payloadBytes;
    }
    // A frame larger than the chunk or a corrupt one: count nothing more in this segment.
    return { points, nextPos: off === 0 ? seg.base + seg.size : pos + off };
  }

  private corrupt(seg: Segment, pos: number, reason: string): void {
    this.s.corruptFrames++;
    this.opts.log(
      'error',
      `spool: corrupt frame at ${pos} in ${segmentName(seg.base)} (${reason}); the rest of that segment is skipped`,
    );
  }

  private segmentAt(pos: number): Segment {
    for (let i = this.segments.length - 1; i > 0; i--) {
      if (this.segments[i]!.base <= pos) return this.segments[i]!;
    }
    return this.segments[0]!;
  }

  private nextSegmentBase(seg: Segment): number {
    const i = this.segments.indexOf(seg);
    return this.segments[i + 1]?.base ?? seg.base + seg.size;
  }

  private readFdFor(seg: Segment): number {
    if (this.readBase !== seg.base) {
      if (this.readFd >= 0) closeSync(this.readFd);
      this.readFd = openSync(join(this.opts.dir, segmentName(seg.base)), 'r');
      this.readBase = seg.base;
    }
    return this.readFd;
  }

  private removeSegment(seg: Segment): void {
    if (this.readBase === seg.base && this.readFd >= 0) {
      closeSync(this.readFd);
      this.readFd = -1;
      this.readBase = -1;
    }
    try {
      unlinkSync(join(this.opts.dir, segmentName(seg.base)));
    } catch (err) {
      this.opts.log('warn', `spool: cannot delete ${segmentName(seg.base)}: ${(err as Error).message}`);
    }
  }

  private saveCheckpoint(): void {
    if (this.checkpoint === this.savedCheckpoint) return;
    const file = join(this.opts.dir, CHECKPOINT);
    const tmp = `${file}.tmp`;
    try {
      writeFileSync(tmp, `${this.checkpoint}\n`);
      renameSync(tmp, file);
      this.savedCheckpoint = this.checkpoint;
    } catch (err) {
      this.opts.log('error', `spool: cannot save the checkpoint: ${(err as Error).message}`);
    }
  }
}

function fstatSizeOf(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

function readCheckpoint(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

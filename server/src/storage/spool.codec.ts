import { crc32 } from 'node:zlib';
import type { AlarmEvent, Quality, SamplePoint } from '../contracts';
import { QUALITY_CODE, QUALITY_FROM_CODE } from './store.port';

/**
 * Binary frames of the disk spool (docs/storage.md): one frame per MQTT message, written before its PUBACK.
 *
 *   frame   = u32 payloadBytes | u32 crc32(payload) | payload          (little endian)
 *   payload = u8 version (1) | u32 pointCount | point*
 *   point   = u8 flags | f64 tsMs | [f64 value] | [str enterprise | str source] | str tag | [str state]
 *   flags   = bits 0–1 quality code, bits 2–3 value kind (0 number, 1 false, 2 true, 3 state string),
 *             bit 4 "same enterprise and source as the previous point" (the usual case inside one message)
 *   str     = u8 byteLength | UTF-8 bytes (ids, 位号 and states are short: the contracts cap them well below 255 bytes)
 *   payload = u8 version (2) | UTF-8 JSON of one AlarmEvent   (an alarm transition or operator action, the journal)
 *
 * The CRC catches a torn tail after a crash and a corrupted sector; the length lets a reader skip whole frames.
 */
export const FRAME_HEADER_BYTES = 8;
const PAYLOAD_VERSION = 1;
const ALARM_EVENT_VERSION = 2;

const KIND_NUMBER = 0;
const KIND_FALSE = 1;
const KIND_TRUE = 2;
const KIND_STRING = 3;
const SAME_ORIGIN = 0x10;

/** A spool frame could not be decoded (corruption the CRC did not catch, or a newer version). */
export class SpoolFrameError extends Error {
  override name = 'SpoolFrameError';
}

/**
 * Encodes frames into one reusable buffer (the hot path allocates nothing per message once the buffer has grown
 * to the largest message seen).
 */
export class FrameEncoder {
  private buf = Buffer.allocUnsafe(64 * 1024);

  /** Encodes one frame; the returned view is valid until the next call. */
  encode(points: readonly SamplePoint[]): Buffer {
    let off = FRAME_HEADER_BYTES;
    off = this.buf.writeUInt8(PAYLOAD_VERSION, off);
    off = this.buf.writeUInt32LE(points.length, off);
    let prevEnterprise = '';
    let prevSource = '';
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      // Worst case: flags, two f64, four strings of at most 3 bytes per UTF-16 unit plus their length bytes.
      this.reserve(off, 17 + 4 + 3 * (p.enterpriseId.length + p.sourceId.length + p.tag.length + 32));
      const v = p.v;
      const kind =
        typeof v === 'number' ? KIND_NUMBER : typeof v === 'boolean' ? (v ? KIND_TRUE : KIND_FALSE) : KIND_STRING;
      const same = i > 0 && p.enterpriseId === prevEnterprise && p.sourceId === prevSource;
      off = this.buf.writeUInt8(QUALITY_CODE[p.q] | (kind << 2) | (same ? SAME_ORIGIN : 0), off);
      off = this.buf.writeDoubleLE(p.tsMs, off);
      if (kind === KIND_NUMBER) off = this.buf.writeDoubleLE(v as number, off);
      if (!same) {
        off = this.writeStr(p.enterpriseId, off);
        off = this.writeStr(p.sourceId, off);
        prevEnterprise = p.enterpriseId;
        prevSource = p.sourceId;
      }
      off = this.writeStr(p.tag, off);
      if (kind === KIND_STRING) off = this.writeStr(v as string, off);
    }
    const payloadBytes = off - FRAME_HEADER_BYTES;
    this.buf.writeUInt32LE(payloadBytes, 0);
    this.buf.writeUInt32LE(crc32(this.buf.subarray(FRAME_HEADER_BYTES, off)), 4);
    return this.buf.subarray(0, off);
  }

  /** Encodes one alarm event as its own frame (rare: a fresh buffer each time). */
  encodeAlarmEvent(e: AlarmEvent): Buffer {
    const json = Buffer.from(JSON.stringify(e), 'utf8');
    const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + 1 + json.length);
    frame.writeUInt32LE(1 + json.length, 0);
    frame.writeUInt8(ALARM_EVENT_VERSION, FRAME_HEADER_BYTES);
    json.copy(frame, FRAME_HEADER_BYTES + 1);
    frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
    return frame;
  }

  private writeStr(s: string, off: number): number {
    const n = this.buf.write(s, off + 1, 'utf8');
    if (n > 255) throw new SpoolFrameError(`string too long for a spool frame (${n} bytes): ${s.slice(0, 40)}…`);
    this.buf.writeUInt8(n, off);
    return off + 1 + n;
  }

  private reserve(off: number, bytes: number): void {
    if (off + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, off + bytes));
    this.buf.copy(next, 0, 0, off);
    this.buf = next;
  }
}

/** What `readFrameHeader` found at an offset. */
export type FrameProbe =
  | { kind: 'frame'; payloadBytes: number; crc: number }
  /** Fewer than a header's bytes left, or a length running past the end: a torn tail or a partial read. */
  | { kind: 'incomplete' }
  /** A length no writer produces: corruption. */
  | { kind: 'corrupt'; reason: string };

/** Largest frame a reader accepts (a message is at most MAX_PAYLOAD_BYTES of JSON; frames are smaller). */
export const MAX_FRAME_PAYLOAD_BYTES = 256 * 1_048_576;

export function readFrameHeader(buf: Buffer, off: number, end: number): FrameProbe {
  if (end - off < FRAME_HEADER_BYTES) return { kind: 'incomplete' };
  const payloadBytes = buf.readUInt32LE(off);
  if (payloadBytes < 5 || payloadBytes > MAX_FRAME_PAYLOAD_BYTES) {
    return { kind: 'corrupt', reason: `impossible frame length ${payloadBytes}` };
  }
  if (end - off - FRAME_HEADER_BYTES < payloadBytes) return { kind: 'incomplete' };
  return { kind: 'frame', payloadBytes, crc: buf.readUInt32LE(off + 4) };
}

/** True when the payload at `off` (after the header) matches its CRC. */
export function frameIntact(buf: Buffer, payloadOff: number, payloadBytes: number, crc: number): boolean {
  return crc32(buf.subarray(payloadOff, payloadOff + payloadBytes)) === crc;
}

/** Number of points in a payload without decoding them (for counting what a dropped segment held). */
export function framePointCount(buf: Buffer, payloadOff: number): number {
  return buf.readUInt8(payloadOff) === PAYLOAD_VERSION ? buf.readUInt32LE(payloadOff + 1) : 0;
}

/**
 * Decodes one payload (CRC already checked): points are appended to `out`, an alarm event to `events`. A null
 * sink skips that kind without decoding it (the start-up scan for alarm events).
 */
export function decodePayload(
  buf: Buffer,
  payloadOff: number,
  payloadBytes: number,
  out: SamplePoint[] | null,
  events: AlarmEvent[] | null = null,
): void {
  const end = payloadOff + payloadBytes;
  let off = payloadOff;
  const version = buf.readUInt8(off);
  if (version === ALARM_EVENT_VERSION) {
    if (!events) return;
    try {
      events.push(JSON.parse(buf.toString('utf8', off + 1, end)) as AlarmEvent);
    } catch (err) {
      throw new SpoolFrameError(`alarm event frame does not parse: ${(err as Error).message}`);
    }
    return;
  }
  if (version !== PAYLOAD_VERSION) throw new SpoolFrameError(`unknown spool frame version ${version}`);
  if (!out) return;
  const count = buf.readUInt32LE(off + 1);
  off += 5;
  let enterpriseId = '';
  let sourceId = '';
  const str = (): string => {
    const n = buf.readUInt8(off);
    const s = buf.toString('utf8', off + 1, off + 1 + n);
    off += 1 + n;
    return s;
  };
  for (let i = 0; i < count; i++) {
    if (off >= end) throw new SpoolFrameError(`frame ends after ${i} of ${count} points`);
    const flags = buf.readUInt8(off);
    const tsMs = buf.readDoubleLE(off + 1);
    off += 9;
    const kind = (flags >> 2) & 3;
    let v: number | boolean | string = kind === KIND_TRUE;
    if (kind === KIND_NUMBER) {
      v = buf.readDoubleLE(off);
      off += 8;
    }
    if ((flags & SAME_ORIGIN) === 0) {
      enterpriseId = str();
      sourceId = str();
    }
    const tag = str();
    if (kind === KIND_STRING) v = str();
    const q: Quality = QUALITY_FROM_CODE[flags & 3] ?? 'good';
    out.push({ enterpriseId, sourceId, tag, tsMs, v, q });
  }
  if (off !== end) throw new SpoolFrameError(`frame has ${end - off} bytes after its ${count} points`);
}

import type { SamplePoint } from '../contracts';
import {
  FRAME_HEADER_BYTES,
  FrameEncoder,
  SpoolFrameError,
  decodePayload,
  frameIntact,
  readFrameHeader,
} from './spool.codec';

function roundTrip(points: SamplePoint[]): SamplePoint[] {
  const frame = Buffer.from(new FrameEncoder().encode(points));
  const probe = readFrameHeader(frame, 0, frame.length);
  if (probe.kind !== 'frame') throw new Error(`expected a frame, got ${probe.kind}`);
  expect(frameIntact(frame, FRAME_HEADER_BYTES, probe.payloadBytes, probe.crc)).toBe(true);
  const out: SamplePoint[] = [];
  decodePayload(frame, FRAME_HEADER_BYTES, probe.payloadBytes, out);
  return out;
}

const p = (over: Partial<SamplePoint>): SamplePoint => ({
  enterpriseId: 'bjpc',
  sourceId: 'tf01',
  tag: 'LIA-101',
  tsMs: 1_732_250_000_123,
  v: 12.37,
  q: 'good',
  ...over,
});

describe('spool frames', () => {
  it('round-trips numbers, booleans, states, every quality and origin changes inside one frame', () => {
    const points = [
      p({}),
      p({ tag: 'GIA-201', v: -0.000123, q: 'uncertain' }),
      p({ tag: 'XV-101', v: 'closed', q: 'bad' }),
      p({ enterpriseId: 'hxhg', sourceId: 'cl01', tag: 'XS-1', v: true }),
      p({ enterpriseId: 'hxhg', sourceId: 'cl01', tag: 'XS-2', v: false }),
      p({ sourceId: '液氨罐区', tag: '液位-1', v: Number.MAX_VALUE, tsMs: 1 }),
      p({ v: 'bypassed', tsMs: 4_102_444_800_000 }),
    ];
    expect(roundTrip(points)).toEqual(points);
  });

  it('round-trips 10,000 random points (the most one message may carry)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const qualities = ['good', 'bad', 'uncertain'] as const;
    const points: SamplePoint[] = [];
    for (let i = 0; i < 10_000; i++) {
      const kind = Math.floor(rnd() * 3);
      points.push({
        enterpriseId: `e${Math.floor(rnd() * 3)}`,
        sourceId: `s${Math.floor(rnd() * 2)}`,
        tag: `T-${Math.floor(rnd() * 500)}`,
        tsMs: 1_700_000_000_000 + Math.floor(rnd() * 1e9),
        v: kind === 0 ? (rnd() - 0.5) * 1e6 : kind === 1 ? rnd() > 0.5 : 'travel',
        q: qualities[Math.floor(rnd() * 3)]!,
      });
    }
    expect(roundTrip(points)).toEqual(points);
  });

  it('detects a flipped bit through the CRC and a cut frame through its length', () => {
    const frame = Buffer.from(new FrameEncoder().encode([p({}), p({ tag: 'TIA-101', v: 23.4 })]));
    const probe = readFrameHeader(frame, 0, frame.length);
    if (probe.kind !== 'frame') throw new Error('expected a frame');
    frame[FRAME_HEADER_BYTES + 12]! ^= 0x04;
    expect(frameIntact(frame, FRAME_HEADER_BYTES, probe.payloadBytes, probe.crc)).toBe(false);
    expect(readFrameHeader(frame, 0, frame.length - 1).kind).toBe('incomplete');
    expect(readFrameHeader(frame, 0, 5).kind).toBe('incomplete');
    const zero = Buffer.alloc(16);
    expect(readFrameHeader(zero, 0, 16)).toEqual({ kind: 'corrupt', reason: 'impossible frame length 0' });
  });

  it('refuses a payload whose point count does not match its bytes', () => {
    const frame = Buffer.from(new FrameEncoder().encode([p({})]));
    frame.writeUInt32LE(2, FRAME_HEADER_BYTES + 1);
    const out: SamplePoint[] = [];
    expect(() => decodePayload(frame, FRAME_HEADER_BYTES, frame.length - FRAME_HEADER_BYTES, out)).toThrow(
      SpoolFrameError,
    );
  });

  it('reuses its buffer: encoding allocates nothing once it has grown', () => {
    const enc = new FrameEncoder();
    const a = enc.encode([p({})]);
    const b = enc.encode([p({ v: 1 })]);
    expect(a.buffer).toBe(b.buffer);
  });
});

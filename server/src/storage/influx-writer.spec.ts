import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SamplePoint } from '../contracts';
import { LineEncoder } from './influx-line';
import { InfluxWriterThread, type WriterBatch } from './influx-writer';
import { batchBody } from './influx-writer.worker';

const point = (over: Partial<SamplePoint>): SamplePoint => ({
  enterpriseId: 'ent 1',
  sourceId: 'tf,01',
  tag: 'LIA=101',
  tsMs: 1_700_000_000_123,
  v: 12.5,
  q: 'good',
  ...over,
});

const POINTS: SamplePoint[] = [
  point({}),
  point({ tag: 'TI-1', v: -0.000001234, q: 'uncertain' }),
  point({ tag: 'XV-1', v: 'closed' }),
  point({ tag: 'XV-2', v: 'say "hi" \\ there' }),
  point({ tag: 'SW-1', v: true, q: 'bad' }),
  point({ tag: 'SW-2', v: false, tsMs: 1_700_000_000_999.7 }),
  point({ tag: 'LIA=101', v: 1e21 }),
];

/** What the writer thread posts, captured by a loopback HTTP server that answers like InfluxDB's /write. */
class FakeInflux {
  readonly bodies: string[] = [];
  status = 204;
  answer = '';
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(this.status).end(this.answer);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/write?db=x&precision=ms`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()) ?? r());
  }
}

describe('InfluxDB writer thread', () => {
  it('puts the columns together into exactly the lines LineEncoder writes', () => {
    const encoder = new LineEncoder();
    const expected = POINTS.map((p) => encoder.point(p)).concat(['alarm_event,x=1 y=2 3']);
    // The columns as InfluxWriterThread builds them (through its own write path, below); here by hand.
    const keys = ['telemetry,enterprise=ent\\ 1,source=tf\\,01,tag=LIA\\=101'];
    const batch: WriterBatch = {
      id: 1,
      newKeys: [
        [1, 'telemetry,enterprise=ent\\ 1,source=tf\\,01,tag=TI-1'],
        [2, 'telemetry,enterprise=ent\\ 1,source=tf\\,01,tag=XV-1'],
        [3, 'telemetry,enterprise=ent\\ 1,source=tf\\,01,tag=XV-2'],
        [4, 'telemetry,enterprise=ent\\ 1,source=tf\\,01,tag=SW-1'],
        [5, 'telemetry,enterprise=ent\\ 1,source=tf\\,01,tag=SW-2'],
      ],
      count: 7,
      keyIds: Int32Array.from([0, 1, 2, 3, 4, 5, 0]),
      tsMs: Float64Array.from([
        1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_123,
        1_700_000_000_999, 1_700_000_000_123,
      ]),
      values: Float64Array.from([12.5, -0.000001234, 0, 1, 0, 0, 1e21]),
      kinds: Uint8Array.from([0, 0, 1, 1, 2, 3, 0]),
      quality: Uint8Array.from([0, 1, 0, 0, 2, 0, 0]),
      strings: ['closed', 'say "hi" \\ there'],
      extraLines: ['alarm_event,x=1 y=2 3'],
    };
    expect(batchBody(batch, keys).split('\n')).toEqual(expected);
  });

  describe('on its thread, against a loopback HTTP server', () => {
    const influx = new FakeInflux();
    let url = '';
    beforeAll(async () => {
      url = await influx.start();
    });
    afterAll(() => influx.stop());

    it('posts each batch as LineEncoder would write it, series keys sent once', async () => {
      const writer = new InfluxWriterThread({ writeUrl: url, timeoutMs: 5000, description: 'fake influx' });
      try {
        influx.bodies.length = 0;
        const encoder = new LineEncoder();
        await writer.write(POINTS, []);
        await writer.write(POINTS.slice(0, 2), ['alarm_event,x=1 y=2 3']);
        expect(influx.bodies).toEqual([
          POINTS.map((p) => encoder.point(p)).join('\n'),
          [...POINTS.slice(0, 2).map((p) => encoder.point(p)), 'alarm_event,x=1 y=2 3'].join('\n'),
        ]);
      } finally {
        await writer.close();
      }
    });

    it("rejects with InfluxDB's own error text, and writes again once the database takes it", async () => {
      const writer = new InfluxWriterThread({ writeUrl: url, timeoutMs: 5000, description: 'fake influx' });
      try {
        influx.status = 400;
        influx.answer = '{"error":"field type conflict"}';
        await expect(writer.write(POINTS, [])).rejects.toThrow(/fake influx write answered 400: .*field type conflict/);
        influx.status = 204;
        influx.answer = '';
        await expect(writer.write(POINTS, [])).resolves.toBeUndefined();
      } finally {
        influx.status = 204;
        await writer.close();
      }
    });

    it('fails what was pending when the thread dies, and starts a new one that gets every series key again', async () => {
      const writer = new InfluxWriterThread({ writeUrl: url, timeoutMs: 5000, description: 'fake influx' });
      try {
        await writer.write(POINTS, []);
        // Kill the thread from outside, as a crash would.
        const worker = (writer as unknown as { worker: { terminate(): Promise<number> } }).worker;
        await worker.terminate();
        influx.bodies.length = 0;
        await writer.write(POINTS, []);
        const encoder = new LineEncoder();
        expect(influx.bodies).toEqual([POINTS.map((p) => encoder.point(p)).join('\n')]);
      } finally {
        await writer.close();
      }
    });
  });
});

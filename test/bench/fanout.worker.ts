/**
 * Realtime clients for the fan-out case, in their own worker thread so that receiving takes no event-loop time from
 * the server under test. Self-contained (transpiled alone by `ts-worker.ts`): imports nothing from the bench but types.
 */
import { parentPort } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';

export interface ConnectJob {
  /** http://127.0.0.1:PORT of the server; the namespace is `/realtime`. */
  httpUrl: string;
  token: string;
  clients: number;
  timeoutMs: number;
}

/** What one client saw: its snapshot's `seq`, then every `alarm` event in arrival order. */
export interface ClientRecord {
  snapshotSeq: number;
  seqs: number[];
  tags: string[];
  transitions: string[];
  /** Epoch ms (sub-ms, same clock as the main thread) of each arrival. */
  atMs: number[];
  /** A `resync` the client would have had to ask for, or a disconnect: each is a miss. */
  disconnects: number;
}

export type FanoutRequest =
  | { id: number; connect: ConnectJob }
  | { id: number; waitFor: { transition: string; count: number; timeoutMs: number } }
  | { id: number; collect: true }
  | { id: number; close: true };
export type FanoutReply =
  | { id: number; connected: number }
  | { id: number; reached: boolean; fewest: number }
  | { id: number; records: ClientRecord[]; threadElu: number }
  | { id: number; closed: true }
  | { id: number; error: string };

const nowMs = (): number => performance.timeOrigin + performance.now();

let sockets: Socket[] = [];
let records: ClientRecord[] = [];
/** Event-loop utilisation of this thread since every client had its snapshot: near 1, the clients were the limit. */
let eluStart: ReturnType<typeof performance.eventLoopUtilization> | undefined;

function connectAll(job: ConnectJob): Promise<number> {
  return new Promise((resolve, reject) => {
    let ready = 0;
    const timer = setTimeout(
      () => reject(new Error(`${ready} of ${job.clients} clients had their snapshot after ${job.timeoutMs} ms`)),
      job.timeoutMs,
    );
    for (let i = 0; i < job.clients; i++) {
      const record: ClientRecord = { snapshotSeq: -1, seqs: [], tags: [], transitions: [], atMs: [], disconnects: 0 };
      const socket = io(`${job.httpUrl}/realtime`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: { token: job.token },
      });
      socket.on('snapshot', (s: { seq: number }) => {
        if (record.snapshotSeq >= 0) return;
        record.snapshotSeq = s.seq;
        if (++ready === job.clients) {
          eluStart = performance.eventLoopUtilization();
          clearTimeout(timer);
          resolve(ready);
        }
      });
      socket.on('alarm', (e: { seq: number; transition: string; alarm: { tag: string } }) => {
        record.atMs.push(nowMs());
        record.seqs.push(e.seq);
        record.tags.push(e.alarm.tag);
        record.transitions.push(e.transition);
      });
      socket.on('disconnect', () => record.disconnects++);
      socket.on('connect_error', (err) => {
        clearTimeout(timer);
        reject(new Error(`client ${i} refused: ${err.message}`));
      });
      sockets.push(socket);
      records.push(record);
    }
  });
}

/** Fewest events of `transition` any client has received so far. */
function fewest(transition: string): number {
  let min = Number.POSITIVE_INFINITY;
  for (const r of records) {
    let n = 0;
    for (const t of r.transitions) if (t === transition) n++;
    min = Math.min(min, n);
  }
  return records.length === 0 ? 0 : min;
}

/** Resolves once every client has `count` events of `transition`, or when `timeoutMs` has passed (bounded). */
async function waitFor(
  transition: string,
  count: number,
  timeoutMs: number,
): Promise<{ reached: boolean; fewest: number }> {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    const n = fewest(transition);
    if (n >= count) return { reached: true, fewest: n };
    if (nowMs() > deadline) return { reached: false, fewest: n };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function handle(request: FanoutRequest): Promise<FanoutReply> {
  if ('connect' in request) return { id: request.id, connected: await connectAll(request.connect) };
  if ('waitFor' in request) {
    const { transition, count, timeoutMs } = request.waitFor;
    return { id: request.id, ...(await waitFor(transition, count, timeoutMs)) };
  }
  if ('collect' in request) {
    const threadElu = eluStart ? performance.eventLoopUtilization(eluStart).utilization : Number.NaN;
    return { id: request.id, records, threadElu };
  }
  for (const s of sockets) {
    s.removeAllListeners('disconnect');
    s.close();
  }
  sockets = [];
  records = [];
  return { id: request.id, closed: true };
}

parentPort?.on('message', (request: FanoutRequest) => {
  handle(request).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) => parentPort?.postMessage({ id: request.id, error: (err as Error).message } satisfies FanoutReply),
  );
});

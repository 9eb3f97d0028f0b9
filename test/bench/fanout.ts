import { join } from 'node:path';
import type { TestServer } from '../../server/test/medium/helpers';
import type { ClientRecord, FanoutReply, FanoutRequest } from './fanout.worker';
import type { PublisherThread } from './publisher';
import type { FanoutRun } from './report';
import { quantile } from './stats';
import { startTsWorker, WorkerChannel } from './ts-worker';

type Body<R> = R extends unknown ? Omit<R, 'id'> : never;

/**
 * The realtime clients, spread over `threads` worker threads (fanout.worker.ts): 200 socket.io clients decoding
 * 1,000 alarms each in 10 s kept one thread 99 % busy, so that the clients, not the server, set the latency.
 */
export class FanoutClients {
  private readonly channels: WorkerChannel<Body<FanoutRequest>, FanoutReply>[];

  constructor(threads: number) {
    this.channels = Array.from(
      { length: threads },
      () => new WorkerChannel<Body<FanoutRequest>, FanoutReply>(startTsWorker(join(__dirname, 'fanout.worker.ts'))),
    );
  }

  private async askAll(body: (thread: number) => Body<FanoutRequest>): Promise<FanoutReply[]> {
    const replies = await Promise.all(this.channels.map((c, i) => c.request(body(i))));
    for (const reply of replies) if ('error' in reply) throw new Error(`fan-out clients: ${reply.error}`);
    return replies;
  }

  /** Connects `clients` authenticated sockets (spread evenly) and resolves once each has its snapshot. */
  async connect(httpUrl: string, token: string, clients: number, timeoutMs: number): Promise<void> {
    const n = this.channels.length;
    const share = (i: number) => Math.floor(clients / n) + (i < clients % n ? 1 : 0);
    const replies = await this.askAll((i) => ({ connect: { httpUrl, token, clients: share(i), timeoutMs } }));
    const connected = replies.reduce((sum, r) => sum + ('connected' in r ? r.connected : 0), 0);
    if (connected !== clients) throw new Error(`fan-out clients: ${connected} of ${clients} connected`);
  }

  async waitFor(transition: string, count: number, timeoutMs: number): Promise<{ reached: boolean; fewest: number }> {
    const replies = await this.askAll(() => ({ waitFor: { transition, count, timeoutMs } }));
    let reached = true;
    let fewest = Number.POSITIVE_INFINITY;
    for (const r of replies) {
      if (!('reached' in r)) throw new Error('fan-out clients: unexpected reply');
      reached &&= r.reached;
      fewest = Math.min(fewest, r.fewest);
    }
    return { reached, fewest };
  }

  /** Every client's record; `threadElu`: the busiest client thread's event-loop utilisation during the flood. */
  async collect(): Promise<{ records: ClientRecord[]; threadElu: number }> {
    const replies = await this.askAll(() => ({ collect: true }));
    const records: ClientRecord[] = [];
    let threadElu = 0;
    for (const r of replies) {
      if (!('records' in r)) throw new Error('fan-out clients: unexpected reply');
      records.push(...r.records);
      threadElu = Math.max(threadElu, r.threadElu);
    }
    return { records, threadElu };
  }

  async close(): Promise<void> {
    try {
      await this.askAll(() => ({ close: true }));
    } finally {
      await Promise.all(this.channels.map((c) => c.worker.terminate()));
    }
  }
}

export interface FloodTag {
  tag: string;
  topic: string;
}

export interface FanoutOptions {
  clients: number;
  /** Worker threads the clients are spread over. */
  clientThreads: number;
  /** Value above every flood tag's HH. */
  highValue: number;
  floodDurationMs: number;
  connectTimeoutMs: number;
  /** After the last publish, how long the clients may take to receive everything. */
  deliveryTimeoutMs: number;
}

/**
 * One alarm flood: every flood tag crosses HH once (one message each, paced over `floodDurationMs`), and each of the
 * `clients` sockets must receive every `raise` with a `seq` run that continues its snapshot's without a gap or a
 * repeat (DESIGN.md §3: a gap means a resync, i.e. a client that missed something).
 */
export async function measureFanout(
  server: TestServer,
  publisher: PublisherThread,
  flood: FloodTag[],
  opts: FanoutOptions,
  rep: number,
): Promise<FanoutRun> {
  const clients = new FanoutClients(opts.clientThreads);
  try {
    await clients.connect(server.httpUrl, server.tokens.viewer, opts.clients, opts.connectTimeoutMs);
    const now = Date.now();
    const outcome = await publisher.publish({
      url: server.mqttUrl,
      topic: flood[0]!.topic,
      topics: flood.map((f) => f.topic),
      payloads: flood.map((f, i) =>
        JSON.stringify({ ts: now + i, seq: i, points: [{ tag: f.tag, v: opts.highValue }] }),
      ),
      windowSize: 64,
      capMs: opts.floodDurationMs * 2,
      intervalMs: opts.floodDurationMs / flood.length,
      recordPublishTimes: true,
    });
    if (outcome.error) throw new Error(`flood publisher: ${outcome.error}`);
    const publishedAt = new Map(flood.map((f, i) => [f.tag, outcome.publishedAtMs?.[i] ?? Number.NaN]));
    const wait = await clients.waitFor('raise', flood.length, opts.deliveryTimeoutMs);
    const { records, threadElu } = await clients.collect();
    const floodMs = outcome.lastAckAtMs - outcome.firstPublishAtMs;
    return { ...summarise(records, publishedAt, outcome.sent, rep, floodMs, wait), clientThreadElu: threadElu };
  } finally {
    await clients.close();
  }
}

function summarise(
  records: ClientRecord[],
  publishedAt: Map<string, number>,
  published: number,
  rep: number,
  floodMs: number,
  wait: { reached: boolean },
): Omit<FanoutRun, 'clientThreadElu'> {
  const latencies: number[] = [];
  const clientP99s: number[] = [];
  let missed = 0;
  let seqProblems = 0;
  let disconnects = 0;
  for (const r of records) {
    const mine: number[] = [];
    const raised = new Set<string>();
    r.seqs.forEach((seq, i) => {
      // Every event of the stream continues the previous one: snapshot seq + 1, + 2, … (alarms of any tag count).
      if (seq !== r.snapshotSeq + 1 + i) seqProblems++;
      const sentAt = publishedAt.get(r.tags[i]!);
      if (r.transitions[i] === 'raise' && sentAt !== undefined && !raised.has(r.tags[i]!)) {
        raised.add(r.tags[i]!);
        mine.push(r.atMs[i]! - sentAt);
      }
    });
    missed += published - raised.size;
    disconnects += r.disconnects;
    latencies.push(...mine);
    clientP99s.push(quantile(mine, 0.99));
  }
  return {
    rep,
    clients: records.length,
    alarms: published,
    floodMs,
    deliveries: latencies.length,
    missed,
    seqProblems,
    disconnects,
    allDelivered: wait.reached,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY),
    worstClientP99Ms: clientP99s.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY),
  };
}

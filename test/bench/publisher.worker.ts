/**
 * Load generator, run in its own worker thread so that publishing does not take event-loop time from the server
 * under test (which runs in the bench's main thread, as `startServer` does in production). Self-contained: it is
 * transpiled alone by `publisher.ts`, so it imports nothing from the bench but types.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { setPriority } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';

/** One measured publish run: every payload to one topic at QoS 1 with at most `windowSize` PUBACKs outstanding. */
export interface PublishJob {
  url: string;
  topic: string;
  payloads: string[];
  windowSize: number;
  /** No new message is sent after this long; the outcome then says `capped`. */
  capMs: number;
  /** Paced load: message n is not sent before `n × intervalMs` after the first (a steady background rate). */
  intervalMs?: number;
  /** Per-payload topics (`topics[n]` for payload n), overriding `topic`: one flood over many sources. */
  topics?: string[];
  /** Return the epoch ms of each publish call (`publishedAtMs[n]` for payload n), for per-message latency. */
  recordPublishTimes?: boolean;
}

/** A tag of a streamed load and the band inside its limits where its values stay. */
export interface StreamTag {
  tag: string;
  midValue: number;
  swing: number;
}

/**
 * A long paced load generated on the fly (a 10-minute soak cannot be built in memory first): every tag of every
 * source once per cycle, `pointsPerMessage` tags of one source a message, at `pointsPerS`, until `durationMs` has
 * passed or a `stop` request arrives.
 */
export interface StreamJob {
  url: string;
  sources: { topic: string; tags: StreamTag[] }[];
  pointsPerMessage: number;
  pointsPerS: number;
  durationMs: number;
  windowSize: number;
  /**
   * Set: every point carries `ts = tsBaseMs + cycle` (each tag once a cycle, so no two points of a tag share a
   * millisecond however fast the cycles go). Unset: the message's `ts` is the wall clock when it is built, as a
   * gateway sends it (needs cycles of at least 1 ms).
   */
  tsBaseMs?: number;
  /** Nice value of the publisher's thread for the stream and after (the load stands in for remote gateways). */
  niceness?: number;
}

export interface StreamOutcome {
  firstPublishAtMs: number;
  lastAckAtMs: number;
  messagesSent: number;
  messagesAcked: number;
  pointsSent: number;
  pointsAcked: number;
  /** Most the publisher fell behind its schedule (ms): large means the offered rate was not the asked one. */
  maxLagMs: number;
  /** Timestamp range of the points when `tsBaseMs` was set (inclusive), for counting them in the database. */
  tsFromMs: number;
  tsToMs: number;
  error?: string;
}

export interface PublishOutcome {
  /** Epoch ms (sub-ms resolution, same clock as the main thread) of the first publish call. */
  firstPublishAtMs: number;
  /** Epoch ms of the last PUBACK. */
  lastAckAtMs: number;
  sent: number;
  acked: number;
  capped: boolean;
  /** With `recordPublishTimes`: epoch ms of each publish call, by payload index. */
  publishedAtMs?: number[];
  error?: string;
}

export type WorkerRequest =
  | { id: number; job: PublishJob }
  | { id: number; stream: StreamJob }
  | { id: number; stopStreams: true }
  | { id: number; close: true };
export type WorkerReply =
  | { id: number; outcome: PublishOutcome }
  | { id: number; streamOutcome: StreamOutcome }
  | { id: number; stopped: true }
  | { id: number; closed: true }
  | { id: number; error: string };

/** Wall clock with sub-ms resolution, comparable across threads. */
const nowMs = (): number => performance.timeOrigin + performance.now();

const clients = new Map<string, Promise<MqttClient>>();
let connections = 0;

function clientFor(url: string): Promise<MqttClient> {
  let client = clients.get(url);
  if (!client) {
    client = mqtt.connectAsync(url, {
      clientId: `bench-pub-${process.pid}-${threadId}-${++connections}`,
      clean: true,
      reconnectPeriod: 0,
    });
    clients.set(url, client);
  }
  return client;
}

function publishAll(client: MqttClient, job: PublishJob): Promise<PublishOutcome> {
  return new Promise((resolve) => {
    const total = job.payloads.length;
    const firstPublishAtMs = nowMs();
    const deadline = firstPublishAtMs + job.capMs;
    let lastAckAtMs = firstPublishAtMs;
    let next = 0;
    let acked = 0;
    let inFlight = 0;
    let capped = false;
    let error: string | undefined;
    let finished = false;
    const publishedAtMs = job.recordPublishTimes ? new Array<number>(total) : undefined;
    const finish = () => {
      if (finished) return;
      finished = true;
      const outcome: PublishOutcome = { firstPublishAtMs, lastAckAtMs, sent: next, acked, capped };
      if (publishedAtMs) outcome.publishedAtMs = publishedAtMs.slice(0, next);
      resolve(error === undefined ? outcome : { ...outcome, error });
    };
    const onAck = (err?: Error) => {
      inFlight--;
      lastAckAtMs = nowMs();
      if (err) error ??= err.message;
      else acked++;
      pump();
    };
    let paced: NodeJS.Timeout | undefined;
    const pump = () => {
      while (inFlight < job.windowSize && next < total && !capped && error === undefined) {
        const t = nowMs();
        if (t > deadline) {
          capped = true;
          break;
        }
        if (job.intervalMs !== undefined) {
          const dueMs = firstPublishAtMs + next * job.intervalMs;
          if (t < dueMs) {
            if (paced === undefined) {
              paced = setTimeout(() => {
                paced = undefined;
                pump();
              }, dueMs - t);
            }
            return;
          }
        }
        inFlight++;
        if (publishedAtMs) publishedAtMs[next] = nowMs();
        const topic = job.topics?.[next] ?? job.topic;
        client.publish(topic, job.payloads[next++]!, { qos: 1 }, onAck);
      }
      if (inFlight === 0) finish();
    };
    pump();
  });
}

/** Streams running now; a `stopStreams` request ends them (each resolves once its window has drained). */
const stopFlags = new Set<{ stop: boolean }>();

/** The messages of one cycle: which source, and which of its tags (a slice of `pointsPerMessage` or fewer). */
function chunksOf(job: StreamJob): { source: number; from: number; to: number }[] {
  const chunks: { source: number; from: number; to: number }[] = [];
  job.sources.forEach((src, source) => {
    for (let from = 0; from < src.tags.length; from += job.pointsPerMessage) {
      chunks.push({ source, from, to: Math.min(src.tags.length, from + job.pointsPerMessage) });
    }
  });
  return chunks;
}

function streamAll(client: MqttClient, job: StreamJob): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    // Linux keeps the nice value per thread: this lowers the publisher's thread only.
    if (job.niceness !== undefined && job.niceness !== 0) setPriority(0, job.niceness);
    const chunks = chunksOf(job);
    const flag = { stop: false };
    stopFlags.add(flag);
    const firstPublishAtMs = nowMs();
    const deadline = firstPublishAtMs + job.durationMs;
    const msPerPoint = 1000 / job.pointsPerS;
    const o: StreamOutcome = {
      firstPublishAtMs,
      lastAckAtMs: firstPublishAtMs,
      messagesSent: 0,
      messagesAcked: 0,
      pointsSent: 0,
      pointsAcked: 0,
      maxLagMs: 0,
      tsFromMs: job.tsBaseMs ?? Number.NaN,
      tsToMs: job.tsBaseMs ?? Number.NaN,
    };
    let inFlight = 0;
    let valueIndex = 0;
    let paced: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      stopFlags.delete(flag);
      resolve(o);
    };
    // The payloads are put together from pieces made once (a tag's `{"tag":…,"v":` and the 21 values its noise takes),
    // not built as objects and stringified per message: the load generator shares the machine with what it loads
    // (2 cores), and its own CPU is taken from the server's. The text is what JSON.stringify would write.
    const NOISE_STEPS = 21;
    const pieces = job.sources.map((src) =>
      src.tags.map((t) => ({
        head: `{"tag":${JSON.stringify(t.tag)},"v":`,
        // Deterministic noise within ±swing of the middle: every value stays inside the tag's limits.
        values: Array.from({ length: NOISE_STEPS }, (_, r) =>
          JSON.stringify(Math.round((t.midValue + t.swing * (r / 10 - 1)) * 1000) / 1000),
        ),
      })),
    );
    const build = (m: number): { topic: string; payload: string; points: number } => {
      const chunk = chunks[m % chunks.length]!;
      const cycle = Math.floor(m / chunks.length);
      const src = job.sources[chunk.source]!;
      const srcPieces = pieces[chunk.source]!;
      const ts = job.tsBaseMs === undefined ? Date.now() : job.tsBaseMs + cycle;
      const tail = job.tsBaseMs === undefined ? '}' : `,"ts":${ts}}`;
      let body = '';
      for (let k = chunk.from; k < chunk.to; k++, valueIndex++) {
        const piece = srcPieces[k]!;
        body += `${k === chunk.from ? '' : ','}${piece.head}${piece.values[(valueIndex * 7919) % NOISE_STEPS]!}${tail}`;
      }
      if (job.tsBaseMs !== undefined) o.tsToMs = ts;
      return { topic: src.topic, payload: `{"ts":${ts},"seq":${m},"points":[${body}]}`, points: chunk.to - chunk.from };
    };
    const pump = () => {
      while (inFlight < job.windowSize && o.error === undefined && !flag.stop) {
        const t = nowMs();
        if (t > deadline) break;
        const dueMs = firstPublishAtMs + o.pointsSent * msPerPoint;
        if (t < dueMs) {
          paced ??= setTimeout(() => {
            paced = undefined;
            pump();
          }, dueMs - t);
          return;
        }
        o.maxLagMs = Math.max(o.maxLagMs, t - dueMs);
        const { topic, payload, points } = build(o.messagesSent);
        inFlight++;
        o.messagesSent++;
        o.pointsSent += points;
        client.publish(topic, payload, { qos: 1 }, (err) => {
          inFlight--;
          o.lastAckAtMs = nowMs();
          if (err) o.error ??= err.message;
          else {
            o.messagesAcked++;
            o.pointsAcked += points;
          }
          pump();
        });
      }
      if (inFlight === 0) finish();
    };
    pump();
  });
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if ('stopStreams' in request) {
    for (const flag of stopFlags) flag.stop = true;
    return { id: request.id, stopped: true };
  }
  if ('stream' in request) {
    const client = await clientFor(request.stream.url);
    return { id: request.id, streamOutcome: await streamAll(client, request.stream) };
  }
  if ('close' in request) {
    const all = await Promise.allSettled(clients.values());
    clients.clear();
    await Promise.all(all.flatMap((c) => (c.status === 'fulfilled' ? [c.value.endAsync()] : [])));
    return { id: request.id, closed: true };
  }
  const client = await clientFor(request.job.url);
  return { id: request.id, outcome: await publishAll(client, request.job) };
}

parentPort?.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) => parentPort?.postMessage({ id: request.id, error: (err as Error).message } satisfies WorkerReply),
  );
});

/**
 * Load generator, run in its own worker thread so that publishing does not take event-loop time from the server
 * under test (which runs in the bench's main thread, as `startServer` does in production). Self-contained: it is
 * transpiled alone by `publisher.ts`, so it imports nothing from the bench but types.
 */
import { parentPort, threadId } from 'node:worker_threads';
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
}

export interface PublishOutcome {
  /** Epoch ms (sub-ms resolution, same clock as the main thread) of the first publish call. */
  firstPublishAtMs: number;
  /** Epoch ms of the last PUBACK. */
  lastAckAtMs: number;
  sent: number;
  acked: number;
  capped: boolean;
  error?: string;
}

export type WorkerRequest = { id: number; job: PublishJob } | { id: number; close: true };
export type WorkerReply =
  { id: number; outcome: PublishOutcome } | { id: number; closed: true } | { id: number; error: string };

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
    const finish = () => {
      if (finished) return;
      finished = true;
      const outcome: PublishOutcome = { firstPublishAtMs, lastAckAtMs, sent: next, acked, capped };
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
        client.publish(job.topic, job.payloads[next++]!, { qos: 1 }, onAck);
      }
      if (inFlight === 0) finish();
    };
    pump();
  });
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
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

import type { TelemetryMessage, TelemetryPoint } from '@hazard/server/contracts';
import { JsonV1Publisher } from './publishers/json-v1.publisher';
import { createRng } from './devices/rng';
import { SimulatorConfigError } from './errors';
import { startTicker } from './ticker';

/** A load run: N gateways (hazard sources) × M tags × rate, each gateway batching its tags per cycle. */
export interface LoadOptions {
  url: string;
  sources: number;
  tagsPerSource: number;
  /** Cycles per second of every gateway (each cycle sends every tag once). */
  rateHz: number;
  /** Points per message; a gateway with more tags sends several messages per cycle. */
  batchPoints: number;
  /** Stop after this long. */
  durationS: number;
  /** Stop after this many messages published (all gateways together); default unbounded. */
  maxMessages?: number;
  /** Enterprise id in topics; the tags are `L{source}-{tag}`, sources `load{source}`. */
  enterpriseId?: string;
  username?: string;
  password?: string;
  ca?: Buffer;
  connectTimeoutMs?: number;
  /** Progress line, once a second. */
  progress?: (line: string) => void;
  /** Publishes awaiting PUBACK per gateway beyond which a cycle is skipped (counted), so memory stays bounded. */
  maxInFlightPerSource?: number;
}

export interface LoadSummary {
  published: number;
  /** Acknowledged by the broker (QoS 1 PUBACK). */
  acked: number;
  errors: number;
  /** Cycles not sent because the broker did not keep up. */
  skipped: number;
  points: number;
  elapsedMs: number;
  /** Acknowledged messages and points per second over the run. */
  messagesPerS: number;
  pointsPerS: number;
}

/** Tag name of one load point. */
export const loadTag = (source: number, tag: number): string => `L${source}-${tag}`;

/**
 * One gateway's messages of one cycle: its tags split into batches of `batchPoints`, with a sequence number each,
 * values a seeded random walk-free noise (load is about messages, not realism).
 */
export function loadCycle(
  source: number,
  tagsPerSource: number,
  batchPoints: number,
  ts: number,
  seq: number,
  random: () => number,
): TelemetryMessage[] {
  const out: TelemetryMessage[] = [];
  for (let first = 0; first < tagsPerSource; first += batchPoints) {
    const points: TelemetryPoint[] = [];
    for (let t = first; t < Math.min(tagsPerSource, first + batchPoints); t++) {
      points.push({ tag: loadTag(source, t), v: Math.round(random() * 100_000) / 1000 });
    }
    out.push({ ts, seq: seq + out.length, points });
  }
  return out;
}

export function checkLoadOptions(o: LoadOptions): void {
  const bad = (what: string): never => {
    throw new SimulatorConfigError(`load: ${what}`);
  };
  if (!Number.isInteger(o.sources) || o.sources < 1 || o.sources > 10_000) bad('sources must be 1…10000');
  if (!Number.isInteger(o.tagsPerSource) || o.tagsPerSource < 1 || o.tagsPerSource > 100_000)
    bad('tags must be 1…100000');
  if (!(o.rateHz > 0 && o.rateHz <= 100)) bad('rate must be above 0 and at most 100 Hz');
  if (!Number.isInteger(o.batchPoints) || o.batchPoints < 1) bad('batch must be a whole number ≥ 1');
  if (!(o.durationS > 0)) bad('a load run needs a duration above 0 (--duration-s)');
}

/**
 * Runs a load: one MQTT connection per gateway (as in the field), every cycle each gateway publishes its tags in
 * batches at QoS 1. Stops at `durationS` or `maxMessages`, whichever first, waits up to 5 s for the last PUBACKs.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  checkLoadOptions(options);
  const enterpriseId = options.enterpriseId ?? 'load';
  const maxInFlight = options.maxInFlightPerSource ?? 1000;
  const publishers: JsonV1Publisher[] = [];
  try {
    for (let s = 0; s < options.sources; s++) {
      publishers.push(
        await JsonV1Publisher.connect({
          url: options.url,
          clientId: `hazard-load-${process.pid}-${s}`,
          will: { enterpriseId, sourceId: `load${s}` },
          ...(options.username !== undefined && { username: options.username }),
          ...(options.password !== undefined && { password: options.password }),
          ...(options.ca !== undefined && { ca: options.ca }),
          ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
        }),
      );
    }
  } catch (err) {
    await Promise.all(publishers.map((p) => p.end(1000)));
    throw err;
  }
  const c = { published: 0, acked: 0, errors: 0, skipped: 0, points: 0 };
  const inFlight = publishers.map(() => 0);
  const seqs = publishers.map(() => 0);
  const random = createRng(1).next;
  const pending = new Set<Promise<void>>();
  const startedAtMs = Date.now();
  const maxMessages = options.maxMessages ?? Infinity;
  let lastProgressMs = startedAtMs;
  let lastAcked = 0;
  let lastPoints = 0;
  const progress = (nowMs: number): void => {
    const dt = (nowMs - lastProgressMs) / 1000;
    options.progress?.(
      `load t=${((nowMs - startedAtMs) / 1000).toFixed(0)}s published=${c.published} acked=${c.acked} ` +
        `rate=${((c.acked - lastAcked) / dt).toFixed(0)} msg/s ${((c.points - lastPoints) / dt).toFixed(0)} points/s ` +
        `errors=${c.errors} skipped=${c.skipped}`,
    );
    lastProgressMs = nowMs;
    lastAcked = c.acked;
    lastPoints = c.points;
  };
  await new Promise<void>((resolve) => {
    const ticker = startTicker(1000 / options.rateHz, (nowMs) => {
      if (nowMs - lastProgressMs >= 1000) progress(nowMs);
      if (nowMs - startedAtMs >= options.durationS * 1000 || c.published >= maxMessages) {
        ticker.stop();
        resolve();
        return;
      }
      for (let s = 0; s < publishers.length && c.published < maxMessages; s++) {
        if (inFlight[s]! >= maxInFlight) {
          c.skipped++;
          continue;
        }
        const messages = loadCycle(s, options.tagsPerSource, options.batchPoints, nowMs, seqs[s]!, random);
        seqs[s]! += messages.length;
        for (const message of messages) {
          if (c.published >= maxMessages) break;
          c.published++;
          inFlight[s]!++;
          const p = publishers[s]!.publishTelemetry({ enterpriseId, sourceId: `load${s}` }, message).then(
            () => {
              c.acked++;
              c.points += message.points.length;
            },
            () => {
              c.errors++;
            },
          );
          const tracked = p.finally(() => {
            inFlight[s]!--;
            pending.delete(tracked);
          });
          pending.add(tracked);
        }
      }
    });
  });
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 5000).unref())]);
  const elapsedMs = Date.now() - startedAtMs;
  await Promise.all(publishers.map((p) => p.end(1000)));
  return {
    ...c,
    elapsedMs,
    messagesPerS: c.acked / (elapsedMs / 1000),
    pointsPerS: c.points / (elapsedMs / 1000),
  };
}

export function formatLoadSummary(s: LoadSummary): string {
  return (
    `load done: published=${s.published} acked=${s.acked} errors=${s.errors} skipped=${s.skipped} ` +
    `points=${s.points} in ${(s.elapsedMs / 1000).toFixed(1)} s: ${s.messagesPerS.toFixed(0)} msg/s, ` +
    `${s.pointsPerS.toFixed(0)} points/s acknowledged`
  );
}

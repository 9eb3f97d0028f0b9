import type { PointValue, SiteModel } from '@hazard/server/contracts';
import { loadSiteFile } from '@hazard/server/site';
import { SimulatorConfigError } from './errors';
import { Plant, type SourceTelemetry } from './plant';
import { JsonV1Publisher, redactUrl, type PublisherEvent, type SourceRef } from './publishers/json-v1.publisher';
import { DEFAULT_EXCURSION_TAG, type ExcursionOptions } from './scenarios/excursion';
import { startTicker } from './ticker';

/** Tick rates the runner accepts, Hz. */
export const RATE_HZ_MIN = 0.01;
export const RATE_HZ_MAX = 50;
/** Publishes awaiting PUBACK beyond which new messages are dropped (counted) rather than queued without bound. */
const MAX_IN_FLIGHT = 10_000;
/** Publish failures logged one by one before the log goes quiet (they are still counted). */
const LOGGED_ERRORS = 5;

export interface SimulatorOptions {
  /** Broker URL, e.g. mqtt://localhost:1883. */
  url: string;
  /** Site model; when given, `sitePath` is ignored. */
  site?: SiteModel;
  /** Site YAML to load when `site` is not given. */
  sitePath?: string;
  /** Messages per hazard source per second; default 1, between 0.01 and 50. */
  rateHz?: number;
  /** Stop by itself after this many seconds; default: run until stop(). */
  durationS?: number;
  /** Scripted high excursion; default LIA-101 with the default timing; false disables it. */
  excursion?: ExcursionOptions | false;
  /** Seed of every random draw; default 1. */
  seed?: number;
  username?: string;
  password?: string;
  /** PEM CA for mqtts:// / wss:// brokers signed by a private CA. */
  ca?: Buffer;
  /** MQTT client id; default `hazard-sim-<random>`. */
  clientId?: string;
  /** Wait for the broker at start; default 10 s. */
  connectTimeoutMs?: number;
  /** One line per notable event (connected, reconnecting, publish failures, stop). Default: silent. */
  log?: (line: string) => void;
}

/** Counters since start. */
export interface SimulatorStats {
  /** Telemetry messages acknowledged by the broker (PUBACK). */
  messages: number;
  /** Points in those messages. */
  points: number;
  /** Publishes that failed. */
  errors: number;
  /** Messages not published because too many were awaiting PUBACK (broker down for long). */
  dropped: number;
  /** Publishes awaiting PUBACK. */
  inFlight: number;
  ticks: number;
  /** Ticks skipped because the process fell behind its schedule. */
  skippedTicks: number;
  elapsedMs: number;
  running: boolean;
}

export interface RunningSimulator {
  /** Stops ticking, waits for outstanding publishes, marks every source offline and disconnects. Idempotent. */
  stop(): Promise<void>;
  stats(): SimulatorStats;
  /** Settles once the simulator has stopped: after `durationS`, or after stop(). */
  readonly finished: Promise<void>;
  /** Changes a discrete tag (ESD valve position, SIS state) from the next tick on. */
  setDiscrete(tag: string, value: PointValue): void;
  /** Hazard sources being published. */
  readonly sources: readonly SourceRef[];
}

function checkOptions(options: SimulatorOptions): { rateHz: number; durationMs: number | undefined; seed: number } {
  const rateHz = options.rateHz ?? 1;
  if (!Number.isFinite(rateHz) || rateHz < RATE_HZ_MIN || rateHz > RATE_HZ_MAX) {
    throw new SimulatorConfigError(`rateHz must be between ${RATE_HZ_MIN} and ${RATE_HZ_MAX}, got ${rateHz}`);
  }
  const { durationS } = options;
  if (durationS !== undefined && !(Number.isFinite(durationS) && durationS > 0)) {
    throw new SimulatorConfigError(`durationS must be a number above 0, got ${durationS}`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new SimulatorConfigError(`seed must be an integer, got ${seed}`);
  return { rateHz, durationMs: durationS === undefined ? undefined : durationS * 1000, seed };
}

function describeEvent(event: PublisherEvent): string {
  switch (event.type) {
    case 'connected':
      return 'reconnected to the broker';
    case 'offline':
      return 'lost the broker connection; publishes are queued until it returns';
    case 'reconnecting':
      return 'reconnecting to the broker';
    case 'error':
      return `broker connection error: ${event.message}`;
  }
}

/**
 * Runs the plant of a site model against an MQTT broker: one JSON v1 telemetry message per hazard source per tick,
 * retained online status per source at start and offline status at stop. Rejects with SiteFileError (bad site),
 * SimulatorConfigError (bad options) or BrokerUnreachableError before anything is published.
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const { rateHz, durationMs, seed } = checkOptions(options);
  const log = options.log ?? (() => undefined);
  const site = options.site ?? (options.sitePath ? loadSiteFile(options.sitePath) : undefined);
  if (!site) throw new SimulatorConfigError('a site model or a site file path is required');
  const excursion = options.excursion === false ? null : (options.excursion ?? { tag: DEFAULT_EXCURSION_TAG });
  const plant = new Plant(site, { seed, excursion });
  const sources = plant.sourceRefs;
  if (sources.length === 0) throw new SimulatorConfigError('the site model has no hazard source to simulate');

  const publisher = await JsonV1Publisher.connect({
    url: options.url,
    ...(options.clientId !== undefined && { clientId: options.clientId }),
    ...(options.username !== undefined && { username: options.username }),
    ...(options.password !== undefined && { password: options.password }),
    ...(options.ca !== undefined && { ca: options.ca }),
    ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
    will: sources[0],
    onEvent: (event) => log(describeEvent(event)),
  });
  log(
    `connected to ${redactUrl(options.url)} as ${publisher.clientId}: ${sources.length} hazard source(s), ` +
      `${plant.tagCount} tags at ${rateHz} Hz` +
      (plant.excursion ? `, excursion on ${plant.excursion.tag} from ${plant.excursion.timing.startAfterMs} ms` : ''),
  );
  try {
    const onlineTs = Date.now();
    await Promise.all(sources.map((source) => publisher.publishStatus(source, { online: true, ts: onlineTs })));
  } catch (err) {
    await publisher.end();
    throw err;
  }

  const counters = { messages: 0, points: 0, errors: 0, dropped: 0, ticks: 0 };
  const inFlight = new Set<Promise<void>>();
  const startedAtMs = Date.now();
  let stopping: Promise<void> | undefined;
  let stoppedAtMs: number | undefined;
  let resolveFinished: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });

  const publish = ({ enterpriseId, sourceId, message }: SourceTelemetry): void => {
    if (inFlight.size >= MAX_IN_FLIGHT) {
      counters.dropped++;
      return;
    }
    const pending: Promise<void> = publisher.publishTelemetry({ enterpriseId, sourceId }, message).then(
      () => {
        counters.messages++;
        counters.points += message.points.length;
      },
      (err: unknown) => {
        counters.errors++;
        if (counters.errors <= LOGGED_ERRORS) {
          log(`publish to ${enterpriseId}/${sourceId} failed: ${(err as Error).message}`);
          if (counters.errors === LOGGED_ERRORS) log('further publish failures are only counted');
        }
      },
    );
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      ticker.stop();
      stoppedAtMs = Date.now();
      try {
        await Promise.race([Promise.all(inFlight), delay(5_000)]);
        const offlineTs = Date.now();
        await Promise.race([
          Promise.allSettled(
            sources.map((source) => publisher.publishStatus(source, { online: false, ts: offlineTs })),
          ),
          delay(5_000),
        ]);
        await publisher.end();
        log(`stopped after ${counters.ticks} ticks, ${counters.messages} messages`);
      } finally {
        resolveFinished();
      }
    })();
    return stopping;
  };

  // The first tick runs inside startTicker and always publishes, so stop() never sees `ticker` uninitialised.
  const ticker = startTicker(1000 / rateHz, (nowMs) => {
    if (stopping) return;
    if (durationMs !== undefined && counters.ticks > 0 && nowMs - startedAtMs >= durationMs) {
      stop().catch((err: unknown) => log(`stop failed: ${(err as Error).message}`));
      return;
    }
    counters.ticks++;
    for (const telemetry of plant.tick(nowMs)) publish(telemetry);
  });

  return {
    stop,
    finished,
    sources,
    setDiscrete: (tag, value) => plant.setDiscrete(tag, value),
    stats: () => ({
      ...counters,
      inFlight: inFlight.size,
      skippedTicks: ticker.skipped,
      elapsedMs: (stoppedAtMs ?? Date.now()) - startedAtMs,
      running: stopping === undefined,
    }),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

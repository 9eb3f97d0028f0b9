import { InfluxDB } from 'influx';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { AlarmEvent, HealthResponse } from '@hazard/server/contracts';
import { loadConfig } from '../../server/src/config/app-config';
import { IngestService } from '../../server/src/ingest/ingest.service';
import { StorageService } from '../../server/src/storage/storage.service';
import {
  DEMO_SITE,
  RealtimeProbe,
  TEST_PASSWORD,
  login,
  startTestServer,
  writeTestUsers,
  type TestServer,
} from '../../server/test/medium/helpers';
import { requireService } from '../harness/env';
import { startMosquitto } from '../harness/services';
import { measureFanout, type FloodTag } from './fanout';
import {
  buildLoad,
  lastTsOf,
  limitsFromSite,
  loadSourceFromSite,
  loadSourcesFromSite,
  TimestampAllocator,
  topicOf,
  type LoadPlan,
  type LoadSource,
} from './load';
import { describeMachine } from './machine';
import { listFromEnv, niceFromEnv, numberFromEnv, pick, QUICK } from './mode';
import { NODE_RED_PACKAGES, NodeRedProcess } from './nodered';
import { PublisherThread, type StreamOutcome } from './publisher';
import { RawIngest } from './raw-ingest';
import { GENERATED_ENTERPRISE, levelTag, writeGeneratedSite } from './site-gen';
import { ServerProcess } from './soak';
import { measureDomLatency, WallUnderTest } from './wall-dom';
import {
  formatMarkdown,
  renderPerformanceDoc,
  renderResultsMarkdown,
  renderTables,
  writeText,
  type BenchResults,
  type DomLatencyRun,
  type FanoutRun,
  type LatencyPath,
  type LatencyRun,
  type TargetName,
  type ThroughputRun,
} from './report';
import { quantile, spread } from './stats';

/**
 * Everything that bounds the bench in count and time. Full mode (2 cores, quiet machine): about 25 min, the 10-minute
 * soak the bulk of it. `BENCH_QUICK=1` (mode.ts): about a tenth of the counts and durations, for checking the bench.
 */
const SETTINGS = {
  quick: QUICK,
  repetitions: pick(3, 2),
  /** Points per run by message size: fewer for small messages, whose cost is per message. */
  pointsPerRun: pick<Record<number, number>>(
    { 1: 60_000, 10: 200_000, 100: 400_000 },
    { 1: 6_000, 10: 20_000, 100: 40_000 },
  ),
  warmupPointsPerRun: pick(3_000, 1_000),
  onlySizes: listFromEnv('BENCH_SIZES')?.map(Number),
  onlyTargets: listFromEnv('BENCH_TARGETS'),
  publishWindow: 64,
  capMs: pick(20_000, 5_000),
  drainTimeoutMs: 30_000,
  pollMs: 25,
  storeBatchPoints: 5_000,
  storeFlushMs: 100,
  latencyRuns: pick(3, 2),
  latencyTransitions: pick(200, 40),
  latencyGapMs: 20,
  latencyTimeoutMs: 3_000,
  latencyTag: 'LIA-101',
  latencyLowValue: 8,
  latencyHighValue: 14.6,
  /** Issue 5: alarm latency with 20,000 points/s of background load on the same source. */
  loadedLatencyRuns: pick(2, 1),
  loadedLatencyPointsPerS: 20_000,
  loadedLatencyPointsPerMessage: 100,
  loadedLatencyDurationMs: pick(9_000, 3_000),
  coldStartRuns: pick(5, 3),
  /** Issue 8: alarm latency to the wall page's DOM, idle and under half the measured maximum ingest rate. */
  domRuns: pick(3, 1),
  domTransitions: pick(100, 20),
  domGapMs: 20,
  domTimeoutMs: 5_000,
  /**
   * The return and acknowledgement between two raises are not timed, only waited for: under half the maximum ingest
   * rate with Chromium on the same two cores, the wall took over 5 s once in a full run to show a reset.
   */
  domResetTimeoutMs: 30_000,
  domLoadFraction: 0.5,
  /**
   * Nice value of Chromium and of the load's publisher thread in the DOM case (BENCH_DOM_NICE; 0, the default, runs
   * them like the server). In a control room the wall runs on a display PC and the load comes from remote gateways;
   * a nice value emulates that on this one 2-core machine (docs/performance-profiles.md). The target is met without.
   */
  domNiceness: niceFromEnv('BENCH_DOM_NICE', 0),
  /** When this run measured no 100-point throughput (a single case run): the load to use, points/s. */
  domLoadFallbackPointsPerS: numberFromEnv('BENCH_DOM_LOAD_POINTS_PER_S', 50_000),
  /** The background load stops after this long even if the raises are not done (they then stop too). */
  domLoadMaxMs: pick(90_000, 30_000),
  /** Issue 8: an alarm flood to many authenticated realtime clients. */
  fanoutRuns: pick(3, 1),
  fanoutClients: pick(200, 50),
  /** The clients' worker threads: one per core, so that the clients' own decoding is not what is measured. */
  fanoutClientThreads: Math.max(2, availableParallelism()),
  fanoutAlarms: pick(1_000, 200),
  fanoutFloodMs: pick(10_000, 2_000),
  fanoutDeliveryTimeoutMs: 30_000,
  fanoutHighValue: 15,
  /** Issue 8: RSS and event-loop delay of the server process over a long steady load. */
  soakDurationMs: pick(600_000, 60_000),
  soakWarmupMs: pick(120_000, 20_000),
  soakSampleMs: 10_000,
  /** The sampler forces a full GC this often and samples what the server holds on to (RSS growth is judged on it). */
  soakGcEveryMs: pick(60_000, 10_000),
  soakPointsPerS: 20_000,
  soakPointsPerMessage: 100,
  /** 50 sources × (100 tanks × 3 tags + 100 gas detectors) = 20,000 tags, every tag once a second. */
  soakSources: 50,
  soakTanksPerSource: 100,
  soakDetectorsPerSource: 100,
  soakDrainTimeoutMs: 60_000,
};

const RESULTS_DIR = join(__dirname, 'results');
const PERFORMANCE_DOC = resolve(__dirname, '../../docs/performance.md');
const COMMAND = 'npx jest -c test/bench/jest.config.js --runInBand';
const RAW_TOPIC_ROOT = 'bench-raw';
const RAW_LINES_TOPIC_ROOT = 'bench-raw-lines';
/** Cold start uses the site the product starts with by default: the demo park. */
const DEFAULT_SITE_FILE = loadConfig({}).SITE_FILE;
const NODE_RED_TOPIC_ROOT = 'bench-nodered';
const WEB_DIST = resolve(__dirname, '../../web/dist');

const nowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Counters {
  /** Points taken in (server: `ingest.points`). */
  received: number;
  stored: number;
  rejected: number;
}

/** Something that ingests what the publisher sends, observed from outside. */
interface IngestTarget {
  name: TargetName;
  publishUrl: string;
  /** The topic for a message size (Node-RED has one chain per size, each with its own batch count). */
  topicFor(pointsPerMessage: number): string;
  /** Before and after a run (server: `GET /api/health`). */
  counters(): Promise<Counters>;
  /**
   * Points stored so far, read in-process while the run goes on: the same counter the health endpoint reports,
   * without adding an HTTP request (and a database ping) to the server's event loop every poll. Node-RED, in its
   * own process, answers from its flow context over loopback HTTP.
   */
  storedNow(): number | Promise<number>;
  /** Telemetry rows in the database within a timestamp range (inclusive). */
  countInDatabase(fromMs: number, toMs: number): Promise<number>;
}

async function healthOf(server: TestServer): Promise<HealthResponse> {
  const res = await fetch(`${server.httpUrl}/api/health`);
  return (await res.json()) as HealthResponse;
}

async function serverCounters(server: TestServer): Promise<Counters> {
  const { ingest } = await healthOf(server);
  const rejected = Object.values(ingest.rejected).reduce((n, v) => n + v, 0);
  return { received: ingest.points, stored: ingest.storedPoints, rejected };
}

function influxClient(url: string): InfluxDB {
  const u = new URL(url);
  return new InfluxDB({ host: u.hostname, port: Number(u.port) });
}

async function influxCount(influx: InfluxDB, database: string, fromMs: number, toMs: number): Promise<number> {
  const rows = await influx.query<{ count: number }>(
    `SELECT COUNT(v) AS count FROM telemetry WHERE time >= ${fromMs}ms AND time <= ${toMs}ms`,
    { database },
  );
  return rows[0]?.count ?? 0;
}

/** Rows of the load's tags through the server's own store port (the SQLite file is the server's to open). */
async function storePortCount(server: TestServer, source: LoadSource, fromMs: number, toMs: number): Promise<number> {
  const store = server.app.get(StorageService).store;
  let n = 0;
  for (const { tag } of source.tags) n += (await store.queryRaw({ tag, fromMs, toMs, limit: 10_000_000 })).length;
  return n;
}

/**
 * One throughput run: publishes the plan, polls the stored count from the first publish on, and takes the time
 * at which every published point was stored. Loss of any kind is counted, never thrown, so the report
 * still shows the run; the test asserts on it afterwards.
 */
async function measureThroughput(
  target: IngestTarget,
  plan: LoadPlan,
  publisher: PublisherThread,
  rep: number,
): Promise<ThroughputRun> {
  const before = await target.counters();
  const samples: { atMs: number; stored: number }[] = [];
  // Known once the publisher is done (a capped run publishes fewer points than planned).
  const goal = { points: Number.POSITIVE_INFINITY, deadlineMs: Number.POSITIVE_INFINITY };
  const polling = (async () => {
    for (;;) {
      const atMs = nowMs();
      const stored = (await target.storedNow()) - before.stored;
      samples.push({ atMs, stored });
      if (stored >= goal.points || atMs > goal.deadlineMs) return;
      await sleep(SETTINGS.pollMs);
    }
  })();
  const outcome = await publisher
    .publish({
      url: target.publishUrl,
      topic: target.topicFor(plan.pointsPerMessage),
      payloads: plan.payloads,
      windowSize: SETTINGS.publishWindow,
      capMs: SETTINGS.capMs,
    })
    .finally(() => {
      goal.deadlineMs = nowMs() + SETTINGS.drainTimeoutMs;
    });
  const expected = outcome.acked * plan.pointsPerMessage;
  goal.points = expected;
  await polling;
  const reached = samples.find((s) => s.stored >= expected);
  const after = await target.counters();
  const inDatabase = await target.countInDatabase(plan.fromMs, lastTsOf(plan, outcome.sent * plan.pointsPerMessage));
  const received = after.received - before.received;
  const stored = after.stored - before.stored;
  const durationMs = (reached?.atMs ?? Number.NaN) - outcome.firstPublishAtMs;
  return {
    target: target.name,
    pointsPerMessage: plan.pointsPerMessage,
    rep,
    points: expected,
    messages: outcome.acked,
    durationMs,
    pointsPerS: (expected / durationMs) * 1000,
    publishAckedPointsPerS: (expected / (outcome.lastAckAtMs - outcome.firstPublishAtMs)) * 1000,
    capped: outcome.capped,
    received,
    stored,
    storedInDatabase: inDatabase,
    rejected: after.rejected - before.rejected,
    lost:
      Math.max(0, expected - received, expected - stored, expected - inDatabase) +
      (outcome.sent - outcome.acked) * plan.pointsPerMessage,
  };
}

function problemsOf(run: ThroughputRun): string[] {
  const what = `${run.target} ${run.pointsPerMessage} pt/msg rep ${run.rep}`;
  const problems: string[] = [];
  if (run.lost > 0) problems.push(`${what}: ${run.lost} of ${run.points} points lost`);
  if (run.rejected > 0) problems.push(`${what}: ${run.rejected} points rejected`);
  // Equality, not just no shortfall: a QoS 1 redelivery counted twice would be a defect too.
  if (run.received !== run.points) problems.push(`${what}: ${run.received} points taken in, ${run.points} published`);
  if (run.stored !== run.points) problems.push(`${what}: ${run.stored} points stored, ${run.points} published`);
  if (run.storedInDatabase !== run.points)
    problems.push(`${what}: database holds ${run.storedInDatabase} rows, ${run.points} published`);
  if (!Number.isFinite(run.durationMs)) problems.push(`${what}: stored count never reached the published count`);
  return problems;
}

/**
 * Alarm latency on an idle server: publishes one value at a time for the latency tag, alternating between a value
 * inside the limits and one above HH, and times each `alarm` event from the publish call (same clock).
 */
async function measureLatency(
  server: TestServer,
  path: LatencyPath,
  source: LoadSource,
  rep: number,
  loadPointsPerS = 0,
): Promise<LatencyRun> {
  const probe = RealtimeProbe.of(server);
  const client = await mqtt.connectAsync(server.mqttUrl, {
    clientId: `bench-latency-${process.pid}-${path}-${rep}`,
    reconnectPeriod: 0,
  });
  let onAlarm: ((event: AlarmEvent, atMs: number) => void) | undefined;
  probe.socket.on('alarm', (event) => {
    const atMs = nowMs();
    if (event.alarm.tag === SETTINGS.latencyTag) onAlarm?.(event, atMs);
  });
  const latencies: number[] = [];
  let mismatches = 0;
  try {
    await probe.firstSnapshot();
    const topic = topicOf(source);
    for (let i = 0; i < SETTINGS.latencyTransitions; i++) {
      const high = i % 2 === 0;
      const payload = JSON.stringify({
        ts: Date.now(),
        seq: i,
        points: [{ tag: SETTINGS.latencyTag, v: high ? SETTINGS.latencyHighValue : SETTINGS.latencyLowValue }],
      });
      let timer: NodeJS.Timeout | undefined;
      const seen = new Promise<{ event: AlarmEvent; atMs: number }>((resolve, reject) => {
        onAlarm = (event, atMs) => resolve({ event, atMs });
        timer = setTimeout(
          () => reject(new Error(`no alarm event within ${SETTINGS.latencyTimeoutMs} ms for transition ${i}`)),
          SETTINGS.latencyTimeoutMs,
        );
      });
      const sentAtMs = nowMs();
      client.publish(topic, payload, { qos: 1 });
      const { event, atMs } = await seen.finally(() => clearTimeout(timer));
      onAlarm = undefined;
      latencies.push(atMs - sentAtMs);
      if (event.transition !== (high ? 'raise' : 'return')) mismatches++;
      await sleep(SETTINGS.latencyGapMs);
    }
  } finally {
    probe.close();
    await client.endAsync();
  }
  return {
    path,
    rep,
    samples: latencies.length,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    p99Ms: quantile(latencies, 0.99),
    maxMs: Math.max(...latencies),
    mismatches,
    loadPointsPerS,
  };
}

/**
 * Alarm latency while another connection publishes a steady background load of the source's other tags (values
 * inside their limits: every point runs the rules, none raises): the case issue 5 sets its p99 target for.
 */
async function measureLoadedLatency(
  server: TestServer,
  path: LatencyPath,
  source: LoadSource,
  rep: number,
  publisher: PublisherThread,
  clock: TimestampAllocator,
): Promise<LatencyRun> {
  const perMessage = SETTINGS.loadedLatencyPointsPerMessage;
  const intervalMs = (1000 * perMessage) / SETTINGS.loadedLatencyPointsPerS;
  const others: LoadSource = { ...source, tags: source.tags.filter((t) => t.tag !== SETTINGS.latencyTag) };
  const points = Math.ceil(SETTINGS.loadedLatencyDurationMs / intervalMs) * perMessage;
  const plan = buildLoad(others, points, perMessage, clock);
  const load = publisher.publish({
    url: server.mqttUrl,
    topic: topicOf(source),
    payloads: plan.payloads,
    windowSize: SETTINGS.publishWindow,
    capMs: SETTINGS.loadedLatencyDurationMs + 5_000,
    intervalMs,
  });
  // Let the load reach its pace before timing transitions.
  await sleep(500);
  const run = await measureLatency(server, path, source, rep, SETTINGS.loadedLatencyPointsPerS);
  const outcome = await load;
  if (outcome.error) throw new Error(`background load: ${outcome.error}`);
  const achieved = (outcome.acked * perMessage * 1000) / (outcome.lastAckAtMs - outcome.firstPublishAtMs);
  return { ...run, loadPointsPerS: Math.round(achieved) };
}

describe('benchmarks: ingest, alarm latency, cold start (real Mosquitto and InfluxDB)', () => {
  const startedAtMs = nowMs();
  const mqttUrl = requireService('mqttUrl');
  const influxUrl = requireService('influxUrl');
  const source = loadSourceFromSite(DEMO_SITE);
  const results: BenchResults = {
    date: new Date().toISOString(),
    command: COMMAND,
    durationS: 0,
    machine: describeMachine(),
    settings: {
      ...SETTINGS,
      qos: 1,
      loadSource: `${source.enterpriseId}/${source.sourceId}`,
      loadTags: source.tags.length,
      loadSiteFile: basename(DEMO_SITE),
      coldStartSiteFile: basename(DEFAULT_SITE_FILE),
      nodeRedVersion: Object.entries(NODE_RED_PACKAGES)
        .map(([pkg, v]) => `${pkg}@${v}`)
        .join(' + '),
    },
    throughput: [],
    latency: [],
    coldStart: [],
    domLatency: [],
    fanout: [],
    quick: QUICK,
    problems: [],
  };

  afterAll(() => {
    results.durationS = (nowMs() - startedAtMs) / 1000;
    const resultsMd = join(RESULTS_DIR, 'latest.md');
    process.stdout.write(`\n${formatMarkdown(renderTables(results), PERFORMANCE_DOC)}\n`);
    writeText(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeText(resultsMd, formatMarkdown(renderResultsMarkdown(results), PERFORMANCE_DOC));
    const complete =
      results.problems.length === 0 &&
      results.throughput.length > 0 &&
      results.latency.length > 0 &&
      results.coldStart.length > 0 &&
      results.domLatency.length > 0 &&
      results.fanout.length > 0 &&
      results.soak !== undefined;
    // A quick run's figures are for checking the bench: they never replace the published ones.
    const publish = complete && !QUICK;
    if (publish) writeText(PERFORMANCE_DOC, formatMarkdown(renderPerformanceDoc(results), PERFORMANCE_DOC));
    const why = QUICK ? 'quick mode' : 'incomplete run';
    process.stdout.write(
      `results: ${resultsMd}${publish ? `, ${PERFORMANCE_DOC}` : ` (${why}: docs/performance.md left as it was)`}\n`,
    );
  });

  it('cold start: startServer until health is ok, demo park, embedded aedes + SQLite', async () => {
    for (let rep = 1; rep <= SETTINGS.coldStartRuns; rep++) {
      const t0 = nowMs();
      const server = await startTestServer({ SITE_FILE: DEFAULT_SITE_FILE });
      try {
        for (;;) {
          if ((await healthOf(server)).status === 'ok') break;
          if (nowMs() - t0 > 30_000) throw new Error('health not ok within 30 s of startServer');
          await sleep(5);
        }
        results.coldStart.push({ rep, ms: nowMs() - t0 });
      } finally {
        await server.stop();
      }
    }
    expect(results.coldStart).toHaveLength(SETTINGS.coldStartRuns);
  });

  describe('with a server on Mosquitto + InfluxDB and one on embedded aedes + SQLite', () => {
    const serverDatabase = `hazard_bench_${process.pid}`;
    const env = {
      STORE_BATCH_POINTS: String(SETTINGS.storeBatchPoints),
      STORE_FLUSH_MS: String(SETTINGS.storeFlushMs),
    };
    let influxServer: TestServer;
    let embeddedServer: TestServer;

    beforeAll(async () => {
      influxServer = await startTestServer({
        ...env,
        MQTT_URL: mqttUrl,
        INFLUX_URL: influxUrl,
        INFLUX_DB: serverDatabase,
      });
      embeddedServer = await startTestServer(env);
    });

    afterAll(async () => {
      await influxServer?.stop();
      await embeddedServer?.stop();
      await influxClient(influxUrl).dropDatabase(serverDatabase);
    });

    it('alarm latency: MQTT publish to socket.io alarm event', async () => {
      for (let rep = 1; rep <= SETTINGS.latencyRuns; rep++) {
        results.latency.push(await measureLatency(influxServer, 'mosquitto-influx', source, rep));
        results.latency.push(await measureLatency(embeddedServer, 'aedes-sqlite', source, rep));
      }
      const wrong = results.latency.filter((l) => l.mismatches > 0);
      results.problems.push(...wrong.map((l) => `latency ${l.path} rep ${l.rep}: ${l.mismatches} wrong transitions`));
      expect(wrong).toEqual([]);
    });

    it('alarm latency under 20,000 points/s of background load', async () => {
      const publisher = new PublisherThread();
      const clock = new TimestampAllocator(Date.now() - 2 * 3_600_000);
      const loaded: LatencyRun[] = [];
      try {
        for (let rep = 1; rep <= SETTINGS.loadedLatencyRuns; rep++) {
          loaded.push(await measureLoadedLatency(influxServer, 'mosquitto-influx', source, rep, publisher, clock));
          loaded.push(await measureLoadedLatency(embeddedServer, 'aedes-sqlite', source, rep, publisher, clock));
        }
      } finally {
        await publisher.close();
      }
      results.latency.push(...loaded);
      const wrong = loaded.filter((l) => l.mismatches > 0);
      results.problems.push(...wrong.map((l) => `loaded latency ${l.path} rep ${l.rep}: ${l.mismatches} wrong`));
      expect(wrong).toEqual([]);
    }, 120_000);

    it('ingest throughput at QoS 1 with zero loss, server and raw ceiling', async () => {
      const influx = influxClient(influxUrl);
      const rawDatabase = `hazard_bench_raw_${process.pid}`;
      const rawLinesDatabase = `hazard_bench_raw_lines_${process.pid}`;
      const rawOptions = {
        mqttUrl,
        influxUrl,
        batchPoints: SETTINGS.storeBatchPoints,
        flushMs: SETTINGS.storeFlushMs,
      };
      const raw = await RawIngest.start({
        ...rawOptions,
        topicFilter: `${RAW_TOPIC_ROOT}/v1/#`,
        database: rawDatabase,
        writer: 'influx-package',
      });
      const rawLines = await RawIngest.start({
        ...rawOptions,
        topicFilter: `${RAW_LINES_TOPIC_ROOT}/v1/#`,
        database: rawLinesDatabase,
        writer: 'line-protocol',
      });
      // Node-RED in its own process, its own database, the same broker; started (and installed) before the clock runs.
      const nodeRedDatabase = `hazard_bench_nodered_${process.pid}`;
      await influx.createDatabase(nodeRedDatabase);
      // BENCH_SIZES=100 and BENCH_TARGETS=server-mosquitto-influx,raw-mosquitto-lines narrow the case (profiling,
      // before/after comparisons); the report then shows only what ran.
      const sizes = Object.keys(SETTINGS.pointsPerRun)
        .map(Number)
        .filter((size) => SETTINGS.onlySizes === undefined || SETTINGS.onlySizes.includes(size));
      const nodeRed = await NodeRedProcess.start({
        mqttUrl,
        influxUrl,
        database: nodeRedDatabase,
        topicRoot: NODE_RED_TOPIC_ROOT,
        sizes,
        limits: limitsFromSite(
          DEMO_SITE,
          source.tags.map((t) => t.tag),
        ),
        batchPoints: SETTINGS.storeBatchPoints,
        flushMs: SETTINGS.storeFlushMs,
      });
      const publisher = new PublisherThread();
      const clock = new TimestampAllocator(Date.now() - 3_600_000);
      const targets: IngestTarget[] = [
        {
          name: 'server-mosquitto-influx',
          publishUrl: mqttUrl,
          topicFor: () => topicOf(source),
          counters: () => serverCounters(influxServer),
          storedNow: () => influxServer.app.get(StorageService).stats().storedPoints,
          countInDatabase: (from, to) => influxCount(influx, serverDatabase, from, to),
        },
        {
          name: 'raw-mosquitto-influx',
          publishUrl: mqttUrl,
          topicFor: () => topicOf(source, RAW_TOPIC_ROOT),
          counters: () => {
            if (raw.error) throw raw.error;
            return Promise.resolve({ received: raw.received, stored: raw.stored, rejected: 0 });
          },
          storedNow: () => raw.stored,
          countInDatabase: (from, to) => influxCount(influx, rawDatabase, from, to),
        },
        {
          name: 'raw-mosquitto-lines',
          publishUrl: mqttUrl,
          topicFor: () => topicOf(source, RAW_LINES_TOPIC_ROOT),
          counters: () => {
            if (rawLines.error) throw rawLines.error;
            return Promise.resolve({ received: rawLines.received, stored: rawLines.stored, rejected: 0 });
          },
          storedNow: () => rawLines.stored,
          countInDatabase: (from, to) => influxCount(influx, rawLinesDatabase, from, to),
        },
        {
          name: 'nodered-mosquitto-influx',
          publishUrl: mqttUrl,
          topicFor: (size) => topicOf(source, `${NODE_RED_TOPIC_ROOT}-p${size}`),
          counters: async () => {
            const st = await nodeRed.stats();
            return { received: st.received, stored: st.stored, rejected: st.errors };
          },
          storedNow: async () => (await nodeRed.stats()).stored,
          countInDatabase: (from, to) => influxCount(influx, nodeRedDatabase, from, to),
        },
        {
          name: 'server-aedes-sqlite',
          publishUrl: embeddedServer.mqttUrl,
          topicFor: () => topicOf(source),
          counters: () => serverCounters(embeddedServer),
          storedNow: () => embeddedServer.app.get(StorageService).stats().storedPoints,
          countInDatabase: (from, to) => storePortCount(embeddedServer, source, from, to),
        },
      ];
      if (SETTINGS.onlyTargets !== undefined) {
        const only = SETTINGS.onlyTargets;
        targets.splice(0, targets.length, ...targets.filter((t) => only.includes(t.name)));
      }
      try {
        for (const target of targets) {
          for (const size of sizes) {
            await measureThroughput(target, buildLoad(source, SETTINGS.warmupPointsPerRun, size, clock), publisher, 0);
          }
        }
        // Repetitions outermost, targets innermost: drift (JIT, InfluxDB compactions) spreads over all of them.
        for (let rep = 1; rep <= SETTINGS.repetitions; rep++) {
          for (const size of sizes) {
            for (const target of targets) {
              const plan = buildLoad(source, SETTINGS.pointsPerRun[size]!, size, clock);
              const run = await measureThroughput(target, plan, publisher, rep);
              results.throughput.push(run);
              results.problems.push(...problemsOf(run));
            }
          }
        }
        const red = await nodeRed.stats();
        // The load stays inside the limits: a limit the function node saw crossed would be a wrong check.
        if (red.alarms > 0) results.problems.push(`Node-RED: ${red.alarms} limit alarms on in-limit values`);
        if (red.errors > 0) results.problems.push(`Node-RED: ${red.errors} flow errors, last: ${red.lastError}`);
      } finally {
        await publisher.close();
        await raw.stop();
        await rawLines.stop();
        await nodeRed.stop();
        await influx.dropDatabase(nodeRedDatabase);
      }
      expect(results.problems).toEqual([]);
    });

    it(
      'alarm latency to the wall DOM in headless Chromium, idle and under half the maximum ingest rate',
      async () => {
        if (!existsSync(join(WEB_DIST, 'index.html'))) {
          throw new Error(`web app not built (${WEB_DIST}/index.html missing): run 'npx pnpm@10.34.8 run build' first`);
        }
        const measured = spread(
          results.throughput
            .filter((t) => t.target === 'server-mosquitto-influx' && t.pointsPerMessage === 100)
            .map((t) => t.pointsPerS),
        ).median;
        // The same run's maximum when it measured one; else the settable fallback (a single case run, quick mode).
        const maxPointsPerS = Number.isFinite(measured) ? measured : SETTINGS.domLoadFallbackPointsPerS;
        results.settings.domLoadRateSource = Number.isFinite(measured)
          ? `${SETTINGS.domLoadFraction} × ${Math.round(measured)} points/s measured in this run`
          : `${SETTINGS.domLoadFraction} × ${SETTINGS.domLoadFallbackPointsPerS} points/s, the fallback (no throughput measured in this run)`;
        const loadPointsPerS = Math.round(SETTINGS.domLoadFraction * maxPointsPerS);
        const domDatabase = `hazard_bench_dom_${process.pid}`;
        // A broker of its own: on the shared one the throughput case's server, still running in this thread, took
        // the same load too (it subscribes to hazard/v1/# and knows the demo park), doubling the work measured.
        const domBroker = await startMosquitto();
        const server = await startTestServer({
          ...env,
          MQTT_URL: domBroker.url,
          INFLUX_URL: influxUrl,
          INFLUX_DB: domDatabase,
          WEB_DIST,
        }).catch(async (err: unknown) => {
          await domBroker.stop();
          throw err;
        });
        const publisher = new PublisherThread();
        const clock = new TimestampAllocator(Date.now() - 4 * 3_600_000);
        const runs: DomLatencyRun[] = [];
        const problems: string[] = [];
        let wall: WallUnderTest | undefined;
        try {
          wall = await WallUnderTest.open(server, SETTINGS.latencyTag, SETTINGS.domNiceness);
          const opts = {
            tag: SETTINGS.latencyTag,
            topic: topicOf(source),
            lowValue: SETTINGS.latencyLowValue,
            highValue: SETTINGS.latencyHighValue,
            transitions: SETTINGS.domTransitions,
            gapMs: SETTINGS.domGapMs,
            timeoutMs: SETTINGS.domTimeoutMs,
            resetTimeoutMs: SETTINGS.domResetTimeoutMs,
          };
          for (let rep = 1; rep <= SETTINGS.domRuns; rep++) {
            runs.push(await measureDomLatency(server, wall, opts, rep, 0));
            const others = source.tags.filter((t) => t.tag !== SETTINGS.latencyTag);
            let loadDone = false;
            const load = publisher
              .stream({
                url: domBroker.url,
                sources: [{ topic: topicOf(source), tags: others }],
                pointsPerMessage: 100,
                pointsPerS: loadPointsPerS,
                durationMs: SETTINGS.domLoadMaxMs,
                windowSize: SETTINGS.publishWindow,
                niceness: SETTINGS.domNiceness,
                // Per-point timestamps (`tsBaseMs + cycle`, one cycle = each tag once): at this rate each tag gets
                // thousands of points a second, so the range spans the cycles of the longest load, which must stay
                // in the past (a point more than 5 min ahead is rejected as bad_timestamp).
                tsBaseMs: clock.take(Math.ceil((loadPointsPerS * SETTINGS.domLoadMaxMs) / 1000 / others.length)),
              })
              .finally(() => {
                loadDone = true;
              });
            let outcome: StreamOutcome;
            let run: DomLatencyRun;
            // What the server took of the load: a load it rejected (stale or future timestamps) would be no load.
            const ingest = server.app.get(IngestService);
            const acceptedBefore = ingest.counters.points;
            try {
              await sleep(1_000);
              run = await measureDomLatency(server, wall, opts, rep, loadPointsPerS, () => !loadDone);
            } finally {
              await publisher.stopStreams();
              outcome = await load;
            }
            if (outcome.error) throw new Error(`background load: ${outcome.error}`);
            const achieved = (outcome.pointsAcked * 1000) / (outcome.lastAckAtMs - outcome.firstPublishAtMs);
            // The broker acknowledged the publisher; the server may still be working through what is queued for it.
            const acceptDeadline = Date.now() + 30_000;
            while (ingest.counters.points - acceptedBefore < outcome.pointsAcked && Date.now() < acceptDeadline) {
              await sleep(100);
            }
            const accepted = ingest.counters.points - acceptedBefore;
            if (accepted < 0.99 * outcome.pointsAcked) {
              problems.push(
                `DOM latency rep ${rep}: the server accepted ${accepted} of the load's ${outcome.pointsAcked} points ` +
                  `(dead letters by reason: ${JSON.stringify(ingest.deadLetters.counts)})`,
              );
            }
            runs.push({ ...run, loadPointsPerS: Math.round(achieved) });
            if (run.samples < SETTINGS.domTransitions) {
              problems.push(
                `DOM latency rep ${rep}: the ${SETTINGS.domLoadMaxMs / 1000} s load ended after ${run.samples} of ` +
                  `${SETTINGS.domTransitions} raises (p99 so far ${Math.round(run.p99Ms)} ms: the server fell behind)`,
              );
            }
            // Under load, the publisher must have kept (near) its pace, or the figure is for a lighter load.
            if (achieved < 0.9 * loadPointsPerS) {
              problems.push(
                `DOM latency rep ${rep}: background load reached ${Math.round(achieved)} of ${loadPointsPerS} points/s`,
              );
            }
          }
        } finally {
          await wall?.close();
          await publisher.close();
          await server.stop();
          await domBroker.stop();
          await influxClient(influxUrl).dropDatabase(domDatabase);
        }
        results.domLatency.push(...runs);
        results.problems.push(...problems);
        expect(problems).toEqual([]);
      },
      15 * 60_000,
    );
  });

  describe('at scale: generated sites on Mosquitto + InfluxDB', () => {
    // Made in beforeAll, not at collection: Jest runs neither hook when every case here is filtered out.
    let siteDir = '';

    beforeAll(() => {
      siteDir = mkdtempSync(join(tmpdir(), 'hazard-bench-sites-'));
    });

    afterAll(() => rmSync(siteDir, { recursive: true, force: true }));

    it(
      'fan-out: an alarm flood to authenticated socket.io clients, nothing missed',
      async () => {
        // 10 sources × 100 tanks: enough level tags for the flood, spread over sources (risk recomputes per source).
        const sources = 10;
        const tanks = Math.ceil(SETTINGS.fanoutAlarms / sources);
        const siteFile = writeGeneratedSite(join(siteDir, 'fanout-site.yaml'), {
          sources,
          tanksPerSource: tanks,
          detectorsPerSource: 0,
        });
        const flood: FloodTag[] = [];
        for (let i = 0; i < SETTINGS.fanoutAlarms; i++) {
          const s = i % sources;
          flood.push({
            tag: levelTag(s, Math.floor(i / sources)),
            topic: topicOf({ enterpriseId: GENERATED_ENTERPRISE, sourceId: `s${s}`, tags: [] }),
          });
        }
        const publisher = new PublisherThread();
        const runs: FanoutRun[] = [];
        try {
          for (let rep = 1; rep <= SETTINGS.fanoutRuns; rep++) {
            // A fresh server each run: every flood tag starts normal, so each run is the same 1,000 raises.
            const database = `hazard_bench_fanout_${process.pid}_${rep}`;
            const server = await startTestServer({
              MQTT_URL: mqttUrl,
              INFLUX_URL: influxUrl,
              INFLUX_DB: database,
              SITE_FILE: siteFile,
              STORE_BATCH_POINTS: String(SETTINGS.storeBatchPoints),
              STORE_FLUSH_MS: String(SETTINGS.storeFlushMs),
            });
            try {
              runs.push(
                await measureFanout(
                  server,
                  publisher,
                  flood,
                  {
                    clients: SETTINGS.fanoutClients,
                    clientThreads: SETTINGS.fanoutClientThreads,
                    highValue: SETTINGS.fanoutHighValue,
                    floodDurationMs: SETTINGS.fanoutFloodMs,
                    connectTimeoutMs: 60_000,
                    deliveryTimeoutMs: SETTINGS.fanoutDeliveryTimeoutMs,
                  },
                  rep,
                ),
              );
            } finally {
              await server.stop();
              await influxClient(influxUrl).dropDatabase(database);
            }
          }
        } finally {
          await publisher.close();
        }
        results.fanout.push(...runs);
        for (const r of runs) {
          const what = `fan-out rep ${r.rep}`;
          if (r.missed > 0) results.problems.push(`${what}: ${r.missed} alarm deliveries missed`);
          if (r.seqProblems > 0) results.problems.push(`${what}: ${r.seqProblems} events out of sequence`);
          if (r.disconnects > 0) results.problems.push(`${what}: ${r.disconnects} clients disconnected`);
        }
        expect(runs.map((r) => ({ missed: r.missed, seq: r.seqProblems, disconnects: r.disconnects }))).toEqual(
          runs.map(() => ({ missed: 0, seq: 0, disconnects: 0 })),
        );
        expect(runs.map((r) => r.deliveries)).toEqual(runs.map(() => SETTINGS.fanoutClients * SETTINGS.fanoutAlarms));
      },
      10 * 60_000,
    );

    it(
      'soak: RSS and event-loop delay of the server process at 20,000 points/s on 20,000 tags',
      async () => {
        const siteFile = writeGeneratedSite(join(siteDir, 'soak-site.yaml'), {
          sources: SETTINGS.soakSources,
          tanksPerSource: SETTINGS.soakTanksPerSource,
          detectorsPerSource: SETTINGS.soakDetectorsPerSource,
        });
        const loadSources = loadSourcesFromSite(siteFile);
        const tags = loadSources.reduce((n, src) => n + src.tags.length, 0);
        const database = `hazard_bench_soak_${process.pid}`;
        const influx = influxClient(influxUrl);
        const usersFile = join(siteDir, 'soak-users.json');
        await writeTestUsers(usersFile);
        const server = await ServerProcess.start(
          {
            USERS_FILE: usersFile,
            MQTT_URL: mqttUrl,
            INFLUX_URL: influxUrl,
            INFLUX_DB: database,
            SITE_FILE: siteFile,
            STORE_BATCH_POINTS: String(SETTINGS.storeBatchPoints),
            STORE_FLUSH_MS: String(SETTINGS.storeFlushMs),
          },
          SETTINGS.soakSampleMs,
          SETTINGS.soakGcEveryMs,
        );
        const publisher = new PublisherThread();
        // One wall screen connected the whole time, as in a control room: the realtime push of 20,000 changing
        // values is part of the server's load (a server with no screen skips it).
        const wall = { events: 0, values: 0 };
        let wallSocket: Socket | undefined;
        try {
          const viewer = await login(server.httpUrl, 'viewer', TEST_PASSWORD);
          if (viewer.status !== 200) throw new Error(`soak: viewer login failed (${viewer.status})`);
          wallSocket = io(`${server.httpUrl}/realtime`, {
            transports: ['websocket'],
            auth: { token: viewer.body.token },
          });
          wallSocket.on('telemetry', (e: { values: Record<string, unknown> }) => {
            wall.events++;
            wall.values += Object.keys(e.values).length;
          });
          await new Promise<void>((done, fail) => {
            wallSocket!.once('snapshot', () => done());
            wallSocket!.once('connect_error', (err) => fail(new Error(`soak: wall refused: ${err.message}`)));
          });
          const before = (await server.health()).ingest;
          const startedAtMs = Date.now();
          let warmSamples = 0;
          // After the warm-up the steady histogram starts, and the RSS baseline is the next sample.
          const warm = setTimeout(() => {
            warmSamples = server.samples.length;
            server.markSteady();
          }, SETTINGS.soakWarmupMs);
          let outcome: StreamOutcome;
          try {
            outcome = await publisher.stream({
              url: mqttUrl,
              sources: loadSources.map((src) => ({ topic: topicOf(src), tags: src.tags })),
              pointsPerMessage: SETTINGS.soakPointsPerMessage,
              pointsPerS: SETTINGS.soakPointsPerS,
              durationMs: SETTINGS.soakDurationMs,
              windowSize: SETTINGS.publishWindow,
            });
          } finally {
            clearTimeout(warm);
          }
          const endedAtMs = Date.now();
          if (outcome.error) throw new Error(`soak load: ${outcome.error}`);
          const published = outcome.pointsAcked;
          const drainDeadline = Date.now() + SETTINGS.soakDrainTimeoutMs;
          let health = (await server.health()).ingest;
          while (health.storedPoints - before.storedPoints < published && Date.now() < drainDeadline) {
            await sleep(250);
            health = (await server.health()).ingest;
          }
          if (server.exitReason) throw new Error(`soak server ${server.exitReason}`);
          const rows = await influx.query<{ count: number }>('SELECT COUNT(v) AS count FROM telemetry', { database });
          const storedInDatabase = rows[0]?.count ?? 0;
          const received = health.points - before.points;
          const stored = health.storedPoints - before.storedPoints;
          const rejected =
            Object.values(health.rejected).reduce((n, v) => n + v, 0) -
            Object.values(before.rejected).reduce((n, v) => n + v, 0);
          const during = server.samples.filter((x) => x.atEpochMs >= startedAtMs && x.atEpochMs <= endedAtMs + 1_000);
          const steady = server.samples.slice(warmSamples).filter((x) => x.atEpochMs <= endedAtMs + 1_000);
          // Growth: what the server holds after a full GC, first such sample after the warm-up to the last.
          const afterGc = steady.filter((x) => x.gcRssBytes !== undefined);
          const baseline = afterGc[0];
          const last = afterGc.at(-1);
          const growthPct = (from: number | undefined, to: number | undefined) =>
            from && to ? ((to - from) / from) * 100 : Number.NaN;
          results.soak = {
            durationMs: endedAtMs - startedAtMs,
            tags,
            targetPointsPerS: SETTINGS.soakPointsPerS,
            achievedPointsPerS: Math.round((published * 1000) / (outcome.lastAckAtMs - outcome.firstPublishAtMs)),
            published,
            received,
            stored,
            storedInDatabase,
            rejected,
            lost: Math.max(0, published - received, published - stored, published - storedInDatabase),
            samples: during.map(({ atEpochMs, ...rest }) => ({ atMs: atEpochMs - startedAtMs, ...rest })),
            warmupMs: SETTINGS.soakWarmupMs,
            rssGrowthPct: growthPct(baseline?.gcRssBytes, last?.gcRssBytes),
            heapGrowthPct: growthPct(baseline?.gcHeapUsedBytes, last?.gcHeapUsedBytes),
            plainRssGrowthPct: growthPct(steady[0]?.rssBytes, steady.at(-1)?.rssBytes),
            steadyEldP99Ms: steady.at(-1)?.steadyEldP99Ms ?? Number.NaN,
            steadyIntervalP99Ms: steady.at(-1)?.steadyIntervalP99Ms ?? Number.NaN,
            worstWindowEldP99Ms: Math.max(...steady.map((x) => x.eldP99Ms)),
            wallTelemetryEvents: wall.events,
            wallTelemetryValues: wall.values,
          };
          const soak = results.soak;
          const problems: string[] = [];
          if (soak.lost > 0) problems.push(`soak: ${soak.lost} of ${published} points lost`);
          if (received !== published) problems.push(`soak: ${received} points taken in, ${published} published`);
          if (storedInDatabase !== published)
            problems.push(`soak: database holds ${storedInDatabase}, ${published} published`);
          if (rejected > 0) problems.push(`soak: ${rejected} points rejected`);
          if (soak.achievedPointsPerS < 0.95 * SETTINGS.soakPointsPerS) {
            problems.push(`soak: the load reached ${soak.achievedPointsPerS} of ${SETTINGS.soakPointsPerS} points/s`);
          }
          if (!baseline || afterGc.length < 2) problems.push('soak: too few samples after the warm-up');
          if (wall.values < 0.5 * published) {
            problems.push(`soak: the wall received ${wall.values} telemetry values for ${published} points`);
          }
          results.problems.push(...problems);
          expect(problems).toEqual([]);
        } finally {
          wallSocket?.close();
          await publisher.close();
          await server.stop();
          await influx.dropDatabase(database);
        }
      },
      SETTINGS.soakDurationMs + 5 * 60_000,
    );
  });
});

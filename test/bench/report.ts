import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MachineInfo } from './machine';
import { formatNumber, formatSpread, spread, type Spread } from './stats';
import { ELD_RESOLUTION_MS } from './soak';

/** Who ingests in a throughput run. */
export type TargetName =
  | 'server-mosquitto-influx'
  | 'raw-mosquitto-influx'
  | 'raw-mosquitto-lines'
  | 'nodered-mosquitto-influx'
  | 'server-aedes-sqlite';

/** Broker and store behind the server in a latency run. */
export type LatencyPath = 'mosquitto-influx' | 'aedes-sqlite';

export interface ThroughputRun {
  target: TargetName;
  pointsPerMessage: number;
  rep: number;
  points: number;
  messages: number;
  /** First publish until the stored count reached every published point. */
  durationMs: number;
  pointsPerS: number;
  /** Rate at which the broker acknowledged the publisher (the offered load the ingest had to follow). */
  publishAckedPointsPerS: number;
  capped: boolean;
  /** Growth of the ingest counter (server: `ingest.points`) over the run. */
  received: number;
  /** Growth of the stored counter (server: `ingest.storedPoints`) over the run. */
  stored: number;
  /** Points counted in the database afterwards, within the run's time range. */
  storedInDatabase: number;
  rejected: number;
  /** Published points missing from the counters or the database (must be 0). */
  lost: number;
}

export interface LatencyRun {
  path: LatencyPath;
  rep: number;
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Events of another transition than the one the value should have caused (must be 0). */
  mismatches: number;
  /** Background load during the run, points/s achieved (0: idle server). */
  loadPointsPerS: number;
}

export interface ColdStartRun {
  rep: number;
  ms: number;
}

/** MQTT publish → the alarm row in the wall page's DOM (headless Chromium), one run. */
export interface DomLatencyRun {
  rep: number;
  samples: number;
  /** Background load achieved during the run, points/s (0: idle). */
  loadPointsPerS: number;
  /** Browser clock minus the bench's (ms), measured and subtracted. */
  clockOffsetMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The server's part: publish → the alarm transition in the server; the rest is socket.io and the browser. */
  serverP50Ms?: number;
  serverP99Ms?: number;
}

/** One alarm flood delivered to many realtime clients. */
export interface FanoutRun {
  rep: number;
  clients: number;
  /** Alarms raised by the flood (one per tag). */
  alarms: number;
  /** First to last publish of the flood. */
  floodMs: number;
  /** Raise events received, over all clients (must be clients × alarms). */
  deliveries: number;
  /** Raises some client never received (must be 0). */
  missed: number;
  /** Events whose `seq` did not continue the client's previous one (gap or repeat: must be 0). */
  seqProblems: number;
  disconnects: number;
  allDelivered: boolean;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The highest per-client p99. */
  worstClientP99Ms: number;
  /**
   * Event-loop utilisation of the clients' thread during the flood (0…1). Near 1: the clients, not the server, set
   * the latency (they share the machine's cores with it).
   */
  clientThreadElu: number;
}

/** The soak: RSS and event-loop delay of the server process under a steady load for many minutes. */
export interface SoakResult {
  durationMs: number;
  tags: number;
  targetPointsPerS: number;
  achievedPointsPerS: number;
  published: number;
  received: number;
  stored: number;
  storedInDatabase: number;
  rejected: number;
  lost: number;
  /** Every sample of the server process (RSS, heap, event-loop delay per window). */
  samples: {
    atMs: number;
    rssBytes: number;
    heapUsedBytes: number;
    eldP99Ms: number;
    eldMaxMs: number;
    steadyEldP99Ms: number;
    steadyIntervalP99Ms?: number;
    gcRssBytes?: number;
    gcHeapUsedBytes?: number;
  }[];
  /** From the end of the warm-up to the end of the run. */
  warmupMs: number;
  /** RSS right after a forced full GC: the first such sample after the warm-up to the last (the judged figure). */
  rssGrowthPct: number;
  /** The same for the heap. */
  heapGrowthPct: number;
  /** Plain RSS, first sample after the warm-up to the last: garbage included, so noisy. */
  plainRssGrowthPct: number;
  /** Event-loop delay p99 over everything after the warm-up (one histogram), ms: the sampler's lateness. */
  steadyEldP99Ms: number;
  /** The same histogram's p99 as `monitorEventLoopDelay` records it (its 10 ms timer interval included), ms. */
  steadyIntervalP99Ms: number;
  /** The worst window's p99 (windows of `sampleMs`), ms. */
  worstWindowEldP99Ms: number;
  /** What the one connected wall screen received: `telemetry` events and the values in them. */
  wallTelemetryEvents: number;
  wallTelemetryValues: number;
}

export interface BenchResults {
  date: string;
  command: string;
  durationS: number;
  machine: MachineInfo;
  settings: Record<string, unknown>;
  throughput: ThroughputRun[];
  latency: LatencyRun[];
  coldStart: ColdStartRun[];
  domLatency: DomLatencyRun[];
  fanout: FanoutRun[];
  soak?: SoakResult;
  /** `BENCH_QUICK=1`: shrunk counts, figures for checking the bench only. */
  quick: boolean;
  /** Every zero-loss or correctness problem seen; empty in a good run. */
  problems: string[];
}

const TARGET_LABEL: Record<TargetName, string> = {
  'server-mosquitto-influx': 'server · Mosquitto + InfluxDB',
  'raw-mosquitto-influx': 'raw mqtt.js → `influx` writePoints',
  'raw-mosquitto-lines': 'raw mqtt.js → line protocol',
  'nodered-mosquitto-influx': 'Node-RED · Mosquitto + InfluxDB',
  'server-aedes-sqlite': 'server · embedded aedes + SQLite',
};

const PATH_LABEL: Record<LatencyPath, string> = {
  'mosquitto-influx': 'Mosquitto + InfluxDB',
  'aedes-sqlite': 'embedded aedes + SQLite',
};

function pointsPerS(runs: ThroughputRun[], target: TargetName, size: number): Spread {
  return spread(runs.filter((r) => r.target === target && r.pointsPerMessage === size).map((r) => r.pointsPerS));
}

/**
 * server/raw per repetition (measured back to back in the same repetition), then summarised; `raw` is the faster
 * of the two raw ceilings of that repetition, so a faster server write path cannot flatter the ratio.
 */
function ratio(
  runs: ThroughputRun[],
  size: number,
  over: (t: TargetName) => boolean = (t) => t.startsWith('raw-'),
): Spread {
  const ratios: number[] = [];
  for (const server of runs.filter((r) => r.target === 'server-mosquitto-influx' && r.pointsPerMessage === size)) {
    const others = runs.filter((r) => over(r.target) && r.pointsPerMessage === size && r.rep === server.rep);
    if (others.length > 0) ratios.push(server.pointsPerS / Math.max(...others.map((r) => r.pointsPerS)));
  }
  return spread(ratios);
}

/** server / Node-RED per repetition (back to back in the same repetition). */
const nodeRedRatio = (runs: ThroughputRun[], size: number): Spread =>
  ratio(runs, size, (t) => t === 'nodered-mosquitto-influx');

/** `a` / `b` per repetition: e.g. how far ahead of Node-RED a collector that does nothing else got. */
function pairRatio(runs: ThroughputRun[], size: number, a: TargetName, b: TargetName): Spread {
  const ratios: number[] = [];
  for (const x of runs.filter((r) => r.target === a && r.pointsPerMessage === size)) {
    const y = runs.find((r) => r.target === b && r.pointsPerMessage === size && r.rep === x.rep);
    if (y) ratios.push(x.pointsPerS / y.pointsPerS);
  }
  return spread(ratios);
}

/** RSS, heap and worst window per minute (per sample when the run is shorter than two minutes: quick mode). */
interface MinuteRow {
  label: string;
  rssMiB: number;
  heapMiB: number;
  gcRssMiB: number;
  gcHeapMiB: number;
  eldP99Ms: number;
}

function perMinute(soak: SoakResult): MinuteRow[] {
  const mib = (b: number | undefined) => (b === undefined ? Number.NaN : b / 1024 ** 2);
  if (soak.durationMs < 120_000) {
    return soak.samples.map((s) => ({
      label: `${formatNumber(s.atMs / 60_000, 2)}`,
      rssMiB: mib(s.rssBytes),
      heapMiB: mib(s.heapUsedBytes),
      gcRssMiB: mib(s.gcRssBytes),
      gcHeapMiB: mib(s.gcHeapUsedBytes),
      eldP99Ms: s.eldP99Ms,
    }));
  }
  const rows = [];
  for (let minute = 1; minute * 60_000 <= soak.durationMs + 5_000; minute++) {
    const inMinute = soak.samples.filter((s) => s.atMs > (minute - 1) * 60_000 && s.atMs <= minute * 60_000 + 5_000);
    const last = inMinute.at(-1);
    if (!last) continue;
    const gcd = inMinute.filter((s) => s.gcRssBytes !== undefined).at(-1);
    rows.push({
      label: String(minute),
      rssMiB: mib(last.rssBytes),
      heapMiB: mib(last.heapUsedBytes),
      gcRssMiB: mib(gcd?.gcRssBytes),
      gcHeapMiB: mib(gcd?.gcHeapUsedBytes),
      eldP99Ms: Math.max(...inMinute.map((s) => s.eldP99Ms)),
    });
  }
  return rows;
}

/** One target of issue 8, with what was measured and whether it holds (`undefined`: not measured in this run). */
export interface TargetCheck {
  what: string;
  target: string;
  measured: string;
  pass: boolean | undefined;
  /** Shown for context, not a target of the issue. */
  info?: true;
}

/** The targets, each judged on the figure the tables publish (medians over the runs). */
export function checkTargets(r: BenchResults): TargetCheck[] {
  const size = 100;
  const server = pointsPerS(r.throughput, 'server-mosquitto-influx', size).median;
  const rawWritePoints = pairRatio(r.throughput, size, 'server-mosquitto-influx', 'raw-mosquitto-influx').median;
  const rawLines = pairRatio(r.throughput, size, 'server-mosquitto-influx', 'raw-mosquitto-lines').median;
  const red = nodeRedRatio(r.throughput, size).median;
  const linesOverRed = pairRatio(r.throughput, size, 'raw-mosquitto-lines', 'nodered-mosquitto-influx').median;
  const loaded = r.latency.filter((l) => l.path === 'mosquitto-influx' && l.loadPointsPerS > 0);
  const socketP99 = spread(loaded.map((l) => l.p99Ms)).median;
  const domLoaded = r.domLatency.filter((l) => l.loadPointsPerS > 0);
  const domP99 = spread(domLoaded.map((l) => l.p99Ms)).median;
  const fanP99 = spread(r.fanout.map((f) => f.p99Ms)).median;
  const fanMissed = r.fanout.reduce((n, f) => n + f.missed + f.seqProblems, 0);
  const cold = spread(r.coldStart.map((c) => c.ms / 1000)).median;
  const judged = (v: number, ok: (v: number) => boolean) => (Number.isFinite(v) ? ok(v) : undefined);
  return [
    {
      what: `ingest, server · Mosquitto + InfluxDB, ${size} points/message`,
      target: '≥ 100 000 points/s',
      measured: `${formatNumber(server)} points/s`,
      pass: judged(server, (v) => v >= 100_000),
    },
    {
      what: 'ingest vs the raw ceiling the issue names (server / mqtt.js → `influx` writePoints, same size)',
      target: '≥ 0.7',
      measured: formatNumber(rawWritePoints, 2),
      pass: judged(rawWritePoints, (v) => v >= 0.7),
    },
    {
      what: 'ingest vs a stricter ceiling (server / mqtt.js → hand-built line protocol, same size)',
      target: 'context',
      measured: formatNumber(rawLines, 2),
      pass: undefined,
      info: true,
    },
    {
      what: 'ingest vs Node-RED (server/Node-RED, same size)',
      target: '≥ 3',
      measured: formatNumber(red, 2),
      pass: judged(red, (v) => v >= 3),
    },
    {
      what: 'bound of that ratio on this machine: the line-protocol collector (no checks, no rules) / Node-RED',
      target: 'context',
      measured: formatNumber(linesOverRed, 2),
      pass: undefined,
      info: true,
    },
    {
      what: 'alarm p99 to socket.io, under load (Mosquitto + InfluxDB)',
      target: '≤ 50 ms',
      measured: `${formatNumber(socketP99, 1)} ms`,
      pass: judged(socketP99, (v) => v <= 50),
    },
    {
      what: 'alarm p99 to the DOM, under load',
      target: '≤ 250 ms',
      measured: `${formatNumber(domP99, 1)} ms`,
      pass: judged(domP99, (v) => v <= 250),
    },
    {
      what: `fan-out p99, ${String(r.settings.fanoutClients)} clients, nothing missed`,
      target: '≤ 200 ms, 0 missed',
      measured: r.fanout.length > 0 ? `${formatNumber(fanP99, 1)} ms, ${fanMissed} missed or out of sequence` : '—',
      pass: r.fanout.length > 0 ? judged(fanP99, (v) => v <= 200 && fanMissed === 0) : undefined,
    },
    {
      what: 'soak RSS growth after the warm-up (after a full GC)',
      target: '≤ 5 %',
      measured: r.soak ? `${formatNumber(r.soak.rssGrowthPct, 1)} %` : '—',
      pass: r.soak ? judged(r.soak.rssGrowthPct, (v) => v <= 5) : undefined,
    },
    {
      what: 'soak event-loop delay p99 after the warm-up',
      target: '≤ 20 ms',
      measured: r.soak ? `${formatNumber(r.soak.steadyEldP99Ms, 1)} ms` : '—',
      pass: r.soak ? judged(r.soak.steadyEldP99Ms, (v) => v <= 20) : undefined,
    },
    {
      what: 'cold start, demo park',
      target: '≤ 3 s',
      measured: `${formatNumber(cold, 2)} s`,
      pass: judged(cold, (v) => v <= 3),
    },
  ];
}

function renderTargets(r: BenchResults): string[] {
  const lines = [
    '### Targets (issue 8)',
    '',
    r.quick
      ? '**Quick mode (`BENCH_QUICK=1`): shrunk counts on whatever machine ran it; these verdicts check the bench, not the product.**'
      : 'Each judged on the median the tables below publish.',
    '',
    '| what | target | measured | result |',
    '|---|---|---:|---|',
  ];
  for (const t of checkTargets(r)) {
    const result = t.info ? 'context' : t.pass === undefined ? 'not measured' : t.pass ? 'pass' : '**FAIL**';
    lines.push(`| ${t.what} | ${t.target} | ${t.measured} | ${result} |`);
  }
  lines.push('');
  return lines;
}

/** The tables, as printed, written to results/latest.md and to docs/performance.md. */
export function renderTables(r: BenchResults): string {
  const sizes = [...new Set(r.throughput.map((t) => t.pointsPerMessage))].sort((a, b) => a - b);
  const lines: string[] = [...renderTargets(r)];
  lines.push(
    '### Ingest throughput, QoS 1, zero loss',
    '',
    'Points/s from the first publish until the stored count (`ingest.storedPoints` of `GET /api/health`, read ' +
      'in-process; raw: points InfluxDB acknowledged) reached every published point; median (min–max) of the repetitions.',
    '',
    `| points/message | ${TARGET_LABEL['server-mosquitto-influx']} | ${TARGET_LABEL['raw-mosquitto-influx']} | ${TARGET_LABEL['raw-mosquitto-lines']} | server/best raw | ${TARGET_LABEL['nodered-mosquitto-influx']} | server/Node-RED | ${TARGET_LABEL['server-aedes-sqlite']} | points/run | lost |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const size of sizes) {
    const runs = r.throughput.filter((t) => t.pointsPerMessage === size);
    const perRun = [...new Set(runs.map((t) => t.points))].map((n) => formatNumber(n)).join(', ');
    const lost = runs.reduce((n, t) => n + t.lost, 0);
    const total = runs.reduce((n, t) => n + t.points, 0);
    lines.push(
      `| ${size} | ${formatSpread(pointsPerS(r.throughput, 'server-mosquitto-influx', size))} | ` +
        `${formatSpread(pointsPerS(r.throughput, 'raw-mosquitto-influx', size))} | ` +
        `${formatSpread(pointsPerS(r.throughput, 'raw-mosquitto-lines', size))} | ${formatSpread(ratio(r.throughput, size), 2)} | ` +
        `${formatSpread(pointsPerS(r.throughput, 'nodered-mosquitto-influx', size))} | ${formatSpread(nodeRedRatio(r.throughput, size), 2)} | ` +
        `${formatSpread(pointsPerS(r.throughput, 'server-aedes-sqlite', size))} | ${perRun} | ${formatNumber(lost)} of ${formatNumber(total)} |`,
    );
  }
  lines.push(
    '',
    'Offered load: the rate at which the broker acknowledged the publisher (points/s, median). Where it is close to ' +
      'the ingest rate above, the ingest kept up and the figure is a lower bound of what it can take.',
    '',
    `| points/message | ${TARGET_LABEL['server-mosquitto-influx']} | ${TARGET_LABEL['raw-mosquitto-influx']} | ${TARGET_LABEL['raw-mosquitto-lines']} | ${TARGET_LABEL['nodered-mosquitto-influx']} | ${TARGET_LABEL['server-aedes-sqlite']} |`,
    '|---:|---:|---:|---:|---:|---:|',
  );
  for (const size of sizes) {
    const offered = (target: TargetName) =>
      formatNumber(
        spread(
          r.throughput
            .filter((t) => t.target === target && t.pointsPerMessage === size)
            .map((t) => t.publishAckedPointsPerS),
        ).median,
      );
    lines.push(
      `| ${size} | ${offered('server-mosquitto-influx')} | ${offered('raw-mosquitto-influx')} | ${offered('raw-mosquitto-lines')} | ${offered('nodered-mosquitto-influx')} | ${offered('server-aedes-sqlite')} |`,
    );
  }
  const latencyPaths = [...new Set(r.latency.map((l) => l.path))];
  const samples = [...new Set(r.latency.map((l) => l.samples))].join(', ');
  const loaded = r.latency.filter((l) => l.loadPointsPerS > 0);
  const loadRate = loaded.length > 0 ? formatSpread(spread(loaded.map((l) => l.loadPointsPerS)), 0) : '';
  lines.push(
    '',
    '### Alarm latency, MQTT publish → socket.io `alarm` event, idle and under background load',
    '',
    `${String(r.settings.latencyTag)} alternated between ${String(r.settings.latencyLowValue)} (inside its limits) and ` +
      `${String(r.settings.latencyHighValue)} (above HH): raise, return, raise, …; ${samples} transitions per run, ` +
      `${String(r.settings.latencyGapMs)} ms apart; ms, median (min–max) over the runs of each percentile.` +
      (loaded.length > 0
        ? ` Under load, another connection publishes ${String(r.settings.loadedLatencyPointsPerS)} points/s ` +
          `(achieved: ${loadRate}) of the source's other tags in ${String(r.settings.loadedLatencyPointsPerMessage)}-point ` +
          'messages at a steady pace while the transitions are timed.'
        : ''),
    '',
    '| broker + store | background load | p50 | p95 | p99 | max | runs |',
    '|---|---|---:|---:|---:|---:|---:|',
  );
  for (const path of latencyPaths) {
    for (const underLoad of [false, true]) {
      const runs = r.latency.filter((l) => l.path === path && l.loadPointsPerS > 0 === underLoad);
      if (runs.length === 0) continue;
      const f = (pick: (l: LatencyRun) => number) => formatSpread(spread(runs.map(pick)), 1);
      const load = underLoad ? `${String(r.settings.loadedLatencyPointsPerS)} points/s` : 'idle';
      lines.push(
        `| ${PATH_LABEL[path]} | ${load} | ${f((l) => l.p50Ms)} | ${f((l) => l.p95Ms)} | ${f((l) => l.p99Ms)} | ${f((l) => l.maxMs)} | ${runs.length} |`,
      );
    }
  }
  lines.push(
    '',
    '### Alarm latency, MQTT publish → alarm row in the wall page’s DOM, headless Chromium',
    '',
    `${String(r.settings.latencyTag)} raised above HH; the time is taken in the page by a MutationObserver when the ` +
      'row with that tag appears (`performance.timeOrigin + performance.now()`, corrected by the measured browser ' +
      'clock offset), from the publish call; then returned and acknowledged over REST so that the next raise is a new ' +
      `row. ${String(r.settings.domTransitions)} raises per run; ms, median (min–max) over the runs of each ` +
      'percentile. Under load: half the server’s measured maximum ingest rate (100-point messages, ' +
      `${String(r.settings.domLoadRateSource ?? 'measured in this run')}), on the same source. Server part: ` +
      'publish → the alarm transition in the server (an in-process listener); the rest is socket.io and the browser.',
    '',
    '| background load | p50 | p95 | p99 | max | server part p50 | server part p99 | runs |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const underLoad of [false, true]) {
    const runs = r.domLatency.filter((l) => l.loadPointsPerS > 0 === underLoad);
    if (runs.length === 0) continue;
    const f = (pick: (l: DomLatencyRun) => number) => formatSpread(spread(runs.map(pick)), 1);
    const load = underLoad ? `${formatSpread(spread(runs.map((l) => l.loadPointsPerS)), 0)} points/s` : 'idle';
    lines.push(
      `| ${load} | ${f((l) => l.p50Ms)} | ${f((l) => l.p95Ms)} | ${f((l) => l.p99Ms)} | ${f((l) => l.maxMs)} | ` +
        `${f((l) => l.serverP50Ms ?? Number.NaN)} | ${f((l) => l.serverP99Ms ?? Number.NaN)} | ${runs.length} |`,
    );
  }
  const fan = r.fanout;
  lines.push(
    '',
    '### Fan-out: an alarm flood to many socket.io clients',
    '',
    `${String(r.settings.fanoutClients)} authenticated socket.io clients (${String(r.settings.fanoutClientThreads)} worker threads); ` +
      `${String(r.settings.fanoutAlarms)} distinct tags cross HH, one message each, paced over ` +
      `${Number(r.settings.fanoutFloodMs) / 1000} s. Latency from each publish to each client's \`alarm\` event, ` +
      "over every delivery; missed: raises a client never received; seq: events that did not continue the client's " +
      'sequence (a gap or a repeat); client thread busy: the busiest client thread’s event-loop utilisation during the flood ' +
      '(near 100 %: the clients, not the server, set the latency). ms, median (min–max) over the runs.',
    '',
    '| clients | alarms | p50 | p95 | p99 | worst client p99 | max | delivered | missed | seq problems | client thread busy | runs |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  if (fan.length > 0) {
    const f = (pick: (l: FanoutRun) => number) => formatSpread(spread(fan.map(pick)), 1);
    const sum = (pick: (l: FanoutRun) => number) => formatNumber(fan.reduce((n, l) => n + pick(l), 0));
    lines.push(
      `| ${fan[0]!.clients} | ${fan[0]!.alarms} | ${f((l) => l.p50Ms)} | ${f((l) => l.p95Ms)} | ${f((l) => l.p99Ms)} | ` +
        `${f((l) => l.worstClientP99Ms)} | ${f((l) => l.maxMs)} | ${sum((l) => l.deliveries)} | ${sum((l) => l.missed)} | ` +
        `${sum((l) => l.seqProblems)} | ${formatSpread(spread(fan.map((l) => l.clientThreadElu * 100)), 0)} % | ${fan.length} |`,
    );
  }
  const soak = r.soak;
  lines.push('', '### Memory and stability (soak)', '');
  if (soak) {
    lines.push(
      `The shipped server (\`server/dist/main.js\`) in its own process on Mosquitto + InfluxDB, ` +
        `${formatNumber(soak.tags)} tags (generated site), ${formatNumber(soak.targetPointsPerS)} points/s asked ` +
        `(${formatNumber(soak.achievedPointsPerS)} achieved, 100-point messages, every tag once a second) for ` +
        `${formatNumber(soak.durationMs / 60_000, 1)} min. RSS per minute; event-loop delay from ` +
        '`perf_hooks.monitorEventLoopDelay` in the server process, windows of ' +
        `${Number(r.settings.soakSampleMs) / 1000} s: how late its ${ELD_RESOLUTION_MS} ms timer ran, i.e. the ` +
        `interval Node records less those ${ELD_RESOLUTION_MS} ms (an idle loop reads 0, not ${ELD_RESOLUTION_MS}; ` +
        'runs before 2026-12-07 published the interval). Growth and the steady p99 are taken after a ' +
        `${soak.warmupMs / 1000} s warm-up. ${formatNumber(soak.lost)} of ${formatNumber(soak.published)} points lost. ` +
        `One wall screen (a socket.io client in the bench process) was connected throughout and received ` +
        `${formatNumber(soak.wallTelemetryValues)} values in ${formatNumber(soak.wallTelemetryEvents)} \`telemetry\` events. ` +
        `Every ${Number(r.settings.soakGcEveryMs) / 1000} s the sampler in the server process forces a full GC ` +
        '(`--expose-gc`) and samples again: what the server holds on to, the figure a leak shows in and the one the ' +
        'growth is judged on; plain RSS also carries the garbage of the last seconds and swings with the GC.',
      '',
      '| minute | RSS MiB | heap used MiB | RSS after a full GC, MiB | heap after a full GC, MiB | event-loop delay p99 of the minute’s worst window, ms |',
      '|---:|---:|---:|---:|---:|---:|',
    );
    for (const m of perMinute(soak)) {
      lines.push(
        `| ${m.label} | ${formatNumber(m.rssMiB, 1)} | ${formatNumber(m.heapMiB, 1)} | ${formatNumber(m.gcRssMiB, 1)} | ` +
          `${formatNumber(m.gcHeapMiB, 1)} | ${formatNumber(m.eldP99Ms, 1)} |`,
      );
    }
    lines.push(
      '',
      `RSS growth after the warm-up (after a full GC): ${formatNumber(soak.rssGrowthPct, 1)} %, heap ` +
        `${formatNumber(soak.heapGrowthPct, 1)} %, plain RSS ${formatNumber(soak.plainRssGrowthPct, 1)} %; ` +
        'event-loop delay p99 after the warm-up: ' +
        `${formatNumber(soak.steadyEldP99Ms, 1)} ms (worst ${Number(r.settings.soakSampleMs) / 1000} s window: ` +
        `${formatNumber(soak.worstWindowEldP99Ms, 1)} ms; the recorded interval's p99, ` +
        `${formatNumber(soak.steadyIntervalP99Ms, 1)} ms, is the figure earlier runs published).`,
    );
  } else lines.push('Not run.');
  lines.push(
    '',
    '### Cold start',
    '',
    `\`startServer\` call until \`GET /api/health\` says \`ok\`, the demo park (\`${String(r.settings.coldStartSiteFile)}\`), ` +
      'embedded aedes + SQLite, in an already loaded process.',
    '',
    '| s, median (min–max) | runs |',
    '|---:|---:|',
    `| ${formatSpread(spread(r.coldStart.map((c) => c.ms / 1000)), 2)} | ${r.coldStart.length} |`,
  );
  return lines.join('\n');
}

/** `2025-11-22 21:34 UTC` from an ISO timestamp. */
function readableDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function renderMachine(m: MachineInfo): string {
  return (
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.platform}; Node ${m.node}; ` +
    `${m.mosquitto}; ${m.influxd}`
  );
}

/** results/latest.md: tables, machine, settings and any problem seen. */
export function renderResultsMarkdown(r: BenchResults): string {
  return [
    `# Benchmark results ${readableDate(r.date)}${r.quick ? ' (quick mode: not for publishing)' : ''}`,
    '',
    `Machine: ${renderMachine(r.machine)}.`,
    '',
    `Command: \`${r.command}\`; total ${Math.round(r.durationS)} s.`,
    '',
    renderTables(r),
    '',
    '### Settings',
    '',
    '```json',
    JSON.stringify(r.settings, null, 2),
    '```',
    '',
    r.problems.length === 0
      ? 'No loss, no reject, no wrong transition.'
      : `**Problems:**\n\n- ${r.problems.join('\n- ')}`,
    '',
  ].join('\n');
}

/** docs/performance.md: the latest good run's tables, with how to reproduce them. */
export function renderPerformanceDoc(r: BenchResults): string {
  return [
    '# Performance',
    '',
    `Measured ${readableDate(r.date)} on ${renderMachine(r.machine)}. The bench process runs the server under test in its main ` +
      'thread and the load generator in a worker thread; Mosquitto and InfluxDB are separate processes on loopback, ' +
      `all on the same ${r.machine.cores} cores. The server runs as shipped: every message is appended to the ` +
      'disk spool (docs/durability.md) before its PUBACK, and data health and the rules see every point.',
    '',
    `How to run: \`npx pnpm@10.34.8 run build\` (the DOM case serves \`web/dist\`, the soak runs ` +
      `\`server/dist/main.js\`), then \`npm run bench\` (or \`${r.command}\`), about ${Math.ceil(r.durationS / 60)} min ` +
      'on a quiet machine; it starts a real Mosquitto and InfluxDB like the medium tests (and, on first run, installs ' +
      'the pinned Node-RED into `.tmp/node-red`), prints these tables and writes them here and to ' +
      '`test/bench/results/latest.{md,json}` with the per-run figures. `BENCH_QUICK=1` runs every case with about a ' +
      'tenth of the counts and durations (a 1-minute soak) and writes only `test/bench/results/`; ' +
      '`BENCH_DOM_LOAD_POINTS_PER_S` sets the DOM case’s load basis when the run measured no throughput; ' +
      '`BENCH_SIZES=100` and `BENCH_TARGETS=server-mosquitto-influx,raw-mosquitto-lines` narrow the throughput case; ' +
      '`BENCH_DOM_NICE=10` runs Chromium and the DOM case’s load publisher at that nice value (default 0: they ' +
      'stand in for a display PC and remote gateways); `BENCH_PAGE_CPU_PROFILE=FILE` profiles the wall page.',
    '',
    'Where a target was missed, the CPU profiles of the hot path, what they showed, what was changed and the figures ' +
      'before and after are in docs/performance-profiles.md.',
    '',
    renderTables(r),
    '',
    '### What the figures mean',
    '',
    `- Load: JSON v1 telemetry for the ${String(r.settings.loadTags)} analog tags of one hazard source of ` +
      `\`${String(r.settings.loadSiteFile)}\`, values inside their limits, so the limit rules run for every point ` +
      'and no alarm is raised. Multi-point messages carry a per-point `ts` so that no two points of a tag share a ' +
      'millisecond in InfluxDB. One MQTT connection at QoS 1 with a window of ' +
      `${String(r.settings.publishWindow)} unacknowledged messages; each run is capped at ` +
      `${Number(r.settings.capMs) / 1000} s of publishing.`,
    "- Zero loss is asserted, not assumed: per run the server's `ingest.points` and `ingest.storedPoints` grow by " +
      "exactly the published count, no reject is counted, and the database holds exactly that many rows in the run's " +
      'time range (InfluxDB `COUNT`, SQLite through the store port).',
    `- The raw ceiling batches like the server (${String(r.settings.storeBatchPoints)} points or ` +
      `${String(r.settings.storeFlushMs)} ms, one write in flight) and does nothing else, once through the ` +
      "`influx` package's `writePoints` (the ceiling issue 4 names) and once with hand-built line protocol over a " +
      'keep-alive connection (how the server writes); server/best raw divides by the faster of the two, per ' +
      'repetition, from runs made back to back.',
    `- Node-RED ${String(r.settings.nodeRedVersion ?? '')} (installed for the bench only, its own process) runs the ` +
      'flow a Node-RED user would build for the same job: MQTT in (QoS 1, the same Mosquitto) → a function node doing ' +
      'the HH/H/L/LL checks of the load’s tags with the limits of the site file → a join node batching like the server ' +
      '(that many points or the flush interval) → `node-red-contrib-influxdb` batch out to its own database. Its stored ' +
      'count comes from a `complete` node on the batch node (InfluxDB acknowledged the write), polled over loopback ' +
      'HTTP; zero loss is asserted by the same InfluxDB `COUNT`. server/Node-RED divides per repetition.',
    '- Alarm latency to the DOM runs the built wall page (`?kiosk&token=`) in headless Chromium (playwright-core, ' +
      'Debian chromium). The background load is generated on the fly in the publisher thread at a steady pace; the ' +
      'achieved rate is the one shown.',
    '- Fan-out runs a fresh server per run on a generated site, so every run raises the same alarms; the clients live ' +
      'in worker threads of the bench process, spread evenly (the server is in its main thread) and each checks that its `seq` ' +
      'continues its snapshot’s without a gap or a repeat.',
    '- The soak runs the built server in a child process (so the RSS is the server’s alone) with a preload that samples ' +
      '`process.memoryUsage()` and `monitorEventLoopDelay`; the load is every tag of a 20,000-tag generated site once a ' +
      'second, generated on the fly; zero loss asserted by the health counters and InfluxDB `COUNT`.',
    "- Throughput includes the last partial batch's flush delay and the stored-count poll interval " +
      `(${String(r.settings.pollMs)} ms). Cold start excludes loading the modules (the bench has already imported ` +
      'them); the first start in the process is the top of its range.',
    '',
  ].join('\n');
}

/**
 * Markdown as the repo's Prettier settings format it, so `prettier --check docs` stays clean after a bench run.
 * Through the CLI: Prettier's API loads its core with a dynamic import, which Jest's module VM refuses. `file` names
 * where the settings come from and must not be an ignored path (Prettier passes ignored input through unchanged).
 */
export function formatMarkdown(text: string, file: string): string {
  const cli = join(dirname(require.resolve('prettier')), 'bin', 'prettier.cjs');
  return execFileSync(process.execPath, [cli, '--stdin-filepath', file], { input: text, encoding: 'utf8' });
}

export function writeText(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

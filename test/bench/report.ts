import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MachineInfo } from './machine';
import { formatNumber, formatSpread, spread, type Spread } from './stats';

/** Who ingests in a throughput run. */
export type TargetName =
  'server-mosquitto-influx' | 'raw-mosquitto-influx' | 'raw-mosquitto-lines' | 'server-aedes-sqlite';

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

export interface BenchResults {
  date: string;
  command: string;
  durationS: number;
  machine: MachineInfo;
  settings: Record<string, unknown>;
  throughput: ThroughputRun[];
  latency: LatencyRun[];
  coldStart: ColdStartRun[];
  /** Every zero-loss or correctness problem seen; empty in a good run. */
  problems: string[];
}

const TARGET_LABEL: Record<TargetName, string> = {
  'server-mosquitto-influx': 'server · Mosquitto + InfluxDB',
  'raw-mosquitto-influx': 'raw mqtt.js → `influx` writePoints',
  'raw-mosquitto-lines': 'raw mqtt.js → line protocol',
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
function ratio(runs: ThroughputRun[], size: number): Spread {
  const ratios: number[] = [];
  for (const server of runs.filter((r) => r.target === 'server-mosquitto-influx' && r.pointsPerMessage === size)) {
    const raws = runs.filter((r) => r.target.startsWith('raw-') && r.pointsPerMessage === size && r.rep === server.rep);
    if (raws.length > 0) ratios.push(server.pointsPerS / Math.max(...raws.map((r) => r.pointsPerS)));
  }
  return spread(ratios);
}

/** The tables, as printed, written to results/latest.md and to docs/performance.md. */
export function renderTables(r: BenchResults): string {
  const sizes = [...new Set(r.throughput.map((t) => t.pointsPerMessage))].sort((a, b) => a - b);
  const lines: string[] = [];
  lines.push(
    '### Ingest throughput, QoS 1, zero loss',
    '',
    'Points/s from the first publish until the stored count (`ingest.storedPoints` of `GET /api/health`, read ' +
      'in-process; raw: points InfluxDB acknowledged) reached every published point; median (min–max) of the repetitions.',
    '',
    `| points/message | ${TARGET_LABEL['server-mosquitto-influx']} | ${TARGET_LABEL['raw-mosquitto-influx']} | ${TARGET_LABEL['raw-mosquitto-lines']} | server/best raw | ${TARGET_LABEL['server-aedes-sqlite']} | points/run | lost |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
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
        `${formatSpread(pointsPerS(r.throughput, 'server-aedes-sqlite', size))} | ${perRun} | ${formatNumber(lost)} of ${formatNumber(total)} |`,
    );
  }
  lines.push(
    '',
    'Offered load: the rate at which the broker acknowledged the publisher (points/s, median). Where it is close to ' +
      'the ingest rate above, the ingest kept up and the figure is a lower bound of what it can take.',
    '',
    `| points/message | ${TARGET_LABEL['server-mosquitto-influx']} | ${TARGET_LABEL['raw-mosquitto-influx']} | ${TARGET_LABEL['raw-mosquitto-lines']} | ${TARGET_LABEL['server-aedes-sqlite']} |`,
    '|---:|---:|---:|---:|---:|',
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
      `| ${size} | ${offered('server-mosquitto-influx')} | ${offered('raw-mosquitto-influx')} | ${offered('raw-mosquitto-lines')} | ${offered('server-aedes-sqlite')} |`,
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
    '### Cold start',
    '',
    `\`startServer\` call until \`GET /api/health\` says \`ok\`, default site (\`${String(r.settings.coldStartSiteFile)}\`), ` +
      'embedded aedes + SQLite, in an already loaded process.',
    '',
    '| ms, median (min–max) | runs |',
    '|---:|---:|',
    `| ${formatSpread(spread(r.coldStart.map((c) => c.ms)), 0)} | ${r.coldStart.length} |`,
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
    `# Benchmark results ${readableDate(r.date)}`,
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
    `How to run: \`npm run bench\` (or \`${r.command}\`), about ${Math.ceil(r.durationS / 60)} min; it starts a ` +
      'real Mosquitto and InfluxDB like the medium tests, prints these tables and writes them here and to ' +
      '`test/bench/results/latest.{md,json}` with the per-run figures.',
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

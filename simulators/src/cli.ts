#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSiteFile, SiteFileError } from '@hazard/server/site';
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './cli.args';
import { SimulatorConfigError } from './errors';
import { formatLoadSummary, runLoad } from './load';
import { BrokerUnreachableError } from './publishers/json-v1.publisher';
import { runScenario } from './scenario.sim';
import { ScenarioFileError } from './scenarios/scenario.loader';
import { startSparkplugSimulator } from './sparkplug.sim';
import { startSimulator, type RunningSimulator, type SimulatorStats } from './sim';

/** Interval of the one-line status. */
const STATUS_EVERY_MS = 10_000;

/** Where the CLI writes; injectable so tests can read it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Site file when --site is absent: $HAZARD_SITE_FILE, else the demo park shipped in the repo's deploy/. */
export function defaultSitePath(env: NodeJS.ProcessEnv): string {
  return env['HAZARD_SITE_FILE'] || resolve(__dirname, '../../deploy/demo-park.yaml');
}

function formatElapsed(ms: number): string {
  const totalS = Math.floor(ms / 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(totalS / 3600))}:${pad(Math.floor(totalS / 60) % 60)}:${pad(totalS % 60)}`;
}

export function formatStatus(stats: SimulatorStats): string {
  return (
    `status elapsed=${formatElapsed(stats.elapsedMs)} messages=${stats.messages} points=${stats.points} ` +
    `errors=${stats.errors} dropped=${stats.dropped} in-flight=${stats.inFlight}`
  );
}

/** Exit code for an error raised before or while starting. */
function reportStartError(err: unknown, io: CliIo): number {
  if (err instanceof ScenarioFileError) {
    // One line per problem, each naming file, path and reason, so that a test bench's log grep finds them.
    for (const p of err.problems) io.err(`hazard-sim: ${err.file}: ${p.path}: ${p.message}`);
    return 2;
  }
  if (err instanceof SiteFileError || err instanceof SimulatorConfigError) {
    io.err(`hazard-sim: ${err.message}`);
    return 2;
  }
  if (err instanceof BrokerUnreachableError) {
    io.err(`hazard-sim: ${err.message}`);
    return 1;
  }
  io.err(`hazard-sim: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 1;
}

/** Load, scenario and Sparkplug runs: bounded or signal-stopped, their own summaries. */
async function runMode(options: CliOptions, env: NodeJS.ProcessEnv, io: CliIo): Promise<number | undefined> {
  const log = (line: string): void => io.out(`${new Date().toISOString()} hazard-sim: ${line}`);
  if (!options.load && !options.scenarioPath && options.protocol === 'json') return undefined;
  let ca: Buffer | undefined;
  try {
    ca = options.caPath === undefined ? undefined : readFileSync(options.caPath);
  } catch (err) {
    io.err(`hazard-sim: cannot read --ca ${options.caPath}: ${(err as Error).message}`);
    return 2;
  }
  const connection = {
    url: options.url,
    connectTimeoutMs: options.connectTimeoutMs,
    ...(options.username !== undefined && { username: options.username }),
    ...(options.password !== undefined && { password: options.password }),
    ...(ca !== undefined && { ca }),
  };
  try {
    if (options.load) {
      const summary = await runLoad({
        ...connection,
        ...options.load,
        rateHz: options.rateHz,
        durationS: options.durationS ?? 0,
        progress: log,
      });
      log(formatLoadSummary(summary));
      return summary.errors > 0 ? 1 : 0;
    }
    const sitePath = options.sitePath ?? defaultSitePath(env);
    if (options.scenarioPath) {
      const result = await runScenario({ ...connection, sitePath, scenarioPath: options.scenarioPath, log });
      log(`scenario ${result.name} done: ${result.acked} messages acknowledged, ${result.errors} errors`);
      log(
        `the server should have raised, in order: ${result.expected.map((e) => `${e.key} ${e.transition}`).join(', ') || 'nothing'}`,
      );
      return result.errors > 0 ? 1 : 0;
    }
    const sim = await startSparkplugSimulator({
      ...connection,
      site: loadSiteFile(sitePath),
      rateHz: options.rateHz,
      seed: options.seed,
      log,
      ...(options.durationS !== undefined && { durationS: options.durationS }),
      ...(options.hostId !== undefined && { primaryHostId: options.hostId }),
    });
    const onSignal = (): void => void sim.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await sim.finished;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return 0;
  } catch (err) {
    return reportStartError(err, io);
  }
}

async function run(options: CliOptions, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const modeExit = await runMode(options, env, io);
  if (modeExit !== undefined) return modeExit;
  const log = (line: string): void => io.out(`${new Date().toISOString()} hazard-sim: ${line}`);
  let sim: RunningSimulator;
  try {
    sim = await startSimulator({
      url: options.url,
      sitePath: options.sitePath ?? defaultSitePath(env),
      rateHz: options.rateHz,
      excursion: options.excursion,
      seed: options.seed,
      connectTimeoutMs: options.connectTimeoutMs,
      log,
      ...(options.durationS !== undefined && { durationS: options.durationS }),
      ...(options.username !== undefined && { username: options.username }),
      ...(options.password !== undefined && { password: options.password }),
      ...(options.clientId !== undefined && { clientId: options.clientId }),
      ...(options.caPath !== undefined && { ca: readFileSync(options.caPath) }),
    });
  } catch (err) {
    return reportStartError(err, io);
  }

  const status = setInterval(() => log(formatStatus(sim.stats())), STATUS_EVERY_MS);
  let stopFailed = false;
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      io.err(`hazard-sim: ${signal} again, exiting without a clean stop`);
      process.exit(1);
    }
    signalled = true;
    log(`${signal}: stopping (send it again to exit at once)`);
    sim.stop().catch((err: unknown) => {
      stopFailed = true;
      io.err(`hazard-sim: stop failed: ${(err as Error).message}`);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await sim.finished;
  } finally {
    clearInterval(status);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  log(formatStatus(sim.stats()));
  return stopFailed ? 1 : 0;
}

/** Runs `hazard-sim` with `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = processIo): Promise<number> {
  let options: CliOptions;
  try {
    const command = parseCliArgs(argv);
    if (command.kind === 'help') {
      io.out(USAGE.trimEnd());
      return 0;
    }
    options = command.options;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`hazard-sim: ${err.message}`);
    io.err("run 'hazard-sim --help' for usage");
    return 2;
  }
  return run(options, env, io);
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`hazard-sim: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

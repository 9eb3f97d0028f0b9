import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { HealthResponse } from '@hazard/server/contracts';
import { freePort } from '../harness/services';

const SERVER_ROOT = resolve(__dirname, '../../server');
const MAIN_JS = join(SERVER_ROOT, 'dist', 'main.js');

/** One event-loop and memory sample of the server process, sent every `sampleMs` by the preload. */
export interface ProcessSample {
  /** Epoch ms of the sample (the server process's clock: the same machine's). */
  atEpochMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /**
   * Event-loop delay over this sample's window (`monitorEventLoopDelay`, reset each window), ms: how late the
   * sampler's timer ran, i.e. the recorded interval less ELD_RESOLUTION_MS (see there).
   */
  eldP99Ms: number;
  eldMaxMs: number;
  /** Over everything since the last `markSteady()`, ms. */
  steadyEldP99Ms: number;
  /** The same histogram's p99 as recorded (the timer's interval, resolution included), for comparison, ms. */
  steadyIntervalP99Ms: number;
  /**
   * On every `gcEveryMs`-th sample only: RSS and heap right after a full GC forced by the sampler, i.e. what the
   * server holds on to. A leak shows here; the plain RSS above also carries the garbage of the last few seconds.
   */
  gcRssBytes?: number;
  gcHeapUsedBytes?: number;
}

/**
 * The sampling timer of `monitorEventLoopDelay`, ms. Node records the whole interval between two runs of that timer
 * (`Histogram::RecordDelta`), so an idle loop reads about this much, not zero (Node 20 here: p99 10.35 ms idle at a
 * 10 ms resolution, 20.46 ms at 20 ms). The delay is the excess over it, as Elastic's APM agent and the OpenTelemetry
 * runtime metrics take it (open-telemetry/opentelemetry-js-contrib#2794). Before 2026-12-07 the bench published the
 * interval itself, i.e. every event-loop delay figure 10 ms too high.
 */
export const ELD_RESOLUTION_MS = 10;

/**
 * Runs in the server process before main.js (`--require`): samples RSS and the event-loop delay with
 * `perf_hooks.monitorEventLoopDelay` and sends them over the IPC channel; every `gcEveryMs` it also forces a full GC
 * (`--expose-gc`) and samples again after it. The server itself is as shipped.
 */
export function preloadSource(sampleMs: number, gcEveryMs: number): string {
  return `'use strict';
const { monitorEventLoopDelay } = require('node:perf_hooks');
const RESOLUTION_MS = ${ELD_RESOLUTION_MS};
const windowH = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
const steadyH = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
windowH.enable();
steadyH.enable();
const ms = (ns) => ns / 1e6;
// Recorded: the interval between two runs of the sampler's timer; the delay is how much later than due it ran.
const delayMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
process.on('message', (m) => { if (m === 'steady') steadyH.reset(); });
let lastGcAt = Date.now();
setInterval(() => {
  const mem = process.memoryUsage();
  const sample = { atEpochMs: Date.now(), rssBytes: mem.rss, heapUsedBytes: mem.heapUsed,
    eldP99Ms: delayMs(windowH.percentile(99)), eldMaxMs: delayMs(windowH.max),
    steadyEldP99Ms: delayMs(steadyH.percentile(99)), steadyIntervalP99Ms: ms(steadyH.percentile(99)) };
  windowH.reset();
  if (typeof gc === 'function' && Date.now() - lastGcAt >= ${gcEveryMs} - ${sampleMs} / 2) {
    lastGcAt = Date.now();
    gc();
    const after = process.memoryUsage();
    sample.gcRssBytes = after.rss;
    sample.gcHeapUsedBytes = after.heapUsed;
  }
  process.send && process.send(sample);
}, ${sampleMs}).unref();
`;
}

/** Newest modification time under `dir` (ms), skipping nothing: a stale build must not be measured as current. */
function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Fails loudly when the server has not been built, or was built before its sources last changed. */
export function requireBuiltServer(): string {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} missing: run 'npx pnpm@10.34.8 run build' first`);
  if (newestMtimeMs(join(SERVER_ROOT, 'src')) > statSync(MAIN_JS).mtimeMs) {
    throw new Error(`${MAIN_JS} is older than server/src: run 'npx pnpm@10.34.8 run build' again`);
  }
  return MAIN_JS;
}

/** The shipped server (`server/dist/main.js`) in its own process, so that its RSS is its own. */
export class ServerProcess {
  readonly samples: ProcessSample[] = [];
  private exited: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly httpUrl: string,
    private readonly dir: string,
  ) {
    child.on('message', (m: ProcessSample) => this.samples.push(m));
    child.on('exit', (code, signal) => {
      this.exited = `exited with ${code ?? signal}`;
    });
  }

  static async start(
    env: Record<string, string>,
    sampleMs: number,
    gcEveryMs: number,
    timeoutMs = 60_000,
  ): Promise<ServerProcess> {
    const mainJs = requireBuiltServer();
    const dir = mkdtempSync(join(tmpdir(), 'hazard-soak-'));
    const preload = join(dir, 'sampler.cjs');
    writeFileSync(preload, preloadSource(sampleMs, gcEveryMs));
    const port = await freePort();
    // BENCH_CPU_PROFILE_DIR: a V8 CPU profile of the whole run, written when the server exits (test/bench/profile-top.mjs).
    const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
    const child = fork(mainJs, [], {
      cwd: SERVER_ROOT,
      execArgv: [
        '--expose-gc',
        '--require',
        preload,
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : []),
      ],
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: join(dir, 'data'),
        WEB_DIST: '',
        LOG_LEVEL: 'warn',
        MQTT_CLIENT_ID: `hazard-soak-${process.pid}`,
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const sut = new ServerProcess(child, `http://127.0.0.1:${port}`, dir);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (sut.exited) throw new Error(`server process ${sut.exited} during start-up`);
      const health = await sut.health().catch(() => undefined);
      if (health?.status === 'ok') return sut;
      if (Date.now() > deadline) {
        await sut.stop();
        throw new Error(`server process not healthy within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async health(): Promise<HealthResponse> {
    const res = await fetch(`${this.httpUrl}/api/health`);
    return (await res.json()) as HealthResponse;
  }

  /** Starts the steady-state event-loop histogram (after the warm-up). */
  markSteady(): void {
    this.child.send('steady');
  }

  get exitReason(): string | undefined {
    return this.exited;
  }

  /** SIGTERM (the server flushes and closes), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((done) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

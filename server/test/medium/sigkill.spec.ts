import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../test/harness/services';
import { DEMO_SITE, waitFor } from './helpers';
import { STEADY_TAGS, SteadyPublisher } from './steady-publisher';

const MQTT_URL = process.env.HAZARD_TEST_MQTT_URL!;
const MAIN = resolve(__dirname, '../../dist/main.js');

/** The real server as its own process (built by the test command), so that it can be killed for real. */
class ServerProcess {
  child: ChildProcess | undefined;
  starts = 0;

  constructor(
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  async start(): Promise<void> {
    const out = openSync(this.logFile, 'a');
    this.starts++;
    this.child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', out, out],
    });
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`server exited:\n${this.log().slice(-2000)}`);
        try {
          const res = await fetch(`http://127.0.0.1:${this.env.PORT}/api/health`);
          return res.status === 200 && ((await res.json()) as { broker: { ok: boolean } }).broker.ok;
        } catch {
          return false;
        }
      },
      30_000,
      `server start #${this.starts}`,
    );
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((r) => {
      child.once('exit', () => r());
      child.kill(signal);
    });
  }

  metric(name: string): Promise<number> {
    return fetch(`http://127.0.0.1:${this.env.PORT}/api/metrics`)
      .then((r) => r.text())
      .then((text) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN));
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }
}

describe('lossless ingestion: the server killed with SIGKILL while points flow, then restarted', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} missing: the test command builds the server first (or run 'pnpm build')`);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'hazard-sigkill-'));
    server = new ServerProcess(
      {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        MQTT_URL,
        MQTT_CLIENT_ID: `hazard-sigkill-${process.pid}`,
        DATA_DIR: dataDir,
        SITE_FILE: DEMO_SITE,
        WEB_DIST: '',
        LOG_LEVEL: 'log',
        // Long flush interval and large batches: at the moment of the kill seconds of acknowledged points exist
        // only in memory and in the spool. Without the spool they would be lost.
        STORE_FLUSH_MS: '5000',
        STORE_BATCH_POINTS: '100000',
      },
      join(dataDir, 'server.log'),
    );
    await server.start();
  }, 60_000);

  afterAll(async () => {
    await server?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('stores every QoS 1 point published before, during and after the crash', async () => {
    const publisher = await SteadyPublisher.connect(MQTT_URL, 200);
    publisher.start();
    await new Promise((r) => setTimeout(r, 3_000));

    await server.kill('SIGKILL');
    // Down for a while: the broker holds the messages for the persistent session (clean=false, fixed client id).
    await new Promise((r) => setTimeout(r, 3_000));
    await server.start();
    await new Promise((r) => setTimeout(r, 2_000));
    await publisher.stop();
    const published = publisher.pointsAcked;
    expect(published).toBeGreaterThan(200 * 7 * STEADY_TAGS.length * 0.8);

    const db = new Database(join(dataDir, 'telemetry.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const count = () => (db.prepare('SELECT COUNT(*) AS n FROM telemetry').get() as { n: number }).n;
      await waitFor(() => count() >= published, 30_000, `${published} points in SQLite`);
      // One row per (tag, time) and exactly as many as were published: exactly once.
      expect(count()).toBe(published);
      const perTag = db.prepare('SELECT tag, COUNT(*) AS n FROM telemetry GROUP BY tag ORDER BY tag').all();
      expect(perTag).toEqual([...STEADY_TAGS].sort().map((tag) => ({ tag, n: publisher.acked })));
      for (const i of [0, 700, 1000, 1500, publisher.acked - 1]) {
        const row = db.prepare('SELECT v FROM telemetry WHERE tag = ? AND ts = ?').get('TIA-102', publisher.tsOf(i));
        expect({ i, row }).toEqual({ i, row: { v: publisher.valueOf(i) } });
      }
    } finally {
      db.close();
    }
    // The restarted server found what the killed one had accepted but not yet stored, and replayed it.
    expect(await server.metric('hazard_store_replayed_points_total')).toBeGreaterThan(0);
    expect(server.log()).toMatch(/spool: \d+ bytes not yet confirmed by the store; replaying them/);
  }, 120_000);
});

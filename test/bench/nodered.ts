import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../harness/services';

/**
 * Node-RED, the comparison issue 8 asks for: installed from npm for the benchmark only (never a workspace
 * dependency), pinned, into a git-ignored cache folder on first use. Node-RED 4.1 is the last line that runs on
 * Node 20 (5.x needs Node 22.9).
 */
export const NODE_RED_PACKAGES = { 'node-red': '4.1.15', 'node-red-contrib-influxdb': '0.7.0' } as const;
const CACHE_DIR = resolve(__dirname, '../../.tmp/node-red');

/** Tag limits (absolute, in the tag's unit) the flow's function node checks, as the site file gives them. */
export type TagLimits = Record<string, { hh?: number; h?: number; l?: number; ll?: number }>;

function installedVersion(pkg: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(CACHE_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return json.version;
  } catch {
    return undefined;
  }
}

/**
 * Path of Node-RED's `red.js`, installing the pinned packages with `npm install --prefix` when they are missing.
 * Throws with npm's own output when that fails: a comparison that cannot run must fail loudly, not be skipped.
 */
export function ensureNodeRed(): string {
  const stale = Object.entries(NODE_RED_PACKAGES).filter(([pkg, v]) => installedVersion(pkg) !== v);
  if (stale.length > 0) {
    const specs = Object.entries(NODE_RED_PACKAGES).map(([pkg, v]) => `${pkg}@${v}`);
    process.stderr.write(`[bench] installing ${specs.join(' ')} into ${CACHE_DIR} (first run only)\n`);
    const npm = spawnSync(
      'npm',
      ['install', '--prefix', CACHE_DIR, '--save-exact', '--no-audit', '--no-fund', '--omit=dev', ...specs],
      { encoding: 'utf8', timeout: 10 * 60_000 },
    );
    const still = Object.entries(NODE_RED_PACKAGES).filter(([pkg, v]) => installedVersion(pkg) !== v);
    if (npm.status !== 0 || still.length > 0) {
      const output = `${npm.stdout ?? ''}\n${npm.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
      throw new Error(
        `Node-RED comparison: could not install ${specs.join(' ')} into ${CACHE_DIR} ` +
          `(npm exit ${npm.status ?? npm.signal ?? npm.error?.message}); the bench needs the npm registry ` +
          `once, or that folder copied from a machine that has it:\n${output}`,
      );
    }
  }
  return join(CACHE_DIR, 'node_modules', 'node-red', 'red.js');
}

export interface NodeRedOptions {
  mqttUrl: string;
  influxUrl: string;
  database: string;
  /** One chain per message size, each subscribed to `{topicRoot}-p{size}/v1/#`. */
  topicRoot: string;
  sizes: number[];
  limits: TagLimits;
  /** Same batching as the server's write buffer: points per write and the longest wait (ms). */
  batchPoints: number;
  flushMs: number;
}

/** What the flow's `/bench/stats` endpoint reports (counted in the flow's global context). */
export interface NodeRedStats {
  /** Points taken off MQTT by the function node. */
  received: number;
  /** Points whose InfluxDB write completed (`complete` node on the batch nodes). */
  stored: number;
  /** Points at or beyond a limit (the load stays inside them: must stay 0). */
  alarms: number;
  errors: number;
  lastError: string | null;
  /** MQTT-in node id → its status text. */
  connected: Record<string, string>;
}

/** The function node: the HH/H/L/LL checks of the site's limits, then InfluxDB points (as the server stores them). */
function checkAndConvert(limits: TagLimits): string {
  return `const LIMITS = ${JSON.stringify(limits)};
const m = msg.payload;
const levels = msg.topic.split('/');
const enterprise = levels[2];
const source = levels[3];
const out = new Array(m.points.length);
let alarms = 0;
for (let i = 0; i < m.points.length; i++) {
  const p = m.points[i];
  const lim = LIMITS[p.tag];
  if (lim && typeof p.v === 'number') {
    if (lim.hh !== undefined && p.v >= lim.hh) alarms++;
    else if (lim.h !== undefined && p.v >= lim.h) alarms++;
    else if (lim.ll !== undefined && p.v <= lim.ll) alarms++;
    else if (lim.l !== undefined && p.v <= lim.l) alarms++;
  }
  out[i] = { measurement: 'telemetry', tags: { enterprise, source, tag: p.tag }, fields: { v: p.v, q: 0 }, timestamp: p.ts === undefined ? m.ts : p.ts };
}
global.set('received', (global.get('received') || 0) + out.length);
if (alarms > 0) global.set('alarms', (global.get('alarms') || 0) + alarms);
msg.payload = out;
return msg;`;
}

/**
 * The flow, as a Node-RED user would build it for the same job as the server: per message size, MQTT in (QoS 1,
 * JSON) → function (limit checks, InfluxDB points) → join (batch: the server's batch size in messages, or its flush
 * interval) → function (flatten) → `influxdb batch`. A `complete` node counts what InfluxDB acknowledged, a `catch`
 * node counts errors, a `status` node records the MQTT connections, and `GET /bench/stats` reports them.
 */
export function nodeRedFlow(opts: NodeRedOptions): object[] {
  const u = new URL(opts.mqttUrl);
  const influx = new URL(opts.influxUrl);
  const z = 'bench-tab';
  const nodes: object[] = [
    { id: z, type: 'tab', label: 'bench' },
    {
      id: 'broker',
      type: 'mqtt-broker',
      name: 'mosquitto',
      broker: u.hostname,
      port: u.port,
      clientid: `bench-nodered-${process.pid}`,
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
    },
    {
      id: 'influx',
      type: 'influxdb',
      hostname: influx.hostname,
      port: influx.port,
      database: opts.database,
      name: 'influxdb',
      usetls: false,
      influxdbVersion: '1.x',
    },
  ];
  const mqttIns: string[] = [];
  const batches: string[] = [];
  for (const size of opts.sizes) {
    const id = (what: string) => `${what}-p${size}`;
    mqttIns.push(id('mqtt'));
    batches.push(id('influx'));
    nodes.push(
      {
        id: id('mqtt'),
        type: 'mqtt in',
        z,
        topic: `${opts.topicRoot}-p${size}/v1/#`,
        qos: '1',
        datatype: 'json',
        broker: 'broker',
        nl: false,
        rap: true,
        rh: 0,
        inputs: 0,
        wires: [[id('check')]],
      },
      {
        id: id('check'),
        type: 'function',
        z,
        name: 'limits',
        func: checkAndConvert(opts.limits),
        outputs: 1,
        wires: [[id('join')]],
      },
      {
        id: id('join'),
        type: 'join',
        z,
        mode: 'custom',
        build: 'array',
        property: 'payload',
        propertyType: 'msg',
        key: 'topic',
        joiner: '\\n',
        joinerType: 'str',
        accumulate: false,
        timeout: String(opts.flushMs / 1000),
        count: String(Math.max(1, Math.ceil(opts.batchPoints / size))),
        wires: [[id('flat')]],
      },
      {
        id: id('flat'),
        type: 'function',
        z,
        name: 'flatten',
        func: 'msg.payload = msg.payload.flat();\nreturn msg;',
        outputs: 1,
        wires: [[id('influx')]],
      },
      {
        id: id('influx'),
        type: 'influxdb batch',
        z,
        influxdb: 'influx',
        precision: 'ms',
        retentionPolicy: '',
        wires: [],
      },
    );
  }
  nodes.push(
    { id: 'bench-done', type: 'complete', z, scope: batches, uncaught: false, wires: [['bench-count']] },
    {
      id: 'bench-count',
      type: 'function',
      z,
      func: "global.set('stored', (global.get('stored') || 0) + msg.payload.length);\nreturn null;",
      outputs: 1,
      wires: [[]],
    },
    { id: 'bench-catch', type: 'catch', z, scope: null, uncaught: false, wires: [['bench-errors']] },
    {
      id: 'bench-errors',
      type: 'function',
      z,
      func: "global.set('errors', (global.get('errors') || 0) + 1);\nglobal.set('lastError', String(msg.error && msg.error.message));\nreturn null;",
      outputs: 1,
      wires: [[]],
    },
    { id: 'bench-status', type: 'status', z, scope: mqttIns, wires: [['bench-connected']] },
    {
      id: 'bench-connected',
      type: 'function',
      z,
      func: "const c = global.get('connected') || {};\nc[msg.status.source.id] = msg.status.text;\nglobal.set('connected', c);\nreturn null;",
      outputs: 1,
      wires: [[]],
    },
    {
      id: 'bench-http',
      type: 'http in',
      z,
      url: '/bench/stats',
      method: 'get',
      upload: false,
      wires: [['bench-stats']],
    },
    {
      id: 'bench-stats',
      type: 'function',
      z,
      func:
        "msg.payload = { received: global.get('received') || 0, stored: global.get('stored') || 0, " +
        "alarms: global.get('alarms') || 0, errors: global.get('errors') || 0, lastError: global.get('lastError') || null, " +
        "connected: global.get('connected') || {} };\nreturn msg;",
      outputs: 1,
      wires: [['bench-response']],
    },
    { id: 'bench-response', type: 'http response', z, statusCode: '', headers: {}, wires: [] },
  );
  return nodes;
}

/** A running Node-RED with the bench flow, on loopback. */
export class NodeRedProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly httpUrl: string,
    private readonly logFile: string,
  ) {}

  /** Starts Node-RED and resolves once every MQTT-in node says it is connected. */
  static async start(opts: NodeRedOptions, timeoutMs = 60_000): Promise<NodeRedProcess> {
    const redJs = ensureNodeRed();
    const dir = mkdtempSync(join(tmpdir(), 'hazard-nodered-'));
    const port = await freePort();
    writeFileSync(join(dir, 'flows.json'), JSON.stringify(nodeRedFlow(opts), null, 1));
    writeFileSync(
      join(dir, 'settings.js'),
      `module.exports = ${JSON.stringify({
        uiHost: '127.0.0.1',
        uiPort: port,
        userDir: dir,
        flowFile: 'flows.json',
        credentialSecret: false,
        httpAdminRoot: false,
        httpNodeRoot: '/',
        disableEditor: true,
        telemetry: { enabled: false },
        diagnostics: { enabled: false },
        externalModules: { autoInstall: false },
        logging: { console: { level: 'warn', metrics: false, audit: false } },
      })};\n`,
    );
    const logFile = join(dir, 'node-red.log');
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [redJs, '--settings', join(dir, 'settings.js'), '--userDir', dir], {
      stdio: ['ignore', fd, fd],
      cwd: dir,
    });
    closeSync(fd);
    const sut = new NodeRedProcess(child, dir, `http://127.0.0.1:${port}`, logFile);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Node-RED exited with ${child.exitCode}:\n${sut.logTail()}`);
      const stats = await sut.stats().catch(() => undefined);
      const connected = stats
        ? Object.values(stats.connected).filter((t) => t === 'node-red:common.status.connected').length
        : 0;
      if (connected === opts.sizes.length) break;
      if (Date.now() > deadline) {
        const log = sut.logTail();
        await sut.stop();
        throw new Error(`Node-RED not connected to the broker within ${timeoutMs} ms:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // The status turns "connected" on CONNACK; the subscriptions follow it.
    await new Promise((r) => setTimeout(r, 500));
    return sut;
  }

  async stats(): Promise<NodeRedStats> {
    const res = await fetch(`${this.httpUrl}/bench/stats`);
    if (!res.ok) throw new Error(`Node-RED /bench/stats answered ${res.status}`);
    return (await res.json()) as NodeRedStats;
  }

  logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no log)';
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((done) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      });
    }
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Real services for tests: Mosquitto and InfluxDB 1.x, each in its own temporary directory on a free loopback port.
 * Missing Debian packages are installed with apt-get when running as root; otherwise the harness fails with a
 * message naming the package to install (never a silent skip).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningService {
  name: string;
  url: string;
  pid: number;
  dir: string;
  /** Stops the process and deletes its directory. */
  stop(): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s), keeping its data and port for `resume` (outage tests). */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same data; resolves when it answers. */
  resume(): Promise<void>;
}

const APT_PACKAGES: Record<string, string> = {
  mosquitto: 'mosquitto',
  influxd: 'influxdb',
  chromium: 'chromium',
};

/** Finds a binary in the usual places; undefined when absent. */
export function findBinary(name: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return found !== '' ? found : undefined;
}

/** Returns the binary's path, installing its Debian package first when missing and running as root. */
export function ensureBinary(name: keyof typeof APT_PACKAGES | string): string {
  const existing = findBinary(name);
  if (existing) return existing;
  const pkg = APT_PACKAGES[name] ?? name;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`'${name}' is not installed and we are not root: install it with 'sudo apt-get install -y ${pkg}'`);
  }
  process.stderr.write(`[harness] '${name}' missing: apt-get install -y ${pkg}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let res = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'inherit', env });
  if (res.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    res = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'inherit', env });
  }
  const installed = findBinary(name);
  if (res.status !== 0 || !installed) {
    throw new Error(`could not install '${pkg}' with apt-get (exit ${res.status}); install it by hand`);
  }
  return installed;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** `n` distinct free ports (two `freePort()` calls may hand out the same one: the first is closed again). */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * Starts a service on ports picked by `freePort()`, again on new ones when it could not bind them: between picking a
 * port and the service binding it, something else may take it (an outgoing connection's ephemeral port, another
 * worker's service). Seen once in a bench run as influxd's `bind: address already in use`.
 */
export async function onFreshPorts<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= attempts || !/address already in use/i.test((err as Error).message)) throw err;
      process.stderr.write(`[harness] port taken before the service bound it; attempt ${attempt + 1} on new ports\n`);
    }
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${what} exited with code ${child.exitCode} during start-up:\n${tail(logFile)}`);
    }
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

function terminate(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A service process that can be stopped and started again with the same configuration (same port, same data). */
async function managed(
  name: string,
  bin: string,
  args: string[],
  dir: string,
  url: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<RunningService> {
  let { child, logFile } = spawnLogged(bin, args, dir);
  try {
    await waitFor(name, ready, child, logFile, timeoutMs);
  } catch (err) {
    await terminate(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const service: RunningService = {
    name,
    url,
    pid: child.pid ?? 0,
    dir,
    stop: async () => {
      await terminate(child);
      rmSync(dir, { recursive: true, force: true });
    },
    halt: () => terminate(child),
    resume: async () => {
      if (child.exitCode === null && child.signalCode === null) return;
      ({ child, logFile } = spawnLogged(bin, args, dir));
      service.pid = child.pid ?? 0;
      await waitFor(name, ready, child, logFile, timeoutMs);
    },
  };
  return service;
}

function spawnLogged(bin: string, args: string[], dir: string): { child: ChildProcess; logFile: string } {
  const logFile = join(dir, 'service.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd], detached: false });
  closeSync(fd);
  return { child, logFile };
}

/**
 * Starts a real Mosquitto on a free loopback port, anonymous. Without `persistence` (the default) a restart
 * forgets sessions; with it, Mosquitto keeps them in its directory across `halt()` and `resume()`.
 */
export async function startMosquitto(
  opts: {
    persistence?: boolean;
    /** Secured broker (docs/mqtt-security.md): no anonymous clients, this password file and ACL. */
    auth?: { passwordFile: string; aclFile: string };
  } = {},
): Promise<RunningService> {
  const bin = ensureBinary('mosquitto');
  return onFreshPorts(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazard-mosquitto-'));
    const port = await freePort();
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      [
        `listener ${port} 127.0.0.1`,
        ...(opts.auth
          ? ['allow_anonymous false', `password_file ${opts.auth.passwordFile}`, `acl_file ${opts.auth.aclFile}`]
          : ['allow_anonymous true']),
        ...(opts.persistence
          ? ['persistence true', `persistence_location ${dir}/`, 'autosave_on_changes true', 'autosave_interval 1']
          : ['persistence false']),
        'log_dest stdout',
        'log_type error',
        'log_type warning',
        'max_queued_messages 100000',
        // As deploy/mosquitto/mosquitto.conf: up to 100 unacknowledged QoS 1 messages to the server (Mosquitto's
        // default is 20), and alarms not held back by Nagle's algorithm behind a small unacknowledged segment.
        'max_inflight_messages 100',
        'set_tcp_nodelay true',
        '',
      ].join('\n'),
    );
    return managed('mosquitto', bin, ['-c', conf], dir, `mqtt://127.0.0.1:${port}`, () => portOpen(port), 10_000);
  });
}

/** Starts a real InfluxDB 1.x (Debian's influxd) with its data in a temporary directory, HTTP on a free loopback port. */
export async function startInfluxd(): Promise<RunningService> {
  const bin = ensureBinary('influxd');
  return onFreshPorts(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazard-influxd-'));
    const [httpPort, rpcPort] = (await freePorts(2)) as [number, number];
    const conf = join(dir, 'influxdb.conf');
    writeFileSync(
      conf,
      [
        'reporting-disabled = true',
        `bind-address = "127.0.0.1:${rpcPort}"`,
        '[meta]',
        `  dir = "${join(dir, 'meta')}"`,
        '[data]',
        `  dir = "${join(dir, 'data')}"`,
        `  wal-dir = "${join(dir, 'wal')}"`,
        '  query-log-enabled = false',
        '[http]',
        `  bind-address = "127.0.0.1:${httpPort}"`,
        '  log-enabled = false',
        '[monitor]',
        '  store-enabled = false',
        '[continuous_queries]',
        '  enabled = true',
        '  run-interval = "1s"',
        '',
      ].join('\n'),
    );
    const url = `http://127.0.0.1:${httpPort}`;
    const ping = async () => {
      try {
        const res = await fetch(`${url}/ping`);
        return res.status === 204;
      } catch {
        return false;
      }
    };
    return managed('influxd', bin, ['-config', conf], dir, url, ping, 30_000);
  });
}

#!/usr/bin/env node
// The demo command (README): install, build, then run server + embedded broker + embedded store + simulator + web,
// print the URL, and stop everything cleanly on Ctrl-C. Only Node 20+ and npm are needed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ROOT, installDependencies, runPnpm, step } from './tools/workspace.mjs';

const PORT = process.env.PORT ?? '8080';
const MQTT_PORT = process.env.MQTT_PORT ?? '1883';
const skipBuild = process.argv.includes('--no-build');
// The demo's own users file, rewritten on every start with fresh random passwords (printed below). A USERS_FILE of
// your own is used as it is.
const DEMO_USERS_FILE = join(ROOT, '.data', 'demo-users.json');
const USERS_FILE = process.env.USERS_FILE ?? DEMO_USERS_FILE;
const DEMO_ROLES = ['admin', 'operator', 'viewer'];

const children = [];
let stopping = false;

function start(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches only this script, which then stops the simulator before the server (so
    // the simulator's offline status and the server's last batch get out) instead of all of them at once.
    detached: true,
  });
  const prefix = (line) => `[${name}] ${line}\n`;
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(prefix(line));
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`\n${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the demo\n`);
      void stopAll(code ?? 1);
    }
  });
  children.push({ name, child });
  return child;
}

async function stopAll(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nstopping…\n');
  // Simulator first (it publishes its offline status), then the server (it flushes its write buffer).
  for (const { child } of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    await new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
  process.exit(exitCode);
}

async function waitHealthy(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok && (await res.json()).status === 'ok') return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy at ${url} after ${timeoutMs / 1000} s`);
}

/** Runs the users CLI (server/dist/auth/users.cli.js) with `input` on stdin; resolves with its stdout. */
function usersCli(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join('server', 'dist', 'auth', 'users.cli.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, USERS_FILE },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`users ${args[0]} failed (${code}): ${err.trim()}`)),
    );
    child.stdin.end(input);
  });
}

/**
 * Demo users: one per role with a random password, and a token-only `wall` viewer whose long-lived kiosk token goes
 * into the printed wall URL. Only for the demo: a real site adds its users with `npm run user:add`.
 */
async function provisionDemoUsers() {
  const passwords = {};
  for (const role of DEMO_ROLES) {
    passwords[role] = `demo-${randomBytes(6).toString('base64url')}`;
    await usersCli(['add', '--user', role, '--role', role, '--password-stdin', '--cost', '10'], `${passwords[role]}\n`);
  }
  await usersCli(['add', '--user', 'wall', '--role', 'viewer', '--no-password', '--display-name', '演示大屏']);
  const kioskToken = (await usersCli(['token', '--user', 'wall', '--ttl-h', '720'])).trim();
  return { passwords, kioskToken };
}

async function main() {
  process.on('exit', () => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  if (!skipBuild) {
    step('installing dependencies (first run builds native modules: a few minutes)');
    await installDependencies();
    step('building server, simulators and web');
    const code = await runPnpm(['run', 'build']);
    if (code !== 0) throw new Error(`build failed with exit code ${code}`);
  }
  let demo;
  if (USERS_FILE === DEMO_USERS_FILE) {
    step(`creating demo users in ${DEMO_USERS_FILE} (random passwords, printed below)`);
    demo = await provisionDemoUsers();
  }
  step('starting server (embedded MQTT broker, embedded SQLite store, web app)');
  start('server', [join('server', 'dist', 'main.js')], { PORT, MQTT_PORT, USERS_FILE });
  await waitHealthy(`http://127.0.0.1:${PORT}/api/health`, 60_000);
  step(
    'starting simulator (demo park: 4 enterprises, 8 hazard sources; a scripted LIA-101 excursion raises H and HH within a minute)',
  );
  start('sim', [join('simulators', 'dist', 'cli.js'), '--url', `mqtt://127.0.0.1:${MQTT_PORT}`]);
  const wallUrl = demo ? `http://localhost:${PORT}/?kiosk&token=${demo.kioskToken}` : `http://localhost:${PORT}/`;
  process.stdout.write(
    `\n\u001b[1;32m  Wall display: ${wallUrl}\u001b[0m\n` +
      `  Console:      http://localhost:${PORT}/ (log in as below)\n` +
      `  API:          http://localhost:${PORT}/api/health (no token) · /api/alarms?state=active · /api/site (token)\n` +
      `  MQTT broker:  mqtt://localhost:${MQTT_PORT} (topic hazard/v1/{enterpriseId}/{sourceId}/telemetry)\n` +
      (demo
        ? `\n\u001b[1;33m  DEMO USERS (this run only; never use ${DEMO_USERS_FILE} for a real site):\u001b[0m\n` +
          DEMO_ROLES.map((r) => `    ${r.padEnd(9)} password ${demo.passwords[r]}\n`).join('') +
          `    wall      kiosk token in the wall URL above (viewer, 30 days)\n` +
          `  e.g. TOKEN=$(curl -s -H 'content-type: application/json' -d '{"username":"operator","password":"${demo.passwords.operator}"}' ` +
          `http://localhost:${PORT}/api/auth/login | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')\n`
        : `  Users: ${USERS_FILE} (yours)\n`) +
      `  Ctrl-C stops everything.\n\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void stopAll(1);
});

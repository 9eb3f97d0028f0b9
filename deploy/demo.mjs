#!/usr/bin/env node
// The demo command (README): install, build, then run server + embedded broker + embedded store + simulator + web,
// print the URL, and stop everything cleanly on Ctrl-C. Only Node 20+ and npm are needed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, installDependencies, runPnpm, step } from './tools/workspace.mjs';

const PORT = process.env.PORT ?? '8080';
const MQTT_PORT = process.env.MQTT_PORT ?? '1883';
const skipBuild = process.argv.includes('--no-build');

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
  step('starting server (embedded MQTT broker, embedded SQLite store, web app)');
  start('server', [join('server', 'dist', 'main.js')], { PORT, MQTT_PORT });
  await waitHealthy(`http://127.0.0.1:${PORT}/api/health`, 60_000);
  step(
    'starting simulator (demo park: 4 enterprises, 8 hazard sources; a scripted LIA-101 excursion raises H and HH within a minute)',
  );
  start('sim', [join('simulators', 'dist', 'cli.js'), '--url', `mqtt://127.0.0.1:${MQTT_PORT}`]);
  process.stdout.write(
    `\n\u001b[1;32m  Wall display: http://localhost:${PORT}/\u001b[0m\n` +
      `  API:          http://localhost:${PORT}/api/health · /api/alarms?state=active · /api/site\n` +
      `  MQTT broker:  mqtt://localhost:${MQTT_PORT} (topic hazard/v1/{enterpriseId}/{sourceId}/telemetry)\n` +
      `  Ctrl-C stops everything.\n\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void stopAll(1);
});

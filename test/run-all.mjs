#!/usr/bin/env node
// The test command (README, .ci/run): install, system packages for the real services, lint, type-check, build,
// then every package's tests (Jest projects with real Mosquitto + InfluxDB + Chromium, and web's Vitest).
// Ends with one line "N passed, N failed" totalled over all packages; a failed lint/type-check/build step
// counts as one failure in that line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, installDependencies, runPnpm, step } from '../deploy/tools/workspace.mjs';

const OUT = join(ROOT, '.tmp', 'test-results');
const SYSTEM_PACKAGES = [
  { bin: 'mosquitto', pkg: 'mosquitto' },
  { bin: 'mosquitto_pub', pkg: 'mosquitto-clients' },
  { bin: 'influxd', pkg: 'influxdb' },
  { bin: 'chromium', pkg: 'chromium' },
  // CJK glyphs for the browser tests' screenshots (the UI is zh-CN); tests pass without it, pictures do not read.
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', pkg: 'fonts-noto-cjk' },
];

function has({ bin, file }) {
  if (file) return existsSync(file);
  return spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`], { stdio: 'ignore' }).status === 0;
}

/** Installs the Debian packages behind the real services when missing (as root); otherwise says what to install. */
function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !has(p));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    process.stderr.write(
      `\n!!! missing system packages: ${names.join(' ')}\n!!! install them with: sudo apt-get install -y ${names.join(' ')}\n` +
        `!!! the tests that need them will fail with that message\n\n`,
    );
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const res = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...names], { stdio: 'inherit', env });
  if (res.status !== 0)
    process.stderr.write(`\n!!! apt-get install ${names.join(' ')} failed (exit ${res.status})\n\n`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function main() {
  let passed = 0;
  let failed = 0;
  const failures = [];
  const check = (name, code) => {
    if (code !== 0) {
      failed++;
      failures.push(`${name} (exit ${code})`);
    }
  };

  step('installing dependencies');
  await installDependencies();
  step('system packages for real services (mosquitto, influxdb, chromium)');
  ensureSystemPackages();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  step('lint (eslint + prettier)');
  check('lint', await runPnpm(['run', 'lint']));
  step('type-check');
  check('typecheck', await runPnpm(['run', 'typecheck']));
  step('build');
  const buildCode = await runPnpm(['run', 'build']);
  check('build', buildCode);

  step('jest: server, simulators, system (real Mosquitto, InfluxDB, Chromium)');
  const jestFile = join(OUT, 'jest.json');
  const jestCode = await runPnpm(['exec', 'jest', '--ci', '--json', `--outputFile=${jestFile}`]);
  const jest = readJson(jestFile);
  if (jest) {
    passed += jest.numPassedTests;
    failed += jest.numFailedTests + (jest.numRuntimeErrorTestSuites ?? 0);
    if (jest.numFailedTests > 0 || jest.numRuntimeErrorTestSuites > 0) failures.push('jest');
  } else {
    check('jest (no results written)', jestCode === 0 ? 1 : jestCode);
  }

  step('vitest: web');
  const vitestFile = join(OUT, 'vitest.json');
  const vitestCode = await runPnpm([
    '--filter',
    '@hazard/web',
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${vitestFile}`,
  ]);
  const vitest = readJson(vitestFile);
  if (vitest) {
    passed += vitest.numPassedTests;
    failed += vitest.numFailedTests;
    if (vitest.numFailedTests > 0) failures.push('vitest');
  } else {
    check('vitest (no results written)', vitestCode === 0 ? 1 : vitestCode);
  }

  if (!existsSync(jestFile) || passed === 0) failures.push('no test ran');
  process.stdout.write(`\n${failures.length > 0 ? `failed: ${failures.join(', ')}\n` : ''}`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failures.length > 0 ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`test run failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
});

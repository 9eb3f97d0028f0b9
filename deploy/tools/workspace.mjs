// Shared by the demo and test commands: find or fetch pnpm (the machine may only have Node and npm), run steps.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** The pnpm version pinned in package.json "packageManager". */
export const PNPM_VERSION = String(pkg.packageManager).replace(/^pnpm@/, '');

let pnpmCmd;
/** `pnpm` when the pinned major is on PATH, else `npx --yes pnpm@<pinned>` (npm ships with Node). */
export function pnpm() {
  if (pnpmCmd) return pnpmCmd;
  const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
  const major = PNPM_VERSION.split('.')[0];
  if (local.status === 0 && local.stdout.trim().split('.')[0] === major) pnpmCmd = ['pnpm'];
  else pnpmCmd = ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
  return pnpmCmd;
}

/** Runs a command with inherited output; resolves with its exit code (never rejects). */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
    child.on('error', (err) => {
      process.stderr.write(`cannot run ${cmd}: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs pnpm with the given arguments. */
export function runPnpm(args, opts = {}) {
  const [cmd, ...pre] = pnpm();
  return run(cmd, [...pre, ...args], opts);
}

/** Installs the workspace's dependencies exactly as locked (native addons build here: better-sqlite3). */
export async function installDependencies() {
  const marker = join(ROOT, 'node_modules', '.modules.yaml');
  const args = ['install', '--frozen-lockfile'];
  if (existsSync(marker)) args.push('--prefer-offline');
  const code = await runPnpm(args);
  if (code !== 0) throw new Error(`pnpm install failed with exit code ${code}`);
}

/** Prints a visible step header. */
export function step(title) {
  process.stdout.write(`\n\u001b[1m==> ${title}\u001b[0m\n`);
}

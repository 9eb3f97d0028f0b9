/**
 * The hot path of a V8 CPU profile (`node --cpu-prof`, or BENCH_CPU_PROFILE_DIR for the soak's server process): self
 * time per function, worst first, with the share of all samples. Usage:
 *   node test/bench/profile-top.mjs FILE.cpuprofile [ROWS]
 * (plain JavaScript so that it runs without a build: it reads one JSON file)
 */
import { readFileSync } from 'node:fs';

/** @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number } }} ProfileNode */

function main() {
  const [file, rowsArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-top.mjs FILE.cpuprofile [ROWS]');
  const rows = rowsArg ? Number(rowsArg) : 30;
  /** @type {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    const f = node.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*\/(server|test)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
    totalUs += dt;
  });
  const idleUs = [...selfUs].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
  console.log(`${(totalUs / 1e6).toFixed(1)} s sampled, ${(100 * (1 - idleUs / totalUs)).toFixed(1)} % busy`);
  console.log('self ms   share  function');
  for (const [key, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${(us / 1000).toFixed(0).padStart(7)}  ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${key}`);
  }
}

main();

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ELD_RESOLUTION_MS, preloadSource, type ProcessSample } from './soak';

/**
 * The soak's sampler (the preload the bench puts in front of the server) in a process of its own, running `script`
 * instead of the server: what it reports is what the bench publishes as the event-loop delay.
 */
function sample(script: string, sampleMs: number): Promise<ProcessSample[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hazard-sampler-'));
  const preload = join(dir, 'sampler.cjs');
  const main = join(dir, 'main.cjs');
  writeFileSync(preload, preloadSource(sampleMs, 3_600_000));
  writeFileSync(main, script);
  const samples: ProcessSample[] = [];
  return new Promise<ProcessSample[]>((resolve, reject) => {
    const child = fork(main, [], { execArgv: ['--require', preload], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: ProcessSample) => samples.push(m));
    child.on('error', reject);
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(samples);
      else reject(new Error(`sampled process exited with ${code}`));
    });
  });
}

describe('soak sampler: event-loop delay of the server process', () => {
  it('reads an idle loop as no delay, with the timer interval it records reported beside it', async () => {
    // The sampler's 10 ms timer alone: Node records each interval between its runs, about 10 ms on an idle loop.
    const samples = await sample('setTimeout(() => process.exit(0), 1_300);', 400);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    // The quietest window (another process may take the CPU for a moment): the interval would read 10 ms or more.
    expect(Math.min(...samples.map((s) => s.eldP99Ms))).toBeLessThan(ELD_RESOLUTION_MS / 2);
    for (const s of samples) expect(s.steadyIntervalP99Ms).toBeGreaterThanOrEqual(ELD_RESOLUTION_MS * 0.9);
  });

  it('reads a loop held for 60 ms at a time as up to that late', async () => {
    const samples = await sample(
      `const hold = () => { const until = Date.now() + 60; while (Date.now() < until); };
setInterval(hold, 150);
setTimeout(() => process.exit(0), 1_300);`,
      400,
    );
    expect(Math.max(...samples.map((s) => s.eldMaxMs))).toBeGreaterThanOrEqual(40);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSitePath, runCli, type CliIo } from './cli';

function captureIo(): CliIo & { outText(): string; errText(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    outText: () => out.join('\n'),
    errText: () => err.join('\n'),
  };
}

/** A TCP port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe(defaultSitePath.name, () => {
  it('plays the demo park unless told otherwise', () => {
    expect(defaultSitePath({})).toMatch(/deploy[\\/]demo-park\.yaml$/);
    expect(defaultSitePath({ HAZARD_SITE_FILE: '/srv/site.yaml' })).toBe('/srv/site.yaml');
  });
});

describe(runCli.name, () => {
  it('prints the usage and exits 0 for --help', async () => {
    const io = captureIo();

    await expect(runCli(['--help'], {}, io)).resolves.toBe(0);
    expect(io.outText()).toMatch(/^Usage: hazard-sim \[options\]/);
  });

  it('exits 2 naming the bad option', async () => {
    const io = captureIo();

    await expect(runCli(['--rate-hz', 'x'], {}, io)).resolves.toBe(2);
    expect(io.errText()).toContain('hazard-sim: --rate-hz needs a number, got "x"');
  });

  it('exits 2 with the file, path and reason of a bad site file, before touching the broker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazard-sim-'));
    const file = join(dir, 'bad-site.yaml');
    writeFileSync(file, 'schemaVersion: 2\npark: { id: p, name: P }\nenterprises: []\n');
    const io = captureIo();

    await expect(runCli(['--url', 'mqtt://127.0.0.1:1'], { HAZARD_SITE_FILE: file }, io)).resolves.toBe(2);
    expect(io.errText()).toContain(`invalid site file ${file}`);
    expect(io.errText()).toContain(`${file}: schemaVersion:`);
  });

  it('exits 2 with one line naming file, path and reason of a bad scenario, before touching the broker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazard-sim-'));
    const file = join(dir, 'bad-scenario.yaml');
    writeFileSync(
      file,
      'name: bad\ndescription: d\ndurationS: 1m\ntimeline:\n  - { at: 5, do: stick, valve: XV-999 }\nexpect: []\n',
    );
    const io = captureIo();

    await expect(runCli(['--url', 'mqtt://127.0.0.1:1', '--scenario', file], {}, io)).resolves.toBe(2);
    expect(io.errText()).toBe(`hazard-sim: ${file}: timeline[0].valve: no equipment "XV-999" in the site`);
  });

  it('exits 1 with one line when a load run cannot reach its broker', async () => {
    const url = `mqtt://127.0.0.1:${await closedPort()}`;
    const io = captureIo();

    await expect(
      runCli(['--url', url, '--load', '--duration-s', '1', '--connect-timeout-s', '0.5'], {}, io),
    ).resolves.toBe(1);
    expect(io.errText().split('\n')).toHaveLength(1);
    expect(io.errText()).toMatch(/^hazard-sim: cannot reach MQTT broker at /);
  });

  it('exits 1 with "cannot reach MQTT broker" when nothing listens at the URL', async () => {
    const url = `mqtt://127.0.0.1:${await closedPort()}`;
    const io = captureIo();

    await expect(runCli(['--url', url, '--connect-timeout-s', '0.5'], {}, io)).resolves.toBe(1);
    expect(io.errText()).toMatch(new RegExp(`^hazard-sim: cannot reach MQTT broker at ${url}: .*ECONNREFUSED`));
  });
});

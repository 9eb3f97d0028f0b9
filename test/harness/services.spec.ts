import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreshPorts, startMosquitto } from './services';

describe('harness services: a port taken before the service binds it', () => {
  it('starts again on new ports when the service says the address is in use, up to the attempts given', async () => {
    const tried: number[] = [];
    const started = await onFreshPorts(async () => {
      tried.push(tried.length + 1);
      if (tried.length < 3)
        throw new Error('influxd exited with code 1 during start-up:\nbind: address already in use');
      return 'up';
    }, 3);
    expect(started).toBe('up');
    expect(tried).toEqual([1, 2, 3]);
  });

  it('gives up after the last attempt with the service’s own message', async () => {
    let attempts = 0;
    await expect(
      onFreshPorts(async () => {
        attempts++;
        throw new Error('Error: Address already in use');
      }, 2),
    ).rejects.toThrow('Address already in use');
    expect(attempts).toBe(2);
  });

  it('does not retry any other failure', async () => {
    let attempts = 0;
    await expect(
      onFreshPorts(async () => {
        attempts++;
        throw new Error('influxd did not become ready within 30000 ms');
      }),
    ).rejects.toThrow('did not become ready');
    expect(attempts).toBe(1);
  });
});

describe('harness services: a service that fails to start', () => {
  it('leaves neither its process nor its directory behind, and says why', async () => {
    const dirsBefore = new Set(readdirSync(tmpdir()).filter((d) => d.startsWith('hazard-mosquitto-')));
    const missing = join(tmpdir(), `hazard-no-such-file-${process.pid}`);
    await expect(startMosquitto({ auth: { passwordFile: missing, aclFile: missing } })).rejects.toThrow(
      /mosquitto exited with code \d+ during start-up/,
    );
    const left = readdirSync(tmpdir()).filter((d) => d.startsWith('hazard-mosquitto-') && !dirsBefore.has(d));
    expect(left).toEqual([]);
  });
});

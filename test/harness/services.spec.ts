import { onFreshPorts } from './services';

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

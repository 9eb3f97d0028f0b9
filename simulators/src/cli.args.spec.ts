import { DEFAULT_URL, parseCliArgs, UsageError } from './cli.args';

describe(parseCliArgs.name, () => {
  it('defaults to the local broker, 1 Hz, seed 1 and the LIA-101 excursion', () => {
    expect(parseCliArgs([])).toEqual({
      kind: 'run',
      options: {
        url: DEFAULT_URL,
        sitePath: undefined,
        rateHz: 1,
        durationS: undefined,
        excursion: { tag: 'LIA-101' },
        seed: 1,
        username: undefined,
        password: undefined,
        clientId: undefined,
        connectTimeoutMs: 10_000,
        protocol: 'json',
        scenarioPath: undefined,
        caPath: undefined,
        hostId: undefined,
        load: undefined,
      },
    });
  });

  it('reads every option, as "--name value" or "--name=value"', () => {
    const sut = parseCliArgs([
      '--url=mqtt://broker:1884',
      '--site',
      'park.yaml',
      '--rate-hz',
      '5',
      '--duration-s=30',
      '--excursion-tag',
      'GIA-201',
      '--excursion-after-s',
      '2',
      '--excursion-repeat-s',
      '0',
      '--seed',
      '-7',
      '--username',
      'u',
      '--password',
      'p',
      '--client-id',
      'sim-1',
      '--connect-timeout-s',
      '0.5',
    ]);

    expect(sut).toEqual({
      kind: 'run',
      options: {
        url: 'mqtt://broker:1884',
        sitePath: 'park.yaml',
        rateHz: 5,
        durationS: 30,
        excursion: { tag: 'GIA-201', startAfterMs: 2000, repeatEveryMs: 0 },
        seed: -7,
        username: 'u',
        password: 'p',
        clientId: 'sim-1',
        connectTimeoutMs: 500,
        protocol: 'json',
        scenarioPath: undefined,
        caPath: undefined,
        hostId: undefined,
        load: undefined,
      },
    });
  });

  it('reads the scenario, protocol, CA and host id', () => {
    expect(
      parseCliArgs(['--scenario', 's.yaml', '--ca', 'ca.pem', '--username', 'gw', '--password', 'x']),
    ).toMatchObject({ options: { scenarioPath: 's.yaml', caPath: 'ca.pem', protocol: 'json', username: 'gw' } });
    expect(parseCliArgs(['--protocol', 'sparkplug', '--host-id', 'h1'])).toMatchObject({
      options: { protocol: 'sparkplug', hostId: 'h1' },
    });
  });

  it('reads a bounded load run with its defaults', () => {
    expect(parseCliArgs(['--load', '--duration-s', '5', '--sources', '3', '--max-messages', '100'])).toMatchObject({
      options: { durationS: 5, load: { sources: 3, tagsPerSource: 100, batchPoints: 100, maxMessages: 100 } },
    });
  });

  it('turns the excursion off with --no-excursion', () => {
    expect(parseCliArgs(['--no-excursion'])).toMatchObject({ kind: 'run', options: { excursion: false } });
  });

  it('asks for help with --help or -h', () => {
    expect(parseCliArgs(['--rate-hz', '2', '--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--rate'], 'unknown option --rate'],
    [['--rate-hz', 'fast'], '--rate-hz needs a number, got "fast"'],
    [['--rate-hz', '100'], '--rate-hz must be between 0.01 and 50, got 100'],
    [['--duration-s', '0'], '--duration-s must be above 0, got 0'],
    [['--seed', '1.5'], '--seed must be an integer, got 1.5'],
    [['--excursion-after-s', '-1'], '--excursion-after-s must be 0 or more, got -1'],
    [['--url'], '--url needs a value'],
    [['--site', '--seed', '2'], '--site needs a value'],
    [
      ['--url', 'http://broker'],
      '--url must start with mqtt://, mqtts://, ws://, wss:// or tcp://, got "http://broker"',
    ],
    [['--seed', '1', '--seed', '2'], '--seed given more than once'],
    [['--password', 'p'], '--password needs --username'],
    [['--no-excursion', '--excursion-tag', 'LIA-102'], '--no-excursion conflicts with --excursion-tag'],
    [['extra'], 'unexpected argument "extra"'],
    [['--protocol', 'opcua'], '--protocol must be json or sparkplug, got "opcua"'],
    [['--sources', '3'], '--sources needs --load'],
    [['--load'], '--load needs --duration-s (a load run is bounded)'],
    [['--load', '--duration-s', '1', '--tags', '0'], '--tags must be a whole number ≥ 1, got 0'],
    [['--load', '--duration-s', '1', '--scenario', 'x.yaml'], '--load conflicts with --scenario'],
  ])('rejects %j naming the option', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(new UsageError(message));
  });
});

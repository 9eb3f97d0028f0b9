import { DEFAULT_EXCURSION_TAG, type ExcursionOptions } from './scenarios/excursion';
import { RATE_HZ_MAX, RATE_HZ_MIN } from './sim';

/** The command line could not be understood; the message names the option. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What `hazard-sim` was asked to do. */
export interface CliOptions {
  url: string;
  /** From --site; undefined means HAZARD_SITE_FILE or the bundled demo park. */
  sitePath: string | undefined;
  rateHz: number;
  durationS: number | undefined;
  excursion: ExcursionOptions | false;
  seed: number;
  username: string | undefined;
  password: string | undefined;
  clientId: string | undefined;
  connectTimeoutMs: number;
}

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: CliOptions };

export const DEFAULT_URL = 'mqtt://localhost:1883';

export const USAGE = `Usage: hazard-sim [options]

Simulates the hazard sources of a site model (tanks, gas detectors, ESD valves) and publishes
JSON v1 telemetry over MQTT: one message per hazard source per tick, QoS 1, on
hazard/v1/{enterpriseId}/{sourceId}/telemetry, with retained status on .../status.

Options:
  --url <url>               broker URL (mqtt://, mqtts://, ws://, wss://, tcp://)
                            [default: ${DEFAULT_URL}]
  --site <path>             site model YAML [default: $HAZARD_SITE_FILE, else deploy/demo-park.yaml]
  --rate-hz <n>             ticks per second, ${RATE_HZ_MIN}–${RATE_HZ_MAX} [default: 1]
  --duration-s <n>          stop after n seconds [default: run until Ctrl+C]
  --excursion-tag <tag>     tag driven through H and HH [default: ${DEFAULT_EXCURSION_TAG}]
  --excursion-after-s <n>   seconds before the excursion starts rising [default: 15]
  --excursion-repeat-s <n>  seconds between excursion starts, 0 = once [default: 120]
  --no-excursion            normal operation only
  --seed <int>              seed of all simulated noise [default: 1]
  --username <u>            MQTT username
  --password <p>            MQTT password (needs --username)
  --client-id <id>          MQTT client id [default: hazard-sim-<random>]
  --connect-timeout-s <n>   give up when the broker does not answer in time [default: 10]
  -h, --help                show this help

Exit codes: 0 done, 1 runtime error (e.g. broker unreachable), 2 usage error (bad option or site file).
`;

type ValueOption =
  | 'url'
  | 'site'
  | 'rate-hz'
  | 'duration-s'
  | 'excursion-tag'
  | 'excursion-after-s'
  | 'excursion-repeat-s'
  | 'seed'
  | 'username'
  | 'password'
  | 'client-id'
  | 'connect-timeout-s';

const VALUE_OPTIONS: ReadonlySet<string> = new Set<ValueOption>([
  'url',
  'site',
  'rate-hz',
  'duration-s',
  'excursion-tag',
  'excursion-after-s',
  'excursion-repeat-s',
  'seed',
  'username',
  'password',
  'client-id',
  'connect-timeout-s',
]);

const URL_PATTERN = /^(mqtts?|wss?|tcp):\/\/[^/]/;

function parseNumber(option: ValueOption, text: string, check: (n: number) => string | undefined): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`--${option} needs a number, got ${JSON.stringify(text)}`);
  const problem = check(value);
  if (problem) throw new UsageError(`--${option} ${problem}, got ${text}`);
  return value;
}

const positive = (n: number): string | undefined => (n > 0 ? undefined : 'must be above 0');
const nonNegative = (n: number): string | undefined => (n >= 0 ? undefined : 'must be 0 or more');

/** Parses `hazard-sim` arguments (without `node` and the script); throws UsageError naming the bad option. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const values = new Map<ValueOption, string>();
  let noExcursion = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg === '--no-excursion') {
      noExcursion = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option --${name}`);
    const option = name as ValueOption;
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === '') throw new UsageError(`--${option} needs a value`);
    if (values.has(option)) throw new UsageError(`--${option} given more than once`);
    values.set(option, value);
  }

  const url = values.get('url') ?? DEFAULT_URL;
  if (!URL_PATTERN.test(url)) {
    throw new UsageError(
      `--url must start with mqtt://, mqtts://, ws://, wss:// or tcp://, got ${JSON.stringify(url)}`,
    );
  }
  const number = (option: ValueOption, check: (n: number) => string | undefined): number | undefined => {
    const text = values.get(option);
    return text === undefined ? undefined : parseNumber(option, text, check);
  };
  const rateHz =
    number('rate-hz', (n) =>
      n >= RATE_HZ_MIN && n <= RATE_HZ_MAX ? undefined : `must be between ${RATE_HZ_MIN} and ${RATE_HZ_MAX}`,
    ) ?? 1;
  const durationS = number('duration-s', positive);
  const seed = number('seed', (n) => (Number.isSafeInteger(n) ? undefined : 'must be an integer')) ?? 1;
  const connectTimeoutS = number('connect-timeout-s', positive) ?? 10;

  const excursionFlags = (['excursion-tag', 'excursion-after-s', 'excursion-repeat-s'] as const).filter((o) =>
    values.has(o),
  );
  const firstExcursionFlag = excursionFlags[0];
  if (noExcursion && firstExcursionFlag) {
    throw new UsageError(`--no-excursion conflicts with --${firstExcursionFlag}`);
  }
  let excursion: ExcursionOptions | false = false;
  if (!noExcursion) {
    excursion = { tag: values.get('excursion-tag') ?? DEFAULT_EXCURSION_TAG };
    const afterS = number('excursion-after-s', nonNegative);
    if (afterS !== undefined) excursion.startAfterMs = afterS * 1000;
    const repeatS = number('excursion-repeat-s', nonNegative);
    if (repeatS !== undefined) excursion.repeatEveryMs = repeatS * 1000;
  }

  const username = values.get('username');
  const password = values.get('password');
  if (password !== undefined && username === undefined) throw new UsageError('--password needs --username');

  return {
    kind: 'run',
    options: {
      url,
      sitePath: values.get('site'),
      rateHz,
      durationS,
      excursion,
      seed,
      username,
      password,
      clientId: values.get('client-id'),
      connectTimeoutMs: connectTimeoutS * 1000,
    },
  };
}

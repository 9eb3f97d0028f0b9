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
  /** `json` (JSON v1, DESIGN.md §3) or `sparkplug` (one Sparkplug B edge node per mapped source). */
  protocol: 'json' | 'sparkplug';
  /** From --scenario: play this timeline instead of the plant with its excursion. */
  scenarioPath: string | undefined;
  /** From --ca: PEM CA for mqtts:// brokers. */
  caPath: string | undefined;
  /** From --host-id: the Sparkplug primary host whose STATE the edge nodes wait for. */
  hostId: string | undefined;
  /** From --load: N sources × M tags at --rate-hz, batched per gateway. */
  load: { sources: number; tagsPerSource: number; batchPoints: number; maxMessages: number | undefined } | undefined;
}

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: CliOptions };

export const DEFAULT_URL = 'mqtt://localhost:1883';

export const USAGE = `Usage: hazard-sim [options]

Simulates the hazard sources of a site model (tanks, gas detectors, ESD valves, SIS loops) and
publishes JSON v1 telemetry over MQTT: one message per hazard source per tick, QoS 1, on
hazard/v1/{enterpriseId}/{sourceId}/telemetry, with retained status on .../status; or Sparkplug B;
or plays a scenario file; or generates load. The default URL is the server's embedded broker.

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
  --ca <file>               PEM CA certificate for mqtts:// / wss:// brokers
  --protocol <p>            json (JSON v1) or sparkplug (Sparkplug B edge nodes of the sources the
                            site maps with sparkplug/sparkplugMetric) [default: json]
  --host-id <id>            Sparkplug: wait for and follow this primary host's STATE
  --scenario <file>         play a scenario timeline (simulators/scenarios/*.yaml) in real time,
                            one connection and last will per source; prints the alarms it declares
  --load                    load mode: synthetic gateways instead of the site (needs --duration-s)
  --sources <n>             load: gateways (hazard sources) [default: 10]
  --tags <n>                load: tags per gateway [default: 100]
  --batch <n>               load: points per message [default: 100]
  --max-messages <n>        load: stop after n messages
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
  | 'connect-timeout-s'
  | 'ca'
  | 'protocol'
  | 'host-id'
  | 'scenario'
  | 'sources'
  | 'tags'
  | 'batch'
  | 'max-messages';

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
  'ca',
  'protocol',
  'host-id',
  'scenario',
  'sources',
  'tags',
  'batch',
  'max-messages',
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
  let load = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg === '--load') {
      load = true;
      continue;
    }
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

  const protocol = values.get('protocol') ?? 'json';
  if (protocol !== 'json' && protocol !== 'sparkplug') {
    throw new UsageError(`--protocol must be json or sparkplug, got ${JSON.stringify(protocol)}`);
  }
  const whole = (n: number): string | undefined =>
    Number.isInteger(n) && n >= 1 ? undefined : 'must be a whole number ≥ 1';
  const loadFlags = (['sources', 'tags', 'batch', 'max-messages'] as const).filter((o) => values.has(o));
  if (!load && loadFlags[0]) throw new UsageError(`--${loadFlags[0]} needs --load`);
  if (load && durationS === undefined) throw new UsageError('--load needs --duration-s (a load run is bounded)');
  if (load && values.has('scenario')) throw new UsageError('--load conflicts with --scenario');
  if (load && protocol !== 'json') throw new UsageError('--load publishes JSON v1 only');
  if (values.has('scenario') && protocol !== 'json') throw new UsageError('--scenario plays over JSON v1 only');

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
      protocol,
      scenarioPath: values.get('scenario'),
      caPath: values.get('ca'),
      hostId: values.get('host-id'),
      load: load
        ? {
            sources: number('sources', whole) ?? 10,
            tagsPerSource: number('tags', whole) ?? 100,
            batchPoints: number('batch', whole) ?? 100,
            maxMessages: number('max-messages', whole),
          }
        : undefined,
    },
  };
}

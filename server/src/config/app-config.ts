import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The server's whole configuration, read from the environment once at start (STYLE.md: nothing else reads
 * process.env). Every key has a default that runs the demo on embedded components.
 */
/** An empty variable means unset (as `PORT=` in a shell or a compose file does), never 0. */
const blankAsUnset = (v: unknown) => (v === '' ? undefined : v);
const int = (min: number, max: number, fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().min(min).max(max).default(fallback));
const port = (fallback: number) => int(0, 65535, fallback);
const optionalPath = z.preprocess(blankAsUnset, z.string().optional());
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

export const AppConfigSchema = z.object({
  /** HTTP port of the REST API, socket.io and the built web app. 0 picks a free port (tests). */
  PORT: port(8080),
  /** Address the HTTP server binds to. */
  HOST: z.string().default('0.0.0.0'),
  /** External broker (mqtt://, mqtts://, ws://). Unset: an embedded aedes broker is started on MQTT_PORT. */
  MQTT_URL: optionalUrl(['mqtt', 'mqtts', 'ws', 'wss', 'tcp']),
  /** TCP port of the embedded broker (only when MQTT_URL is unset). 0 picks a free port (tests). */
  MQTT_PORT: port(1883),
  /** Address the embedded broker binds to. */
  MQTT_HOST: z.string().default('0.0.0.0'),
  /** Username for the external broker. */
  MQTT_USERNAME: z.string().optional(),
  /** Password for the external broker. */
  MQTT_PASSWORD: z.string().optional(),
  /**
   * Embedded broker: a Mosquitto password file (`mosquitto_passwd`); set, every client needs a username and
   * password (docs/mqtt-security.md). Unset: anonymous clients are let in (demo profile, logged loudly).
   */
  MQTT_PASSWORD_FILE: optionalPath,
  /** Embedded broker: a Mosquitto ACL file (who may publish and subscribe where). */
  MQTT_ACL_FILE: optionalPath,
  /** Embedded broker: `auto` lets anonymous clients in only without a password file; `true` / `false` force it. */
  MQTT_ALLOW_ANONYMOUS: z.preprocess(blankAsUnset, z.enum(['auto', 'true', 'false']).default('auto')),
  /** Embedded broker: PEM certificate and key for an MQTT-over-TLS listener on MQTT_TLS_PORT (give both). */
  MQTT_TLS_CERT: optionalPath,
  MQTT_TLS_KEY: optionalPath,
  /** Port of the embedded broker's TLS listener (only with MQTT_TLS_CERT and MQTT_TLS_KEY). 0 picks a free port. */
  MQTT_TLS_PORT: port(8883),
  /** Fixed client id: with clean=false the broker keeps our QoS 1 session across restarts (DESIGN.md §5). */
  MQTT_CLIENT_ID: z.string().min(1).max(64).default('hazard-server-1'),
  /** Sparkplug B primary host id: the server's retained `spBv1.0/STATE/{id}` (Sparkplug 3.0) names it. */
  SPARKPLUG_HOST_ID: z
    .string()
    .regex(/^[^/+#]{1,64}$/, 'must be 1–64 characters without / + #')
    .default('hazard-host'),
  /** InfluxDB 1.x base URL (http://host:8086). Unset: the embedded SQLite store under DATA_DIR. */
  INFLUX_URL: optionalUrl(['http', 'https']),
  /** InfluxDB database name; created on start when missing. */
  INFLUX_DB: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only')
    .default('hazard'),
  /** InfluxDB username (when auth is enabled). */
  INFLUX_USERNAME: z.string().optional(),
  /** InfluxDB password (when auth is enabled). */
  INFLUX_PASSWORD: z.string().optional(),
  /** Directory of the embedded store and other local state. */
  DATA_DIR: z.string().default('.data'),
  /** Site model YAML (DESIGN.md §4). */
  SITE_FILE: z.string().default(resolve(__dirname, '../../../deploy/demo-park.yaml')),
  /** Directory of the built web app served at `/`; empty disables serving it. */
  WEB_DIST: z.string().default(resolve(__dirname, '../../../web/dist')),
  /** Flush the write buffer at least this often (DESIGN.md §5: at least every second). */
  STORE_FLUSH_MS: int(10, 60_000, 1000),
  /** Flush as soon as this many points are buffered (one store request per batch). */
  STORE_BATCH_POINTS: int(1, 100_000, 5000),
  /** Points held in memory while the store fails; beyond it the spool takes over (without a spool: counted drops). */
  STORE_MAX_BUFFERED_POINTS: int(1000, 100_000_000, 1_000_000),
  /**
   * Most bytes the disk spool (DATA_DIR/spool) may hold that the store has not confirmed; beyond it the oldest are
   * dropped, counted and logged. 0 disables the spool: points then wait in memory only (STORE_MAX_BUFFERED_POINTS).
   */
  SPOOL_MAX_BYTES: int(0, Number.MAX_SAFE_INTEGER, 4 * 1024 ** 3),
  /** Size at which a spool segment file is closed and the next begun (whole segments are deleted once stored). */
  SPOOL_SEGMENT_BYTES: int(65_536, 1024 ** 3, 64 * 1024 ** 2),
  /** The spool is fsync'd this often: the most a power loss can cost (a process crash costs nothing). */
  SPOOL_FSYNC_MS: int(10, 10_000, 200),
  /** Days of raw samples kept (InfluxDB retention policy `raw`, SQLite pruning). DESIGN.md §5: at least 30. */
  RETENTION_RAW_DAYS: int(1, 36_500, 30),
  /** Days of the 1-minute rollup kept. */
  RETENTION_1M_DAYS: int(1, 36_500, 365),
  /** Days of the 1-hour rollup kept; 0 keeps it forever. */
  RETENTION_1H_DAYS: int(0, 36_500, 0),
  /** Most buckets one history request returns; a wider range widens the step (docs/storage.md). */
  HISTORY_MAX_POINTS: int(10, 100_000, 2000),
  /** Largest accepted MQTT payload in bytes; larger ones are dead-lettered as `oversize`. */
  MAX_PAYLOAD_BYTES: int(256, 256 * 1_048_576, 1_048_576),
  /** Interval of throttled `telemetry` pushes over socket.io. */
  REALTIME_TELEMETRY_MS: int(50, 10_000, 500),
  /**
   * Alarm events to many screens: with at least REALTIME_ALARM_WINDOW_MIN_CLIENTS connected, the first event after a
   * quiet spell goes at once and the rest of a burst together at the end of this window, each screen's frames in one
   * socket write (0: every event on its own, at once). Each event stays its own `alarm` with its `seq` (DESIGN.md §3);
   * only the writes are fewer.
   */
  REALTIME_ALARM_WINDOW_MS: int(0, 5000, 50),
  /**
   * Screens from which on alarm bursts are windowed. An event costs one socket write per screen: with the few screens
   * of one control room sending at once costs nothing, and holding back would only add latency.
   */
  REALTIME_ALARM_WINDOW_MIN_CLIENTS: int(1, 1_000_000, 20),
  /** Data health: a tag whose last value is older than this many seconds is stale, unless its `maxAgeS` says otherwise. */
  DATA_STALE_S: int(1, 86_400, 60),
  /** Data health: interval of the 在线率 sample tick (one minute; shorter only in tests). */
  HEALTH_TICK_MS: int(50, 3_600_000, 60_000),
  /** Data health: hours east of UTC where daily 在线率 periods start at local midnight (China Standard Time: 8). */
  HEALTH_UTC_OFFSET_H: int(-12, 14, 8),
  /** Data health: days of stored hourly 在线率 rows kept in DATA_DIR/health.sqlite (daily rows are kept). */
  HEALTH_RETENTION_DAYS: int(1, 3650, 90),
  /** A priority-1 alarm unacknowledged this long notifies the 包保 people of its source (`notify` event). */
  ALARM_NOTIFY_P1_MIN: int(1, 1440, 5),
  /** Longest an operator may shelve an alarm, minutes (ISA-18.2: shelving is always time-limited). */
  ALARM_SHELVE_MAX_MIN: int(1, 10_080, 480),
  /**
   * At start, alarm states are rebuilt from the latest journal event of each alarm point within this many days
   * (docs/alarm-lifecycle.md "Rebuild"); a point whose last transition is older starts normal.
   */
  ALARM_RESTORE_DAYS: int(1, 36_500, 30),
  /** Most rows one `GET /api/alarms/journal` answer returns (also its default `limit`). */
  JOURNAL_MAX_ROWS: int(1, 1_000_000, 10_000),
  /**
   * Most journal events one `GET /api/stats/alarms` answer reads (each is held in memory, about 1 kB); beyond, it
   * says `truncated`. A month of four positions at EEMUA 191's acceptable rate is well below the default.
   */
  STATS_MAX_EVENTS: int(1000, 10_000_000, 100_000),
  /** Risk: an SIS bypass older than this many minutes is standing and forces at least orange (docs/risk-model.md). */
  RISK_SIS_BYPASS_LONG_MIN: int(1, 10_080, 480),
  /**
   * Risk: shortest time between two recomputes set off by alarm transitions, ms. The first transition of a burst is
   * assessed at once; the rest of an alarm flood is folded into one push per window, not one per alarm (a flood of
   * 100 alarms/s on a source of 100 alarms would otherwise push its whole reason list 100 times a second).
   */
  RISK_PUSH_MIN_MS: int(0, 5_000, 250),
  /** Risk: days of stored risk changes kept in DATA_DIR/risk.sqlite (SAWS Order 40 Art. 13 asks records ≥ 30 days). */
  RISK_RETENTION_DAYS: int(30, 36_500, 365),
  /** Users file (JSON: username, role, bcrypt hash; `pnpm user:add` writes it). Unset: DATA_DIR/users.json. */
  USERS_FILE: z.preprocess(blankAsUnset, z.string().optional()),
  /**
   * HS256 key of login and kiosk tokens, at least 32 characters; every instance of a cluster needs the same one.
   * Unset: a random key is generated once into DATA_DIR/jwt-secret, so tokens survive a restart.
   */
  JWT_SECRET: z.preprocess(blankAsUnset, z.string().min(32, 'must be at least 32 characters').optional()),
  /** Lifetime of a login token, hours (12: one duty shift). Kiosk tokens get theirs from the CLI (`--ttl-h`). */
  JWT_TTL_H: int(1, 24 * 31, 12),
  /** Failed logins per username and address within LOGIN_WINDOW_S before further attempts get 429. */
  LOGIN_MAX_FAILURES: int(1, 1000, 5),
  /** Window of the login failure count, seconds. */
  LOGIN_WINDOW_S: int(1, 86_400, 60),
  /** Log level: error, warn, log, debug. */
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
});

export type AppConfig = z.infer<typeof AppConfigSchema>;

/** Thrown at start when the environment is invalid; names every bad key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Keys whose values never appear in an error message. */
const SECRET_KEYS = new Set(['JWT_SECRET', 'MQTT_PASSWORD', 'INFLUX_PASSWORD']);

/** Parses the environment; fails fast with a message naming each bad key and why. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = AppConfigSchema.safeParse(env);
  if (result.success) {
    // A TLS listener needs a certificate and its key; one without the other is a typo, not a choice.
    const c = result.data;
    if ((c.MQTT_TLS_CERT === undefined) !== (c.MQTT_TLS_KEY === undefined)) {
      const missing = c.MQTT_TLS_CERT === undefined ? 'MQTT_TLS_CERT' : 'MQTT_TLS_KEY';
      throw new ConfigError(
        `invalid configuration:\n  ${missing}="": MQTT_TLS_CERT and MQTT_TLS_KEY go together; give both`,
      );
    }
    return c;
  }
  const lines = result.error.issues.map((i) => {
    const key = String(i.path[0] ?? '(env)');
    const value = env[key] ?? '';
    // A secret that is wrong is still a secret: the start-up error goes to logs.
    const shown = SECRET_KEYS.has(key) ? `(${value.length} characters, hidden)` : JSON.stringify(value);
    return `  ${key}=${shown}: ${i.message}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/** Nest injection token of the AppConfig value. */
export const APP_CONFIG = Symbol('APP_CONFIG');

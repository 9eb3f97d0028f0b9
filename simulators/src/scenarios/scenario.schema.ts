import { ALARM_CONDITIONS, ALARM_TRANSITION_KINDS } from '@hazard/server/contracts';
import { z } from 'zod';

/**
 * A scenario file (`simulators/scenarios/*.yaml`, docs/simulators.md): a timeline of actions on the plant of a site
 * model, and the alarms the server must raise for it, in order. Times are seconds from the start, as a number or
 * with a unit (`90s`, `5m`, `4h`, `1h30m`).
 */

const DURATION_PATTERN = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/** Seconds, from a number or a `1h30m20s`-style string. */
export const SecondsSchema = z.union([
  z.number().finite().nonnegative(),
  z
    .string()
    .regex(DURATION_PATTERN, 'a duration like 90, "90s", "5m", "4h" or "1h30m"')
    .refine((s) => s.length > 0, 'an empty duration')
    .transform((s) => {
      const m = DURATION_PATTERN.exec(s)!;
      return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    }),
]);

const Tag = z.string().min(1).max(64);
const Id = z.string().min(1).max(64);
const Position = z.tuple([z.number().finite(), z.number().finite()]);

const WindSchema = z
  .object({
    /** Wind speed, m/s. */
    speedMPerS: z.number().positive().max(40),
    /** Direction the wind blows from, degrees clockwise from north. */
    fromDeg: z.number().min(0).max(360),
  })
  .strict();

const at = { at: SecondsSchema };

/** Every action a timeline entry can take (`do`). */
export const ScenarioActionSchema = z.discriminatedUnion('do', [
  /** Liquid into / out of a tank (m³/h); an inflow `via` an ESD valve stops when that valve closes. */
  z
    .object({
      ...at,
      do: z.literal('flow'),
      tank: Id,
      inFlowM3PerH: z.number().nonnegative().default(0),
      outFlowM3PerH: z.number().nonnegative().default(0),
      via: Id.optional(),
    })
    .strict(),
  /** Puts a tank's level (in its tag's unit) where the story starts. */
  z.object({ ...at, do: z.literal('set-level'), tank: Id, level: z.number().finite() }).strict(),
  /** A leak at a point of the park (m, site frame) with a release rate and wind; `rateKgPerS` 0 stops it. */
  z
    .object({
      ...at,
      do: z.literal('leak'),
      id: Id.default('leak'),
      position: Position,
      rateKgPerS: z.number().nonnegative().max(1000),
      /** Reach `rateKgPerS` linearly over this long (a growing crack), default at once. */
      rampS: SecondsSchema.default(0),
      wind: WindSchema,
    })
    .strict(),
  z.object({ ...at, do: z.literal('bypass'), sis: Id }).strict(),
  z.object({ ...at, do: z.literal('unbypass'), sis: Id }).strict(),
  /** Operator reset of a tripped loop; refused (and reported by the run) while a trip condition stands. */
  z.object({ ...at, do: z.literal('reset'), sis: Id }).strict(),
  /** The valve seizes where it stands. */
  z.object({ ...at, do: z.literal('stick'), valve: Id }).strict(),
  /** Operator opens a valve (after a trip, valves wait for a manual reopen). */
  z.object({ ...at, do: z.literal('open'), valve: Id }).strict(),
  /** The transmitter freezes at its last value (a stuck sensor or a frozen gateway register). */
  z.object({ ...at, do: z.literal('freeze'), tag: Tag }).strict(),
  /** The transmitter drifts from its true value by `perMin` (its unit per minute). */
  z.object({ ...at, do: z.literal('drift'), tag: Tag, perMin: z.number().finite() }).strict(),
  /** Linear ramp from the current reading to `to` over `overS`, then held there. */
  z.object({ ...at, do: z.literal('ramp'), tag: Tag, to: z.number().finite(), overS: SecondsSchema }).strict(),
  /** A switch-like signal flipping between `low` and `high` every `periodS` / 2 (a chattering contact). */
  z
    .object({
      ...at,
      do: z.literal('chatter'),
      tag: Tag,
      low: z.number().finite(),
      high: z.number().finite(),
      periodS: SecondsSchema,
    })
    .strict(),
  /** Gives a tag back to its device model (ends freeze, drift, ramp, chatter). */
  z.object({ ...at, do: z.literal('release'), tag: Tag }).strict(),
  /** The source's gateway loses its network (the broker publishes its last will) / gets it back. */
  z.object({ ...at, do: z.literal('gateway-down'), source: Id }).strict(),
  z.object({ ...at, do: z.literal('gateway-up'), source: Id }).strict(),
]);
export type ScenarioAction = z.infer<typeof ScenarioActionSchema>;

/** One alarm transition the server must journal, in the order it must come. */
export const ExpectedAlarmSchema = z
  .object({
    /** Alarm point key `{tag}:{group}` (docs/rules.md), e.g. `LIA-101:hi`, `SIS-101:SIS_TRIPPED`. */
    key: z.string().regex(/^[^:\s]+:[A-Za-z_]+$/, 'an alarm key like LIA-101:hi or SIS-101:SIS_TRIPPED'),
    transition: z.enum(ALARM_TRANSITION_KINDS),
    /** The condition after the transition (H, HH, STALE, …); checked when given. */
    condition: z.enum(ALARM_CONDITIONS).optional(),
    /** The chattering flag after the transition (EEMUA 191: ≥ 3 activations in 60 s); checked when given. */
    chattering: z.boolean().optional(),
  })
  .strict();
export type ExpectedAlarm = z.infer<typeof ExpectedAlarmSchema>;

export const ScenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case'),
    description: z.string().min(1),
    /** Hazard sources that publish (their gateways); default every source of the site. */
    sources: z.array(Id).min(1).optional(),
    durationS: SecondsSchema.refine((s) => s > 0 && s <= 7 * 86_400, 'between 1 s and 7 days'),
    /** Simulation step; the gateways publish on their own cycle. */
    tickS: SecondsSchema.refine((s) => s >= 0.1 && s <= 60, 'between 0.1 and 60 s').default(1),
    seed: z.number().int().default(1),
    gateway: z
      .object({
        publishIntervalS: SecondsSchema.refine((s) => s >= 0.1, 'at least 0.1 s').default(1),
        maxPointsPerMessage: z.number().int().min(1).max(10_000).default(100),
      })
      .strict()
      .default({ publishIntervalS: 1, maxPointsPerMessage: 100 }),
    /** Ambient temperature the tanks follow, °C. */
    ambientC: z.number().min(-40).max(50).default(25),
    timeline: z.array(ScenarioActionSchema).default([]),
    /** Every alarm transition the server raises for this scenario, in order; nothing else may come. */
    expect: z.array(ExpectedAlarmSchema),
  })
  .strict()
  .superRefine((s, ctx) => {
    s.timeline.forEach((a, i) => {
      if (a.at > s.durationS) {
        ctx.addIssue({ code: 'custom', path: ['timeline', i, 'at'], message: `after the end (${s.durationS} s)` });
      }
    });
  });
export type Scenario = z.infer<typeof ScenarioSchema>;

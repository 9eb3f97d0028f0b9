import { z } from 'zod';
import { ALARM_CONDITIONS } from './alarm';

/**
 * Site model (DESIGN.md §4): park → enterprises → hazard sources (重大危险源: 储存单元 / 生产单元) → equipment →
 * tags (位号). One YAML file; this schema is its contract (documented in docs/site-model.md). Cross-field checks
 * (duplicates, limit order, references between equipment, chemicals known to GB 18218) live in
 * site/site.validate.ts, which reports every problem at once with its path.
 */

/** Ids appear in MQTT topics, so they are topic-safe: letters, digits, `_` and `-`. */
const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"');

/** 位号: letters, digits, `-`, `_`, `.`; e.g. LIA-101, GIA-201. */
const TagNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, "-", "_" or "."');

/** Sparkplug group and edge node ids are MQTT topic levels: no `/`, `+` or `#`. */
const SparkplugIdSchema = z.string().regex(/^[^/+#]{1,64}$/, 'must be 1–64 characters without / + #');

/** A point in the park's local metric frame: metres east and north of the park origin. */
const PointSchema = z.tuple([z.number().finite(), z.number().finite()]);

/** A closed polygon (the first point is not repeated), at least three points. */
export const PolygonSchema = z.array(PointSchema).min(3, 'a polygon needs at least 3 points');
export type Polygon = z.infer<typeof PolygonSchema>;

export const TagKindSchema = z.enum(['level', 'temperature', 'pressure', 'flow', 'gas', 'valve_position', 'sis_state']);
export type TagKind = z.infer<typeof TagKindSchema>;

const PrioritySchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

const DelaySecondsSchema = z.number().finite().nonnegative().max(3600);
const DelaySchema = z.union([
  DelaySecondsSchema,
  z
    .object({
      hh: DelaySecondsSchema.optional(),
      h: DelaySecondsSchema.optional(),
      l: DelaySecondsSchema.optional(),
      ll: DelaySecondsSchema.optional(),
    })
    .strict(),
]);

/** Absolute limits of an analog tag, in the tag's unit; any subset may be given. */
export const LimitsSchema = z
  .object({
    hh: z.number().finite().optional(),
    h: z.number().finite().optional(),
    l: z.number().finite().optional(),
    ll: z.number().finite().optional(),
    /** Hysteresis in the tag's unit: an alarm returns only once the value is this far back inside the limit. */
    deadband: z.number().finite().nonnegative().optional(),
    /**
     * On-delay, s: an excursion must last this long before it raises (ISA-18.2 alarm on-delay; filters spikes).
     * One number for every limit, or per limit.
     */
    onDelayS: DelaySchema.optional(),
    /** Off-delay, s: the value must stay back inside this long before the alarm returns. */
    offDelayS: DelaySchema.optional(),
    /** Per-limit priority overrides (1 urgent … 4 low). */
    priorities: z
      .object({
        hh: PrioritySchema.optional(),
        h: PrioritySchema.optional(),
        l: PrioritySchema.optional(),
        ll: PrioritySchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Limits = z.infer<typeof LimitsSchema>;

/** Where a tag's limits come from: the site file, or the GB/T 50493-2019 gas detector defaults. */
export const LimitsSourceSchema = z.enum(['site', 'GB/T 50493-2019 default']);
export type LimitsSource = z.infer<typeof LimitsSourceSchema>;

/**
 * Rate-of-change alarm of an analog tag (ROC_RISE / ROC_FALL, docs/rules.md): the change over the last `windowS`,
 * in the tag's unit per minute, e.g. a level rising faster than the largest receipt can fill it. Give `risePerMin`,
 * `fallPerMin` or both.
 */
export const RateOfChangeSchema = z
  .object({
    /** ROC_RISE when the value rises at least this fast, tag unit per minute. */
    risePerMin: z.number().finite().positive().optional(),
    /** ROC_FALL when the value falls at least this fast, tag unit per minute (a positive number). */
    fallPerMin: z.number().finite().positive().optional(),
    /** Window the rate is measured over, s (default 60): longer windows filter noise, shorter ones react sooner. */
    windowS: z.number().finite().min(10).max(3600).optional(),
    /** Hysteresis, tag unit per minute: the alarm returns once the rate is this far back below its limit. */
    deadbandPerMin: z.number().finite().nonnegative().optional(),
  })
  .strict();
export type RateOfChange = z.infer<typeof RateOfChangeSchema>;

/**
 * Flat-line detection of an analog tag (FLATLINE, docs/rules.md): a live sensor always moves a little, so a value
 * that stays within `tolerance` for `afterMin` minutes while still being reported points to a stuck transmitter
 * or a frozen gateway register. Opt-in per tag: some tags are legitimately constant (an empty tank at 0).
 */
export const FlatlineSchema = z
  .object({
    /** FLATLINE after the value has stayed within the tolerance this many minutes. */
    afterMin: z.number().finite().positive().max(1440),
    /** Largest change, in the tag's unit, still counted as "unchanged" (default 0: bit-identical values). */
    tolerance: z.number().finite().nonnegative().optional(),
  })
  .strict();
export type Flatline = z.infer<typeof FlatlineSchema>;

/** Per-tag alarm options: priority overrides and latching, by condition (contracts/alarm.ts ALARM_CONDITIONS). */
export const TagAlarmsSchema = z
  .object({
    /** Priority per condition, overriding the rule's default (ISA-18.2: priority is set per alarm). */
    priorities: z.partialRecord(z.enum(ALARM_CONDITIONS), PrioritySchema).optional(),
    /** Conditions whose alarms latch: after they return they stay until an operator resets them. */
    latching: z.array(z.enum(ALARM_CONDITIONS)).optional(),
  })
  .strict();
export type TagAlarms = z.infer<typeof TagAlarmsSchema>;

export const TagSchema = z
  .object({
    /** 位号, unique across the site. */
    tag: TagNameSchema,
    /** Display name, e.g. 1#甲醇储罐液位. */
    name: z.string().min(1),
    kind: TagKindSchema,
    /** Engineering unit, e.g. `%`, `m`, `°C`, `kPa`, `MPa`, `%LEL`, `mg/m³`; empty for discrete tags. */
    unit: z.string().default(''),
    /** Instrument range [min, max] in the unit. */
    range: z.tuple([z.number().finite(), z.number().finite()]).optional(),
    limits: LimitsSchema.optional(),
    /** Set by the loader, not by the file: whether the limits are the file's or defaults (shown as such). */
    limitsSource: LimitsSourceSchema.optional(),
    /** Rate-of-change alarms (ROC_RISE / ROC_FALL); analog tags only. */
    rateOfChange: RateOfChangeSchema.optional(),
    /** Flat-line (stuck sensor) alarm; analog tags only, off unless given. */
    flatline: FlatlineSchema.optional(),
    /** Alarm options of this tag beyond its limits (docs/alarm-lifecycle.md, docs/rules.md). */
    alarms: TagAlarmsSchema.optional(),
    /** Sparkplug B metric name of this tag, when its device speaks Sparkplug (DESIGN.md §3). */
    sparkplugMetric: z.string().min(1).max(200).optional(),
    /**
     * Data older than this many seconds makes the tag stale (data health); unset takes DATA_STALE_S. Set it
     * above the tag's reporting interval (e.g. report-by-exception tags with a slow heartbeat).
     */
    maxAgeS: z.number().finite().positive().max(86_400).optional(),
  })
  .strict();
export type TagDef = z.infer<typeof TagSchema>;

const equipmentBase = {
  /** Equipment number, e.g. T-101, GD-201, XV-101, SIS-301; unique within its hazard source. */
  id: IdSchema,
  name: z.string().min(1),
  tags: z.array(TagSchema).default([]),
  /** Position in the park's local frame (m), for the map. */
  position: PointSchema.optional(),
  /** Sparkplug B device id, when this equipment is a device of its source's edge node (DBIRTH/DDATA/DDEATH). */
  sparkplugDeviceId: z
    .string()
    .regex(/^[^/+#]{1,64}$/, 'must be 1–64 characters without / + #')
    .optional(),
};

export const TankSchema = z
  .object({
    ...equipmentBase,
    type: z.literal('tank'),
    /** 常压 atmospheric / 压力 pressurised / 低温 refrigerated (AQ 3036). */
    tankType: z.enum(['atmospheric', 'pressurised', 'refrigerated']),
    /** Nominal capacity, m³. */
    capacityM3: z.number().positive(),
    /** Stored chemical: a GB 18218 Table 1 id, CAS number or alias (e.g. methanol, 67-56-1, 甲醇). */
    medium: z.string().min(1),
  })
  .strict();

export const GasDetectorSchema = z
  .object({
    ...equipmentBase,
    type: z.literal('gas_detector'),
    /** Combustible (%LEL) or toxic (mg/m³) detection (GB/T 50493-2019). */
    detection: z.enum(['combustible', 'toxic']),
    /** Detected gas: chemical id, CAS or alias (e.g. ammonia, chlorine, H2S); required for toxic detectors. */
    gas: z.string().min(1).optional(),
  })
  .strict();

export const EsdValveSchema = z
  .object({
    ...equipmentBase,
    type: z.literal('esd_valve'),
    /** Full-stroke travel time, s: a valve that has not reached its demanded position by then is faulty. */
    travelTimeS: z.number().positive().default(30),
  })
  .strict();

export const SisLoopSchema = z
  .object({
    ...equipmentBase,
    type: z.literal('sis_loop'),
    /** Safety integrity level of the loop (GB/T 21109 / IEC 61511). */
    sil: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    /** Tags whose trip condition the loop acts on (e.g. LIA-101 HH); must exist in the same hazard source. */
    tripTags: z.array(TagNameSchema).min(1),
    /** ESD valves (equipment ids in the same hazard source) the loop closes when it trips. */
    closes: z.array(IdSchema).min(1),
    /**
     * Tags whose alarms are consequences of a trip (e.g. low flow, low pressure downstream): suppressed by design
     * while the trip alarm stands, so the trip shows as the first-out (ISA-18.2 designed suppression).
     */
    suppresses: z.array(TagNameSchema).default([]),
    /**
     * Minutes a bypass may stand before SIS_BYPASS_LONG escalates it (default 480, one 8-hour shift; our default,
     * not a legal figure: SAWS Order 40 Art. 13 requires the SIS in service, the site's bypass procedure sets the
     * time).
     */
    bypassMaxMin: z.number().finite().positive().max(10_080).optional(),
  })
  .strict();

export const EquipmentSchema = z.discriminatedUnion('type', [
  TankSchema,
  GasDetectorSchema,
  EsdValveSchema,
  SisLoopSchema,
]);
export type Equipment = z.infer<typeof EquipmentSchema>;
export type EquipmentType = Equipment['type'];
export type Tank = z.infer<typeof TankSchema>;
export type GasDetector = z.infer<typeof GasDetectorSchema>;
export type EsdValve = z.infer<typeof EsdValveSchema>;
export type SisLoop = z.infer<typeof SisLoopSchema>;

const compositeBase = {
  /**
   * Id of the composite alarm; it is the alarm's tag (`{id}:VOTE`), so it is unique among the park's tags and
   * composites, e.g. VOTE-201.
   */
  id: TagNameSchema,
  /** Display name, e.g. 液氨罐区气体泄漏 2oo3 确认. */
  name: z.string().min(1),
  /** Priority override and latching of the composite's condition, as for a tag. */
  alarms: TagAlarmsSchema.optional(),
};

/**
 * k-out-of-n voting over gas detectors (VOTE): raised while at least `k` of the `members` stand at or above their
 * `level` (GB/T 50493-2019 first alarm `h` / second alarm `hh`), as their own limit alarms report it (delays and
 * deadband included). One detector may be a fault or a local puff; two of three confirm a leak.
 */
export const VoteCompositeSchema = z
  .object({
    ...compositeBase,
    type: z.literal('vote'),
    /** Tags voting, of this hazard source; each has the limit `level` (gas detector tags may take the defaults). */
    members: z.array(TagNameSchema).min(2),
    /** How many members must stand in alarm (the k of k-out-of-n). */
    k: z.number().int().min(1),
    /** The members' level that counts: `h` (first alarm) or `hh` (second alarm, default). */
    level: z.enum(['h', 'hh']).default('hh'),
  })
  .strict();

/**
 * A gas second alarm (HH) on any of `detectors` while any of `valves` is not closed (GAS_VALVE_OPEN): the leak is
 * confirmed but the source is not isolated (SAWS Order 40 Art. 13: emergency shut-off in service).
 */
export const GasValveOpenCompositeSchema = z
  .object({
    ...compositeBase,
    type: z.literal('gas_valve_open'),
    /** Gas tags of this hazard source; default every `gas` tag of its detectors. */
    detectors: z.array(TagNameSchema).min(1).optional(),
    /** ESD valves (equipment ids of this hazard source); default every esd_valve of the source. */
    valves: z.array(IdSchema).min(1).optional(),
    /**
     * Seconds the valves get to close after the gas alarm before this raises; default the longest `travelTimeS`
     * of the valves (an interlock that closes them in time raises nothing). 0 raises at once.
     */
    onDelayS: z.number().finite().nonnegative().max(3600).optional(),
  })
  .strict();

export const CompositeSchema = z.discriminatedUnion('type', [VoteCompositeSchema, GasValveOpenCompositeSchema]);
export type Composite = z.infer<typeof CompositeSchema>;
export type VoteComposite = z.infer<typeof VoteCompositeSchema>;
export type GasValveOpenComposite = z.infer<typeof GasValveOpenCompositeSchema>;

/** A chemical held in a hazard source, with its actual quantity (GB 18218-2018 q, tonnes). */
export const ChemicalQuantitySchema = z
  .object({
    /** GB 18218-2018 Table 1 id, CAS number or alias (e.g. ammonia, 7664-41-7, 液氨). */
    chemical: z.string().min(1).optional(),
    /** Display name, for chemicals not in Table 1. */
    name: z.string().min(1).optional(),
    /** GB 18218-2018 Table 2 hazard classes (e.g. W5.3, J3), for chemicals not in Table 1. */
    hazardClasses: z.array(z.string().min(1)).min(1).optional(),
    /** Maximum quantity that can be present, tonnes (GB 18218 §3.4). */
    quantityT: z.number().nonnegative(),
  })
  .strict()
  .refine((c) => c.chemical !== undefined || (c.name !== undefined && c.hazardClasses !== undefined), {
    message: 'give either "chemical" (GB 18218 Table 1) or "name" with "hazardClasses" (Table 2)',
  });
export type ChemicalQuantity = z.infer<typeof ChemicalQuantitySchema>;

/** A person named in the 包保 responsibility system (MEM 2021-02-04). */
export const PersonSchema = z
  .object({
    name: z.string().min(1),
    /** 职务, e.g. 总经理, 安全总监, 罐区主任. */
    title: z.string().min(1).optional(),
    /** Phone number (shown to operators; never a secret). */
    phone: z
      .string()
      .regex(/^[0-9+\-() ]{5,20}$/, 'must be a phone number')
      .optional(),
  })
  .strict();
export type Person = z.infer<typeof PersonSchema>;

/** 包保责任人: the three people responsible for one MHS. */
export const ResponsibleSchema = z
  .object({ principal: PersonSchema, technical: PersonSchema, operations: PersonSchema })
  .strict();
export type Responsible = z.infer<typeof ResponsibleSchema>;

export const HazardSourceSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1),
    /** 储存单元 (storage) or 生产单元 (production). */
    kind: z.enum(['storage', 'production']),
    /** People within 500 m of the unit's boundary (GB 18218-2018 Table 5, α). */
    peopleWithin500m: z.number().int().nonnegative(),
    chemicals: z.array(ChemicalQuantitySchema).min(1),
    /** 包保责任人. */
    responsible: ResponsibleSchema,
    /** Outline in the park's local frame (m), for the risk map. */
    polygon: PolygonSchema.optional(),
    /**
     * The Sparkplug B edge node that speaks for this source (DESIGN.md §3): its metrics map to the tags with a
     * `sparkplugMetric`; an equipment with `sparkplugDeviceId` is a device of this node.
     */
    sparkplug: z.object({ groupId: SparkplugIdSchema, edgeNodeId: SparkplugIdSchema }).strict().optional(),
    equipment: z.array(EquipmentSchema).min(1),
    /** Alarms over several tags of this source: voting, gas alarm with a valve not closed (docs/rules.md). */
    composites: z.array(CompositeSchema).optional(),
  })
  .strict();
export type HazardSource = z.infer<typeof HazardSourceSchema>;

export const EnterpriseSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1),
    /** 统一社会信用代码 (18 characters). */
    code: z
      .string()
      .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, 'must be an 18-character 统一社会信用代码'),
    address: z.string().min(1),
    /** Outline in the park's local frame (m). */
    polygon: PolygonSchema.optional(),
    sources: z.array(HazardSourceSchema).min(1),
  })
  .strict();
export type Enterprise = z.infer<typeof EnterpriseSchema>;

export const SiteModelSchema = z
  .object({
    /** Version of this file format; bumped on breaking changes. */
    schemaVersion: z.literal(1),
    park: z
      .object({
        id: IdSchema,
        name: z.string().min(1),
        /** Outline of the park in its local frame (m); the map is drawn in this frame. */
        polygon: PolygonSchema.optional(),
      })
      .strict(),
    enterprises: z.array(EnterpriseSchema).min(1),
  })
  .strict();
export type SiteModel = z.infer<typeof SiteModelSchema>;

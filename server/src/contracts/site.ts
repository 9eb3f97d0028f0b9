import { z } from 'zod';

/**
 * Site model (DESIGN.md §4): park → enterprises → hazard sources → equipment → tags (位号).
 * One YAML file; this schema is its contract. Cross-field checks (duplicate tags, limit order, limits inside the
 * range) live in site/site.validate.ts so that every problem is reported at once with its path.
 */

/** Ids appear in MQTT topics, so they are topic-safe: letters, digits, `_` and `-`. */
const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"');

/** 位号: letters, digits, `-`, `_`, `.`; e.g. LIA-101, GIA-201. */
const TagNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, "-", "_" or "."');

export const TagKindSchema = z.enum(['level', 'temperature', 'pressure', 'flow', 'gas', 'valve_position', 'sis_state']);
export type TagKind = z.infer<typeof TagKindSchema>;

const PrioritySchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

/** Absolute limits of an analog tag, in the tag's unit; any subset may be given. */
export const LimitsSchema = z
  .object({
    hh: z.number().finite().optional(),
    h: z.number().finite().optional(),
    l: z.number().finite().optional(),
    ll: z.number().finite().optional(),
    /** Hysteresis in the tag's unit: an alarm returns only once the value is this far back inside the limit. */
    deadband: z.number().finite().nonnegative().optional(),
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

export const TagSchema = z
  .object({
    /** 位号, unique across the site. */
    tag: TagNameSchema,
    /** Display name, e.g. 1#甲醇储罐液位. */
    name: z.string().min(1),
    kind: TagKindSchema,
    /** Engineering unit, e.g. `%`, `m`, `°C`, `kPa`, `%LEL`, `mg/m3`; empty for discrete tags. */
    unit: z.string().default(''),
    /** Instrument range [min, max] in the unit. */
    range: z.tuple([z.number().finite(), z.number().finite()]).optional(),
    limits: LimitsSchema.optional(),
  })
  .strict();
export type TagDef = z.infer<typeof TagSchema>;

export const EquipmentTypeSchema = z.enum(['tank', 'gas_detector', 'esd_valve', 'sis_loop']);
export type EquipmentType = z.infer<typeof EquipmentTypeSchema>;

export const EquipmentSchema = z
  .object({
    /** Equipment number, e.g. T-101, GD-201, XV-101. */
    id: IdSchema,
    name: z.string().min(1),
    type: EquipmentTypeSchema,
    /** Stored medium (tanks) or detected gas (detectors), e.g. 甲醇 / methanol. */
    medium: z.string().optional(),
    /** Nominal capacity in m³ (tanks). */
    capacityM3: z.number().positive().optional(),
    /** Gas detectors: combustible (%LEL) or toxic (mg/m³ or ppm). */
    detection: z.enum(['combustible', 'toxic']).optional(),
    tags: z.array(TagSchema).default([]),
  })
  .strict();
export type Equipment = z.infer<typeof EquipmentSchema>;

export const HazardSourceSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1),
    /** 储存单元 (storage) or 生产单元 (production). */
    kind: z.enum(['storage', 'production']),
    equipment: z.array(EquipmentSchema).min(1),
  })
  .strict();
export type HazardSource = z.infer<typeof HazardSourceSchema>;

export const EnterpriseSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1),
    sources: z.array(HazardSourceSchema).min(1),
  })
  .strict();
export type Enterprise = z.infer<typeof EnterpriseSchema>;

export const SiteModelSchema = z
  .object({
    /** Version of this file format; bumped on breaking changes. */
    schemaVersion: z.literal(1),
    park: z.object({ id: IdSchema, name: z.string().min(1) }).strict(),
    enterprises: z.array(EnterpriseSchema).min(1),
  })
  .strict();
export type SiteModel = z.infer<typeof SiteModelSchema>;

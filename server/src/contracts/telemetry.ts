import { z } from 'zod';

/** Data quality of one point (DESIGN.md §3); absent means `good`. */
export const QualitySchema = z.enum(['good', 'bad', 'uncertain']);
export type Quality = z.infer<typeof QualitySchema>;

/** Discrete states an ESD valve reports. */
export const ValveStateSchema = z.enum(['open', 'closed', 'travel', 'fault']);
export type ValveState = z.infer<typeof ValveStateSchema>;

/** Discrete states an SIS loop reports. */
export const SisStateSchema = z.enum(['normal', 'bypassed', 'tripped', 'fault']);
export type SisState = z.infer<typeof SisStateSchema>;

/** A point's value: a finite number, a boolean, or a discrete state string. */
export type PointValue = number | boolean | string;

/** Most points one JSON v1 message may carry. */
export const MAX_POINTS_PER_MESSAGE = 10_000;

/** Longest accepted discrete state string; longer strings are garbage, not states. */
export const MAX_STATE_LENGTH = 32;

/** One point inside a JSON v1 telemetry message. */
export const TelemetryPointSchema = z.object({
  /** 位号 as configured in the site model. */
  tag: z.string().min(1).max(64),
  /** Finite number, boolean, or discrete state (valve / SIS). NaN and Infinity are rejected. */
  v: z.union([z.number().finite(), z.boolean(), z.string().min(1).max(MAX_STATE_LENGTH)]),
  /** Quality; defaults to good. */
  q: QualitySchema.optional(),
  /** Per-point timestamp, epoch ms; overrides the message `ts`. */
  ts: z.number().int().positive().optional(),
});
export type TelemetryPoint = z.infer<typeof TelemetryPointSchema>;

/**
 * Envelope of a JSON v1 telemetry message on `hazard/v1/{enterpriseId}/{sourceId}/telemetry`.
 * Points are validated one by one (see json-v1.decoder.ts) so that one bad point never costs the good ones.
 */
export const TelemetryEnvelopeSchema = z.object({
  /** Epoch ms of the sample. */
  ts: z.number().int().positive(),
  /** Per-publisher sequence number, for gap detection. */
  seq: z.number().int().nonnegative().optional(),
  /** The points; validated individually. */
  points: z.array(z.unknown()).min(1).max(MAX_POINTS_PER_MESSAGE),
});
export type TelemetryEnvelope = z.infer<typeof TelemetryEnvelopeSchema>;

/** What a publisher sends: the envelope with typed points (for publishers and tests). */
export interface TelemetryMessage {
  ts: number;
  seq?: number;
  points: TelemetryPoint[];
}

/** Gateway status on `hazard/v1/{enterpriseId}/{sourceId}/status`, retained; the gateway's last will says offline. */
export const GatewayStatusSchema = z.object({
  online: z.boolean(),
  ts: z.number().int().positive().optional(),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

/** A decoded, validated point as it flows through the server (no per-point allocations beyond this). */
export interface SamplePoint {
  enterpriseId: string;
  sourceId: string;
  tag: string;
  /** Epoch ms. */
  tsMs: number;
  v: PointValue;
  q: Quality;
}

import {
  MAX_POINTS_PER_MESSAGE,
  MAX_STATE_LENGTH,
  QualitySchema,
  SisStateSchema,
  TelemetryEnvelopeSchema,
  TelemetryPointSchema,
  ValveStateSchema,
  type ParsedTopic,
  type SamplePoint,
  type TelemetryPoint,
} from '../contracts';
import type { SiteIndex } from '../site';

/** Why input was rejected; each reason has its own dead-letter counter. */
export type RejectReason =
  | 'bad_topic'
  | 'oversize'
  | 'not_json'
  | 'bad_envelope'
  | 'unknown_source'
  | 'bad_point'
  | 'unknown_tag'
  | 'tag_source_mismatch'
  | 'wrong_value_type'
  | 'bad_timestamp'
  | 'bad_status'
  // Sparkplug B (ingest/sparkplug): undecodable protobuf, an edge node or metric the site model does not map, an
  // alias the birth did not declare, data before a birth.
  | 'bad_protobuf'
  | 'unknown_edge_node'
  | 'unknown_metric'
  | 'unknown_alias'
  | 'no_birth';

export interface Reject {
  reason: RejectReason;
  /** What exactly was wrong, for the log (e.g. `points[3].v: expected number, got "abc"`). */
  detail: string;
}

export interface DecodeResult {
  points: SamplePoint[];
  rejects: Reject[];
  /** Publisher sequence number, when present. */
  seq?: number;
}

export interface DecodeOptions {
  maxPayloadBytes: number;
  /** Points stamped further than this into the future are rejected (clock faults would poison history). */
  maxFutureSkewMs: number;
  nowMs: number;
}

const VALVE_STATES = new Set<string>(ValveStateSchema.options);
const QUALITIES = new Set<string>(QualitySchema.options);
const SIS_STATES = new Set<string>(SisStateSchema.options);

/**
 * The hot-path check of one point: exactly what `TelemetryPointSchema` accepts, written out by hand because
 * running zod per point cost ~30 % of the ingest CPU in `npm run bench` (docs/performance.md). Returns undefined
 * for anything it does not accept; the caller then runs the zod schema, whose message names the problem. A
 * property test (json-v1.decoder.spec.ts) holds the two to the same verdicts.
 */
export function fastPoint(raw: unknown): TelemetryPoint | undefined {
  if (!isFastPoint(raw)) return undefined;
  return { tag: raw.tag, v: raw.v, q: raw.q, ts: raw.ts };
}

/** `fastPoint`'s verdict without the copy: the decoder reads the four fields off the parsed JSON itself. */
function isFastPoint(raw: unknown): raw is TelemetryPoint {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const r = raw as Record<string, unknown>;
  const tag = r['tag'];
  if (typeof tag !== 'string' || tag.length < 1 || tag.length > 64) return false;
  const v = r['v'];
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return false;
  } else if (typeof v === 'string') {
    if (v.length < 1 || v.length > MAX_STATE_LENGTH) return false;
  } else if (typeof v !== 'boolean') return false;
  const q = r['q'];
  if (q !== undefined && (typeof q !== 'string' || !QUALITIES.has(q))) return false;
  const ts = r['ts'];
  return ts === undefined || (typeof ts === 'number' && Number.isSafeInteger(ts) && ts > 0);
}

/** The hot-path check of the envelope, like `fastPoint`: what `TelemetryEnvelopeSchema` accepts, else undefined. */
export function fastEnvelope(raw: unknown): { ts: number; seq?: number; points: unknown[] } | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const ts = r['ts'];
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts <= 0) return undefined;
  const seq = r['seq'];
  if (seq !== undefined && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)) return undefined;
  const points = r['points'];
  if (!Array.isArray(points) || points.length < 1 || points.length > MAX_POINTS_PER_MESSAGE) return undefined;
  return seq === undefined ? { ts, points } : { ts, seq, points };
}

/** Parses JSON, returning undefined instead of throwing. */
function parseJson(payload: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) as unknown };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Decodes one JSON v1 telemetry message (DESIGN.md §3). Pure: the caller counts and logs the rejects.
 * Each point is validated on its own, so the good points of a partly bad message are kept.
 */
export function decodeTelemetry(
  topic: ParsedTopic,
  payload: Buffer,
  site: SiteIndex,
  opts: DecodeOptions,
): DecodeResult {
  const rejects: Reject[] = [];
  if (payload.length > opts.maxPayloadBytes) {
    return {
      points: [],
      rejects: [{ reason: 'oversize', detail: `${payload.length} bytes > ${opts.maxPayloadBytes}` }],
    };
  }
  if (!site.sources.has(topic.sourceId)) {
    return {
      points: [],
      rejects: [{ reason: 'unknown_source', detail: `source "${topic.sourceId}" is not in the site model` }],
    };
  }
  const json = parseJson(payload);
  if (!json.ok) return { points: [], rejects: [{ reason: 'not_json', detail: json.error }] };
  let envelope = fastEnvelope(json.value);
  if (envelope === undefined) {
    const parsed = TelemetryEnvelopeSchema.safeParse(json.value);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      return { points: [], rejects: [{ reason: 'bad_envelope', detail }] };
    }
    envelope = parsed.data;
  }
  const { ts, seq, points: rawPoints } = envelope;
  const latestAllowedMs = opts.nowMs + opts.maxFutureSkewMs;
  const points: SamplePoint[] = [];
  for (let i = 0; i < rawPoints.length; i++) {
    const raw = rawPoints[i];
    let point: TelemetryPoint;
    if (isFastPoint(raw)) point = raw;
    else {
      const parsed = TelemetryPointSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue ? `points[${i}].${issue.path.join('.')}` : `points[${i}]`;
        rejects.push({
          reason: 'bad_point',
          detail: `${where}: ${issue?.message ?? 'invalid'} (${describe(rawPoints[i])})`,
        });
        continue;
      }
      point = parsed.data;
    }
    const info = site.tags.get(point.tag);
    if (!info) {
      rejects.push({ reason: 'unknown_tag', detail: `points[${i}].tag "${point.tag}" is not in the site model` });
      continue;
    }
    if (info.sourceId !== topic.sourceId || info.enterpriseId !== topic.enterpriseId) {
      rejects.push({
        reason: 'tag_source_mismatch',
        detail: `points[${i}].tag "${point.tag}" belongs to ${info.enterpriseId}/${info.sourceId}, not ${topic.enterpriseId}/${topic.sourceId}`,
      });
      continue;
    }
    const typeError = checkValueType(info.def.kind, point.v);
    if (typeError) {
      rejects.push({ reason: 'wrong_value_type', detail: `points[${i}] ${point.tag}: ${typeError}` });
      continue;
    }
    const tsMs = point.ts ?? ts;
    if (tsMs > latestAllowedMs) {
      rejects.push({ reason: 'bad_timestamp', detail: `points[${i}] ${point.tag}: ts ${tsMs} is in the future` });
      continue;
    }
    points.push({
      enterpriseId: info.enterpriseId,
      sourceId: info.sourceId,
      tag: point.tag,
      tsMs,
      v: point.v,
      q: point.q ?? 'good',
    });
  }
  return seq === undefined ? { points, rejects } : { points, rejects, seq };
}

/** A value must fit its tag's kind: analog tags take numbers, valves and SIS loops their discrete states. */
export function checkValueType(kind: string, v: number | boolean | string): string | undefined {
  switch (kind) {
    case 'valve_position':
      return typeof v === 'string' && VALVE_STATES.has(v)
        ? undefined
        : `expected one of ${[...VALVE_STATES].join('|')}, got ${describe(v)}`;
    case 'sis_state':
      return typeof v === 'string' && SIS_STATES.has(v)
        ? undefined
        : `expected one of ${[...SIS_STATES].join('|')}, got ${describe(v)}`;
    default:
      return typeof v === 'number' ? undefined : `expected a number, got ${describe(v)}`;
  }
}

import {
  SisStateSchema,
  TelemetryEnvelopeSchema,
  TelemetryPointSchema,
  ValveStateSchema,
  type ParsedTopic,
  type SamplePoint,
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
  | 'bad_status';

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
const SIS_STATES = new Set<string>(SisStateSchema.options);

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
  const envelope = TelemetryEnvelopeSchema.safeParse(json.value);
  if (!envelope.success) {
    const detail = envelope.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { points: [], rejects: [{ reason: 'bad_envelope', detail }] };
  }
  const { ts, seq, points: rawPoints } = envelope.data;
  const latestAllowedMs = opts.nowMs + opts.maxFutureSkewMs;
  const points: SamplePoint[] = [];
  for (let i = 0; i < rawPoints.length; i++) {
    const parsed = TelemetryPointSchema.safeParse(rawPoints[i]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `points[${i}].${issue.path.join('.')}` : `points[${i}]`;
      rejects.push({
        reason: 'bad_point',
        detail: `${where}: ${issue?.message ?? 'invalid'} (${describe(rawPoints[i])})`,
      });
      continue;
    }
    const point = parsed.data;
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
function checkValueType(kind: string, v: number | boolean | string): string | undefined {
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

import { get } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import type { SpMetric, SpPayload } from './sparkplug.host';

/** The only place that touches `sparkplug-payload` (protobufjs ≥ 6.11.4: CVE-2023-36665 fixed; root pnpm override). */
const codec = get('spBv1.0')!;

/** A Long (protobuf 64-bit) or number as a JS number; Sparkplug timestamps, seq and aliases fit in 2^53. */
function num(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && 'toNumber' in v && typeof v.toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  return null;
}

function metricValue(m: UMetric): unknown {
  const v = m.value;
  if (v === null || v === undefined) return null;
  const asNumber = num(v);
  if (asNumber !== null) return asNumber;
  return v;
}

/** Decodes a Sparkplug B payload; throws on protobuf garbage (the caller dead-letters it as `bad_protobuf`). */
export function decodeSparkplug(buf: Buffer): SpPayload {
  const p = codec.decodePayload(buf);
  const metrics: SpMetric[] = (p.metrics ?? []).map((m) => ({
    name: m.name ?? null,
    alias: num(m.alias),
    timestamp: num(m.timestamp),
    type: m.type,
    value: metricValue(m),
    isNull: m.isNull ?? null,
    properties: m.properties
      ? Object.fromEntries(
          Object.entries(m.properties).map(([k, pv]) => [k, { type: pv.type, value: num(pv.value) ?? pv.value }]),
        )
      : null,
  }));
  return { timestamp: num(p.timestamp), seq: num(p.seq), metrics };
}

/** Encodes a payload the host sends (NCMD rebirth). */
export function encodeSparkplug(p: SpPayload): Buffer {
  const payload: UPayload = {
    timestamp: p.timestamp ?? Date.now(),
    metrics: (p.metrics ?? []).map(
      (m) => ({ name: m.name ?? undefined, type: (m.type ?? 'Boolean') as UMetric['type'], value: m.value }) as UMetric,
    ),
  };
  return Buffer.from(codec.encodePayload(payload));
}

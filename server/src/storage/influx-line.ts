import { escape } from 'influx';
import type { AlarmEvent, SamplePoint } from '../contracts';
import { QUALITY_CODE } from './store.port';

/**
 * InfluxDB 1.x line protocol for the hot write path. `influx`'s `writePoints` builds an object and a field map per
 * point and escapes every key again; at 100 k points/s that was a fifth of the server's CPU (docs/performance.md).
 * Here the series key of a tag (`telemetry,enterprise=…,source=…,tag=…`) is escaped once and cached, and a point
 * costs one string concatenation. Field types are the ones `writePoints` wrote before (v float, s string, b
 * boolean, q float), so existing databases take the new lines without a field type conflict.
 */
export class LineEncoder {
  private readonly seriesKeys = new Map<string, string>();

  /** Series keys are few (one per tag), so the cache is bounded by the site model. */
  private seriesKey(p: SamplePoint): string {
    let key = this.seriesKeys.get(p.tag);
    if (key === undefined) {
      key = seriesKeyOf(p);
      this.seriesKeys.set(p.tag, key);
    }
    return key;
  }

  /** One telemetry point; ms timestamps (the write goes with `precision=ms`). */
  point(p: SamplePoint): string {
    const v = p.v;
    const value =
      typeof v === 'number'
        ? `v=${formatFloat(v)}`
        : typeof v === 'string'
          ? `s=${quoteField(v)}`
          : `b=${v ? 'true' : 'false'}`;
    return `${this.seriesKey(p)} ${value},q=${QUALITY_CODE[p.q]} ${Math.trunc(p.tsMs)}`;
  }

  /** One alarm transition (rare: not cached); the journal in InfluxDB (docs/alarms.md). */
  alarmEvent(e: AlarmEvent): string {
    const a = e.alarm;
    const tags = `alarm_event,enterprise=${escape.tag(a.enterpriseId)},source=${escape.tag(a.sourceId)},tag=${escape.tag(a.tag)},condition=${escape.tag(a.condition)},transition=${escape.tag(e.transition)}`;
    // Series = tag × condition × transition: two transitions that share all three and one millisecond would overwrite
    // each other, which the lifecycle cannot produce (a transition changes the state).
    const fields = [
      `seq=${formatFloat(e.seq)}`,
      `alarm_id=${quoteField(a.id)}`,
      `alarm_key=${quoteField(a.key)}`,
      `from_state=${quoteField(e.fromState)}`,
      `state=${quoteField(a.state)}`,
      `priority=${formatFloat(a.priority)}`,
      ...(typeof a.value === 'number' ? [`value=${formatFloat(a.value)}`] : []),
      // Discrete values (valve and SIS states, booleans) as a string field: `value` stays a float field.
      ...(a.value === null || typeof a.value === 'number' ? [] : [`value_s=${quoteField(String(a.value))}`]),
      ...(a.limit === null ? [] : [`limit_value=${formatFloat(a.limit)}`]),
      ...(e.user === undefined ? [] : [`user=${quoteField(e.user)}`]),
      ...(e.comment === undefined ? [] : [`comment=${quoteField(e.comment)}`]),
      `body=${quoteField(JSON.stringify(e))}`,
    ];
    return `${tags} ${fields.join(',')} ${Math.trunc(e.tsMs)}`;
  }
}

/** The escaped series key of a point's tag: `telemetry,enterprise=…,source=…,tag=…`. */
export function seriesKeyOf(p: SamplePoint): string {
  return `telemetry,enterprise=${escape.tag(p.enterpriseId)},source=${escape.tag(p.sourceId)},tag=${escape.tag(p.tag)}`;
}

/**
 * A float field. Finite numbers only reach here (the decoder rejects NaN and Infinity); JavaScript's shortest
 * round-trip form, exponent included, is what InfluxDB's float parser (Go strconv.ParseFloat) reads back exactly.
 */
function formatFloat(v: number): string {
  return String(v);
}

/** A string field: double quotes and backslashes escaped, newlines kept inside the quotes (line protocol §strings). */
function quoteField(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

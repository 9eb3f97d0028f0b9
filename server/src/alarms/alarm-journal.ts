import type { Alarm, AlarmEvent } from '../contracts';

/**
 * The alarm states a restarted server starts from (docs/alarm-lifecycle.md "Rebuild"). Every journal event carries
 * the whole alarm point after its transition (state, overlays, ack, latch, chattering, notification), so the
 * latest event of each point is its state; the highest `seq` is where the stream sequence continues.
 */
export function rebuildFromJournal(latestPerPoint: readonly AlarmEvent[]): { alarms: Alarm[]; lastSeq: number } {
  const byKey = new Map<string, AlarmEvent>();
  let lastSeq = 0;
  for (const e of latestPerPoint) {
    const seen = byKey.get(e.alarm.key);
    if (!seen || e.tsMs > seen.tsMs || (e.tsMs === seen.tsMs && e.seq > seen.seq)) byKey.set(e.alarm.key, e);
    if (e.seq > lastSeq) lastSeq = e.seq;
  }
  return { alarms: [...byKey.values()].map((e) => e.alarm), lastSeq };
}

/** Columns of the CSV export, in order (docs/alarm-lifecycle.md "Journal"). */
export const JOURNAL_CSV_COLUMNS = [
  'time',
  'ts_ms',
  'seq',
  'enterprise',
  'source',
  'tag',
  'alarm_key',
  'alarm_id',
  'condition',
  'priority',
  'transition',
  'from_state',
  'to_state',
  'active',
  'value',
  'limit',
  'unit',
  'user',
  'comment',
  'message',
] as const;

/** UTF-8 byte order mark: without it Excel reads a CSV in the system code page and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';

/**
 * The journal as CSV (RFC 4180: comma, CRLF, fields with a quote, comma or line break quoted, quotes doubled),
 * with a BOM and a header row. `time` is ISO 8601 in the site's local time (`utcOffsetH`, China: +08:00).
 * Free-text fields starting with = + - @ are prefixed with ' so a spreadsheet does not run them as formulas
 * (OWASP "CSV injection"): an operator's comment is data.
 */
export function journalCsv(events: readonly AlarmEvent[], utcOffsetH: number): string {
  const lines = [JOURNAL_CSV_COLUMNS.join(',')];
  for (const e of events) {
    const a = e.alarm;
    const row: Record<(typeof JOURNAL_CSV_COLUMNS)[number], string> = {
      time: localIso(e.tsMs, utcOffsetH),
      ts_ms: String(e.tsMs),
      seq: String(e.seq),
      enterprise: text(a.enterpriseId),
      source: text(a.sourceId),
      tag: text(a.tag),
      alarm_key: text(a.key),
      alarm_id: text(a.id),
      condition: a.condition,
      priority: String(a.priority),
      transition: e.transition,
      from_state: e.fromState,
      to_state: a.state,
      active: a.active ? 'true' : 'false',
      value: a.value === null ? '' : typeof a.value === 'number' ? String(a.value) : text(String(a.value)),
      limit: a.limit === null ? '' : String(a.limit),
      unit: text(a.unit),
      user: text(e.user ?? ''),
      comment: text(e.comment ?? ''),
      message: text(a.message),
    };
    lines.push(JOURNAL_CSV_COLUMNS.map((c) => quote(row[c])).join(','));
  }
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

function text(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `2026-11-23T16:00:00.000+08:00` for a UTC offset in whole hours. */
export function localIso(tsMs: number, utcOffsetH: number): string {
  const shifted = new Date(tsMs + utcOffsetH * 3_600_000).toISOString().slice(0, -1);
  const sign = utcOffsetH < 0 ? '-' : '+';
  const h = String(Math.abs(Math.trunc(utcOffsetH))).padStart(2, '0');
  return `${shifted}${sign}${h}:00`;
}

import type { AlarmEvent, AlarmTransitionKind } from '@hazard/server/contracts';
import type { JournalQuery } from './alarms.api';

/**
 * Every transition kind, for the kind filter. A copy of the contracts' ALARM_TRANSITION_KINDS (the web imports the
 * contracts as types only: their runtime pulls zod in), held to the union by the check below.
 */
export const JOURNAL_KINDS = [
  'raise',
  'escalate',
  'deescalate',
  'return',
  'ack',
  'reset',
  'shelve',
  'unshelve',
  'suppress',
  'unsuppress',
  'out_of_service',
  'return_to_service',
  'chatter',
  'notify',
] as const satisfies readonly AlarmTransitionKind[];
/** Compiles only while JOURNAL_KINDS lists every kind: a new kind in the contract must appear in the filter. */
export const JOURNAL_KINDS_COMPLETE: [Exclude<AlarmTransitionKind, (typeof JOURNAL_KINDS)[number]>] extends [never]
  ? true
  : never = true;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DDTHH:mm` in local time, the value format of `<input type="datetime-local">`. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Epoch ms of a datetime-local value (local time), or null when empty or malformed. */
export function fromLocalInput(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const ms = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** The journal form as typed. */
export interface JournalForm {
  from: string;
  to: string;
  source: string;
  enterprise: string;
  tag: string;
  priority: string;
  kind: string;
  user: string;
}

export type JournalFormError = 'fromInvalid' | 'toInvalid' | 'rangeInvalid';

/** The default form: the last `hours` hours up to the end of the current minute, no filters. */
export function defaultJournalForm(nowMs: number, hours: number): JournalForm {
  const endOfMinute = Math.ceil((nowMs + 1) / 60_000) * 60_000;
  return {
    from: toLocalInput(endOfMinute - hours * 3_600_000),
    to: toLocalInput(endOfMinute),
    source: '',
    enterprise: '',
    tag: '',
    priority: '',
    kind: '',
    user: '',
  };
}

/** The API query of a form, or what is wrong with its range. Text filters are trimmed; empty ones are left out. */
export function journalQueryOf(
  f: JournalForm,
  limit: number,
): { ok: true; query: JournalQuery } | { ok: false; error: JournalFormError } {
  const fromMs = fromLocalInput(f.from);
  if (fromMs === null) return { ok: false, error: 'fromInvalid' };
  const toMs = fromLocalInput(f.to);
  if (toMs === null) return { ok: false, error: 'toInvalid' };
  if (fromMs >= toMs) return { ok: false, error: 'rangeInvalid' };
  const text = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
  const query: JournalQuery = { fromMs, toMs, limit };
  const source = text(f.source);
  const enterprise = text(f.enterprise);
  const tag = text(f.tag);
  const priority = text(f.priority);
  const kind = text(f.kind);
  const user = text(f.user);
  if (source !== undefined) query.source = source;
  if (enterprise !== undefined) query.enterprise = enterprise;
  if (tag !== undefined) query.tag = tag;
  if (priority !== undefined) query.priority = priority;
  if (kind !== undefined) query.kind = kind;
  if (user !== undefined) query.user = user;
  return { ok: true, query };
}

/** File name of a CSV export: `alarm-journal_20260301-0800_20260302-0800.csv` (local time). */
export function csvFileName(q: JournalQuery): string {
  const stamp = (ms: number): string => toLocalInput(ms).replace(/[-:]/g, '').replace('T', '-');
  return `alarm-journal_${stamp(q.fromMs)}_${stamp(q.toMs)}.csv`;
}

/** Newest first for reading on screen (the API answers oldest first, the order of the CSV). */
export function newestFirst(events: readonly AlarmEvent[]): AlarmEvent[] {
  return [...events].sort((a, b) => b.tsMs - a.tsMs || b.seq - a.seq);
}

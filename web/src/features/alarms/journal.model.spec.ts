import { describe, expect, it } from 'vitest';
import { eventOf, alarmOf } from './alarms.fixtures';
import {
  csvFileName,
  defaultJournalForm,
  fromLocalInput,
  journalQueryOf,
  newestFirst,
  toLocalInput,
} from './journal.model';

describe(journalQueryOf.name, () => {
  it('reads the range in local time and leaves out empty filters', () => {
    const form = { ...defaultJournalForm(0, 24), from: '2026-03-01T08:00', to: '2026-03-02T08:00', tag: ' LIA-101 ' };
    const r = journalQueryOf(form, 2000);

    expect(r).toEqual({
      ok: true,
      query: {
        fromMs: new Date(2026, 2, 1, 8, 0).getTime(),
        toMs: new Date(2026, 2, 2, 8, 0).getTime(),
        limit: 2000,
        tag: 'LIA-101',
      },
    });
  });

  it('names a missing or reversed range', () => {
    const base = defaultJournalForm(Date.now(), 24);
    expect(journalQueryOf({ ...base, from: '' }, 1)).toEqual({ ok: false, error: 'fromInvalid' });
    expect(journalQueryOf({ ...base, to: 'garbage' }, 1)).toEqual({ ok: false, error: 'toInvalid' });
    expect(journalQueryOf({ ...base, from: base.to }, 1)).toEqual({ ok: false, error: 'rangeInvalid' });
  });

  it('defaults to the last 24 hours up to the end of this minute', () => {
    const now = new Date(2026, 0, 2, 10, 30, 15).getTime();
    const f = defaultJournalForm(now, 24);
    expect(f.from).toBe('2026-01-01T10:31');
    expect(f.to).toBe('2026-01-02T10:31');
  });
});

describe(toLocalInput.name, () => {
  it('round-trips through the datetime-local format in local time', () => {
    const ms = new Date(2026, 10, 23, 0, 5).getTime();
    expect(toLocalInput(ms)).toBe('2026-11-23T00:05');
    expect(fromLocalInput('2026-11-23T00:05')).toBe(ms);
    expect(fromLocalInput('2026-11-23')).toBeNull();
  });
});

describe(csvFileName.name, () => {
  it('names the file after its local range', () => {
    const q = { fromMs: new Date(2026, 2, 1, 8, 0).getTime(), toMs: new Date(2026, 2, 2, 8, 0).getTime() };
    expect(csvFileName(q)).toBe('alarm-journal_20260301-0800_20260302-0800.csv');
  });
});

describe(newestFirst.name, () => {
  it('shows the newest entry first, by time then seq', () => {
    const a = eventOf(1, alarmOf({ updatedAt: 100 }));
    const b = eventOf(3, alarmOf({ updatedAt: 200 }));
    const c = eventOf(2, alarmOf({ updatedAt: 200 }));
    expect(newestFirst([a, b, c]).map((e) => e.seq)).toEqual([3, 2, 1]);
  });
});

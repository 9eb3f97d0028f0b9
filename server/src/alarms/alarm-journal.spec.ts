import { Logger } from '@nestjs/common';
import { parseCsv } from '../../test/medium/csv';
import { loadConfig } from '../config/app-config';
import type { AlarmEvent } from '../contracts';
import { StreamSequence } from '../realtime/stream-sequence';
import { samplePoint, testSite } from '../rules/test-site';
import type { SiteService } from '../site/site.service';
import { latestPerAlarmPoint } from '../storage/store.port';
import { JOURNAL_CSV_COLUMNS, UTF8_BOM, journalCsv, localIso, rebuildFromJournal } from './alarm-journal';
import { AlarmService } from './alarm.service';

const T0 = 1_700_000_000_000;
const s = (sec: number) => T0 + sec * 1000;

/** A service of the test site whose every event is journaled as a store would keep it (JSON). */
class Run {
  readonly sut: AlarmService;
  readonly journal: AlarmEvent[] = [];
  private mark = 0;

  constructor(sequence = new StreamSequence()) {
    this.sut = new AlarmService(
      { index: testSite() } as SiteService,
      sequence,
      // A day's max age: these cases jump hours ahead and are about the journal, not communication loss.
      loadConfig({ ALARM_NOTIFY_P1_MIN: '5', ALARM_SHELVE_MAX_MIN: '60', DATA_STALE_S: '86400' }),
    );
    this.sut.addListener((e) => this.journal.push(JSON.parse(JSON.stringify(e)) as AlarmEvent));
  }

  feed(tag: string, v: number | string, atS: number): void {
    this.sut.evaluate(samplePoint(tag, v), s(atS));
  }

  ack(key: string, atS: number): void {
    expect(this.sut.act(key, { type: 'ack', user: '张三', comment: '已确认', nowMs: s(atS) }).ok).toBe(true);
  }

  /** Emits the SIS trip as its rule would (the SIS rule family is not part of this service's test). */
  trip(active: boolean, atS: number): void {
    (this.sut as unknown as { applyInput: (i: unknown) => void }).applyInput({
      key: 'XS-1:SIS_TRIPPED',
      tag: 'XS-1',
      enterpriseId: 'ent1',
      sourceId: 'src1',
      condition: 'SIS_TRIPPED',
      active,
      value: active ? 'tripped' : 'normal',
      limit: null,
      priority: 1,
      unit: '',
      latching: false,
      message: '1#储罐联锁状态（XS-1）SIS 联锁动作',
      nowMs: s(atS),
    });
  }

  /** Events since the last call, without what cannot be the same across runs. */
  since(): string[] {
    const out = this.journal
      .slice(this.mark)
      .map((e) => `${e.seq} ${e.alarm.key} ${e.transition} ${e.fromState}→${e.alarm.state}`);
    this.mark = this.journal.length;
    return out;
  }

  /** A server started from this run's journal: latest event per point, as the store answers at start. */
  restart(): Run {
    const { alarms, lastSeq } = rebuildFromJournal(latestPerAlarmPoint(this.journal));
    const sequence = new StreamSequence();
    sequence.resume(lastSeq);
    const next = new Run(sequence);
    next.sut.restore(alarms);
    this.since();
    return next;
  }
}

describe(rebuildFromJournal.name, () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  const LISTS = ['active', 'unacked', 'shelved', 'suppressed', 'out_of_service', 'all'] as const;

  it.each<[string, (r: Run) => void, (r: Run) => void]>([
    ['unacked', (r) => r.feed('LI-1', 8.4, 0), (r) => r.feed('LI-1', 5, 100)],
    [
      'acked',
      (r) => {
        r.feed('LI-1', 8.4, 0);
        r.ack('LI-1:hi', 1);
      },
      (r) => r.feed('LI-1', 5, 100),
    ],
    [
      'acked, then re-alarmed by escalation (unacked at HH)',
      (r) => {
        r.feed('LI-1', 8.4, 0);
        r.ack('LI-1:hi', 1);
        r.feed('LI-1', 9.5, 2);
      },
      (r) => r.ack('LI-1:hi', 100),
    ],
    [
      'returned unacknowledged',
      (r) => {
        r.feed('LI-1', 8.4, 0);
        r.feed('LI-1', 5, 1);
      },
      (r) => r.ack('LI-1:hi', 100),
    ],
    [
      'normal after its return was acknowledged',
      (r) => {
        r.feed('LI-1', 8.4, 0);
        r.feed('LI-1', 5, 1);
        r.ack('LI-1:hi', 2);
      },
      (r) => r.feed('LI-1', 8.4, 100),
    ],
    [
      'latched, unacknowledged',
      (r) => {
        r.feed('LI-3', 9.5, 0);
        r.feed('LI-3', 5, 1);
      },
      (r) => {
        r.ack('LI-3:hi', 100);
        r.sut.act('LI-3:hi', { type: 'reset', user: 'u', comment: '', nowMs: s(101) });
      },
    ],
    [
      'latched, acknowledged',
      (r) => {
        r.feed('LI-3', 9.5, 0);
        r.feed('LI-3', 5, 1);
        r.ack('LI-3:hi', 2);
      },
      (r) => r.sut.act('LI-3:hi', { type: 'reset', user: 'u', comment: '', nowMs: s(100) }),
    ],
    [
      'shelved until a time (and annunciated afresh when it expires)',
      (r) => {
        r.feed('LI-1', 8.4, 0);
        r.sut.act('LI-1:hi', { type: 'shelve', user: 'u', reason: '检修', minutes: 10, maxMinutes: 60, nowMs: s(1) });
      },
      (r) => {
        r.sut.tick(s(500));
        r.sut.tick(s(601));
      },
    ],
    [
      'out of service',
      (r) => {
        r.sut.act('LI-1:hi', { type: 'out_of_service', user: 'admin', reason: '更换液位计', nowMs: s(0) });
        r.feed('LI-1', 9.5, 1);
      },
      (r) => r.sut.act('LI-1:hi', { type: 'return_to_service', user: 'admin', comment: '', nowMs: s(100) }),
    ],
    [
      'suppressed by design while the SIS is tripped',
      (r) => {
        r.feed('FI-1', 8, 0);
        r.trip(true, 1);
        r.feed('FI-1', 1, 2);
      },
      (r) => {
        r.feed('FI-1', 1, 100);
        r.trip(false, 101);
      },
    ],
    [
      'chattering (and the flag clears after 10 quiet minutes)',
      (r) => {
        for (let i = 0; i < 3; i++) {
          r.feed('LI-1', 8.4, i * 10);
          r.feed('LI-1', 5, i * 10 + 5);
        }
      },
      (r) => {
        r.sut.tick(s(25 + 9 * 60));
        r.sut.tick(s(25 + 10 * 60));
      },
    ],
    [
      'priority 1 unacknowledged, its 包保 people notified (not twice)',
      (r) => {
        r.feed('LI-1', 9.5, 0);
        r.sut.tick(s(5 * 60));
      },
      (r) => r.sut.tick(s(20 * 60)),
    ],
  ])('%s: the same states and lists after a restart, and the same next transitions', (_state, before, after) => {
    const original = new Run();
    before(original);
    const restarted = original.restart();

    const points = original.sut.list('all').map((a) => a.key);
    for (const key of points) expect(restarted.sut.find(key)).toEqual(original.sut.find(key));
    for (const list of LISTS) expect(restarted.sut.list(list)).toEqual(original.sut.list(list));

    after(original);
    after(restarted);
    const next = original.since();
    expect(restarted.since()).toEqual(next);
    for (const list of LISTS) expect(restarted.sut.list(list)).toEqual(original.sut.list(list));
  });

  it('continues the stream sequence after the highest seq of the journal', () => {
    const original = new Run();
    original.feed('LI-1', 8.4, 0);
    original.ack('LI-1:hi', 1);
    const restarted = original.restart();
    restarted.feed('LI-1', 5, 2);
    expect(restarted.journal.map((e) => e.seq)).toEqual([3]);
  });

  it('takes the latest event of each point by time, then seq, whatever order the events come in', () => {
    const original = new Run();
    original.feed('LI-1', 8.4, 0);
    original.ack('LI-1:hi', 1);
    const { alarms, lastSeq } = rebuildFromJournal([...original.journal].reverse());
    expect({ lastSeq, states: alarms.map((a) => a.state) }).toEqual({ lastSeq: 2, states: ['acked'] });
  });
});

describe(journalCsv.name, () => {
  const base = (): AlarmEvent => ({
    seq: 7,
    tsMs: Date.UTC(2026, 10, 23, 8, 0, 0, 250),
    transition: 'ack',
    fromState: 'unacked',
    user: '张三',
    comment: '现场确认, "液位计"正常\n已通知班长',
    alarm: {
      id: 'LIA-101:hi@1',
      key: 'LIA-101:hi',
      tag: 'LIA-101',
      enterpriseId: 'bjpc',
      sourceId: 'tf01',
      condition: 'HH',
      priority: 2,
      state: 'acked',
      active: true,
      latching: false,
      chattering: false,
      value: -0.5,
      limit: 14.4,
      unit: 'm',
      raisedAt: 1,
      updatedAt: 2,
      message: '1#甲醇储罐液位（LIA-101）高高报警',
    },
  });

  it('starts with a UTF-8 BOM and a header row, ends every record with CRLF, and parses back field for field', () => {
    const csv = journalCsv([base()], 8);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...JOURNAL_CSV_COLUMNS]);
    const row = Object.fromEntries(JOURNAL_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(row).toMatchObject({
      time: '2026-11-23T16:00:00.250+08:00',
      ts_ms: String(base().tsMs),
      seq: '7',
      transition: 'ack',
      from_state: 'unacked',
      to_state: 'acked',
      value: '-0.5',
      user: '张三',
      comment: '现场确认, "液位计"正常\n已通知班长',
      message: '1#甲醇储罐液位（LIA-101）高高报警',
    });
    expect(rows).toHaveLength(2);
  });

  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+1', `'+1`],
    ['-cmd', `'-cmd`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['正常', '正常'],
  ])('keeps a spreadsheet from running the comment %s as a formula', (comment, shown) => {
    const rows = parseCsv(journalCsv([{ ...base(), comment }], 8).slice(1));
    expect(rows[1]![JOURNAL_CSV_COLUMNS.indexOf('comment')]).toBe(shown);
  });

  it('writes discrete values as text and leaves missing ones empty', () => {
    const e = base();
    const valve = { ...e, alarm: { ...e.alarm, value: 'travel', limit: null } };
    const none = { ...e, user: undefined, comment: undefined, alarm: { ...e.alarm, value: null } } as AlarmEvent;
    const rows = parseCsv(journalCsv([valve, none], 8).slice(1));
    const col = (r: number, c: (typeof JOURNAL_CSV_COLUMNS)[number]) => rows[r]![JOURNAL_CSV_COLUMNS.indexOf(c)];
    expect([col(1, 'value'), col(1, 'limit'), col(2, 'value'), col(2, 'user'), col(2, 'comment')]).toEqual([
      'travel',
      '',
      '',
      '',
      '',
    ]);
  });

  it.each([
    [8, '2026-11-23T16:00:00.000+08:00'],
    [0, '2026-11-23T08:00:00.000+00:00'],
    [-5, '2026-11-23T03:00:00.000-05:00'],
  ])('formats local time at UTC%+d', (offsetH, want) => {
    expect(localIso(Date.UTC(2026, 10, 23, 8), offsetH)).toBe(want);
  });
});

import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import type { Alarm, AlarmEvent } from '../contracts';
import { StreamSequence } from '../realtime/stream-sequence';
import { samplePoint, testSite } from '../rules/test-site';
import type { SiteService } from '../site/site.service';
import { AlarmService } from './alarm.service';

const T0 = 1_700_000_000_000;
const s = (sec: number) => T0 + sec * 1000;

describe(AlarmService.name, () => {
  let sut: AlarmService;
  let events: AlarmEvent[];

  function make(restore: Alarm[] = []): AlarmService {
    const svc = new AlarmService(
      { index: testSite() } as SiteService,
      new StreamSequence(),
      // A day's max age: these cases jump minutes ahead without new values and are not about stale data.
      loadConfig({ ALARM_NOTIFY_P1_MIN: '5', ALARM_SHELVE_MAX_MIN: '60', DATA_STALE_S: '86400' }),
    );
    svc.restore(restore);
    svc.addListener((e) => events.push(e));
    return svc;
  }
  const feed = (tag: string, v: number | string, atS: number) => sut.evaluate(samplePoint(tag, v), s(atS));
  const log = () => events.map((e) => `${e.alarm.key} ${e.transition} ${e.fromState}→${e.alarm.state}`);

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    events = [];
    sut = make();
  });
  afterEach(() => jest.restoreAllMocks());

  it('raises through the rules, lists it as active, and journals an operator ack with user and comment', () => {
    feed('LI-1', 5, 0);
    feed('LI-1', 8.4, 1);
    const [alarm] = sut.list('active');
    expect(alarm).toMatchObject({ key: 'LI-1:hi', condition: 'H', state: 'unacked', priority: 3 });
    const r = sut.act(alarm!.id, { type: 'ack', user: 'zhangsan', comment: '已安排巡检', nowMs: s(2) });
    expect(r).toMatchObject({ ok: true, event: { transition: 'ack', user: 'zhangsan', comment: '已安排巡检' } });
    expect(log()).toEqual(['LI-1:hi raise normal→unacked', 'LI-1:hi ack unacked→acked']);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('stops telling a listener once it is removed, and keeps telling the others', () => {
    const other: string[] = [];
    const listener = (e: AlarmEvent) => other.push(e.transition);
    sut.addListener(listener);
    feed('LI-1', 8.4, 0);
    sut.removeListener(listener);
    sut.act('LI-1:hi', { type: 'ack', user: 'u', comment: '', nowMs: s(1) });
    expect(other).toEqual(['raise']);
    expect(log()).toEqual(['LI-1:hi raise normal→unacked', 'LI-1:hi ack unacked→acked']);
  });

  it('answers 404 for an unknown alarm and 409 with the reason for an action that does not apply', () => {
    expect(sut.act('nope', { type: 'ack', user: 'u', comment: '', nowMs: s(0) })).toEqual({
      ok: false,
      status: 404,
      error: 'no alarm "nope"',
    });
    feed('LI-1', 8.4, 0);
    const r = sut.act('LI-1:hi', { type: 'reset', user: 'u', comment: '', nowMs: s(1) });
    expect(r).toMatchObject({ ok: false, status: 409, error: expect.stringMatching(/only a latched alarm/) });
  });

  it('shelving: hidden from the active list, on its own list, and back unacknowledged when the timer expires', () => {
    feed('LI-1', 8.4, 0);
    sut.act('LI-1:hi', { type: 'ack', user: 'u', comment: '', nowMs: s(1) });
    const shelved = sut.act('LI-1:hi', {
      type: 'shelve',
      user: 'u',
      reason: '液位计检修',
      minutes: 10,
      maxMinutes: 60,
      nowMs: s(2),
    });
    expect(shelved.ok).toBe(true);
    expect(sut.list('active')).toEqual([]);
    expect(sut.list('shelved').map((a) => a.key)).toEqual(['LI-1:hi']);
    sut.tick(s(2 + 9 * 60));
    expect(sut.list('active')).toEqual([]);
    sut.tick(s(2 + 10 * 60));
    expect(sut.list('active')[0]).toMatchObject({ key: 'LI-1:hi', state: 'unacked' });
    expect(events.at(-1)).toMatchObject({ transition: 'unshelve', user: 'system' });
  });

  it('flags chattering at the third activation within 60 s and clears the flag after 10 quiet minutes', () => {
    for (let i = 0; i < 3; i++) {
      feed('LI-1', 8.4, 20 + i * 10);
      feed('LI-1', 5, 25 + i * 10);
    }
    const flags = events
      .filter((e) => e.alarm.key === 'LI-1:hi' && e.transition === 'raise')
      .map((e) => e.alarm.chattering);
    expect(flags).toEqual([false, false, true]);
    sut.tick(s(45 + 10 * 60));
    expect(events.at(-1)).toMatchObject({ transition: 'chatter', alarm: { chattering: false } });
  });

  it('notifies the 包保 people once when a priority-1 alarm stays unacknowledged past ALARM_NOTIFY_P1_MIN', () => {
    feed('LI-1', 9.5, 0); // LI-1 HH has priority 1
    sut.tick(s(4 * 60));
    expect(events.some((e) => e.transition === 'notify')).toBe(false);
    sut.tick(s(5 * 60));
    sut.tick(s(6 * 60));
    const notes = events.filter((e) => e.transition === 'notify');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.notify).toEqual([
      { name: '王总', role: 'principal', phone: '13800000001' },
      { name: '李工', role: 'technical', phone: '13800000002' },
      { name: '赵班长', role: 'operations' },
    ]);
  });

  it('an SIS trip is the first-out and suppresses its consequential alarms by design until it clears', () => {
    feed('FI-1', 8, 0);
    feed('FI-1', 4, 1); // low flow before the trip: annunciated
    expect(sut.list('active').map((a) => a.key)).toEqual(['FI-1:lo']);
    feed('XS-1', 'tripped', 2); // the SIS rule's SIS_TRIPPED is the suppression's trigger
    feed('FI-1', 1, 3); // LL while tripped: tracked, hidden
    const active = sut.list('active');
    expect(active.map((a) => a.key)).toEqual(['XS-1:SIS_TRIPPED']);
    expect(active[0]!.firstOut).toBe(true);
    expect(sut.list('suppressed')[0]).toMatchObject({
      key: 'FI-1:lo',
      condition: 'LL',
      suppressed: { byKey: 'XS-1:SIS_TRIPPED' },
    });
  });

  it("raises STALE at once for every tag of a source on its gateway's last will, and for a Sparkplug death", () => {
    feed('LI-1', 5, 0);
    feed('LI-2', 5, 0);
    sut.markStale(['LI-2'], 'node_death', s(1));
    expect(sut.list('active').map((a) => a.key)).toEqual(['LI-2:STALE']);
    sut.markSourceStale('src1', s(2));
    expect(sut.list('active').map((a) => a.key)).toEqual(expect.arrayContaining(['LI-1:STALE', 'GI-1:STALE']));
    feed('LI-1', 5, 3);
    expect(sut.find('LI-1:STALE')).toMatchObject({ state: 'rtn_unacked', active: false });
  });

  it('a 2oo3 gas vote and the gas-plus-open-valve composite reach the active list as priority 1', () => {
    feed('XV-1', 'open', 0);
    for (const tag of ['GI-1', 'GI-2', 'GI-3']) feed(tag, 1, 0);
    feed('GI-1', 60, 1);
    feed('GI-2', 60, 1);
    sut.tick(s(21));
    const p1 = sut.list('active').filter((a) => a.priority === 1);
    expect(p1.map((a) => a.key).sort()).toEqual(['GVO-1:GAS_VALVE_OPEN', 'VOTE-1:VOTE']);
    expect(p1.every((a) => a.sourceId === 'src1' && a.state === 'unacked')).toBe(true);
  });

  it('after a restart from the journal an unacknowledged alarm is still unacknowledged, and its return is seen', () => {
    feed('LI-1', 8.4, 0);
    const before = sut.list('active');
    events = [];
    sut = make(before);
    expect(sut.list('active')).toEqual(before);
    feed('LI-1', 8.5, 10); // still high: nothing new
    expect(events).toEqual([]);
    feed('LI-1', 5, 11);
    expect(log()).toEqual(['LI-1:hi return unacked→rtn_unacked']);
  });

  it('takes a point that never alarmed out of service by key, and keeps its raise off the active list', () => {
    const r = sut.act('LI-1:hi', { type: 'out_of_service', user: 'admin', reason: '更换液位计', nowMs: s(0) });
    expect(r.ok).toBe(true);
    feed('LI-1', 9.5, 1);
    expect(sut.list('active')).toEqual([]);
    expect(sut.list('out_of_service')[0]).toMatchObject({ key: 'LI-1:hi', active: true, condition: 'HH' });
  });
});

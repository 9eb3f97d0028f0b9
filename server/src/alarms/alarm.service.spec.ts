import { Logger } from '@nestjs/common';
import type { AlarmEvent, SamplePoint } from '../contracts';
import { StreamSequence } from '../realtime/stream-sequence';
import { parseSiteYaml, SiteIndex } from '../site';
import type { SiteService } from '../site/site.service';
import { AlarmService } from './alarm.service';

const SITE_YAML = `
schemaVersion: 1
park: { id: p1, name: 测试园区 }
enterprises:
  - id: ent1
    name: 企业一
    code: 91320600MA1XXXXX9K
    address: 测试路 1 号
    sources:
      - id: src1
        name: 一号罐区
        kind: storage
        peopleWithin500m: 10
        chemicals: [{ chemical: methanol, quantityT: 800 }]
        responsible: { principal: { name: 甲 }, technical: { name: 乙 }, operations: { name: 丙 } }
        equipment:
          - id: T-1
            name: 储罐
            type: tank
            tankType: atmospheric
            capacityM3: 1000
            medium: methanol
            tags:
              - { tag: LI-1, name: 1#储罐液位, kind: level, unit: m, limits: { hh: 9, h: 8, l: 2, ll: 1, deadband: 0.5 } }
              - { tag: LI-2, name: 2#储罐液位, kind: level, unit: m, limits: { hh: 9, h: 8 } }
              - { tag: LI-3, name: 3#储罐液位, kind: level, unit: m, limits: { hh: 9, h: 8 } }
              - { tag: TI-1, name: 1#储罐温度, kind: temperature, unit: °C }
`;

const site = parseSiteYaml(SITE_YAML, 'inline.yaml');

function point(tag: string, v: number): SamplePoint {
  return { enterpriseId: 'ent1', sourceId: 'src1', tag, tsMs: 0, v, q: 'good' };
}

describe(AlarmService.name, () => {
  let sut: AlarmService;
  let sequence: StreamSequence;
  let events: AlarmEvent[];
  let loggedErrors: jest.SpyInstance;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    sequence = new StreamSequence();
    sut = new AlarmService({ index: new SiteIndex(site) } as SiteService, sequence);
    events = [];
    sut.addListener((e) => events.push(e));
  });

  afterEach(() => jest.restoreAllMocks());

  function transitions(): string[] {
    return events.map((e) => `${e.seq} ${e.transition} ${e.alarm.tag} ${e.alarm.level} ${e.alarm.state}`);
  }

  it('raises an alarm when a value crosses a limit and hands the event to listeners', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);

    expect(events).toEqual([
      {
        seq: 1,
        transition: 'raise',
        alarm: expect.objectContaining({ id: 'LI-1:hi:1000', tag: 'LI-1', level: 'H', state: 'unacked', value: 8.2 }),
      },
    ]);
    expect(sut.list('active')).toEqual([events[0]?.alarm]);
  });

  it('emits nothing while the value stays at the same level', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.evaluate(point('LI-1', 8.6), 2000);
    sut.evaluate(point('LI-1', 5), 3000);
    sut.evaluate(point('LI-1', 4), 4000);

    expect(events.map((e) => e.transition)).toEqual(['raise', 'return']);
  });

  it('stamps every transition and acknowledgement with the next stream sequence number', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.evaluate(point('LI-1', 9.1), 2000);
    const ack = sut.ack('LI-1:hi:1000', 'op1', 3000);
    sut.evaluate(point('LI-1', 8.2), 4000);
    sut.evaluate(point('LI-1', 5), 5000);

    expect(transitions()).toEqual([
      '1 raise LI-1 H unacked',
      '2 escalate LI-1 HH unacked',
      '3 ack LI-1 HH acked',
      '4 deescalate LI-1 H acked',
      '5 return LI-1 H normal',
    ]);
    expect(ack).toBe(events[2]);
    expect(sequence.current).toBe(5);
  });

  it('continues the shared stream sequence rather than counting on its own', () => {
    sequence.next();
    sequence.next();
    sut.evaluate(point('LI-1', 8.2), 1000);

    expect(events[0]?.seq).toBe(3);
  });

  it('lists alarms by priority, then newest raised first', () => {
    sut.evaluate(point('LI-2', 8.1), 1000);
    sut.evaluate(point('LI-1', 9.5), 2000);
    sut.evaluate(point('LI-3', 8.1), 3000);

    expect(sut.list('active').map((a) => `${a.tag} ${a.level} p${a.priority}`)).toEqual([
      'LI-1 HH p2',
      'LI-3 H p3',
      'LI-2 H p3',
    ]);
  });

  it('keeps a returned but unacknowledged alarm listed until it is acknowledged', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.evaluate(point('LI-1', 5), 2000);

    expect(sut.list('active').map((a) => a.state)).toEqual(['rtn_unacked']);

    const ack = sut.ack('LI-1:hi:1000', 'op1', 3000);

    expect(ack).toMatchObject({ seq: 3, transition: 'ack', alarm: { state: 'normal', ackedBy: 'op1' } });
    expect(sut.list('all')).toEqual([]);
  });

  it('keeps an acknowledged alarm listed while active and drops it when it returns', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.ack('LI-1:hi:1000', 'op1', 2000);

    expect(sut.list('active').map((a) => a.state)).toEqual(['acked']);

    sut.evaluate(point('LI-1', 5), 3000);

    expect(sut.list('active')).toEqual([]);
  });

  it('lists unacked and returned-unacked alarms, not acknowledged ones, as unacked', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.evaluate(point('LI-2', 8.2), 2000);
    sut.evaluate(point('LI-3', 8.2), 3000);
    sut.ack('LI-2:hi:2000', 'op1', 4000);
    sut.evaluate(point('LI-3', 5), 5000);

    expect(sut.list('unacked').map((a) => `${a.tag} ${a.state}`)).toEqual(['LI-3 rtn_unacked', 'LI-1 unacked']);
  });

  it('raises the same alarm id again when the value re-crosses before the return was acknowledged', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.evaluate(point('LI-1', 5), 2000);
    sut.evaluate(point('LI-1', 8.2), 3000);

    expect(transitions()).toEqual(['1 raise LI-1 H unacked', '2 return LI-1 H rtn_unacked', '3 raise LI-1 H unacked']);
    expect(sut.list('active').map((a) => a.id)).toEqual(['LI-1:hi:1000']);
  });

  it('opens a new alarm id for a crossing after the previous occurrence closed', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.ack('LI-1:hi:1000', 'op1', 1500);
    sut.evaluate(point('LI-1', 5), 2000);
    sut.evaluate(point('LI-1', 8.2), 3000);

    expect(sut.list('active').map((a) => a.id)).toEqual(['LI-1:hi:3000']);
  });

  it('keeps the high and low side of a tag as separate alarms', () => {
    sut.evaluate(point('LI-1', 9.5), 1000);
    sut.evaluate(point('LI-1', 0.5), 2000);

    expect(sut.list('active').map((a) => `${a.id} ${a.state}`)).toEqual([
      'LI-1:lo:2000 unacked',
      'LI-1:hi:1000 rtn_unacked',
    ]);
  });

  it('returns null and takes no sequence number for an unknown id or an alarm with nothing to acknowledge', () => {
    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.ack('LI-1:hi:1000', 'op1', 2000);

    expect(sut.ack('LI-1:hi:1000', 'op2', 3000)).toBeNull();
    expect(sut.ack('NO-SUCH-ALARM', 'op2', 3000)).toBeNull();
    expect(sequence.current).toBe(2);
    expect(events).toHaveLength(2);
  });

  it('ignores points of tags without limits', () => {
    sut.evaluate(point('TI-1', 1e6), 1000);

    expect(events).toEqual([]);
    expect(sequence.current).toBe(0);
  });

  it('keeps notifying the other listeners when one throws, and logs the failure', () => {
    const second: AlarmEvent[] = [];
    sut.addListener(() => {
      throw new Error('socket gone');
    });
    sut.addListener((e) => second.push(e));

    sut.evaluate(point('LI-1', 8.2), 1000);
    sut.evaluate(point('LI-1', 5), 2000);

    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(second.map((e) => e.seq)).toEqual([1, 2]);
    expect(loggedErrors).toHaveBeenCalledWith(expect.stringContaining('socket gone'));
    expect(sut.list('active').map((a) => a.state)).toEqual(['rtn_unacked']);
  });
});

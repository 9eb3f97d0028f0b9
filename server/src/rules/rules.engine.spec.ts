import type { PointValue, Quality, SamplePoint } from '../contracts';
import type { LimitInput } from '../alarms/alarm.state';
import { parseSiteYaml, SiteIndex } from '../site';
import { RulesEngine } from './rules.engine';

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
            name: 1#储罐
            type: tank
            tankType: atmospheric
            capacityM3: 1000
            medium: methanol
            tags:
              - { tag: LI-1, name: 1#储罐液位, kind: level, unit: m, limits: { hh: 9, h: 8, l: 2, ll: 1, deadband: 0.5, priorities: { hh: 1 } } }
              - { tag: LI-2, name: 2#储罐液位, kind: level, unit: m, limits: { hh: 9, h: 8 } }
              - { tag: TI-1, name: 1#储罐温度, kind: temperature, unit: °C }
          - id: XV-1
            name: 进料切断阀
            type: esd_valve
            tags:
              - { tag: XV-1, name: 进料切断阀阀位, kind: valve_position }
`;

const site = new SiteIndex(parseSiteYaml(SITE_YAML, 'inline.yaml'));

function point(tag: string, v: PointValue, q: Quality = 'good'): SamplePoint {
  return { enterpriseId: 'ent1', sourceId: 'src1', tag, tsMs: 1000, v, q };
}

describe(RulesEngine.name, () => {
  let sut: RulesEngine;
  let emitted: LimitInput[];

  beforeEach(() => {
    sut = new RulesEngine(site);
    emitted = [];
  });

  /** Evaluates the values in turn and returns what was emitted as [side, level] pairs. */
  function feed(tag: string, values: PointValue[], q: Quality = 'good'): [string, string | null][] {
    const before = emitted.length;
    for (const v of values) sut.evaluate(point(tag, v, q), 5000, (i) => emitted.push(i));
    return emitted.slice(before).map((i) => [i.side, i.level]);
  }

  it('compiles rules only for tags with limits', () => {
    expect(sut.size).toBe(2);
  });

  it('emits once when a value crosses H and not again while it stays in H', () => {
    expect(feed('LI-1', [5, 8, 8.4, 8.9, 8])).toEqual([['hi', 'H']]);
  });

  it('emits nothing while the value stays inside its limits', () => {
    expect(feed('LI-1', [5, 6, 7, 3])).toEqual([]);
  });

  it('emits the return only once the value is past the deadband', () => {
    expect(feed('LI-1', [8, 7.6, 7.5])).toEqual([
      ['hi', 'H'],
      ['hi', null],
    ]);
  });

  it('emits an escalation to HH and a step down to H', () => {
    expect(feed('LI-1', [8, 9, 8.4])).toEqual([
      ['hi', 'H'],
      ['hi', 'HH'],
      ['hi', 'H'],
    ]);
  });

  it('emits a single return when the value drops from HH straight to normal', () => {
    expect(feed('LI-1', [9.5, 5])).toEqual([
      ['hi', 'HH'],
      ['hi', null],
    ]);
  });

  it('evaluates the low side on its own', () => {
    expect(feed('LI-1', [2, 1, 1.6, 2.6])).toEqual([
      ['lo', 'L'],
      ['lo', 'LL'],
      ['lo', 'L'],
      ['lo', null],
    ]);
  });

  it('emits a return on one side and a raise on the other when the value swings across the range', () => {
    expect(feed('LI-1', [9, 0.5])).toEqual([
      ['hi', 'HH'],
      ['hi', null],
      ['lo', 'LL'],
    ]);
  });

  it('fills the input with the site location, limit, priority, unit, name, value and time', () => {
    feed('LI-1', [9.2]);

    expect(emitted).toEqual([
      {
        tag: 'LI-1',
        enterpriseId: 'ent1',
        sourceId: 'src1',
        side: 'hi',
        level: 'HH',
        value: 9.2,
        limit: 9,
        priority: 1,
        unit: 'm',
        tagName: '1#储罐液位',
        nowMs: 5000,
      },
    ]);
  });

  it('uses the default priority of a level without an override', () => {
    feed('LI-1', [1.5]);

    expect(emitted[0]).toMatchObject({ level: 'L', limit: 2, priority: 3 });
  });

  it('reports a return with a null level and the value that returned', () => {
    feed('LI-1', [8, 7]);

    expect(emitted[1]).toMatchObject({ side: 'hi', level: null, value: 7, limit: 8 });
  });

  it('ignores bad-quality points, neither raising nor returning on them', () => {
    expect(feed('LI-1', [9.5], 'bad')).toEqual([]);
    expect(feed('LI-1', [9.5])).toEqual([['hi', 'HH']]);
    expect(feed('LI-1', [5], 'bad')).toEqual([]);
  });

  it('evaluates uncertain-quality points', () => {
    expect(feed('LI-1', [9.5], 'uncertain')).toEqual([['hi', 'HH']]);
  });

  it('ignores non-numeric values', () => {
    expect(feed('LI-1', ['high', true])).toEqual([]);
  });

  it('ignores tags without limits and tags it does not know', () => {
    expect(feed('TI-1', [1e6, -1e6])).toEqual([]);
    expect(feed('XV-1', ['closed'])).toEqual([]);
    expect(feed('NO-SUCH-TAG', [1e6])).toEqual([]);
  });

  it('keeps the level of each tag separately', () => {
    expect(feed('LI-1', [8.5])).toEqual([['hi', 'H']]);
    expect(feed('LI-2', [8.5])).toEqual([['hi', 'H']]);
    expect(feed('LI-1', [5])).toEqual([['hi', null]]);
    expect(feed('LI-2', [8.5])).toEqual([]);
  });
});

describe(`${RulesEngine.name} return reporting`, () => {
  it('names the HH limit and priority when a value falls straight from HH back to normal', () => {
    const sut = new RulesEngine(site);
    const emitted: LimitInput[] = [];
    for (const v of [9.5, 5]) sut.evaluate(point('LI-1', v), 5000, (i) => emitted.push(i));
    expect(emitted.map((i) => [i.level, i.limit, i.priority])).toEqual([
      ['HH', 9, 1],
      [null, 9, 1],
    ]);
  });
});

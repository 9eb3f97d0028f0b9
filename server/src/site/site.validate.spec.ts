import { resolveSite } from './site.resolve';
import { formatPath, usccCheckCharacter, validateSite, type SiteProblem } from './site.validate';

interface TagDoc {
  tag: string;
  name: string;
  kind: string;
  unit?: string;
  range?: number[];
  limits?: Record<string, unknown>;
}
interface Doc {
  schemaVersion: number;
  park: { id: string; name: string };
  enterprises: {
    id: string;
    name: string;
    code: string;
    address: string;
    sources: {
      id: string;
      name: string;
      kind: string;
      peopleWithin500m: number;
      chemicals: { chemical?: string; name?: string; hazardClasses?: string[]; quantityT: number }[];
      responsible: Record<string, { name: string }>;
      equipment: ({ id: string; name: string; type: string; tags: TagDoc[] } & Record<string, unknown>)[];
    }[];
  }[];
}

/** A small valid site document, fresh for each test so that tests can break it in place. */
function validDoc(): Doc {
  return {
    schemaVersion: 1,
    park: { id: 'p1', name: '测试园区' },
    enterprises: [
      {
        id: 'ent1',
        name: '企业一',
        code: '91320600MA1XXXXX9K',
        address: '测试路 1 号',
        sources: [
          {
            id: 'src1',
            name: '一号罐区',
            kind: 'storage',
            peopleWithin500m: 10,
            chemicals: [{ chemical: 'methanol', quantityT: 800 }],
            responsible: { principal: { name: '甲' }, technical: { name: '乙' }, operations: { name: '丙' } },
            equipment: [
              {
                id: 'T-1',
                name: '1#储罐',
                type: 'tank',
                tankType: 'atmospheric',
                capacityM3: 1000,
                medium: 'methanol',
                tags: [
                  { tag: 'LI-1', name: '液位', kind: 'level', unit: 'm', range: [0, 16], limits: { h: 13, hh: 14 } },
                  {
                    tag: 'TI-1',
                    name: '温度',
                    kind: 'temperature',
                    unit: '°C',
                    range: [-20, 80],
                    limits: { ll: -10, l: 0, h: 40, hh: 45 },
                  },
                ],
              },
              {
                id: 'XV-1',
                name: '切断阀',
                type: 'esd_valve',
                tags: [{ tag: 'XV-1', name: '阀位', kind: 'valve_position' }],
              },
            ],
          },
        ],
      },
    ],
  };
}

function problemsOf(doc: unknown): SiteProblem[] {
  const result = validateSite(doc);
  if (result.ok) throw new Error('expected the document to be invalid');
  return result.problems;
}

function tank(doc: Doc) {
  const eq = doc.enterprises[0]?.sources[0]?.equipment[0];
  if (!eq) throw new Error('fixture changed');
  return eq;
}

function tempTag(doc: Doc): TagDoc {
  const t = tank(doc).tags[1];
  if (!t) throw new Error('fixture changed');
  return t;
}

const TAGS = 'enterprises[0].sources[0].equipment[0].tags';

describe(validateSite.name, () => {
  it('accepts a valid document and fills defaults', () => {
    const sut = validateSite(validDoc());

    expect(sut.ok).toBe(true);
    if (!sut.ok) return;
    expect(sut.site.enterprises[0]?.sources[0]?.equipment[1]?.tags[0]?.unit).toBe('');
  });

  it('reports a duplicate tag with the path of both occurrences', () => {
    const doc = validDoc();
    tank(doc).tags.push({ tag: 'LI-1', name: '液位2', kind: 'level', unit: 'm', range: [0, 16], limits: {} });

    expect(problemsOf(doc)).toEqual([
      { path: `${TAGS}[2].tag`, message: `duplicate tag "LI-1" (first at ${TAGS}[0].tag)` },
    ]);
  });

  it('reports a duplicate tag across enterprises', () => {
    const doc = validDoc();
    const other = structuredClone(doc.enterprises[0]!);
    other.id = 'ent2';
    other.sources[0]!.id = 'src2';
    other.sources[0]!.equipment = [other.sources[0]!.equipment[1]!];
    doc.enterprises.push(other);

    expect(problemsOf(doc)).toEqual([
      {
        path: 'enterprises[1].sources[0].equipment[0].tags[0].tag',
        message: 'duplicate tag "XV-1" (first at enterprises[0].sources[0].equipment[1].tags[0].tag)',
      },
    ]);
  });

  it('reports duplicate enterprise and hazard source ids', () => {
    const doc = validDoc();
    const other = structuredClone(doc.enterprises[0]!);
    other.sources[0]!.equipment = [
      {
        id: 'T-9',
        name: '9#储罐',
        type: 'tank',
        tankType: 'atmospheric',
        capacityM3: 100,
        medium: 'methanol',
        tags: [],
      },
    ];
    doc.enterprises.push(other);

    expect(problemsOf(doc).map((p) => p.path)).toEqual(['enterprises[1].id', 'enterprises[1].sources[0].id']);
  });

  it('reports limits out of order at the limit that breaks LL < L < H < HH', () => {
    const doc = validDoc();
    tempTag(doc).limits = { ll: -10, l: 0, h: 46, hh: 45 };

    expect(problemsOf(doc)).toEqual([
      {
        path: `${TAGS}[1].limits.hh`,
        message: 'limits out of order: hh=45 must be above h=46 (LL < L < H < HH)',
      },
    ]);
  });

  it('reports equal limits as out of order', () => {
    const doc = validDoc();
    tempTag(doc).limits = { l: 10, h: 10 };

    expect(problemsOf(doc).map((p) => p.path)).toEqual([`${TAGS}[1].limits.h`]);
  });

  it('compares a limit with the nearest limit given, skipping absent ones', () => {
    const doc = validDoc();
    tempTag(doc).limits = { ll: 50, hh: 45 };

    expect(problemsOf(doc).map((p) => p.path)).toEqual([`${TAGS}[1].limits.hh`]);
  });

  it('reports a limit outside the instrument range', () => {
    const doc = validDoc();
    tempTag(doc).limits = { ll: -30, h: 40, hh: 85 };

    expect(problemsOf(doc)).toEqual([
      { path: `${TAGS}[1].limits.ll`, message: 'limit ll=-30 is outside the range [-20, 80]' },
      { path: `${TAGS}[1].limits.hh`, message: 'limit hh=85 is outside the range [-20, 80]' },
    ]);
  });

  it('accepts limits on the ends of the range', () => {
    const doc = validDoc();
    tempTag(doc).limits = { ll: -20, hh: 80 };

    expect(validateSite(doc).ok).toBe(true);
  });

  it('reports a range whose min is not below its max', () => {
    const doc = validDoc();
    tempTag(doc).range = [80, 80];
    delete tempTag(doc).limits;

    expect(problemsOf(doc)).toEqual([{ path: `${TAGS}[1].range`, message: 'range min 80 must be below max 80' }]);
  });

  it('reports analog limits on a discrete tag', () => {
    const doc = validDoc();
    const valve = doc.enterprises[0]!.sources[0]!.equipment[1]!.tags[0]!;
    valve.limits = { h: 1 };

    expect(problemsOf(doc).map((p) => p.path)).toEqual(['enterprises[0].sources[0].equipment[1].tags[0].limits']);
  });

  it('reports every cross-check problem at once', () => {
    const doc = validDoc();
    tank(doc).tags.push({ tag: 'TI-1', name: '温度2', kind: 'temperature', unit: '°C', range: [0, 16], limits: {} });
    tank(doc).tags[0]!.limits = { h: 14, hh: 13 };
    tempTag(doc).limits = { h: 40, hh: 90 };

    expect(problemsOf(doc).map((p) => p.path)).toEqual([
      `${TAGS}[0].limits.hh`,
      `${TAGS}[1].limits.hh`,
      `${TAGS}[2].tag`,
    ]);
  });

  it.each([
    {
      what: 'a space in a source id',
      at: 'enterprises[0].sources[0].id',
      edit: (d: Doc) => (d.enterprises[0]!.sources[0]!.id = 'src 1'),
    },
    {
      what: 'a slash in an enterprise id',
      at: 'enterprises[0].id',
      edit: (d: Doc) => (d.enterprises[0]!.id = 'ent/1'),
    },
    {
      what: 'a "+" in an equipment id',
      at: 'enterprises[0].sources[0].equipment[0].id',
      edit: (d: Doc) => (tank(d).id = 'T+1'),
    },
    { what: 'a "#" in a tag', at: `${TAGS}[0].tag`, edit: (d: Doc) => (tank(d).tags[0]!.tag = 'LI#1') },
    { what: 'an empty park id', at: 'park.id', edit: (d: Doc) => (d.park.id = '') },
    { what: 'an id longer than 64 characters', at: 'park.id', edit: (d: Doc) => (d.park.id = 'p'.repeat(65)) },
  ])('reports $what at $at', ({ at, edit }) => {
    const doc = validDoc();
    edit(doc);

    expect(problemsOf(doc).map((p) => p.path)).toEqual([at]);
  });

  it('reports unknown keys (strict objects) with the key named', () => {
    const doc = validDoc();
    Object.assign(tank(doc).tags[0]!, { colour: 'red' });

    expect(problemsOf(doc)).toEqual([{ path: `${TAGS}[0]`, message: expect.stringContaining('"colour"') }]);
  });

  it('reports an unknown key inside limits', () => {
    const doc = validDoc();
    Object.assign(tempTag(doc).limits!, { hhh: 50 });

    expect(problemsOf(doc).map((p) => p.path)).toEqual([`${TAGS}[1].limits`]);
  });

  it('reports every schema problem at once', () => {
    const doc = validDoc();
    doc.schemaVersion = 2;
    doc.enterprises[0]!.sources[0]!.id = 'src 1';
    Object.assign(tank(doc), { volume: 5000 });
    tempTag(doc).kind = 'humidity';
    tempTag(doc).limits = { hh: 'high' };

    expect(problemsOf(doc).map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'schemaVersion',
        'enterprises[0].sources[0].id',
        'enterprises[0].sources[0].equipment[0]',
        `${TAGS}[1].kind`,
        `${TAGS}[1].limits.hh`,
      ]),
    );
  });

  it('reports an unknown chemical that has no hazard class to fall back on', () => {
    const doc = validDoc();
    doc.enterprises[0]!.sources[0]!.chemicals.push({ chemical: 'unobtainium', quantityT: 5 });

    expect(problemsOf(doc)).toEqual([
      { path: 'enterprises[0].sources[0].chemicals[1]', message: expect.stringContaining('unobtainium') },
    ]);
  });

  it('reports a tank medium that is not among its source chemicals', () => {
    const doc = validDoc();
    tank(doc).medium = 'benzene';

    expect(problemsOf(doc).map((p) => p.path)).toEqual(['enterprises[0].sources[0].equipment[0].medium']);
  });

  it('reports an SIS loop that trips on an unknown tag and closes an unknown valve', () => {
    const doc = validDoc();
    doc.enterprises[0]!.sources[0]!.equipment.push({
      id: 'SIS-1',
      name: '高高液位联锁',
      type: 'sis_loop',
      sil: 2,
      tripTags: ['LI-1', 'LI-9'],
      closes: ['XV-1', 'XV-9'],
      tags: [{ tag: 'SIS-1', name: '联锁状态', kind: 'sis_state' }],
    });

    expect(problemsOf(doc)).toEqual([
      { path: 'enterprises[0].sources[0].equipment[2].tripTags[1]', message: expect.stringContaining('"LI-9"') },
      { path: 'enterprises[0].sources[0].equipment[2].closes[1]', message: expect.stringContaining('"XV-9"') },
    ]);
  });

  it('reports a toxic gas detector without its gas', () => {
    const doc = validDoc();
    doc.enterprises[0]!.sources[0]!.equipment.push({
      id: 'GT-1',
      name: '有毒气体探测器',
      type: 'gas_detector',
      detection: 'toxic',
      tags: [{ tag: 'GIA-1', name: '浓度', kind: 'gas', unit: 'mg/m³', range: [0, 100] }],
    });

    expect(problemsOf(doc)).toEqual([
      { path: 'enterprises[0].sources[0].equipment[2].gas', message: expect.stringContaining('must name its gas') },
    ]);
  });

  it('gives a combustible detector without limits the GB/T 50493-2019 defaults, marked as such', () => {
    const doc = validDoc();
    doc.enterprises[0]!.sources[0]!.equipment.push({
      id: 'GT-1',
      name: '可燃气体探测器',
      type: 'gas_detector',
      detection: 'combustible',
      tags: [{ tag: 'GIA-1', name: '浓度', kind: 'gas', unit: '%LEL', range: [0, 100] }],
    });

    const valid = validateSite(doc);
    if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
    const sut = resolveSite(valid.site);

    const source = sut.enterprises[0]?.sources[0];
    expect(source?.equipment[2]?.tags[0]).toMatchObject({
      limits: { h: 25, hh: 50 },
      limitsSource: 'GB/T 50493-2019 default',
    });
    expect(source?.equipment[0]?.tags[0]?.limitsSource).toBe('site');
  });

  it('reports a 统一社会信用代码 whose check character is wrong, naming the right one', () => {
    const doc = validDoc();
    doc.enterprises[0]!.code = '91320600MA1XXXXX93';

    expect(problemsOf(doc)).toEqual([{ path: 'enterprises[0].code', message: expect.stringContaining('"K"') }]);
  });

  it('reports a problem of the schema and of the cross-checks in the same run', () => {
    const doc = validDoc();
    tempTag(doc).kind = 'humidity';
    doc.enterprises[0]!.sources[0]!.chemicals.push({ chemical: 'unobtainium', quantityT: 5 });
    tank(doc).tags[0]!.limits = { h: 15, hh: 14 };

    expect(problemsOf(doc).map((p) => p.path)).toEqual(
      expect.arrayContaining([`${TAGS}[1].kind`, 'enterprises[0].sources[0].chemicals[1]', `${TAGS}[0].limits.hh`]),
    );
  });

  it('reports a hazard source without equipment', () => {
    const doc = validDoc();
    doc.enterprises[0]!.sources[0]!.equipment = [];

    expect(problemsOf(doc).map((p) => p.path)).toEqual(['enterprises[0].sources[0].equipment']);
  });

  it('reports a document that is not an object at the root', () => {
    expect(problemsOf(null).map((p) => p.path)).toEqual(['(root)']);
  });
  describe('rule keys and composites', () => {
    const SRC = 'enterprises[0].sources[0]';

    function withDetectors(doc: Doc): Doc {
      const source = doc.enterprises[0]!.sources[0]!;
      for (const n of [1, 2, 3]) {
        source.equipment.push({
          id: `GD-${n}`,
          name: `探测器${n}`,
          type: 'gas_detector',
          detection: 'combustible',
          tags: [{ tag: `GI-${n}`, name: `可燃气体${n}`, kind: 'gas', unit: '%LEL', range: [0, 100] }],
        });
      }
      return doc;
    }
    const setComposites = (doc: Doc, composites: unknown[]) => {
      (doc.enterprises[0]!.sources[0] as Record<string, unknown>).composites = composites;
      return doc;
    };

    it('accepts rateOfChange, flatline, bypassMaxMin and both composites, filling the vote level', () => {
      const doc = withDetectors(validDoc());
      Object.assign(tank(doc).tags[0]!, {
        rateOfChange: { risePerMin: 0.5, windowS: 120 },
        flatline: { afterMin: 30, tolerance: 0.005 },
      });
      setComposites(doc, [
        { id: 'VOTE-1', name: '2oo3', type: 'vote', members: ['GI-1', 'GI-2', 'GI-3'], k: 2 },
        {
          id: 'GVO-1',
          name: '气体+阀',
          type: 'gas_valve_open',
          valves: ['XV-1'],
          alarms: { priorities: { GAS_VALVE_OPEN: 2 } },
        },
      ]);
      const sut = validateSite(doc);
      if (!sut.ok) throw new Error(JSON.stringify(sut.problems));
      expect(sut.site.enterprises[0]?.sources[0]?.composites?.[0]).toMatchObject({ type: 'vote', level: 'hh' });
    });

    it('reports a rateOfChange with neither a rise nor a fall limit, and rule blocks on a discrete tag', () => {
      const doc = validDoc();
      Object.assign(tank(doc).tags[0]!, { rateOfChange: { windowS: 60 } });
      Object.assign(doc.enterprises[0]!.sources[0]!.equipment[1]!.tags[0]!, { flatline: { afterMin: 5 } });
      expect(problemsOf(doc)).toEqual([
        { path: `${TAGS}[0].rateOfChange`, message: 'give risePerMin, fallPerMin or both' },
        {
          path: `${SRC}.equipment[1].tags[0].flatline`,
          message: 'a valve_position tag is discrete and cannot have flatline',
        },
      ]);
    });

    it('reports a negative rate, a too-short window and a zero flat-line time with their paths', () => {
      const doc = validDoc();
      Object.assign(tank(doc).tags[0]!, { rateOfChange: { risePerMin: -1, windowS: 1 }, flatline: { afterMin: 0 } });
      expect(problemsOf(doc).map((p) => p.path)).toEqual([
        `${TAGS}[0].rateOfChange.risePerMin`,
        `${TAGS}[0].rateOfChange.windowS`,
        `${TAGS}[0].flatline.afterMin`,
      ]);
    });

    it('reports a vote with an unknown member, a repeated member, a member without the voted limit, and k > n', () => {
      const doc = withDetectors(validDoc());
      setComposites(doc, [
        { id: 'VOTE-1', name: 'v', type: 'vote', members: ['GI-1', 'GI-9', 'GI-1', 'TI-1'], k: 5, level: 'hh' },
      ]);
      tempTag(doc).limits = { h: 40 };
      expect(problemsOf(doc)).toEqual([
        {
          path: `${SRC}.composites[0].members[1]`,
          message: 'unknown tag "GI-9": a vote\'s members are tags of its own hazard source',
        },
        {
          path: `${SRC}.composites[0].members[2]`,
          message: `duplicate member "GI-1" (first at ${SRC}.composites[0].members[0])`,
        },
        { path: `${SRC}.composites[0].members[3]`, message: 'tag "TI-1" has no "hh" limit to vote on' },
        { path: `${SRC}.composites[0].k`, message: 'k = 5 exceeds the 4 members (k-out-of-n needs k ≤ n)' },
      ]);
    });

    it('reports a gas-and-valve composite naming an unknown valve, a non-gas detector, and a source without detectors', () => {
      const doc = validDoc();
      setComposites(doc, [
        { id: 'GVO-1', name: 'g', type: 'gas_valve_open', valves: ['XV-9'] },
        { id: 'GVO-2', name: 'g', type: 'gas_valve_open', detectors: ['LI-1'] },
      ]);
      expect(problemsOf(doc)).toEqual([
        { path: `${SRC}.composites[0]`, message: 'no gas detector tags in this hazard source: name `detectors`' },
        {
          path: `${SRC}.composites[0].valves[0]`,
          message: 'unknown ESD valve "XV-9": no esd_valve with that id in this hazard source',
        },
        { path: `${SRC}.composites[1].detectors[0]`, message: 'tag "LI-1" is a level tag, not gas' },
      ]);
    });

    it('reports a composite id that is already a tag (alarm keys share one namespace)', () => {
      const doc = withDetectors(validDoc());
      setComposites(doc, [{ id: 'LI-1', name: 'v', type: 'vote', members: ['GI-1', 'GI-2'], k: 2 }]);
      expect(problemsOf(doc)).toEqual([
        {
          path: `${SRC}.composites[0].id`,
          message: `duplicate tag or composite id "LI-1" (first at ${TAGS}[0].tag)`,
        },
      ]);
    });

    it('reports a vote with fewer than two members and a k below 1 from the schema', () => {
      const doc = withDetectors(validDoc());
      setComposites(doc, [{ id: 'VOTE-1', name: 'v', type: 'vote', members: ['GI-1'], k: 0 }]);
      expect(problemsOf(doc).map((p) => p.path)).toEqual([`${SRC}.composites[0].members`, `${SRC}.composites[0].k`]);
    });

    it.each([
      ['composites', 'x'],
      ['composites', [null, 7, { type: 'vote', members: 'GI-1', k: 'two' }]],
    ])('reports garbage in %s as problems, never a crash (%j)', (_key, value) => {
      const doc = setComposites(withDetectors(validDoc()), value as unknown[]);
      expect(problemsOf(doc).length).toBeGreaterThan(0);
    });

    it('reports a non-positive bypassMaxMin on an SIS loop', () => {
      const doc = validDoc();
      doc.enterprises[0]!.sources[0]!.equipment.push({
        id: 'SIS-1',
        name: '联锁',
        type: 'sis_loop',
        tripTags: ['LI-1'],
        closes: ['XV-1'],
        bypassMaxMin: 0,
        tags: [{ tag: 'XS-1', name: '状态', kind: 'sis_state' }],
      });
      expect(problemsOf(doc).map((p) => p.path)).toEqual([`${SRC}.equipment[2].bypassMaxMin`]);
    });
  });
});

describe(usccCheckCharacter.name, () => {
  it.each([
    ['91320600MA1XXXXX9K', 'K'],
    ['91320600MA2XXXXX0X', 'X'],
    ['91320600MA4XXXXX4N', 'N'],
  ])('computes the GB 32100-2015 check character of %s', (code, expected) => {
    expect(usccCheckCharacter(code)).toBe(expected);
  });

  it('has no answer for characters outside the alphabet (I, O, S, V, Z)', () => {
    expect(usccCheckCharacter('9132060OMA1XXXXX9K')).toBeUndefined();
  });
});

describe(formatPath.name, () => {
  it('joins keys with dots and indexes in brackets', () => {
    expect(formatPath(['enterprises', 1, 'sources', 0, 'equipment', 3, 'tags', 0, 'limits', 'hh'])).toBe(
      'enterprises[1].sources[0].equipment[3].tags[0].limits.hh',
    );
  });

  it('names the root for an empty path', () => {
    expect(formatPath([])).toBe('(root)');
  });

  it('starts with an index when the path does', () => {
    expect(formatPath([0, 'tag'])).toBe('[0].tag');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SiteIndex } from './site.index';
import { loadSiteFile, parseSiteYaml, SiteFileError } from './site.loader';

const DEMO_SITE = resolve(__dirname, '../../../deploy/demo-site.yaml');
const DEMO_PARK = resolve(__dirname, '../../../deploy/demo-park.yaml');

const VALID_YAML = `schemaVersion: 1
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
              - { tag: LI-1, name: 液位, kind: level, unit: m, range: [0, 16], limits: { h: 13, hh: 14 } }
              - { tag: LI-2, name: 液位, kind: level, unit: m, range: [0, 16], limits: { h: 13, hh: 14 } }
`;

/** Runs `fn` and returns the SiteFileError it throws. */
function siteFileError(fn: () => unknown): SiteFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SiteFileError) return err;
    throw err;
  }
  throw new Error('expected a SiteFileError');
}

describe(parseSiteYaml.name, () => {
  it('parses and validates a valid site', () => {
    const sut = parseSiteYaml(VALID_YAML, 'site.yaml');

    expect(sut.enterprises[0]?.sources[0]?.equipment[0]?.tags.map((t) => t.tag)).toEqual(['LI-1', 'LI-2']);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const yaml = 'schemaVersion: 1\npark:\n  id: p1\n  name: a: b\nenterprises: []\n';
    const sut = siteFileError(() => parseSiteYaml(yaml, 'bad.yaml'));

    expect(sut.problems).toEqual([{ path: 'line 4, column 9', message: expect.stringContaining('Nested mappings') }]);
    expect(sut.message).toContain('bad.yaml: line 4, column 9: ');
  });

  it('rejects a duplicate key instead of letting the last one win', () => {
    const sut = siteFileError(() => parseSiteYaml('schemaVersion: 1\nschemaVersion: 1\n', 'dup.yaml'));

    expect(sut.problems.map((p) => p.path)).toEqual(['line 2, column 1']);
  });

  it('reports validation problems with their paths', () => {
    const yaml = VALID_YAML.replace('limits: { h: 13, hh: 14 } }\n', 'limits: { h: 13, hh: 12 } }\n').replace(
      'tag: LI-2',
      'tag: LI-1',
    );
    const sut = siteFileError(() => parseSiteYaml(yaml, 'site.yaml'));

    expect(sut.problems.map((p) => p.path)).toEqual([
      'enterprises[0].sources[0].equipment[0].tags[0].limits.hh',
      'enterprises[0].sources[0].equipment[0].tags[1].tag',
    ]);
  });

  it('takes a positive maxAgeS per tag and rejects zero with its path', () => {
    const ok = parseSiteYaml(VALID_YAML.replace('{ tag: LI-1,', '{ tag: LI-1, maxAgeS: 300,'), 'site.yaml');
    expect(ok.enterprises[0]?.sources[0]?.equipment[0]?.tags[0]?.maxAgeS).toBe(300);
    const sut = siteFileError(() =>
      parseSiteYaml(VALID_YAML.replace('{ tag: LI-1,', '{ tag: LI-1, maxAgeS: 0,'), 'site.yaml'),
    );
    expect(sut.problems.map((p) => p.path)).toEqual(['enterprises[0].sources[0].equipment[0].tags[0].maxAgeS']);
  });

  it('indexes tags in file order so per-tag state can live in typed arrays', () => {
    const index = new SiteIndex(parseSiteYaml(VALID_YAML, 'site.yaml'));
    expect(index.tagList.map((t) => [t.def.tag, t.index])).toEqual([
      ['LI-1', 0],
      ['LI-2', 1],
    ]);
    expect(index.tags.get('LI-2')).toBe(index.tagList[1]);
  });

  it('names the file, the number of problems and each path in the message', () => {
    const yaml = VALID_YAML.replace('id: src1', 'id: src 1').replace('kind: storage', 'kind: storage\n        area: 3');
    const sut = siteFileError(() => parseSiteYaml(yaml, '/etc/hazard/park.yaml'));

    expect(sut.name).toBe('SiteFileError');
    expect(sut.file).toBe('/etc/hazard/park.yaml');
    expect(sut.message).toMatch(/^invalid site file \/etc\/hazard\/park\.yaml \(2 problems\):\n/);
    expect(sut.message).toContain('  /etc/hazard/park.yaml: enterprises[0].sources[0].id: ');
    expect(sut.message).toContain('  /etc/hazard/park.yaml: enterprises[0].sources[0]: ');
  });

  it('says "1 problem" for a single problem', () => {
    const sut = siteFileError(() =>
      parseSiteYaml(VALID_YAML.replace('schemaVersion: 1', 'schemaVersion: 2'), 's.yaml'),
    );

    expect(sut.message).toMatch(/\(1 problem\):\n {2}s\.yaml: schemaVersion: /);
  });

  it('rejects an empty file', () => {
    const sut = siteFileError(() => parseSiteYaml('', 'empty.yaml'));

    expect(sut.problems.map((p) => p.path)).toEqual(['(root)']);
  });
});

describe(loadSiteFile.name, () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'site-loader-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped demo site, which is valid', () => {
    const sut = new SiteIndex(loadSiteFile(DEMO_SITE));

    expect(sut.site.enterprises.length).toBeGreaterThan(0);
    expect(sut.tags.get('LIA-101')).toMatchObject({ enterpriseId: 'bjpc', sourceId: 'tf01', equipmentId: 'T-101' });
  });

  describe('the shipped demo park', () => {
    const sut = new SiteIndex(loadSiteFile(DEMO_PARK));
    const sources = [...sut.sources.values()].map((e) => e.source);

    it('has at least 3 enterprises and 8 major hazard sources, every one with S ≥ 1', () => {
      expect(sut.site.enterprises.length).toBeGreaterThanOrEqual(3);
      expect(sources.length).toBeGreaterThanOrEqual(8);
      for (const g of sut.grades.values()) expect(g.isMajorHazard).toBe(true);
    });

    it('has all four GB 18218-2018 grades, with R as the file header works it out', () => {
      const grades = new Map([...sut.grades].map(([id, g]) => [id, [g.grade, g.R]]));

      expect(new Set([...sut.grades.values()].map((g) => g.grade))).toEqual(new Set([1, 2, 3, 4]));
      expect(Object.fromEntries(grades)).toEqual({
        tf01: [2, 79.56],
        tf02: [2, 71.28],
        tf03: [1, 165.24],
        lng01: [1, 923.4],
        cl01: [1, 225],
        h201: [4, 2.925],
        nh301: [2, 74.88],
        eo01: [3, 29.6],
      });
    });

    it('covers LNG, LPG, liquid ammonia, chlorine, methanol, gasoline, benzene and hydrogen', () => {
      const chemicals = new Set([...sut.grades.values()].flatMap((g) => g.terms.map((t) => t.id)));

      for (const id of ['methane', 'lpg', 'ammonia', 'chlorine', 'methanol', 'gasoline', 'benzene', 'hydrogen']) {
        expect(chemicals).toContain(id);
      }
    });

    it('gives every liquid tank level, temperature and pressure, and every source detectors and ESD valves', () => {
      for (const source of sources) {
        const types = new Set(source.equipment.map((q) => q.type));
        expect([source.id, types.has('gas_detector'), types.has('esd_valve')]).toEqual([source.id, true, true]);
        for (const q of source.equipment.filter((e) => e.type === 'tank')) {
          // Compressed hydrogen (buffer tank, tube banks) has no liquid, hence no level to measure.
          const kinds = q.medium.includes('氢') ? ['temperature', 'pressure'] : ['level', 'temperature', 'pressure'];
          expect([q.id, ...kinds.filter((k) => !q.tags.some((t) => t.kind === k))]).toEqual([q.id]);
        }
      }
    });

    it('has toxic detectors naming their gas where chlorine and ammonia are stored', () => {
      for (const id of ['cl01', 'nh301']) {
        const toxic = sut.sources
          .get(id)!
          .source.equipment.filter((q) => q.type === 'gas_detector' && q.detection === 'toxic');
        expect(toxic.length).toBeGreaterThan(0);
        for (const q of toxic) expect(q.type === 'gas_detector' && q.gas).toBeTruthy();
      }
    });

    it('has an SIS loop closing ESD valves in every 一级/二级 source holding a toxic or liquefied gas', () => {
      // SAWS Order 40 Art. 13 (DOMAIN.md): 一级/二级 sources with toxic gases, liquefied gases or highly toxic
      // liquids need an independent SIS.
      for (const id of ['tf02', 'tf03', 'lng01', 'cl01', 'nh301']) {
        const loops = sut.sources.get(id)!.source.equipment.filter((q) => q.type === 'sis_loop');
        expect([id, loops.some((q) => q.type === 'sis_loop' && q.closes.length > 0)]).toEqual([id, true]);
      }
    });

    it('marks the detectors that rely on GB/T 50493-2019 default limits', () => {
      const defaults = [...sut.tags.values()].filter((t) => t.def.limitsSource === 'GB/T 50493-2019 default');

      expect(defaults.length).toBeGreaterThan(0);
      for (const t of defaults) expect(t.def.kind).toBe('gas');
    });
  });

  it('names the file in the error of an invalid file', () => {
    const file = join(dir, 'invalid.yaml');
    writeFileSync(file, VALID_YAML.replace('tag: LI-2', 'tag: LI-1'));
    const sut = siteFileError(() => loadSiteFile(file));

    expect(sut.file).toBe(file);
    expect(sut.message).toContain(`${file}: enterprises[0].sources[0].equipment[0].tags[1].tag: duplicate tag "LI-1"`);
  });

  it('reports a file it cannot read', () => {
    const file = join(dir, 'missing.yaml');
    const sut = siteFileError(() => loadSiteFile(file));

    expect(sut.problems).toEqual([{ path: '(file)', message: expect.stringContaining('cannot read') }]);
    expect(sut.message).toContain(file);
  });
});

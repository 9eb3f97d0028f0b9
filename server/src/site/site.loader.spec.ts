import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SiteIndex } from './site.index';
import { loadSiteFile, parseSiteYaml, SiteFileError } from './site.loader';

const DEMO_SITE = resolve(__dirname, '../../../deploy/demo-site.yaml');

const VALID_YAML = `schemaVersion: 1
park: { id: p1, name: 测试园区 }
enterprises:
  - id: ent1
    name: 企业一
    sources:
      - id: src1
        name: 一号罐区
        kind: storage
        equipment:
          - id: T-1
            name: 1#储罐
            type: tank
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

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SiteModel, SourceDetail } from '../../src/contracts';
import { SiteFileError } from '../../src/site/site.loader';
import { startTestServer, type TestServer } from './helpers';

const DEMO_PARK = resolve(__dirname, '../../../deploy/demo-park.yaml');

async function getJson<T>(server: TestServer, path: string): Promise<{ status: number; body: T }> {
  const res = await server.request(path);
  return { status: res.status, body: (await res.json()) as T };
}

describe('site API on the demo park (issue 3)', () => {
  let sut: TestServer;

  beforeAll(async () => {
    sut = await startTestServer({ SITE_FILE: DEMO_PARK });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('serves the whole park: enterprises, sources, equipment and tags', async () => {
    const { status, body } = await getJson<SiteModel>(sut, '/api/site');

    expect(status).toBe(200);
    expect(body.park.name).toBe('滨江化工园区');
    expect(body.enterprises.map((e) => e.id)).toEqual(['bjpc', 'bjlng', 'bjca', 'bjxc']);
    expect(body.enterprises.flatMap((e) => e.sources).length).toBe(8);
  });

  it('shows the GB 18218-2018 computation of a source term by term, with α, the people count, S, R and grade', async () => {
    const { status, body } = await getJson<SourceDetail>(sut, '/api/sources/tf01');

    expect(status).toBe(200);
    expect(body).toMatchObject({ enterpriseId: 'bjpc', source: { id: 'tf01', name: '一号罐区（甲醇/汽油/苯）' } });
    expect(
      body.grade.terms.map((t) => [t.id, t.quantityT, t.criticalQuantityT, t.beta, t.qOverQ, t.betaQOverQ]),
    ).toEqual([
      ['methanol', 7900, 500, 1, 15.8, 15.8],
      ['gasoline', 2200, 200, 1.5, 11, 16.5],
      ['benzene', 1700, 50, 1, 34, 34],
    ]);
    expect(body.grade).toMatchObject({
      S: 60.8,
      isMajorHazard: true,
      peopleWithin500m: 45,
      alpha: 1.2,
      R: 79.56,
      grade: 2,
      gradeZh: '二级',
    });
    expect(body.source.responsible.principal).toMatchObject({ name: '王建国', phone: expect.any(String) });
    const limitsSources = body.source.equipment.flatMap((q) => q.tags.map((t) => t.limitsSource));
    expect(limitsSources).toContain('site');
  });

  it('answers 404 naming the id for a source the park does not have', async () => {
    const res = await sut.request(`/api/sources/nope`);
    const body = (await res.json()) as { message: string };

    expect(res.status).toBe(404);
    expect(body.message).toContain('"nope"');
  });
});

describe('server start on a broken site file', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hazard-broken-site-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start and names every problem with file and path in one run', async () => {
    const file = join(dir, 'broken.yaml');
    const broken = readFileSync(DEMO_PARK, 'utf8')
      // duplicate tag: the second tank's level takes the first one's 位号
      .replace('tag: LIA-102,', 'tag: LIA-101,')
      // limits out of order
      .replace('limits: { hh: 1.20, h: 1.05, deadband: 0.01, priorities: { hh: 1 } }', 'limits: { hh: 1.00, h: 1.05 }')
      // unknown chemical
      .replace('chemical: benzene,', 'chemical: benzine,');

    const err = await startTestServer({ SITE_FILE: file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SiteFileError); // the file does not exist yet: "cannot read"

    writeFileSync(file, broken);
    const sut = await startTestServer({ SITE_FILE: file }).then(
      async (s) => {
        await s.stop();
        return undefined;
      },
      (e: unknown) => e,
    );

    expect(sut).toBeInstanceOf(SiteFileError);
    const message = (sut as SiteFileError).message;
    expect((sut as SiteFileError).problems.length).toBeGreaterThanOrEqual(3);
    expect(message).toMatch(
      new RegExp(
        `${file}: enterprises\\[0\\]\\.sources\\[0\\]\\.equipment\\[\\d+\\]\\.tags\\[0\\]\\.tag: duplicate tag "LIA-101"`,
      ),
    );
    expect(message).toMatch(/enterprises\[2\]\.sources\[0\]\.equipment\[\d+\]\.tags\[\d+\]\.limits\.hh/);
    expect(message).toMatch(/enterprises\[0\]\.sources\[0\]\.chemicals\[2\]: .*benzine/);
  });
});

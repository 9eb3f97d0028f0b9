import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSiteFile } from '@hazard/server/site';
import { loadScenarioFile, parseScenarioYaml, ScenarioFileError } from './scenario.loader';

const site = loadSiteFile(resolve(__dirname, '../../../deploy/demo-park.yaml'));

function problemsOf(yaml: string): string[] {
  try {
    parseScenarioYaml(yaml, 'bad.yaml', site);
  } catch (err) {
    if (err instanceof ScenarioFileError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

const HEADER = 'name: x\ndescription: d\ndurationS: 10m\n';

describe(parseScenarioYaml.name, () => {
  it('accepts durations with units and defaults the tick, seed and gateway', () => {
    const sut = parseScenarioYaml(
      `${HEADER}timeline:\n  - { at: 1h30m, do: bypass, sis: SIS-301 }\nexpect: []\n`.replace('10m', '2h'),
      'ok.yaml',
      site,
    );

    expect(sut.durationS).toBe(7200);
    expect(sut.timeline[0]?.at).toBe(5400);
    expect(sut).toMatchObject({ tickS: 1, seed: 1, gateway: { publishIntervalS: 1, maxPointsPerMessage: 100 } });
  });

  it('names the path and the reason of schema errors', () => {
    const problems = problemsOf(
      `${HEADER}timeline:\n  - { at: 5x, do: bypass, sis: SIS-301 }\n  - { at: 1, do: explode }\nexpect:\n  - { key: LIA-101, transition: raised }\n`,
    );

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timeline\[0\]\.at: /),
        expect.stringMatching(/^timeline\[1\]\.do: /),
        expect.stringMatching(/^expect\[0\]\.key: an alarm key like/),
        expect.stringMatching(/^expect\[0\]\.transition: /),
      ]),
    );
  });

  it('checks every name against the site: equipment type, tag kind, played sources', () => {
    const problems = problemsOf(
      `${HEADER}sources: [tf01]\ntimeline:\n` +
        '  - { at: 0, do: flow, tank: XV-101, inFlowM3PerH: 1 }\n' +
        '  - { at: 0, do: bypass, sis: SIS-301 }\n' +
        '  - { at: 0, do: drift, tag: XV-101, perMin: 1 }\n' +
        '  - { at: 0, do: freeze, tag: NOPE-1 }\n' +
        'expect:\n  - { key: NOPE-2:hi, transition: raise }\n',
    );

    expect(problems).toEqual([
      'timeline[0].tank: "XV-101" is a esd_valve, not a tank',
      'timeline[1].sis: "SIS-301" belongs to tf02, which is not in the scenario\'s sources',
      'timeline[2].tag: "XV-101" is a discrete valve_position tag; this action needs an analog tag',
      'timeline[3].tag: no tag "NOPE-1" in the site',
      'expect[0].key: "NOPE-2" is neither a tag nor a composite of the site',
    ]);
  });

  it('refuses an action after the end and reports YAML syntax errors with their line', () => {
    expect(problemsOf(`${HEADER}timeline:\n  - { at: 11m, do: bypass, sis: SIS-301 }\nexpect: []\n`)).toEqual([
      'timeline[0].at: after the end (600 s)',
    ]);
    expect(problemsOf(`${HEADER}expect: [\n`)[0]).toMatch(/^line \d+, column \d+: /);
  });

  it('names the file in its message, one line per problem', () => {
    expect(() => loadScenarioFile('/nonexistent/x.yaml')).toThrow(
      /invalid scenario file \/nonexistent\/x\.yaml \(1 problem\):\n {2}\/nonexistent\/x\.yaml: \(file\): cannot read/,
    );
  });

  it('loads every shipped scenario against the demo park', () => {
    const dir = resolve(__dirname, '../../scenarios');
    const files = readdirSync(dir);

    for (const f of files) expect(() => loadScenarioFile(resolve(dir, f), site)).not.toThrow();
    expect(files.length).toBeGreaterThanOrEqual(9);
  });
});

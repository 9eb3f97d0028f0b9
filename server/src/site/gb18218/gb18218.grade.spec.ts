import {
  GB18218_TABLE1,
  GB18218_TABLES_VERSION,
  HAZARD_CLASS_CODES,
  NAMED_TABLE2_CHEMICALS,
  gradeUnit,
  lookupChemical,
  matchChemicals,
  resolveChemical,
} from '.';

const ammonia = (quantityT: number) => ({ chemical: 'ammonia', quantityT });

describe(gradeUnit.name, () => {
  it('grades 100 t of ammonia with 60 people as 三级: S 10, β 2, α 1.5, R 30', () => {
    const sut = gradeUnit({ chemicals: [ammonia(100)], peopleWithin500m: 60 });

    expect(sut).toMatchObject({
      S: 10,
      isMajorHazard: true,
      peopleWithin500m: 60,
      alpha: 1.5,
      alphaBand: '50–99人',
      R: 30,
      grade: 3,
      gradeZh: '三级',
      tablesVersion: GB18218_TABLES_VERSION,
      errors: [],
      warnings: [],
      calculation: { S: 'S = 100/10 = 10', R: 'R = 1.5 × (2 × 100/10) = 30' },
    });
    expect(sut.terms).toEqual([
      {
        index: 0,
        chemical: 'ammonia',
        id: 'ammonia',
        nameZh: '氨',
        source: 'table1',
        hazardClass: null,
        criticalQuantityClass: null,
        betaSource: 'table3',
        quantityT: 100,
        criticalQuantityT: 10,
        beta: 2,
        qOverQ: 10,
        betaQOverQ: 20,
        verified: true,
        basis: 'Q 10 t: Table 1 row 1 (氨); β 2: Table 3 (氨)',
      },
    ]);
  });

  it('adds a mixture term by term', () => {
    const sut = gradeUnit({
      chemicals: [
        { chemical: '液氯', quantityT: 10 },
        { chemical: 'methanol', quantityT: 250 },
        { chemical: 'LPG', quantityT: 25 },
      ],
      peopleWithin500m: 120,
    });

    expect(sut.terms.map((t) => [t.id, t.criticalQuantityT, t.beta, t.qOverQ, t.betaQOverQ])).toEqual([
      ['chlorine', 5, 4, 2, 8],
      ['methanol', 500, 1, 0.5, 0.5],
      ['lpg', 50, 1.5, 0.5, 0.75],
    ]);
    expect(sut.terms.map((t) => t.hazardClass)).toEqual([null, 'W5.3', 'W2']);
    expect(sut).toMatchObject({ S: 3, alpha: 2, alphaBand: '≥100人', R: 18.5, grade: 3, gradeZh: '三级' });
    expect(sut.calculation.R).toBe('R = 2 × (4 × 10/5 + 1 × 250/500 + 1.5 × 25/50) = 18.5');
  });

  it.each([
    [0, 0.5, '0人'],
    [1, 1.0, '1–29人'],
    [29, 1.0, '1–29人'],
    [30, 1.2, '30–49人'],
    [49, 1.2, '30–49人'],
    [50, 1.5, '50–99人'],
    [99, 1.5, '50–99人'],
    [100, 2.0, '≥100人'],
    [2500, 2.0, '≥100人'],
  ])('takes α from Table 5 for %i people: %d (%s)', (people, alpha, band) => {
    const sut = gradeUnit({ chemicals: [ammonia(10)], peopleWithin500m: people });

    expect(sut.alpha).toBe(alpha);
    expect(sut.alphaBand).toBe(band);
    expect(sut.R).toBe(2 * alpha);
  });

  it.each([
    [500, 100, '一级', 1],
    [499.5, 99.9, '二级', 2],
    [250, 50, '二级', 2],
    [249.5, 49.9, '三级', 3],
    [50, 10, '三级', 3],
    [49.5, 9.9, '四级', 4],
  ])('grades %d t of ammonia with α 1 (R %d) as %s', (quantityT, R, gradeZh, grade) => {
    const sut = gradeUnit({ chemicals: [ammonia(quantityT)], peopleWithin500m: 10 });

    expect(sut.R).toBe(R);
    expect(sut.grade).toBe(grade);
    expect(sut.gradeZh).toBe(gradeZh);
  });

  it.each([
    [100, 342.4, 15760, 1],
    [50, 171.2, 7880, 2],
    [10, 40.3, 970, 3],
  ])(
    'reaches R = %d exactly with %d t ammonia + %d t methanol, where binary floating point falls just short',
    (R, ammoniaT, methanolT, grade) => {
      const naiveR = 1 * ((2 * ammoniaT) / 10 + (1 * methanolT) / 500);
      expect(naiveR).toBeLessThan(R);

      const sut = gradeUnit({
        chemicals: [ammonia(ammoniaT), { chemical: 'methanol', quantityT: methanolT }],
        peopleWithin500m: 10,
      });

      expect(sut.R).toBe(R);
      expect(sut.grade).toBe(grade);
    },
  );

  it('is a major hazard source at S exactly 1', () => {
    const sut = gradeUnit({ chemicals: [{ chemical: 'chlorine', quantityT: 5 }], peopleWithin500m: 0 });

    expect(sut).toMatchObject({ S: 1, isMajorHazard: true, alpha: 0.5, R: 2, grade: 4, gradeZh: '四级' });
  });

  it('is a major hazard source when decimal quantities sum to S = 1 that binary floating point puts just below', () => {
    expect(3.4 / 10 + 3.3 / 5).toBeLessThan(1);

    const sut = gradeUnit({
      chemicals: [ammonia(3.4), { chemical: 'chlorine', quantityT: 3.3 }],
      peopleWithin500m: 10,
    });

    expect(sut.S).toBe(1);
    expect(sut.isMajorHazard).toBe(true);
    expect(sut.grade).toBe(4);
  });

  it('is not a major hazard source below S = 1, and then has no grade', () => {
    const sut = gradeUnit({ chemicals: [{ chemical: 'chlorine', quantityT: 4.99 }], peopleWithin500m: 0 });

    expect(sut).toMatchObject({ S: 0.998, isMajorHazard: false, grade: null, gradeZh: null, R: 1.996 });
  });

  it('takes Q and β from Table 2 for a chemical given by class', () => {
    const sut = gradeUnit({
      chemicals: [{ name: '异丙醇', hazardClasses: ['W5.3'], quantityT: 500 }],
      peopleWithin500m: 10,
    });

    expect(sut.terms[0]).toMatchObject({
      chemical: '异丙醇',
      id: null,
      nameZh: '异丙醇',
      source: 'table2',
      criticalQuantityT: 1000,
      criticalQuantityClass: 'W5.3',
      hazardClass: 'W5.3',
      beta: 1,
      qOverQ: 0.5,
      verified: true,
    });
    expect(sut.isMajorHazard).toBe(false);
  });

  it('takes the lowest Q among several classes, and β from the class with the highest β', () => {
    const sut = gradeUnit({
      chemicals: [
        { name: '某有毒溶剂', hazardClasses: ['W5.3', 'J5'], quantityT: 250 },
        { name: '某有毒可燃气体', hazardClasses: ['W2', 'J3'], quantityT: 5 },
      ],
      peopleWithin500m: 10,
    });

    expect(sut.terms.map((t) => [t.criticalQuantityT, t.criticalQuantityClass, t.beta, t.hazardClass])).toEqual([
      [500, 'J5', 1, 'J5'],
      [10, 'W2', 2, 'J3'],
    ]);
    expect(sut.S).toBe(1);
    expect(sut.R).toBe(1.5);
  });

  it("sets β of a Table 1 chemical from the site file's classes but keeps Table 1's Q", () => {
    const sut = gradeUnit({
      chemicals: [{ chemical: 'methanol', hazardClasses: ['W5.1'], quantityT: 500 }],
      peopleWithin500m: 10,
    });

    expect(sut.terms[0]).toMatchObject({ criticalQuantityT: 500, beta: 1.5, hazardClass: 'W5.1', verified: true });
  });

  it("uses Table 1's Q for a Table 1 chemical given by name with classes, and says so", () => {
    const sut = gradeUnit({
      chemicals: [{ name: '丙烯腈', hazardClasses: ['W5.3'], quantityT: 50 }],
      peopleWithin500m: 10,
    });

    expect(sut.terms[0]).toMatchObject({ id: 'acrylonitrile', source: 'table1', criticalQuantityT: 50, qOverQ: 1 });
    expect(sut.warnings).toEqual([expect.stringContaining('named in GB 18218-2018 Table 1 (row 60')]);
  });

  it('keeps Table 3 β for a named toxic gas whatever classes the site file gives', () => {
    const sut = gradeUnit({
      chemicals: [{ chemical: 'ammonia', hazardClasses: ['W2'], quantityT: 10 }],
      peopleWithin500m: 10,
    });

    expect(sut.terms[0]).toMatchObject({ beta: 2, betaSource: 'table3', hazardClass: null });
    expect(sut.warnings).toEqual([expect.stringContaining('hazardClasses ignored for β')]);
  });

  it('flags an unverified Q and says why', () => {
    const sut = gradeUnit({ chemicals: [{ chemical: '柴油', quantityT: 2500 }], peopleWithin500m: 10 });

    expect(sut.terms[0]).toMatchObject({ id: 'diesel', source: 'table2', criticalQuantityT: 5000, verified: false });
    expect(sut.warnings).toContainEqual(expect.stringContaining('Q 5000 t is unverified'));
  });

  it('counts diesel as verified once the site file states its class', () => {
    const sut = gradeUnit({
      chemicals: [{ chemical: 'diesel', hazardClasses: ['W5.4'], quantityT: 2500 }],
      peopleWithin500m: 10,
    });

    expect(sut.terms[0]).toMatchObject({ criticalQuantityT: 5000, criticalQuantityClass: 'W5.4', verified: true });
    expect(sut.warnings).toEqual([]);
  });

  it('flags a default β class that is a judgement', () => {
    const sut = gradeUnit({ chemicals: [{ chemical: 'gasoline', quantityT: 200 }], peopleWithin500m: 10 });

    expect(sut.terms[0]).toMatchObject({ beta: 1.5, hazardClass: 'W5.1', verified: false });
    expect(sut.warnings).toEqual([expect.stringContaining('β class W5.1 is a judgement')]);
  });

  it('reports an unknown chemical as an error and grades the rest', () => {
    const sut = gradeUnit({ chemicals: [{ chemical: 'xyz', quantityT: 1 }, ammonia(10)], peopleWithin500m: 10 });

    expect(sut.errors).toEqual([
      'chemicals[0]: unknown chemical "xyz": not in GB 18218-2018 Table 1; give hazardClasses (Table 2) for it',
    ]);
    expect(sut.terms.map((t) => [t.index, t.id])).toEqual([[1, 'ammonia']]);
    expect(sut).toMatchObject({ S: 1, isMajorHazard: true, R: 2, grade: 4 });
  });

  it('reports an unknown hazard class as an error without throwing', () => {
    const sut = gradeUnit({ chemicals: [{ name: 'foo', hazardClasses: ['W12'], quantityT: 1 }], peopleWithin500m: 10 });

    expect(sut.errors).toEqual([expect.stringMatching(/^chemicals\[0\]: unknown hazard class "W12"/)]);
    expect(sut.terms).toEqual([]);
    expect(sut).toMatchObject({ S: 0, isMajorHazard: false, grade: null });
  });

  it('reports a negative quantity as an error', () => {
    const sut = gradeUnit({ chemicals: [ammonia(-1)], peopleWithin500m: 10 });

    expect(sut.errors).toEqual([expect.stringContaining('quantityT must be a number of tonnes ≥ 0')]);
    expect(sut.terms).toEqual([]);
  });

  it.each([-1, 2.5, Number.NaN])('reports %d people as an error and takes the highest α', (people) => {
    const sut = gradeUnit({ chemicals: [ammonia(100)], peopleWithin500m: people });

    expect(sut.errors).toEqual([expect.stringContaining('peopleWithin500m must be a whole number ≥ 0')]);
    expect(sut).toMatchObject({ alpha: 2, alphaBand: '≥100人', R: 40, grade: 3 });
  });
});

describe(resolveChemical.name, () => {
  it('explains that W9 is split into W9.1 and W9.2', () => {
    const sut = resolveChemical({ name: '某氧化剂', hazardClasses: ['W9'], quantityT: 1 });

    expect(sut).toEqual({ ok: false, reason: expect.stringContaining('"W9" is split') });
    expect(!sut.ok && sut.reason).toMatch(/W9\.1 .*Q 50 t.*W9\.2 .*Q 200 t/);
  });

  it('reads classes case- and width-insensitively', () => {
    const sut = resolveChemical({ name: '某可燃气体', hazardClasses: [' ｗ2 '], quantityT: 1 });

    expect(sut).toMatchObject({ ok: true, hazardClass: 'W2', criticalQuantityT: 10, beta: 1.5 });
  });

  it('asks for the row when a CAS number covers several Table 1 rows', () => {
    const sut = resolveChemical({ chemical: '6484-52-2', quantityT: 1 });

    expect(sut).toEqual({
      ok: false,
      reason:
        '"6484-52-2" matches several GB 18218-2018 Table 1 rows: ammonium_nitrate_combustible_over_0_2pct ' +
        '(row 43, Q 5 t), ammonium_nitrate_combustible_max_0_2pct (row 44, Q 50 t); name the row by id',
    });
  });

  it('resolves each ammonium nitrate grade by its id', () => {
    const q = ['ammonium_nitrate_combustible_over_0_2pct', 'ammonium_nitrate_combustible_max_0_2pct'].map((id) => {
      const r = resolveChemical({ chemical: id, quantityT: 1 });
      return r.ok ? r.criticalQuantityT : undefined;
    });

    expect(q).toEqual([5, 50]);
  });

  it('grades an unknown chemical by the classes given with it', () => {
    const sut = resolveChemical({ chemical: 'isopropanol', hazardClasses: ['W5.3'], quantityT: 1 });

    expect(sut).toMatchObject({ ok: true, id: null, source: 'table2', criticalQuantityT: 1000 });
  });

  it('asks for classes when a name is not in Table 1', () => {
    expect(resolveChemical({ name: '异丙醇', quantityT: 1 })).toEqual({
      ok: false,
      reason: '"异丙醇" is not in GB 18218-2018 Table 1: give its hazardClasses (Table 2)',
    });
  });

  it('assumes β 1, and says so, for a Table 1 chemical that no Table 4 class fits', () => {
    const sut = resolveChemical({ chemical: '三氧化硫', quantityT: 1 });

    expect(sut).toMatchObject({ ok: true, beta: 1, betaSource: 'assumed', hazardClass: null, verified: false });
    expect(sut.ok && sut.warnings).toEqual([expect.stringContaining('β 1 assumed')]);
  });
});

describe(lookupChemical.name, () => {
  it.each([
    ['ammonia', 'ammonia'],
    ['7664-41-7', 'ammonia'],
    ['液氨', 'ammonia'],
    ['液氯', 'chlorine'],
    ['LNG', 'methane'],
    [' lng ', 'methane'],
    ['天然气', 'methane'],
    ['ＬＰＧ', 'lpg'],
    ['丙烷', 'lpg'],
    ['H₂S', 'hydrogen_sulfide'],
    ['Vinyl Chloride', 'vinyl_chloride'],
    ['一氧化碳', 'coal_gas'],
    ['67-56-1', 'methanol'],
    ['甲醇', 'methanol'],
    ['氯化氢(无水)', 'hydrogen_chloride_anhydrous'],
    ['柴油', 'diesel'],
  ])('finds %s as %s', (ref, id) => {
    expect(lookupChemical(ref)?.id).toBe(id);
  });

  it.each(['xyz', '', '6484-52-2', '硝化棉'])('finds nothing for "%s" (unknown, or several rows)', (ref) => {
    expect(lookupChemical(ref)).toBeUndefined();
  });
});

describe('GB 18218-2018 tables', () => {
  it('hold all 85 Table 1 rows once, in order', () => {
    expect(GB18218_TABLE1.map((e) => e.table1Row)).toEqual(Array.from({ length: 85 }, (_, i) => i + 1));
    expect(new Set(GB18218_TABLE1.map((e) => e.id)).size).toBe(85);
  });

  it.each([
    ['ammonia', 10],
    ['chlorine', 5],
    ['methane', 50],
    ['lpg', 50],
    ['hydrogen', 5],
    ['acetylene', 1],
    ['ethylene', 50],
    ['vinyl_chloride', 50],
    ['dimethyl_ether', 50],
    ['butadiene_1_3', 5],
    ['ethylene_oxide', 10],
    ['propylene_oxide', 10],
    ['hydrogen_sulfide', 5],
    ['hydrogen_fluoride', 1],
    ['hydrogen_cyanide', 1],
    ['phosgene', 0.3],
    ['sulfur_dioxide', 20],
    ['hydrogen_chloride_anhydrous', 20],
    ['coal_gas', 20],
    ['benzene', 50],
    ['toluene', 500],
    ['methanol', 500],
    ['ethanol', 500],
    ['acetone', 500],
    ['styrene', 500],
    ['gasoline', 200],
    ['oxygen', 200],
    ['ammonium_nitrate_combustible_over_0_2pct', 5],
    ['ammonium_nitrate_combustible_max_0_2pct', 50],
    ['ammonium_nitrate_fertilizer', 200],
    ['diesel', 5000],
  ])('give %s the Q DOMAIN.md lists (%d t)', (id, criticalQuantityT) => {
    expect(lookupChemical(id)?.criticalQuantityT).toBe(criticalQuantityT);
  });

  it.each([
    ['一氧化碳', 2],
    ['二氧化硫', 2],
    ['氨', 2],
    ['环氧乙烷', 2],
    ['氯化氢', 3],
    ['溴甲烷', 3],
    ['氯', 4],
    ['硫化氢', 5],
    ['氟化氢', 5],
    ['二氧化氮', 10],
    ['氰化氢', 10],
    ['碳酰氯', 20],
    ['磷化氢', 20],
    ['异氰酸甲酯', 20],
  ])('give the Table 3 gas %s β %d', (gas, beta) => {
    expect(resolveChemical({ chemical: gas, quantityT: 1 })).toMatchObject({ ok: true, beta, betaSource: 'table3' });
  });

  const table2And4: Record<string, [number, number]> = {
    J1: [5, 4],
    J2: [50, 1],
    J3: [50, 2],
    J4: [50, 2],
    J5: [500, 1],
    'W1.1': [1, 2],
    'W1.2': [10, 2],
    'W1.3': [50, 2],
    W2: [10, 1.5],
    W3: [150, 1],
    W4: [50, 1],
    'W5.1': [10, 1.5],
    'W5.2': [50, 1],
    'W5.3': [1000, 1],
    'W5.4': [5000, 1],
    'W6.1': [10, 1.5],
    'W6.2': [50, 1],
    'W7.1': [10, 1.5],
    'W7.2': [50, 1],
    W8: [50, 1],
    'W9.1': [50, 1],
    'W9.2': [200, 1],
    W10: [200, 1],
    W11: [200, 1],
  };

  it('cover every hazard class in Tables 2 and 4', () => {
    expect([...HAZARD_CLASS_CODES].sort()).toEqual(Object.keys(table2And4).sort());
  });

  it.each(Object.entries(table2And4))('give class %s Q and β %j', (code, [criticalQuantityT, beta]) => {
    const sut = resolveChemical({ name: 'x', hazardClasses: [code], quantityT: 1 });

    expect(sut).toMatchObject({ ok: true, criticalQuantityT, beta, verified: true });
  });

  it('give a named chemical outside Table 1 the lowest Q of its classes', () => {
    for (const entry of NAMED_TABLE2_CHEMICALS) {
      const byClass = resolveChemical({ name: 'x', hazardClasses: [...entry.hazardClasses], quantityT: 1 });
      expect(byClass.ok && byClass.criticalQuantityT).toBe(entry.criticalQuantityT);
    }
  });

  it('give every Table 1 row a basis for β: a Table 3 gas or at least one class, bar the documented SO3', () => {
    const withoutBasis = GB18218_TABLE1.filter((e) => e.toxicGasZh === undefined && e.hazardClasses.length === 0);

    expect(withoutBasis.map((e) => e.id)).toEqual(['sulfur_trioxide']);
  });

  it('share names only where one name really covers several Table 1 rows', () => {
    const entries = [...GB18218_TABLE1, ...NAMED_TABLE2_CHEMICALS];
    const names = entries.flatMap((e) => [e.id, e.nameZh, e.nameEn, ...e.cas, ...e.aliases]);
    const shared = new Set(names.filter((n) => matchChemicals(n).length > 1).map((n) => n.toLowerCase()));

    expect([...shared].sort()).toEqual(
      ['6484-52-2', '9004-70-0', 'ammonium nitrate', 'nitrocellulose', '硝化棉', '硝酸铵'].sort(),
    );
  });
});

import type { Equipment } from '@hazard/server/contracts';
import { createGasDetectorModel } from './gas-detector.model';
import { createRng } from './rng';

function detector(detection: 'combustible' | 'toxic'): Equipment {
  return detection === 'combustible'
    ? {
        id: 'GD-201',
        name: 'combustible',
        type: 'gas_detector',
        detection,
        tags: [
          {
            tag: 'GIA-201',
            name: 'LEL',
            kind: 'gas',
            unit: '%LEL',
            range: [0, 100],
            limits: { hh: 50, h: 25, deadband: 1 },
          },
        ],
      }
    : {
        id: 'GD-204',
        name: 'toxic',
        type: 'gas_detector',
        detection,
        tags: [
          {
            tag: 'GIA-204',
            name: 'benzene',
            kind: 'gas',
            unit: 'mg/m³',
            range: [0, 50],
            limits: { hh: 12, h: 6, deadband: 0.3 },
          },
        ],
      };
}

function samples(equipment: Equipment, steps: number): number[] {
  const rng = createRng(1);
  const sut = createGasDetectorModel(equipment);
  let state = sut.initial(rng);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    state = sut.next(state, 1000, rng);
    const v = sut.read(state, i * 1000)[0]?.v;
    if (typeof v !== 'number') throw new Error('gas reading is not numeric');
    out.push(v);
  }
  return out;
}

describe(createGasDetectorModel.name, () => {
  it('reports a combustible background between 0 and 3 %LEL that is not constant', () => {
    const values = samples(detector('combustible'), 20_000);

    expect(values.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
    expect(values.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(3);
    expect(new Set(values).size).toBeGreaterThan(100);
  });

  it('reports a toxic background between 0 and 0.5 of its unit', () => {
    const values = samples(detector('toxic'), 20_000);

    expect(values.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
    expect(values.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(0.5);
  });
});

import {
  HEALTHY_SIS,
  OPEN_VALVE,
  resetSis,
  sisStatus,
  stepSis,
  stepValve,
  valvePosition,
  type EsdValveState,
  type SisLoopParams,
} from './valve-sis.physics';

const SIS101: SisLoopParams = {
  trips: [
    { tag: 'LIA-101', setpoint: 14.4 },
    { tag: 'LIA-102', setpoint: 14.4 },
  ],
  closes: ['XV-101'],
};
const values = (lia101: number, lia102 = 8): Map<string, number> =>
  new Map([
    ['LIA-101', lia101],
    ['LIA-102', lia102],
  ]);

/** Positions reported each second for `seconds`. */
function stroke(start: EsdValveState, seconds: number, strokeS = 16): string[] {
  let state = start;
  const out: string[] = [];
  for (let s = 0; s < seconds; s++) {
    state = stepValve({ strokeS }, state, 1);
    out.push(valvePosition(state));
  }
  return out;
}

describe('ESD valve', () => {
  it('travels on a close demand and reports closed at its stroke time', () => {
    const positions = stroke({ ...OPEN_VALVE, demand: 'closed' }, 20);

    expect(positions.slice(0, 15)).toEqual(Array(15).fill('travel'));
    expect(positions[15]).toBe('closed');
    expect(positions.at(-1)).toBe('closed');
  });

  it('when stuck never reaches closed, whatever the demand and however long', () => {
    const positions = stroke({ ...OPEN_VALVE, demand: 'closed', stuck: true }, 3600);

    expect(positions.every((p) => p === 'open')).toBe(true);
  });

  it('stuck mid-stroke reports travel for ever', () => {
    const positions = stroke({ ...OPEN_VALVE, openFraction: 0.5, demand: 'closed', stuck: true }, 600);

    expect(new Set(positions)).toEqual(new Set(['travel']));
  });

  it('reports fault when its position feedback fails', () => {
    expect(valvePosition({ ...OPEN_VALVE, feedbackFault: true })).toBe('fault');
  });
});

describe('SIS loop', () => {
  it('trips at HH on any trip tag and stays tripped after the level falls, until reset', () => {
    let sut = stepSis(SIS101, HEALTHY_SIS, values(14.39));
    expect(sisStatus(sut)).toBe('normal');

    sut = stepSis(SIS101, sut, values(8, 14.4));
    expect(sisStatus(sut)).toBe('tripped');

    sut = stepSis(SIS101, sut, values(8, 8));
    expect(sisStatus(sut)).toBe('tripped');

    sut = resetSis(SIS101, sut, values(8, 8));
    expect(sisStatus(sut)).toBe('normal');
  });

  it('refuses a reset while the trip condition still stands', () => {
    const tripped = stepSis(SIS101, HEALTHY_SIS, values(15));

    expect(sisStatus(resetSis(SIS101, tripped, values(15)))).toBe('tripped');
  });

  it('does not trip while bypassed, even far past its setpoint', () => {
    const sut = stepSis(SIS101, { ...HEALTHY_SIS, bypassed: true }, values(16));

    expect(sut.tripped).toBe(false);
    expect(sisStatus(sut)).toBe('bypassed');
  });

  it('demands its valves closed when tripped: the valve closes within its stroke', () => {
    const sis = stepSis(SIS101, HEALTHY_SIS, values(14.5));
    const valve: EsdValveState = { ...OPEN_VALVE, demand: sis.tripped ? 'closed' : 'open' };

    expect(stroke(valve, 16).at(-1)).toBe('closed');
  });
});

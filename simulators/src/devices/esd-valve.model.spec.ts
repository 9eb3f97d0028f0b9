import type { Equipment } from '@hazard/server/contracts';
import { createEsdValveModel } from './esd-valve.model';
import { createRng } from './rng';

const valve: Equipment = {
  id: 'XV-101',
  name: 'ESD valve',
  type: 'esd_valve',
  travelTimeS: 10,
  tags: [{ tag: 'XV-101', name: 'position', kind: 'valve_position', unit: '' }],
};

describe(createEsdValveModel.name, () => {
  it('reports open in normal operation, tick after tick', () => {
    const rng = createRng(1);
    const sut = createEsdValveModel(valve);
    let state = sut.initial(rng);
    for (let i = 0; i < 100; i++) state = sut.next(state, 1000, rng);

    expect(sut.read(state, 0)).toEqual([{ tag: 'XV-101', v: 'open' }]);
  });

  it('holds a changed position, e.g. closed by an ESD trip', () => {
    const rng = createRng(1);
    const sut = createEsdValveModel(valve);
    let state = sut.withValue(sut.initial(rng), 'XV-101', 'closed');
    state = sut.next(state, 1000, rng);

    expect(sut.read(state, 0)).toEqual([{ tag: 'XV-101', v: 'closed' }]);
  });
});

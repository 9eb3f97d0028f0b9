import type { Equipment } from '@hazard/server/contracts';
import { defaultSignal, discreteSignal, DeviceModel } from './device.model';

/** An SIS loop: `normal` in normal operation; `bypassed`, `tripped`, `fault` are set like a valve's position. */
export function createSisLoopModel(equipment: Equipment): DeviceModel {
  const signals = equipment.tags.map((def) =>
    def.kind === 'sis_state' ? discreteSignal(def.tag, 'normal') : defaultSignal(def),
  );
  return new DeviceModel(equipment.id, equipment.type, signals);
}

import type { Equipment } from '@hazard/server/contracts';
import { defaultSignal, discreteSignal, DeviceModel } from './device.model';

/**
 * An emergency shut-off valve (紧急切断阀): `open` in normal operation. Its position is a discrete state that a
 * scenario or the runner changes with `DeviceModel.withValue` (`closed`, `travel`, `fault`).
 */
export function createEsdValveModel(equipment: Equipment): DeviceModel {
  const signals = equipment.tags.map((def) =>
    def.kind === 'valve_position' ? discreteSignal(def.tag, 'open') : defaultSignal(def),
  );
  return new DeviceModel(equipment.id, equipment.type, signals);
}

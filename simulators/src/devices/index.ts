import type { Equipment } from '@hazard/server/contracts';
import type { DeviceModel } from './device.model';
import { createEsdValveModel } from './esd-valve.model';
import { createGasDetectorModel } from './gas-detector.model';
import type { Rng } from './rng';
import { createSisLoopModel } from './sis-loop.model';
import { createTankModel } from './tank.model';

export * from './analog';
export * from './device.model';
export * from './esd-valve.model';
export * from './gas-detector.model';
export * from './rng';
export * from './sis-loop.model';
export * from './tank.model';

/** The model for one piece of equipment of the site model; `rng` draws its fixed parameters (tank setpoints). */
export function createDeviceModel(equipment: Equipment, rng: Rng): DeviceModel {
  switch (equipment.type) {
    case 'tank':
      return createTankModel(equipment, rng);
    case 'gas_detector':
      return createGasDetectorModel(equipment);
    case 'esd_valve':
      return createEsdValveModel(equipment);
    case 'sis_loop':
      return createSisLoopModel(equipment);
  }
}

import type { Equipment, TagDef } from '@hazard/server/contracts';
import { fitBand, normalBand, type Band } from './analog';
import { analogSignal, defaultSignal, DeviceModel, type TagSignal } from './device.model';

/** Clean-air background of a catalytic / IR combustible detector, %LEL: zero drift and noise. */
const COMBUSTIBLE_BACKGROUND: Band = [0, 3];
/** Clean-air background of an electrochemical toxic detector, in its unit (mg/m³ or ppm). */
const TOXIC_BACKGROUND: Band = [0, 0.5];

/** Combustible unless the site says toxic; a `%LEL` unit also means combustible. */
function isToxic(equipment: Equipment, def: TagDef): boolean {
  if (equipment.type === 'gas_detector') return equipment.detection === 'toxic';
  return !def.unit.toUpperCase().includes('LEL');
}

/** Background gas: non-negative noise near the bottom of the background band, well below the first alarm. */
function backgroundSignal(equipment: Equipment, def: TagDef): TagSignal {
  const band = fitBand(isToxic(equipment, def) ? TOXIC_BACKGROUND : COMBUSTIBLE_BACKGROUND, [
    Math.max(0, normalBand(def)[0]),
    normalBand(def)[1],
  ]);
  const width = band[1] - band[0];
  return analogSignal(def.tag, { mean: band[0] + width * 0.25, stdDev: width * 0.2, timeConstantMs: 15_000, band });
}

/** A fixed gas detector (GB/T 50493-2019): one concentration tag, clean-air background in normal operation. */
export function createGasDetectorModel(equipment: Equipment): DeviceModel {
  const signals = equipment.tags.map((def) =>
    def.kind === 'gas' ? backgroundSignal(equipment, def) : defaultSignal(def),
  );
  return new DeviceModel(equipment.id, equipment.type, signals);
}

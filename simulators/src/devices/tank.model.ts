import type { Equipment, TagDef } from '@hazard/server/contracts';
import { fitBand, normalBand, type Band } from './analog';
import { analogSignal, defaultSignal, DeviceModel, type TagSignal } from './device.model';
import type { Rng } from './rng';

/** Typical ambient storage temperature of an atmospheric tank, °C: the diurnal swing spans this band. */
const TEMPERATURE_BAND: Band = [20, 28];
/** Typical gauge pressure of a fixed-roof / inner-floating-roof tank under nitrogen blanketing, kPa. */
const PRESSURE_BAND: Band = [0.3, 0.8];
/** Level when the tag gives neither a range nor limits (assumes percent). */
const LEVEL_FALLBACK_BAND: Band = [0, 100];
/** China Standard Time is UTC+8 all year; the tank farm's day follows it. */
const LOCAL_UTC_OFFSET_HOURS = 8;
/** Hour of the daily temperature peak, local time. */
const TEMPERATURE_PEAK_HOUR = 14;

/**
 * Level: a slow mean-reverting walk around a fill setpoint drawn per tank between 30 % and 70 % of its normal band
 * (so tanks in one farm differ), staying clear of L and H. A deviation decays over half an hour, like receipts and
 * sends.
 */
function levelSignal(def: TagDef, rng: Rng): TagSignal {
  const band = fitBand(def.range ?? LEVEL_FALLBACK_BAND, normalBand(def));
  const width = band[1] - band[0];
  const setpoint = band[0] + width * (0.3 + 0.4 * rng.next());
  return analogSignal(def.tag, { mean: setpoint, stdDev: width / 10, timeConstantMs: 30 * 60_000, band });
}

/** Temperature: a diurnal swing across the typical band (peak mid-afternoon) plus slow noise. */
function temperatureSignal(def: TagDef): TagSignal {
  const band = fitBand(TEMPERATURE_BAND, normalBand(def));
  const middle = (band[0] + band[1]) / 2;
  const amplitude = ((band[1] - band[0]) / 2) * 0.75;
  const diurnal = (nowMs: number): number => {
    const hour = (nowMs / 3_600_000 + LOCAL_UTC_OFFSET_HOURS) % 24;
    return middle + amplitude * Math.cos((2 * Math.PI * (hour - TEMPERATURE_PEAK_HOUR)) / 24);
  };
  const noiseBand: Band = [-(band[1] - band[0]) / 4, (band[1] - band[0]) / 4];
  return analogSignal(
    def.tag,
    { mean: 0, stdDev: (band[1] - band[0]) * 0.04, timeConstantMs: 5 * 60_000, band: noiseBand },
    { offset: diurnal, readBand: band },
  );
}

/** Pressure: small fast noise around the middle of the typical blanketing band. */
function pressureSignal(def: TagDef): TagSignal {
  const band = fitBand(PRESSURE_BAND, normalBand(def));
  return analogSignal(def.tag, {
    mean: (band[0] + band[1]) / 2,
    stdDev: (band[1] - band[0]) / 6,
    timeConstantMs: 20_000,
    band,
  });
}

/** A storage tank: level, temperature and pressure; any other tag behaves as its kind's default. */
export function createTankModel(equipment: Equipment, rng: Rng): DeviceModel {
  const signals = equipment.tags.map((def) => {
    switch (def.kind) {
      case 'level':
        return levelSignal(def, rng);
      case 'temperature':
        return temperatureSignal(def);
      case 'pressure':
        return pressureSignal(def);
      case 'flow':
      case 'gas':
      case 'valve_position':
      case 'sis_state':
        return defaultSignal(def);
    }
  });
  return new DeviceModel(equipment.id, equipment.type, signals);
}

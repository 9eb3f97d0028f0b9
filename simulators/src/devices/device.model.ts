import type { EquipmentType, PointValue, TagDef } from '@hazard/server/contracts';
import {
  clamp,
  fitBand,
  normalBand,
  roundValue,
  sampleAnalog,
  stepAnalog,
  type AnalogProcess,
  type Band,
} from './analog';
import type { Rng } from './rng';

/** One value a device reports this tick. */
export interface Reading {
  tag: string;
  v: PointValue;
}

/** How one tag behaves: a pure transition over its own state variable and a read-out of that variable. */
export interface TagSignal {
  readonly tag: string;
  initial(rng: Rng): PointValue;
  next(value: PointValue, dtMs: number, rng: Rng): PointValue;
  read(value: PointValue, nowMs: number): PointValue;
  /** Discrete signals accept a changed state (an ESD valve closing); analog ones do not. */
  readonly discrete: boolean;
}

/** State of one device: each tag's state variable, by tag. Never mutated; every step returns a new object. */
export type DeviceState = Readonly<Record<string, PointValue>>;

/**
 * A simulated device (tank, gas detector, ESD valve, SIS loop): immutable parameters derived from the site model
 * and pure functions over its state. Randomness comes only from the `rng` argument and time only from `dtMs` and
 * `nowMs`, so a run is reproducible from its seed.
 */
export class DeviceModel {
  private readonly byTag: ReadonlyMap<string, TagSignal>;

  constructor(
    readonly equipmentId: string,
    readonly type: EquipmentType,
    readonly signals: readonly TagSignal[],
  ) {
    this.byTag = new Map(signals.map((s) => [s.tag, s]));
  }

  get tags(): string[] {
    return this.signals.map((s) => s.tag);
  }

  initial(rng: Rng): DeviceState {
    const state: Record<string, PointValue> = {};
    for (const signal of this.signals) state[signal.tag] = signal.initial(rng);
    return state;
  }

  next(state: DeviceState, dtMs: number, rng: Rng): DeviceState {
    const next: Record<string, PointValue> = {};
    for (const signal of this.signals) next[signal.tag] = signal.next(this.valueOf(state, signal.tag), dtMs, rng);
    return next;
  }

  read(state: DeviceState, nowMs: number): Reading[] {
    return this.signals.map((s) => ({ tag: s.tag, v: s.read(this.valueOf(state, s.tag), nowMs) }));
  }

  /** The state with a discrete tag set to `value`, e.g. an ESD valve commanded closed. */
  withValue(state: DeviceState, tag: string, value: PointValue): DeviceState {
    const signal = this.byTag.get(tag);
    if (!signal) throw new Error(`tag ${tag} does not belong to ${this.equipmentId}`);
    if (!signal.discrete) throw new Error(`tag ${tag} is analog; only discrete states can be set`);
    return { ...state, [tag]: value };
  }

  private valueOf(state: DeviceState, tag: string): PointValue {
    const value = state[tag];
    if (value === undefined) throw new Error(`state of ${this.equipmentId} has no value for ${tag}`);
    return value;
  }
}

/** A discrete state that holds until changed with `DeviceModel.withValue`. */
export function discreteSignal(tag: string, initial: PointValue): TagSignal {
  return {
    tag,
    discrete: true,
    initial: () => initial,
    next: (value) => value,
    read: (value) => value,
  };
}

/**
 * An analog tag whose state is a bounded random walk, read out as `walk + offset(now)` clamped to `readBand` and
 * rounded. The offset carries deterministic shapes such as the diurnal temperature swing.
 */
export function analogSignal(
  tag: string,
  process: AnalogProcess,
  options: { offset?: (nowMs: number) => number; readBand?: Band } = {},
): TagSignal {
  const offset = options.offset ?? (() => 0);
  const readBand = options.readBand ?? process.band;
  return {
    tag,
    discrete: false,
    initial: (rng) => sampleAnalog(process, rng),
    next: (value, dtMs, rng) => stepAnalog(process, asNumber(tag, value), dtMs, rng),
    read: (value, nowMs) => roundValue(clamp(asNumber(tag, value) + offset(nowMs), readBand)),
  };
}

function asNumber(tag: string, value: PointValue): number {
  if (typeof value !== 'number') throw new Error(`analog tag ${tag} holds a non-number state ${JSON.stringify(value)}`);
  return value;
}

/** Typical operating band by tag kind, used when the device has nothing more specific. */
const TYPICAL_BAND = {
  level: [0, 100],
  temperature: [20, 28],
  pressure: [0.3, 0.8],
  flow: [40, 60],
  gas: [0, 3],
} as const satisfies Record<string, Band>;

/**
 * A plausible signal for any tag: analog kinds wander gently in the middle of their normal band, valves report
 * `open`, SIS loops `normal`. Device models override the kinds they know better.
 */
export function defaultSignal(def: TagDef): TagSignal {
  switch (def.kind) {
    case 'valve_position':
      return discreteSignal(def.tag, 'open');
    case 'sis_state':
      return discreteSignal(def.tag, 'normal');
    case 'level':
    case 'temperature':
    case 'pressure':
    case 'flow':
    case 'gas': {
      const band = fitBand(TYPICAL_BAND[def.kind], normalBand(def));
      const width = band[1] - band[0];
      return analogSignal(def.tag, {
        mean: (band[0] + band[1]) / 2,
        stdDev: width / 8,
        timeConstantMs: 60_000,
        band,
      });
    }
  }
}

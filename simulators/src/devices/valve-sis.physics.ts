import type { SisState, ValveState } from '@hazard/server/contracts';

/**
 * ESD valve and SIS loop behaviour for scenarios (IEC 61511 / SAWS Order 40 Art. 13): a loop trips on any of its
 * trip tags at its trip setpoint unless bypassed, stays tripped until an operator resets it with the process back
 * inside its setpoints, and demands its valves closed; a valve strokes toward its demand in its travel time, unless
 * stuck. Pure functions; time is `dtS`.
 */

export interface EsdValveParams {
  /**
   * Actual full-stroke time, s. The site's `travelTimeS` is the stroke the valve must achieve (the server alarms
   * VALVE_TRAVEL past it); a healthy valve strokes a little faster, so the default is 80 % of it.
   */
  strokeS: number;
}

/** Share of the stroke inside which the limit switches read open / closed. */
const LIMIT_SWITCH_BAND = 0.01;

export interface EsdValveState {
  /** 1 fully open, 0 fully closed. */
  openFraction: number;
  demand: 'open' | 'closed';
  /** Stuck (seized stem, sticking actuator): the valve does not move, whatever the demand. */
  stuck: boolean;
  /** Position feedback failed (both or no limit switches made): reported as `fault`. */
  feedbackFault: boolean;
}

export const OPEN_VALVE: EsdValveState = { openFraction: 1, demand: 'open', stuck: false, feedbackFault: false };

export function stepValve(params: EsdValveParams, state: EsdValveState, dtS: number): EsdValveState {
  if (state.stuck || dtS <= 0) return state;
  const target = state.demand === 'open' ? 1 : 0;
  const step = dtS / params.strokeS;
  const openFraction =
    target > state.openFraction
      ? Math.min(target, state.openFraction + step)
      : Math.max(target, state.openFraction - step);
  return openFraction === state.openFraction ? state : { ...state, openFraction };
}

/** What the limit switches report (DESIGN.md §3 valve states). */
export function valvePosition(state: EsdValveState): ValveState {
  if (state.feedbackFault) return 'fault';
  if (state.openFraction >= 1 - LIMIT_SWITCH_BAND) return 'open';
  if (state.openFraction <= LIMIT_SWITCH_BAND) return 'closed';
  return 'travel';
}

export interface SisTrip {
  tag: string;
  /** Trips at or above this value (the tag's HH: the interlock setpoint). */
  setpoint: number;
}

export interface SisLoopParams {
  trips: readonly SisTrip[];
  /** ESD valve ids the loop closes. */
  closes: readonly string[];
}

export interface SisLoopState {
  bypassed: boolean;
  tripped: boolean;
  fault: boolean;
}

export const HEALTHY_SIS: SisLoopState = { bypassed: false, tripped: false, fault: false };

/** True when any trip tag stands at or beyond its setpoint (an unknown value does not trip). */
export function tripDemanded(params: SisLoopParams, values: ReadonlyMap<string, number>): boolean {
  return params.trips.some((t) => {
    const v = values.get(t.tag);
    return v !== undefined && v >= t.setpoint;
  });
}

/** A loop trips and latches; a bypassed or faulted loop does not act (that is why a bypass is an alarm). */
export function stepSis(params: SisLoopParams, state: SisLoopState, values: ReadonlyMap<string, number>): SisLoopState {
  if (state.tripped || state.bypassed || state.fault) return state;
  return tripDemanded(params, values) ? { ...state, tripped: true } : state;
}

/** An operator reset: refused (state unchanged) while a trip condition still stands. */
export function resetSis(
  params: SisLoopParams,
  state: SisLoopState,
  values: ReadonlyMap<string, number>,
): SisLoopState {
  if (!state.tripped || tripDemanded(params, values)) return state;
  return { ...state, tripped: false };
}

/** The loop state tag (DESIGN.md §3); a trip shows through a bypass request that came after it. */
export function sisStatus(state: SisLoopState): SisState {
  if (state.fault) return 'fault';
  if (state.tripped) return 'tripped';
  if (state.bypassed) return 'bypassed';
  return 'normal';
}

import type { Equipment, PointValue, SiteModel, TagDef, TelemetryPoint } from '@hazard/server/contracts';
import { SiteIndex } from '@hazard/server/site';
import { roundValue } from '../devices/analog';
import {
  combustibleProps,
  INITIAL_DETECTOR_STATE,
  mgM3ToPctLel,
  plumeConcentrationMgM3,
  stepDetector,
  T90_COMBUSTIBLE_S,
  T90_TOXIC_S,
  type DetectorParams,
  type DetectorState,
  type Leak,
  type Wind,
} from '../devices/gas.physics';
import {
  INITIAL_GATEWAY_STATE,
  stepGateway,
  type GatewayOutput,
  type GatewayParams,
  type GatewayState,
} from '../devices/gateway.model';
import {
  inferTankShape,
  levelMAtVolume,
  levelUnitM,
  stepTank,
  volumeM3AtLevel,
  type TankParams,
  type TankState,
} from '../devices/tank.physics';
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
  type SisLoopState,
} from '../devices/valve-sis.physics';
import { SimulatorConfigError } from '../errors';
import { Plant } from '../plant';
import type { Scenario, ScenarioAction } from './scenario.schema';

/** What one hazard source's gateway put on the wire at a tick. */
export interface ScenarioOutput {
  enterpriseId: string;
  sourceId: string;
  out: GatewayOutput;
}

/** A healthy valve strokes within its specified travel time (docs/rules.md VALVE_TRAVEL); 80 % of it. */
const STROKE_SHARE_OF_TRAVEL_TIME = 0.8;

type Driver =
  | { kind: 'freeze'; value: number }
  | { kind: 'drift'; perMin: number; sinceMs: number; saturated?: number }
  | { kind: 'ramp'; from: number; to: number; startMs: number; overMs: number }
  | { kind: 'chatter'; low: number; high: number; periodMs: number; startMs: number };

interface DrivenTank {
  params: TankParams;
  state: TankState;
  levelTag: TagDef;
  inFlowM3PerH: number;
  outFlowM3PerH: number;
  via: string | undefined;
}

interface Detector {
  tag: TagDef;
  position: readonly [number, number];
  toUnit: (mgM3: number) => number;
  params: DetectorParams;
  state: DetectorState;
}

interface ActiveLeak {
  leak: Leak;
  wind: Wind;
  startMs: number;
  fromRateKgPerS: number;
  rampMs: number;
}

interface Loop {
  id: string;
  tag: string;
  params: SisLoopParams;
  state: SisLoopState;
}

interface Valve {
  id: string;
  tag: string;
  strokeS: number;
  state: EsdValveState;
}

interface SourceGateway {
  enterpriseId: string;
  sourceId: string;
  state: GatewayState;
  linkUp: boolean;
}

/** A site model with only the hazard sources a scenario plays. */
function restrictSite(site: SiteModel, sources: readonly string[] | undefined): SiteModel {
  if (!sources) return site;
  const keep = new Set(sources);
  return {
    ...site,
    enterprises: site.enterprises
      .map((e) => ({ ...e, sources: e.sources.filter((s) => keep.has(s.id)) }))
      .filter((e) => e.sources.length > 0),
  };
}

/**
 * Plays a scenario over the plant of a site model: every device as the plant models it, with the scenario's
 * timeline acting on tanks (flows through their inlet valves), leaks (plume to each detector through its T90),
 * transmitters (freeze, drift, ramp, chatter), SIS loops (trip on their trip tags at HH, close their valves, bypass,
 * reset) and gateways (publish cycle, batching, dropout with last will). No timers: the caller passes each tick's
 * time, so the same scenario and seed give the same messages.
 */
export class ScenarioRun {
  readonly site: SiteIndex;
  /** Things the run could not do as asked (a reset refused while the trip stands), with their time. */
  readonly notes: string[] = [];
  private readonly plant: Plant;
  private readonly actions: ScenarioAction[];
  private nextAction = 0;
  private readonly gatewayParams: GatewayParams;
  private readonly gateways = new Map<string, SourceGateway>();
  private readonly tanks = new Map<string, DrivenTank>();
  private readonly tankEquipment = new Map<string, Extract<Equipment, { type: 'tank' }>>();
  private readonly detectors: Detector[] = [];
  private readonly leaks = new Map<string, ActiveLeak>();
  private readonly drivers = new Map<string, Driver>();
  private readonly loops: Loop[] = [];
  private readonly valves = new Map<string, Valve>();
  /** Valves closed by a trip stay closed until an operator opens them (docs/rules.md: manual reset). */
  private readonly closeLatched = new Set<string>();
  private readonly lastValues = new Map<string, PointValue>();
  private startedAtMs: number | undefined;
  private lastTickMs: number | undefined;

  constructor(
    site: SiteModel,
    readonly scenario: Scenario,
  ) {
    const played = restrictSite(site, scenario.sources);
    this.site = new SiteIndex(played);
    this.plant = new Plant(played, { seed: scenario.seed, excursion: null });
    this.actions = [...scenario.timeline].sort((a, b) => a.at - b.at);
    this.gatewayParams = {
      publishIntervalMs: scenario.gateway.publishIntervalS * 1000,
      maxPointsPerMessage: scenario.gateway.maxPointsPerMessage,
    };
    for (const enterprise of played.enterprises) {
      for (const source of enterprise.sources) {
        this.gateways.set(source.id, {
          enterpriseId: enterprise.id,
          sourceId: source.id,
          state: INITIAL_GATEWAY_STATE,
          linkUp: true,
        });
        for (const eq of source.equipment) this.addEquipment(eq);
      }
    }
  }

  get durationMs(): number {
    return this.scenario.durationS * 1000;
  }

  get tickMs(): number {
    return this.scenario.tickS * 1000;
  }

  /** True once `nowMs` is past the scenario's duration (counted from the first tick). */
  finishedAt(nowMs: number): boolean {
    return this.startedAtMs !== undefined && nowMs - this.startedAtMs > this.durationMs;
  }

  /** Advances to `nowMs` and returns what the gateways publish now (the first tick starts the scenario's clock). */
  tick(nowMs: number): ScenarioOutput[] {
    this.startedAtMs ??= nowMs;
    const dtS = this.lastTickMs === undefined ? 0 : Math.max(0, nowMs - this.lastTickMs) / 1000;
    this.lastTickMs = nowMs;
    const elapsedMs = nowMs - this.startedAtMs;
    while (this.nextAction < this.actions.length && this.actions[this.nextAction]!.at * 1000 <= elapsedMs) {
      this.apply(this.actions[this.nextAction++]!, nowMs);
    }

    const base = this.plant.tick(nowMs);
    const values = new Map<string, PointValue>();
    for (const { message } of base) for (const p of message.points) values.set(p.tag, p.v);

    for (const tank of this.tanks.values()) this.stepTankOf(tank, values, dtS);
    if (this.leaks.size > 0) this.stepDetectors(values, nowMs, dtS);
    for (const [tag, driver] of this.drivers) {
      const v = values.get(tag);
      if (typeof v === 'number') values.set(tag, this.drive(tag, driver, v, nowMs));
    }
    this.stepSafety(values, dtS);

    const out: ScenarioOutput[] = [];
    for (const { sourceId, message } of base) {
      const gateway = this.gateways.get(sourceId)!;
      const samples: TelemetryPoint[] = message.points.map((p) => ({
        tag: p.tag,
        v: values.get(p.tag) ?? p.v,
        ts: message.ts,
      }));
      const r = stepGateway(this.gatewayParams, gateway.state, message.ts, samples, gateway.linkUp);
      gateway.state = r.state;
      for (const o of r.out) out.push({ enterpriseId: gateway.enterpriseId, sourceId, out: o });
    }
    for (const [tag, v] of values) this.lastValues.set(tag, v);
    return out;
  }

  private addEquipment(eq: Equipment): void {
    switch (eq.type) {
      case 'tank':
        this.tankEquipment.set(eq.id, eq);
        break;
      case 'gas_detector': {
        const tag = eq.tags.find((t) => t.kind === 'gas');
        if (!tag || !eq.position) break;
        const toxic = eq.detection === 'toxic';
        const lel = combustibleProps(eq.gas);
        const range = tag.range ?? [0, Infinity];
        this.detectors.push({
          tag,
          position: eq.position,
          toUnit: toxic ? (mg) => mg : (mg) => mgM3ToPctLel(mg, lel),
          params: {
            t90S: toxic ? T90_TOXIC_S : T90_COMBUSTIBLE_S,
            background: 0,
            noiseStdDev: 0,
            noiseTauS: 1,
            driftPerDay: 0,
            range: [range[0], range[1]],
          },
          state: INITIAL_DETECTOR_STATE,
        });
        break;
      }
      case 'esd_valve': {
        const tag = eq.tags.find((t) => t.kind === 'valve_position');
        if (tag) {
          this.valves.set(eq.id, {
            id: eq.id,
            tag: tag.tag,
            strokeS: eq.travelTimeS * STROKE_SHARE_OF_TRAVEL_TIME,
            state: OPEN_VALVE,
          });
        }
        break;
      }
      case 'sis_loop': {
        const tag = eq.tags.find((t) => t.kind === 'sis_state');
        if (!tag) break;
        const trips = eq.tripTags.flatMap((t) => {
          const hh = this.site.tags.get(t)?.def.limits?.hh;
          return hh === undefined ? [] : [{ tag: t, setpoint: hh }];
        });
        this.loops.push({ id: eq.id, tag: tag.tag, params: { trips, closes: eq.closes }, state: HEALTHY_SIS });
        break;
      }
    }
  }

  private apply(a: ScenarioAction, nowMs: number): void {
    switch (a.do) {
      case 'flow': {
        const tank = this.drivenTank(a.tank);
        tank.inFlowM3PerH = a.inFlowM3PerH;
        tank.outFlowM3PerH = a.outFlowM3PerH;
        tank.via = a.via;
        break;
      }
      case 'set-level': {
        const tank = this.drivenTank(a.tank);
        const unitM = levelUnitM(tank.levelTag.unit, tank.params.shape);
        tank.state = { ...tank.state, volumeM3: volumeM3AtLevel(tank.params.shape, a.level * unitM) };
        break;
      }
      case 'leak': {
        const previous = this.leaks.get(a.id);
        const fromRate = previous ? this.leakRate(previous, nowMs) : 0;
        this.leaks.set(a.id, {
          leak: { position: a.position, rateKgPerS: a.rateKgPerS },
          wind: a.wind,
          startMs: nowMs,
          fromRateKgPerS: fromRate,
          rampMs: a.rampS * 1000,
        });
        break;
      }
      case 'bypass':
      case 'unbypass': {
        const loop = this.loop(a.sis);
        loop.state = { ...loop.state, bypassed: a.do === 'bypass' };
        break;
      }
      case 'reset': {
        const loop = this.loop(a.sis);
        const after = resetSis(loop.params, loop.state, this.numericLast());
        if (after === loop.state && loop.state.tripped)
          this.notes.push(`${a.at} s: reset of ${a.sis} refused: trip condition stands`);
        loop.state = after;
        break;
      }
      case 'stick': {
        const valve = this.valve(a.valve);
        valve.state = { ...valve.state, stuck: true };
        break;
      }
      case 'open': {
        const valve = this.valve(a.valve);
        this.closeLatched.delete(a.valve);
        valve.state = { ...valve.state, demand: 'open' };
        break;
      }
      case 'freeze':
        this.drivers.set(a.tag, { kind: 'freeze', value: this.lastNumber(a.tag) });
        break;
      case 'drift':
        this.drivers.set(a.tag, { kind: 'drift', perMin: a.perMin, sinceMs: nowMs });
        break;
      case 'ramp':
        this.drivers.set(a.tag, {
          kind: 'ramp',
          from: this.lastNumber(a.tag),
          to: a.to,
          startMs: nowMs,
          overMs: a.overS * 1000,
        });
        break;
      case 'chatter':
        this.drivers.set(a.tag, {
          kind: 'chatter',
          low: a.low,
          high: a.high,
          periodMs: a.periodS * 1000,
          startMs: nowMs,
        });
        break;
      case 'release':
        this.drivers.delete(a.tag);
        break;
      case 'gateway-down':
      case 'gateway-up': {
        const gateway = this.gateways.get(a.source);
        if (!gateway) throw new SimulatorConfigError(`scenario: source ${a.source} does not publish`);
        gateway.linkUp = a.do === 'gateway-up';
        break;
      }
    }
  }

  private drivenTank(id: string): DrivenTank {
    const existing = this.tanks.get(id);
    if (existing) return existing;
    const eq = this.tankEquipment.get(id);
    const levelTag = eq?.tags.find((t) => t.kind === 'level');
    if (!eq || !levelTag) throw new SimulatorConfigError(`scenario: tank ${id} has no level tag in the played sources`);
    const shape = inferTankShape(eq, levelTag);
    const unitM = levelUnitM(levelTag.unit, shape);
    const level = this.lastValues.get(levelTag.tag);
    const startM = (typeof level === 'number' ? level : (levelTag.range?.[1] ?? 100) / 2) * unitM;
    const tank: DrivenTank = {
      params: { shape, storage: eq.tankType, thermalTauS: 86_400 },
      state: { volumeM3: volumeM3AtLevel(shape, startM), temperatureC: this.scenario.ambientC, pressureKPa: 0 },
      levelTag,
      inFlowM3PerH: 0,
      outFlowM3PerH: 0,
      via: undefined,
    };
    this.tanks.set(id, tank);
    return tank;
  }

  private stepTankOf(tank: DrivenTank, values: Map<string, PointValue>, dtS: number): void {
    const openFraction = tank.via ? (this.valves.get(tank.via)?.state.openFraction ?? 1) : 1;
    tank.state = stepTank(
      tank.params,
      tank.state,
      {
        inFlowM3PerH: tank.inFlowM3PerH * openFraction,
        outFlowM3PerH: tank.outFlowM3PerH,
        ambientC: this.scenario.ambientC,
      },
      dtS,
    );
    const unitM = levelUnitM(tank.levelTag.unit, tank.params.shape);
    values.set(tank.levelTag.tag, roundValue(levelMAtVolume(tank.params.shape, tank.state.volumeM3) / unitM));
  }

  private leakRate(l: ActiveLeak, nowMs: number): number {
    if (l.rampMs <= 0) return l.leak.rateKgPerS;
    const share = Math.min(1, (nowMs - l.startMs) / l.rampMs);
    return l.fromRateKgPerS + (l.leak.rateKgPerS - l.fromRateKgPerS) * share;
  }

  private stepDetectors(values: Map<string, PointValue>, nowMs: number, dtS: number): void {
    for (const d of this.detectors) {
      let mgM3 = 0;
      for (const l of this.leaks.values()) {
        mgM3 += plumeConcentrationMgM3({ ...l.leak, rateKgPerS: this.leakRate(l, nowMs) }, d.position, l.wind);
      }
      d.state = stepDetector(d.params, d.state, d.toUnit(mgM3), dtS, () => 0);
      const background = values.get(d.tag.tag);
      const v = (typeof background === 'number' ? background : 0) + d.state.sensedValue;
      values.set(d.tag.tag, roundValue(Math.min(d.params.range[1], Math.max(d.params.range[0], v))));
    }
  }

  private drive(tag: string, d: Driver, value: number, nowMs: number): number {
    const range = this.site.tags.get(tag)?.def.range;
    let v: number;
    switch (d.kind) {
      case 'freeze':
        return d.value;
      case 'drift':
        if (d.saturated !== undefined) return d.saturated;
        v = value + (d.perMin * (nowMs - d.sinceMs)) / 60_000;
        break;
      case 'ramp':
        v = d.overMs <= 0 ? d.to : d.from + (d.to - d.from) * Math.min(1, (nowMs - d.startMs) / d.overMs);
        break;
      case 'chatter':
        v = Math.floor((2 * (nowMs - d.startMs)) / d.periodMs) % 2 === 0 ? d.high : d.low;
        break;
    }
    if (range && d.kind === 'drift' && (v > range[1] || v < range[0])) {
      // A transmitter that has drifted out of its range has failed: it holds its NAMUR NE 43 saturation signal
      // (20.5 mA ≈ 103 % of span above, 3.8 mA ≈ −1.25 % below) instead of following the process.
      const span = range[1] - range[0];
      d.saturated = roundValue(v > range[1] ? range[1] + 0.03 * span : range[0] - 0.0125 * span);
      return d.saturated;
    }
    return roundValue(v);
  }

  private stepSafety(values: Map<string, PointValue>, dtS: number): void {
    const numeric = new Map<string, number>();
    for (const [tag, v] of values) if (typeof v === 'number') numeric.set(tag, v);
    for (const loop of this.loops) {
      loop.state = stepSis(loop.params, loop.state, numeric);
      if (loop.state.tripped) for (const id of loop.params.closes) this.closeLatched.add(id);
      values.set(loop.tag, sisStatus(loop.state));
    }
    for (const valve of this.valves.values()) {
      const demand = this.closeLatched.has(valve.id) ? 'closed' : valve.state.demand;
      valve.state = stepValve({ strokeS: valve.strokeS }, { ...valve.state, demand }, dtS);
      values.set(valve.tag, valvePosition(valve.state));
    }
  }

  private loop(id: string): Loop {
    const loop = this.loops.find((l) => l.id === id);
    if (!loop) throw new SimulatorConfigError(`scenario: no SIS loop ${id} in the played sources`);
    return loop;
  }

  private valve(id: string): Valve {
    const valve = this.valves.get(id);
    if (!valve) throw new SimulatorConfigError(`scenario: no ESD valve ${id} in the played sources`);
    return valve;
  }

  private lastNumber(tag: string): number {
    const v = this.lastValues.get(tag);
    if (typeof v !== 'number') throw new SimulatorConfigError(`scenario: tag ${tag} has no numeric value yet`);
    return v;
  }

  private numericLast(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [tag, v] of this.lastValues) if (typeof v === 'number') out.set(tag, v);
    return out;
  }
}

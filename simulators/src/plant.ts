import {
  SisStateSchema,
  telemetryTopic,
  ValveStateSchema,
  type PointValue,
  type SiteModel,
  type TelemetryMessage,
  type TelemetryPoint,
} from '@hazard/server/contracts';
import { SiteIndex } from '@hazard/server/site';
import { clamp, roundValue } from './devices/analog';
import type { DeviceModel, DeviceState } from './devices/device.model';
import { createDeviceModel } from './devices/index';
import { createRng, deriveSeed, type Rng } from './devices/rng';
import { SimulatorConfigError } from './errors';
import { Excursion, type ExcursionOptions } from './scenarios/excursion';

/** One JSON v1 telemetry message, addressed. */
export interface SourceTelemetry {
  enterpriseId: string;
  sourceId: string;
  /** `hazard/v1/{enterpriseId}/{sourceId}/telemetry`. */
  topic: string;
  message: TelemetryMessage;
}

export interface PlantOptions {
  /** Fixes every random draw of the run. */
  seed: number;
  /** Scripted high excursion, or null for normal operation only. */
  excursion: ExcursionOptions | null;
}

interface Device {
  readonly model: DeviceModel;
  readonly rng: Rng;
  state: DeviceState;
}

interface Source {
  readonly enterpriseId: string;
  readonly sourceId: string;
  readonly topic: string;
  readonly devices: readonly Device[];
  /** Next sequence number; each hazard source is one logical gateway with its own counter. */
  seq: number;
}

/**
 * Every device of a site model, advanced together. No timers and no clock of its own: the caller passes the time
 * of each tick, so a run is reproducible from its seed and the tick times.
 */
export class Plant {
  readonly site: SiteIndex;
  readonly excursion: Excursion | null;
  private readonly sources: Source[] = [];
  private readonly deviceByTag = new Map<string, Device>();
  private startedAtMs: number | undefined;
  private lastTickMs: number | undefined;

  constructor(site: SiteModel, options: PlantOptions) {
    this.site = new SiteIndex(site);
    for (const enterprise of site.enterprises) {
      for (const source of enterprise.sources) {
        const devices = source.equipment.map((equipment) => {
          const rng = createRng(deriveSeed(options.seed, equipment.id));
          const model = createDeviceModel(equipment, rng);
          const device: Device = { model, rng, state: model.initial(rng) };
          for (const tag of model.tags) this.deviceByTag.set(tag, device);
          return device;
        });
        this.sources.push({
          enterpriseId: enterprise.id,
          sourceId: source.id,
          topic: telemetryTopic(enterprise.id, source.id),
          devices,
          seq: 0,
        });
      }
    }
    this.excursion = options.excursion ? this.createExcursion(options.excursion) : null;
  }

  /** Hazard sources that publish, with their enterprise. */
  get sourceRefs(): Array<{ enterpriseId: string; sourceId: string }> {
    return this.sources.map(({ enterpriseId, sourceId }) => ({ enterpriseId, sourceId }));
  }

  /** Number of tags the plant reports each tick. */
  get tagCount(): number {
    return this.deviceByTag.size;
  }

  /**
   * Advances every device to `nowMs` and returns one message per hazard source with every tag of that source.
   * The first tick starts the plant's clock (the excursion counts from it). Sources without tags send nothing.
   */
  tick(nowMs: number): SourceTelemetry[] {
    this.startedAtMs ??= nowMs;
    const dtMs = this.lastTickMs === undefined ? 0 : Math.max(0, nowMs - this.lastTickMs);
    this.lastTickMs = nowMs;
    const elapsedMs = nowMs - this.startedAtMs;
    const ts = Math.round(nowMs);
    const out: SourceTelemetry[] = [];
    for (const source of this.sources) {
      const points: TelemetryPoint[] = [];
      for (const device of source.devices) {
        if (dtMs > 0) device.state = device.model.next(device.state, dtMs, device.rng);
        for (const reading of device.model.read(device.state, nowMs)) {
          points.push({ tag: reading.tag, v: this.applyExcursion(reading.tag, reading.v, elapsedMs) });
        }
      }
      if (points.length === 0) continue;
      const { enterpriseId, sourceId, topic } = source;
      out.push({ enterpriseId, sourceId, topic, message: { ts, seq: source.seq++, points } });
    }
    return out;
  }

  /** Sets a discrete tag (ESD valve position, SIS state) from the next tick on; throws on an unknown or bad value. */
  setDiscrete(tag: string, value: PointValue): void {
    const device = this.deviceByTag.get(tag);
    const def = this.site.tags.get(tag)?.def;
    if (!device || !def) throw new SimulatorConfigError(`unknown tag ${tag}`);
    const allowed =
      def.kind === 'valve_position' ? ValveStateSchema : def.kind === 'sis_state' ? SisStateSchema : undefined;
    if (!allowed) throw new SimulatorConfigError(`tag ${tag} is a ${def.kind} tag, not a discrete state`);
    const parsed = allowed.safeParse(value);
    if (!parsed.success) {
      throw new SimulatorConfigError(`tag ${tag} accepts ${allowed.options.join(', ')}; got ${JSON.stringify(value)}`);
    }
    device.state = device.model.withValue(device.state, tag, parsed.data);
  }

  private applyExcursion(tag: string, value: PointValue, elapsedMs: number): PointValue {
    if (tag !== this.excursion?.tag || typeof value !== 'number') return value;
    const range = this.site.tags.get(tag)?.def.range ?? [-Infinity, Infinity];
    return roundValue(clamp(this.excursion.valueAt(value, elapsedMs), range));
  }

  private createExcursion(options: ExcursionOptions): Excursion {
    const def = this.site.tags.get(options.tag)?.def;
    if (!def) {
      throw new SimulatorConfigError(
        `excursion tag ${options.tag} is not in the site model; choose another tag or disable the excursion`,
      );
    }
    if (def.kind === 'valve_position' || def.kind === 'sis_state') {
      throw new SimulatorConfigError(
        `excursion tag ${options.tag} is a discrete ${def.kind} tag; it needs an analog tag`,
      );
    }
    return new Excursion(def, options);
  }
}

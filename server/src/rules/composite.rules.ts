import type {
  Composite,
  EsdValve,
  GasValveOpenComposite,
  HazardSource,
  SamplePoint,
  VoteComposite,
} from '../contracts';
import type { ConditionInput } from '../alarms/lifecycle';
import type { SiteIndex, TagInfo } from '../site';
import { alarmKey, conditionInput, tagAlarmContext, type Rule, type RuleHost, type TagAlarmContext } from './rule';

// No global lookups on the hot path (limit.rules.ts says why).
const isNan = Number.isNaN;
const NAN = Number.NaN;

/**
 * The alarm context of a composite. A composite alarm is attached to the composite's own id as its tag
 * (`VOTE-1201:VOTE`, as contracts/alarm.ts names it): it belongs to no one member, survives a change of
 * members, and the site validation keeps the id unique among the park's tags. Its source is the hazard source
 * that declares it; it has no unit and no equipment.
 */
export function compositeContext(composite: Composite, enterpriseId: string, sourceId: string): TagAlarmContext {
  const info: TagInfo = {
    def: { tag: composite.id, name: composite.name, kind: 'gas', unit: '', alarms: composite.alarms },
    enterpriseId,
    sourceId,
    equipmentId: '',
    index: -1,
  };
  return tagAlarmContext(info);
}

/** Level of a member's high-side limit alarm as its limit rule reports it: 0 none, 1 H, 2 HH. */
function levelOf(input: ConditionInput): number {
  if (!input.active) return 0;
  return input.condition === 'HH' ? 2 : input.condition === 'H' ? 1 : 0;
}

/**
 * Members' outcomes shared by the composites: a level per member from its `{tag}:hi` limit alarm (so the
 * members' own on-delays and deadbands apply), and whether every member has reported since start. Until then a
 * composite only raises, never returns: after a restart the first member to report must not clear a composite
 * alarm restored from the journal that the others still hold.
 */
class Members {
  readonly keys: string[];
  readonly levels: Uint8Array;
  private readonly index = new Map<string, number>();
  private readonly seen: Uint8Array;
  private seenCount = 0;

  constructor(readonly tags: readonly string[]) {
    this.keys = tags.map((t) => alarmKey(t, 'H'));
    this.levels = new Uint8Array(tags.length);
    this.seen = new Uint8Array(tags.length);
    tags.forEach((t, i) => this.index.set(t, i));
  }

  get allSeen(): boolean {
    return this.seenCount === this.tags.length;
  }

  /** Records a member's report; false when it is not a member. */
  record(input: ConditionInput): boolean {
    const i = this.index.get(input.tag);
    if (i === undefined) return false;
    this.levels[i] = levelOf(input);
    if (this.seen[i] === 0) {
      this.seen[i] = 1;
      this.seenCount++;
    }
    return true;
  }

  /** Members at or above `level`, as 位号. */
  at(level: number): string[] {
    return this.tags.filter((_, i) => this.levels[i]! >= level);
  }
}

/**
 * k-out-of-n voting (VOTE, priority 1 by default): at least `k` of the member detectors stand at or above the
 * voted level (GB/T 50493-2019 first alarm `h` or second alarm `hh`). Voting confirms a leak with independent
 * detectors, which lets the control room (and interlocks, IEC 61511 MooN voting) act on it without a single
 * faulty or locally puffed detector tripping anything; it returns when fewer than k remain.
 */
export class VoteRule implements Rule {
  readonly key: string;
  readonly watches: readonly string[];
  private readonly members: Members;
  private readonly need: number;
  private count = 0;
  private active = false;
  private primed = false;

  constructor(
    private readonly ctx: TagAlarmContext,
    private readonly composite: VoteComposite,
  ) {
    this.key = alarmKey(composite.id, 'VOTE');
    this.members = new Members(composite.members);
    this.watches = this.members.keys;
    this.need = composite.level === 'hh' ? 2 : 1;
  }

  onCondition(input: ConditionInput, host: RuleHost): void {
    if (!this.members.record(input)) return;
    let count = 0;
    const levels = this.members.levels;
    for (let i = 0; i < levels.length; i++) if (levels[i]! >= this.need) count++;
    this.count = count;
    const active = count >= this.composite.k;
    if (active === this.active && this.primed) return;
    if (!active && !this.active && !this.members.allSeen) return;
    this.active = active;
    this.primed = this.members.allSeen;
    const levelText = this.need === 2 ? '二级报警' : '一级报警';
    const over = this.members.at(this.need);
    const e = conditionInput(
      this.ctx,
      'VOTE',
      active,
      null,
      null,
      input.nowMs,
      `：${this.members.tags.length} 个探测器中 ${count} 个${levelText}（${this.composite.k}oo${this.members.tags.length}${over.length > 0 ? `：${over.join('、')}` : ''}）`,
    );
    e.value = this.count;
    e.limit = this.composite.k;
    host.emit(e);
  }
}

/**
 * A gas second alarm (HH) on any of the source's detectors while any of its ESD valves is not closed
 * (GAS_VALVE_OPEN, priority 1 by default): a confirmed leak that is not isolated (SAWS Order 40 Art. 13: emergency
 * shut-off in service; GB/T 50493-2019: the second alarm is the level that starts the linked actions). The valves
 * get `onDelayS` (default their longest full-stroke time) to close, so an interlock that isolates the source in
 * time raises nothing. A valve that has not reported counts as not closed: nothing confirms it is.
 */
export class GasValveOpenRule implements Rule {
  readonly key: string;
  readonly watches: readonly string[];
  readonly inputs: readonly string[];
  private readonly detectors: Members;
  private readonly valveIndex = new Map<string, number>();
  private readonly valveOpen: Uint8Array;
  private openCount: number;
  private gasCount = 0;
  private pendingSinceMs = NAN;
  private active = false;
  private primed = false;

  constructor(
    private readonly ctx: TagAlarmContext,
    readonly composite: GasValveOpenComposite,
    detectorTags: readonly string[],
    private readonly valveTags: readonly string[],
    private readonly delayMs: number,
  ) {
    this.key = alarmKey(composite.id, 'GAS_VALVE_OPEN');
    this.detectors = new Members(detectorTags);
    this.watches = this.detectors.keys;
    this.inputs = valveTags;
    valveTags.forEach((t, i) => this.valveIndex.set(t, i));
    this.valveOpen = new Uint8Array(valveTags.length).fill(1);
    this.openCount = valveTags.length;
  }

  onPoint(point: SamplePoint, nowMs: number, host: RuleHost): void {
    const i = this.valveIndex.get(point.tag);
    if (i === undefined || typeof point.v !== 'string' || point.q === 'bad') return;
    const open = point.v === 'closed' ? 0 : 1;
    if (open === this.valveOpen[i]) return;
    this.valveOpen[i] = open;
    this.openCount += open === 1 ? 1 : -1;
    this.update(nowMs, host);
  }

  onCondition(input: ConditionInput, host: RuleHost): void {
    if (!this.detectors.record(input)) return;
    let n = 0;
    const levels = this.detectors.levels;
    for (let i = 0; i < levels.length; i++) if (levels[i] === 2) n++;
    this.gasCount = n;
    this.update(input.nowMs, host);
  }

  onTick(nowMs: number, host: RuleHost): void {
    if (!isNan(this.pendingSinceMs) && !this.active) this.update(nowMs, host);
  }

  private update(nowMs: number, host: RuleHost): void {
    const raw = this.gasCount > 0 && this.openCount > 0;
    if (!raw) this.pendingSinceMs = NAN;
    else if (isNan(this.pendingSinceMs)) this.pendingSinceMs = nowMs;
    const active = raw && nowMs - this.pendingSinceMs >= this.delayMs;
    if (active === this.active && this.primed) return;
    if (!active && !this.active && !this.detectors.allSeen) return;
    this.active = active;
    this.primed = this.detectors.allSeen;
    const open = this.valveTags.filter((_, i) => this.valveOpen[i] === 1);
    const detail = active ? `：${this.detectors.at(2).join('、')} 二级报警，${open.join('、')} 未关闭` : '';
    const e = conditionInput(this.ctx, 'GAS_VALVE_OPEN', active, null, null, nowMs, detail);
    e.value = this.gasCount;
    host.emit(e);
  }
}

/** Every `gas` tag of the source's gas detectors (the default detectors of a GAS_VALVE_OPEN composite). */
export function gasTagsOf(source: HazardSource): string[] {
  return source.equipment.flatMap((q) =>
    q.type === 'gas_detector' ? q.tags.filter((t) => t.kind === 'gas').map((t) => t.tag) : [],
  );
}

/** The composites declared on the hazard sources, compiled. */
export function compositeRules(site: SiteIndex): Rule[] {
  const out: Rule[] = [];
  for (const { enterprise, source } of site.sources.values()) {
    for (const c of source.composites ?? []) {
      const ctx = compositeContext(c, enterprise.id, source.id);
      switch (c.type) {
        case 'vote':
          out.push(new VoteRule(ctx, c));
          break;
        case 'gas_valve_open': {
          const valves = source.equipment.filter(
            (q): q is EsdValve => q.type === 'esd_valve' && (c.valves === undefined || c.valves.includes(q.id)),
          );
          const valveTags = valves.flatMap((v) => v.tags.filter((t) => t.kind === 'valve_position').map((t) => t.tag));
          const delayS = c.onDelayS ?? Math.max(0, ...valves.map((v) => v.travelTimeS));
          out.push(new GasValveOpenRule(ctx, c, c.detectors ?? gasTagsOf(source), valveTags, delayS * 1000));
          break;
        }
      }
    }
  }
  return out;
}

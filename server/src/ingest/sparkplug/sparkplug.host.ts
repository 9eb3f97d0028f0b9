import type { Quality, SamplePoint, SparkplugNodeStatus as SpNodeStatus } from '../../contracts';
import type { SiteIndex, TagInfo } from '../../site';
import { checkValueType, type Reject } from '../json-v1.decoder';

/**
 * Sparkplug B primary host (Eclipse Sparkplug 3.0, DESIGN.md §3), as a pure state machine: it is given decoded
 * payloads and the time, and answers with points, rejects, commands to publish and staleness. No MQTT, no clock.
 *
 * - NBIRTH starts a session: its `bdSeq`, `seq` 0 and the alias map of the node's metrics; DBIRTH adds a device's.
 * - NDATA / DDATA carry metrics by alias (or by name); each message's `seq` must follow the last (mod 256): a gap,
 *   an unknown alias, or data without a birth ask the edge node for a rebirth (NCMD `Node Control/Rebirth`), once per
 *   episode, not once per message.
 * - NDEATH ends the session only when its `bdSeq` is the session's: a late will of an older session is ignored.
 *   NDEATH makes every tag of the node and its devices stale at once; DDEATH those of the device.
 * Metric names map to tags through the site model (`sparkplug` on the hazard source, `sparkplugMetric` on tags,
 * `sparkplugDeviceId` on equipment).
 */

/** One metric as the host needs it (the adapter turns protobuf Longs into numbers). */
export interface SpMetric {
  name?: string | null;
  alias?: number | null;
  timestamp?: number | null;
  type?: string | null;
  value?: unknown;
  isNull?: boolean | null;
  properties?: Record<string, { type?: string; value?: unknown }> | null;
}

export interface SpPayload {
  timestamp?: number | null;
  seq?: number | null;
  metrics?: SpMetric[] | null;
}

export type SpMessageType = 'NBIRTH' | 'NDEATH' | 'DBIRTH' | 'DDEATH' | 'NDATA' | 'DDATA' | 'NCMD' | 'DCMD';

export interface SpTopic {
  groupId: string;
  type: SpMessageType;
  edgeNodeId: string;
  deviceId?: string;
}

/** `spBv1.0/{group}/{type}/{edge}[/{device}]`; `state` for `spBv1.0/STATE/{host}`; null for anything else. */
export function parseSparkplugTopic(topic: string): SpTopic | 'state' | null {
  const parts = topic.split('/');
  if (parts[0] !== 'spBv1.0') return null;
  if (parts[1] === 'STATE' && parts.length === 3) return 'state';
  const [, groupId, type, edgeNodeId, deviceId] = parts;
  if (!groupId || !edgeNodeId || parts.length > 5) return null;
  const isNodeType = type === 'NBIRTH' || type === 'NDEATH' || type === 'NDATA' || type === 'NCMD';
  const isDeviceType = type === 'DBIRTH' || type === 'DDEATH' || type === 'DDATA' || type === 'DCMD';
  if (isNodeType && parts.length === 4) return { groupId, type, edgeNodeId };
  if (isDeviceType && parts.length === 5 && deviceId) return { groupId, type, edgeNodeId, deviceId };
  return null;
}

export const REBIRTH_METRIC = 'Node Control/Rebirth';

export interface HostCommand {
  topic: string;
  payload: SpPayload;
}

export interface HostResult {
  points: SamplePoint[];
  rejects: Reject[];
  commands: HostCommand[];
  /** Tags that went stale at once (death), with the reason for the data-health view and the STALE rule. */
  stale?: { tags: string[]; reason: 'node_death' | 'device_death'; detail: string };
}

interface NodeState extends SpNodeStatus {
  enterpriseId: string;
  aliases: Map<number, TagInfo>;
  devices: Set<string>;
  rebirthRequestedMs: number;
}

interface SourceMap {
  enterpriseId: string;
  sourceId: string;
  byMetric: Map<string, TagInfo>;
  nodeTags: string[];
  deviceTags: Map<string, string[]>;
}

export interface HostOptions {
  /** Points stamped further than this into the future are rejected (as for JSON v1). */
  maxFutureSkewMs: number;
  /** A rebirth request is repeated at most this often while an episode lasts. */
  rebirthRetryMs: number;
}

/** Counters by message type and event, for metrics. */
export interface HostCounters {
  messages: Record<SpMessageType | 'STATE', number>;
  rebirthsRequested: number;
  seqGaps: number;
  deaths: number;
}

export class SparkplugHost {
  private readonly sources = new Map<string, SourceMap>();
  private readonly nodes = new Map<string, NodeState>();
  readonly counters: HostCounters = {
    messages: { NBIRTH: 0, NDEATH: 0, DBIRTH: 0, DDEATH: 0, NDATA: 0, DDATA: 0, NCMD: 0, DCMD: 0, STATE: 0 },
    rebirthsRequested: 0,
    seqGaps: 0,
    deaths: 0,
  };

  constructor(
    site: SiteIndex,
    private readonly opts: HostOptions,
  ) {
    for (const { enterprise, source } of site.sources.values()) {
      if (!source.sparkplug) continue;
      const map: SourceMap = {
        enterpriseId: enterprise.id,
        sourceId: source.id,
        byMetric: new Map(),
        nodeTags: [],
        deviceTags: new Map(),
      };
      for (const eq of source.equipment) {
        for (const def of eq.tags) {
          const info = site.tags.get(def.tag);
          if (!info || !def.sparkplugMetric) continue;
          map.byMetric.set(def.sparkplugMetric, info);
          if (eq.sparkplugDeviceId) {
            const list = map.deviceTags.get(eq.sparkplugDeviceId) ?? [];
            list.push(def.tag);
            map.deviceTags.set(eq.sparkplugDeviceId, list);
          } else {
            map.nodeTags.push(def.tag);
          }
        }
      }
      this.sources.set(`${source.sparkplug.groupId}/${source.sparkplug.edgeNodeId}`, map);
    }
  }

  /** Every known edge node's session. */
  status(): SpNodeStatus[] {
    return [...this.nodes.values()].map((n) => ({
      groupId: n.groupId,
      edgeNodeId: n.edgeNodeId,
      sourceId: n.sourceId,
      online: n.online,
      bdSeq: n.bdSeq,
      lastSeq: n.lastSeq,
      devicesOnline: [...n.devices],
      births: n.births,
      deaths: n.deaths,
      staleDeaths: n.staleDeaths,
      seqGaps: n.seqGaps,
      rebirthsRequested: n.rebirthsRequested,
      ...(n.lastBirthMs !== undefined ? { lastBirthMs: n.lastBirthMs } : {}),
      ...(n.lastDeathMs !== undefined ? { lastDeathMs: n.lastDeathMs } : {}),
      ...(n.lastGapMs !== undefined ? { lastGapMs: n.lastGapMs } : {}),
    }));
  }

  /** One decoded Sparkplug message. */
  handle(topic: SpTopic, payload: SpPayload, nowMs: number): HostResult {
    const out: HostResult = { points: [], rejects: [], commands: [] };
    this.counters.messages[topic.type]++;
    if (topic.type === 'NCMD' || topic.type === 'DCMD') return out; // commands are ours (or another host's)
    const key = `${topic.groupId}/${topic.edgeNodeId}`;
    const source = this.sources.get(key);
    if (!source) {
      out.rejects.push({
        reason: 'unknown_edge_node',
        detail: `edge node ${key} is not mapped to a hazard source (site model: sparkplug.groupId/edgeNodeId)`,
      });
      return out;
    }
    const node = this.node(key, topic, source);
    switch (topic.type) {
      case 'NBIRTH':
        this.birth(node, source, payload, nowMs, out);
        break;
      case 'NDEATH':
        this.death(node, source, payload, nowMs, out);
        break;
      case 'DBIRTH':
      case 'DDATA':
      case 'DDEATH':
      case 'NDATA':
        this.sessionMessage(node, source, topic, payload, nowMs, out);
        break;
    }
    return out;
  }

  private node(key: string, topic: SpTopic, source: SourceMap): NodeState {
    let node = this.nodes.get(key);
    if (!node) {
      node = {
        groupId: topic.groupId,
        edgeNodeId: topic.edgeNodeId,
        sourceId: source.sourceId,
        enterpriseId: source.enterpriseId,
        online: false,
        bdSeq: null,
        lastSeq: null,
        devicesOnline: [],
        births: 0,
        deaths: 0,
        staleDeaths: 0,
        seqGaps: 0,
        rebirthsRequested: 0,
        aliases: new Map(),
        devices: new Set(),
        rebirthRequestedMs: Number.NEGATIVE_INFINITY,
      };
      this.nodes.set(key, node);
    }
    return node;
  }

  private birth(node: NodeState, source: SourceMap, payload: SpPayload, nowMs: number, out: HostResult): void {
    const metrics = payload.metrics ?? [];
    const bdSeq = metrics.find((m) => m.name === 'bdSeq');
    node.online = true;
    node.bdSeq = typeof bdSeq?.value === 'number' ? bdSeq.value : null;
    node.lastSeq = typeof payload.seq === 'number' ? payload.seq : 0;
    node.aliases.clear();
    node.devices.clear();
    node.births++;
    node.lastBirthMs = nowMs;
    node.rebirthRequestedMs = Number.NEGATIVE_INFINITY;
    this.metrics(node, source, metrics, payload, nowMs, true, out);
  }

  private death(node: NodeState, source: SourceMap, payload: SpPayload, nowMs: number, out: HostResult): void {
    const bdSeq = (payload.metrics ?? []).find((m) => m.name === 'bdSeq')?.value;
    if (!node.online || (node.bdSeq !== null && typeof bdSeq === 'number' && bdSeq !== node.bdSeq)) {
      // The will of an older session arriving late must not kill the session that replaced it.
      node.staleDeaths++;
      return;
    }
    node.online = false;
    node.devices.clear();
    node.deaths++;
    node.lastDeathMs = nowMs;
    this.counters.deaths++;
    const tags = [...source.nodeTags, ...[...source.deviceTags.values()].flat()];
    out.stale = {
      tags,
      reason: 'node_death',
      detail: `NDEATH spBv1.0/${node.groupId}/${node.edgeNodeId} bdSeq ${String(bdSeq ?? node.bdSeq)}`,
    };
  }

  private sessionMessage(
    node: NodeState,
    source: SourceMap,
    topic: SpTopic,
    payload: SpPayload,
    nowMs: number,
    out: HostResult,
  ): void {
    const where = `spBv1.0/${topic.groupId}/${topic.type}/${topic.edgeNodeId}${topic.deviceId ? `/${topic.deviceId}` : ''}`;
    if (!node.online) {
      out.rejects.push({ reason: 'no_birth', detail: `${where} before the node's NBIRTH: rebirth requested` });
      this.requestRebirth(node, nowMs, out);
      return;
    }
    this.checkSeq(node, payload, nowMs, out);
    const deviceId = topic.deviceId;
    if (topic.type === 'DBIRTH' && deviceId) {
      node.devices.add(deviceId);
      this.metrics(node, source, payload.metrics ?? [], payload, nowMs, true, out);
      return;
    }
    if (topic.type === 'DDEATH' && deviceId) {
      node.devices.delete(deviceId);
      out.stale = { tags: source.deviceTags.get(deviceId) ?? [], reason: 'device_death', detail: `DDEATH ${where}` };
      return;
    }
    if (topic.type === 'DDATA' && deviceId && !node.devices.has(deviceId)) {
      out.rejects.push({ reason: 'no_birth', detail: `${where} before the device's DBIRTH: rebirth requested` });
      this.requestRebirth(node, nowMs, out);
      return;
    }
    this.metrics(node, source, payload.metrics ?? [], payload, nowMs, false, out);
  }

  private checkSeq(node: NodeState, payload: SpPayload, nowMs: number, out: HostResult): void {
    const seq = payload.seq;
    if (typeof seq !== 'number') return;
    const expected = node.lastSeq === null ? seq : (node.lastSeq + 1) % 256;
    node.lastSeq = seq;
    if (seq === expected) return;
    node.seqGaps++;
    node.lastGapMs = nowMs;
    this.counters.seqGaps++;
    this.requestRebirth(node, nowMs, out);
  }

  private requestRebirth(node: NodeState, nowMs: number, out: HostResult): void {
    if (nowMs - node.rebirthRequestedMs < this.opts.rebirthRetryMs) return;
    node.rebirthRequestedMs = nowMs;
    node.rebirthsRequested++;
    this.counters.rebirthsRequested++;
    out.commands.push({
      topic: `spBv1.0/${node.groupId}/NCMD/${node.edgeNodeId}`,
      payload: { timestamp: nowMs, metrics: [{ name: REBIRTH_METRIC, type: 'Boolean', value: true }] },
    });
  }

  private metrics(
    node: NodeState,
    source: SourceMap,
    metrics: SpMetric[],
    payload: SpPayload,
    nowMs: number,
    isBirth: boolean,
    out: HostResult,
  ): void {
    const latestAllowedMs = nowMs + this.opts.maxFutureSkewMs;
    for (let i = 0; i < metrics.length; i++) {
      const m = metrics[i]!;
      const name = m.name ?? undefined;
      if (name === 'bdSeq' || name?.startsWith('Node Control/') || name?.startsWith('Properties/')) continue;
      let info: TagInfo | undefined;
      if (name) {
        info = source.byMetric.get(name);
        if (isBirth && info && typeof m.alias === 'number') node.aliases.set(m.alias, info);
        if (!info) {
          out.rejects.push({
            reason: 'unknown_metric',
            detail: `metric "${name}" is not mapped to a tag of ${source.sourceId}`,
          });
          continue;
        }
      } else if (typeof m.alias === 'number') {
        info = node.aliases.get(m.alias);
        if (!info) {
          out.rejects.push({
            reason: 'unknown_alias',
            detail: `alias ${m.alias} was not in the birth: rebirth requested`,
          });
          this.requestRebirth(node, nowMs, out);
          continue;
        }
      } else {
        out.rejects.push({ reason: 'bad_point', detail: `metrics[${i}] has neither name nor alias` });
        continue;
      }
      if (m.isNull || m.value === null || m.value === undefined) {
        out.rejects.push({
          reason: 'bad_point',
          detail: `metric ${name ?? `alias ${m.alias}`} (${info.def.tag}) is null`,
        });
        continue;
      }
      const v = m.value;
      if (typeof v === 'number' && !Number.isFinite(v)) {
        out.rejects.push({ reason: 'bad_point', detail: `metric ${info.def.tag}: ${v} is not a finite number` });
        continue;
      }
      if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') {
        out.rejects.push({
          reason: 'wrong_value_type',
          detail: `metric ${info.def.tag}: ${m.type ?? typeof v} values are not supported`,
        });
        continue;
      }
      const typeError = checkValueType(info.def.kind, v);
      if (typeError) {
        out.rejects.push({ reason: 'wrong_value_type', detail: `metric ${info.def.tag}: ${typeError}` });
        continue;
      }
      const tsMs = m.timestamp ?? payload.timestamp ?? nowMs;
      if (tsMs > latestAllowedMs) {
        out.rejects.push({ reason: 'bad_timestamp', detail: `metric ${info.def.tag}: ts ${tsMs} is in the future` });
        continue;
      }
      out.points.push({
        enterpriseId: node.enterpriseId,
        sourceId: node.sourceId,
        tag: info.def.tag,
        tsMs,
        v,
        q: qualityOf(m),
      });
    }
  }
}

/**
 * Sparkplug has no quality field; many edges send an OPC-style `Quality` property (192 good, 64 uncertain, 0 bad,
 * per OPC DA quality codes). Absent means good.
 */
function qualityOf(m: SpMetric): Quality {
  const q = m.properties?.Quality?.value;
  if (typeof q !== 'number') return 'good';
  if (q >= 192) return 'good';
  if (q >= 64) return 'uncertain';
  return 'bad';
}

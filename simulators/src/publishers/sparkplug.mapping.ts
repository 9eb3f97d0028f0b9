import type { PointValue, SiteModel } from '@hazard/server/contracts';

/** One tag as a Sparkplug metric of the edge node or of one of its devices. */
export interface SparkplugMetricDef {
  tag: string;
  /** Metric name from the site model's `sparkplugMetric`. */
  name: string;
  /** Alias announced in the birth and used in every data message (Sparkplug 3.0 §6.4.6: unique per node). */
  alias: number;
  datatype: 'Double' | 'String';
}

/** What an edge node publishes for one hazard source (docs/sparkplug.md). */
export interface SparkplugNodeMap {
  enterpriseId: string;
  sourceId: string;
  groupId: string;
  edgeNodeId: string;
  nodeMetrics: SparkplugMetricDef[];
  /** Devices by `sparkplugDeviceId`, their metrics. */
  devices: Map<string, SparkplugMetricDef[]>;
  /** Metric by tag, for data messages. */
  byTag: Map<string, { deviceId: string | undefined; metric: SparkplugMetricDef }>;
}

/**
 * The edge nodes of a site: every source with `sparkplug`, and its tags that have a `sparkplugMetric` (tags
 * without one are not announced: the host would reject them as `unknown_metric`). Aliases count from 1 in file
 * order, so a rebirth announces the same aliases.
 */
export function sparkplugNodes(site: SiteModel): SparkplugNodeMap[] {
  const out: SparkplugNodeMap[] = [];
  for (const enterprise of site.enterprises) {
    for (const source of enterprise.sources) {
      if (!source.sparkplug) continue;
      const map: SparkplugNodeMap = {
        enterpriseId: enterprise.id,
        sourceId: source.id,
        groupId: source.sparkplug.groupId,
        edgeNodeId: source.sparkplug.edgeNodeId,
        nodeMetrics: [],
        devices: new Map(),
        byTag: new Map(),
      };
      let alias = 1;
      for (const eq of source.equipment) {
        for (const def of eq.tags) {
          if (!def.sparkplugMetric) continue;
          const discrete = def.kind === 'valve_position' || def.kind === 'sis_state';
          const metric: SparkplugMetricDef = {
            tag: def.tag,
            name: def.sparkplugMetric,
            alias: alias++,
            datatype: discrete ? 'String' : 'Double',
          };
          const deviceId = eq.sparkplugDeviceId;
          if (deviceId) {
            const list = map.devices.get(deviceId) ?? [];
            list.push(metric);
            map.devices.set(deviceId, list);
          } else {
            map.nodeMetrics.push(metric);
          }
          map.byTag.set(def.tag, { deviceId, metric });
        }
      }
      out.push(map);
    }
  }
  return out;
}

/** A value as Sparkplug carries it for the metric's datatype. */
export function metricValue(metric: SparkplugMetricDef, v: PointValue): number | string {
  return metric.datatype === 'String' ? String(v) : Number(v);
}

/** MQTT topic layout of the JSON v1 contract (DESIGN.md §3). */
export const TOPIC_ROOT = 'hazard/v1';

/** Subscription that catches every JSON v1 message, so anything malformed is dead-lettered rather than unseen. */
export const TOPIC_SUBSCRIPTION = `${TOPIC_ROOT}/#`;

export type TopicKind = 'telemetry' | 'status';

export interface ParsedTopic {
  enterpriseId: string;
  sourceId: string;
  kind: TopicKind;
}

export function telemetryTopic(enterpriseId: string, sourceId: string): string {
  return `${TOPIC_ROOT}/${enterpriseId}/${sourceId}/telemetry`;
}

export function statusTopic(enterpriseId: string, sourceId: string): string {
  return `${TOPIC_ROOT}/${enterpriseId}/${sourceId}/status`;
}

/** Parses `hazard/v1/{enterpriseId}/{sourceId}/{telemetry|status}`; null when the topic is not of that shape. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== 'hazard' || parts[1] !== 'v1') return null;
  const [, , enterpriseId, sourceId, kind] = parts;
  if (!enterpriseId || !sourceId) return null;
  if (kind !== 'telemetry' && kind !== 'status') return null;
  return { enterpriseId, sourceId, kind };
}

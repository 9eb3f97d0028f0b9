import type { SiteModel } from '@hazard/server/contracts';
import { SimulatorConfigError } from './errors';
import { Plant } from './plant';
import { SparkplugEdgeNode } from './publishers/sparkplug.publisher';
import { sparkplugNodes } from './publishers/sparkplug.mapping';
import { startTicker } from './ticker';

export interface SparkplugSimOptions {
  url: string;
  site: SiteModel;
  rateHz: number;
  durationS?: number;
  seed: number;
  primaryHostId?: string;
  username?: string;
  password?: string;
  ca?: Buffer;
  connectTimeoutMs?: number;
  log?: (line: string) => void;
}

/** The plant of a site over Sparkplug B: one edge node per source the site maps (`sparkplug` on the source). */
export async function startSparkplugSimulator(
  options: SparkplugSimOptions,
): Promise<{ stop(): Promise<void>; finished: Promise<void>; nodes: SparkplugEdgeNode[] }> {
  const maps = sparkplugNodes(options.site);
  if (maps.length === 0) {
    throw new SimulatorConfigError(
      'the site maps no hazard source to a Sparkplug edge node (sparkplug: {groupId, edgeNodeId} and sparkplugMetric ' +
        'on its tags, docs/sparkplug.md); deploy/demo-site.yaml has one',
    );
  }
  const log = options.log ?? (() => undefined);
  const plant = new Plant(options.site, { seed: options.seed, excursion: null });
  const nodes: SparkplugEdgeNode[] = [];
  try {
    for (const node of maps) {
      nodes.push(
        await SparkplugEdgeNode.connect({
          url: options.url,
          node,
          onEvent: log,
          ...(options.primaryHostId !== undefined && { primaryHostId: options.primaryHostId }),
          ...(options.username !== undefined && { username: options.username }),
          ...(options.password !== undefined && { password: options.password }),
          ...(options.ca !== undefined && { ca: options.ca }),
          ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
        }),
      );
    }
  } catch (err) {
    for (const n of nodes) n.kill();
    throw err;
  }
  log(`sparkplug: ${nodes.length} edge node(s) at ${options.rateHz} Hz`);
  const startedAtMs = Date.now();
  let resolveFinished: () => void = () => undefined;
  const finished = new Promise<void>((r) => (resolveFinished = r));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      ticker.stop();
      await Promise.allSettled(nodes.map((n) => n.stop()));
      resolveFinished();
    })());
  const ticker = startTicker(1000 / options.rateHz, (nowMs) => {
    if (options.durationS !== undefined && nowMs - startedAtMs >= options.durationS * 1000) {
      void stop();
      return;
    }
    const bySource = new Map(plant.tick(nowMs).map((t) => [t.sourceId, t.message]));
    maps.forEach((map, i) => {
      const message = bySource.get(map.sourceId);
      if (!message) return;
      const values = new Map(message.points.map((p) => [p.tag, p.v]));
      nodes[i]!.publish(values, nowMs).catch((err: unknown) =>
        log(`sparkplug publish failed: ${(err as Error).message}`),
      );
    });
  });
  return { stop, finished, nodes };
}

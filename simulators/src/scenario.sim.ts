import type { SiteModel } from '@hazard/server/contracts';
import { loadSiteFile } from '@hazard/server/site';
import { JsonV1Publisher, redactUrl, type SourceRef } from './publishers/json-v1.publisher';
import { loadScenarioFile } from './scenarios/scenario.loader';
import { ScenarioRun } from './scenarios/scenario.runner';
import type { ExpectedAlarm } from './scenarios/scenario.schema';
import { startTicker } from './ticker';

export interface ScenarioSimOptions {
  url: string;
  site?: SiteModel;
  sitePath?: string;
  scenarioPath: string;
  username?: string;
  password?: string;
  ca?: Buffer;
  connectTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ScenarioSimResult {
  name: string;
  /** Telemetry messages acknowledged by the broker. */
  acked: number;
  errors: number;
  /** The alarms the scenario declares the server should have raised, in order. */
  expected: ExpectedAlarm[];
}

/**
 * Plays a scenario file in real time against a broker, one MQTT connection per hazard source as gateways have,
 * each with its own last will: a `gateway-down` drops that connection without DISCONNECT (the broker publishes the
 * will), `gateway-up` reconnects and announces the source online. Rejects with ScenarioFileError, SiteFileError or
 * BrokerUnreachableError before anything is published.
 */
export async function runScenario(options: ScenarioSimOptions): Promise<ScenarioSimResult> {
  const log = options.log ?? (() => undefined);
  const site = options.site ?? loadSiteFile(options.sitePath ?? '');
  const scenario = loadScenarioFile(options.scenarioPath, site);
  const run = new ScenarioRun(site, scenario);
  const connect = (source: SourceRef): Promise<JsonV1Publisher> =>
    JsonV1Publisher.connect({
      url: options.url,
      clientId: `hazard-sim-${source.sourceId}-${process.pid}`,
      will: source,
      ...(options.username !== undefined && { username: options.username }),
      ...(options.password !== undefined && { password: options.password }),
      ...(options.ca !== undefined && { ca: options.ca }),
      ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
    });
  const refs = [...run.site.sources.values()].map(({ enterprise, source }) => ({
    enterpriseId: enterprise.id,
    sourceId: source.id,
  }));
  const publishers = new Map<string, JsonV1Publisher | Promise<JsonV1Publisher>>();
  for (const ref of refs) publishers.set(ref.sourceId, await connect(ref));
  log(
    `scenario ${scenario.name}: ${refs.length} gateway(s) connected to ${redactUrl(options.url)}, ${scenario.durationS} s`,
  );

  let acked = 0;
  let errors = 0;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    const tracked = p.then(
      () => acked++,
      () => errors++,
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };
  await new Promise<void>((resolve) => {
    const ticker = startTicker(run.tickMs, (nowMs) => {
      if (run.finishedAt(nowMs)) {
        ticker.stop();
        resolve();
        return;
      }
      for (const { enterpriseId, sourceId, out } of run.tick(nowMs)) {
        const ref = { enterpriseId, sourceId };
        const publisher = publishers.get(sourceId);
        if (out.kind === 'telemetry') {
          track(Promise.resolve(publisher).then((p) => p?.publishTelemetry(ref, out.message)));
        } else if (!out.status.online) {
          log(`scenario: gateway of ${sourceId} drops off the network (its last will follows)`);
          void Promise.resolve(publisher).then((p) => p?.kill());
        } else if (publisher instanceof JsonV1Publisher && publisher.connected) {
          track(publisher.publishStatus(ref, out.status));
        } else {
          log(`scenario: gateway of ${sourceId} back on the network`);
          const reconnect = connect(ref).then(async (p) => {
            publishers.set(sourceId, p);
            await p.publishStatus(ref, out.status);
            return p;
          });
          publishers.set(sourceId, reconnect);
        }
      }
    });
  });
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 5000).unref())]);
  for (const p of publishers.values()) await (await p).end();
  for (const note of run.notes) log(`scenario: ${note}`);
  return { name: scenario.name, acked, errors, expected: scenario.expect };
}

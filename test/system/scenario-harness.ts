import { resolve } from 'node:path';
import { ScenarioRun, type Scenario } from '@hazard/simulators';
import { AlarmService } from '../../server/src/alarms/alarm.service';
import type { AppConfig } from '../../server/src/config/app-config';
import type { AlarmEvent, SiteModel } from '../../server/src/contracts';
import { parseTopic, telemetryTopic } from '../../server/src/contracts';
import { decodeTelemetry } from '../../server/src/ingest/json-v1.decoder';
import { StreamSequence } from '../../server/src/realtime/stream-sequence';
import { SiteIndex } from '../../server/src/site';
import type { SiteService } from '../../server/src/site/site.service';

export const DEMO_PARK = resolve(__dirname, '../../deploy/demo-park.yaml');
export const SCENARIO_DIR = resolve(__dirname, '../../simulators/scenarios');
/** A Monday 00:00 China time: the plant's diurnal temperature starts at its night low. */
export const T0 = Date.UTC(2025, 0, 5, 16, 0, 0);

/** One alarm transition as a scenario declares it. */
export interface SeenAlarm {
  key: string;
  transition: string;
  condition: string;
  chattering: boolean;
  atS: number;
}

/**
 * Plays a scenario through the server's own ingest decoding and AlarmService (every rule, the ISA-18.2 lifecycle,
 * designed suppression, chattering, notification) in fake time: each gateway message is serialised to JSON and
 * decoded by the server's JSON v1 decoder, a last will marks its source stale as ingest does, and the alarm tick
 * runs once per simulated second. Returns every alarm transition, in order.
 */
export function playThroughAlarmService(site: SiteModel, scenario: Scenario): SeenAlarm[] {
  const index = new SiteIndex(site);
  const config = { DATA_STALE_S: 60, ALARM_NOTIFY_P1_MIN: 5 } as AppConfig;
  const sut = new AlarmService({ index, site } as unknown as SiteService, new StreamSequence(), config);
  const seen: SeenAlarm[] = [];
  let clockMs = T0;
  sut.addListener((e: AlarmEvent) =>
    seen.push({
      key: e.alarm.key,
      transition: e.transition,
      condition: e.alarm.condition,
      chattering: e.alarm.chattering,
      atS: (clockMs - T0) / 1000,
    }),
  );
  const run = new ScenarioRun(site, scenario);
  const opts = { maxPayloadBytes: 1 << 20, maxFutureSkewMs: 60_000 };
  let nextAlarmTickMs = T0;
  for (let nowMs = T0; !run.finishedAt(nowMs); nowMs += run.tickMs) {
    clockMs = nowMs;
    for (const { enterpriseId, sourceId, out } of run.tick(nowMs)) {
      if (out.kind === 'status') {
        if (!out.status.online) sut.markSourceStale(sourceId, nowMs);
        continue;
      }
      const topic = parseTopic(telemetryTopic(enterpriseId, sourceId))!;
      const decoded = decodeTelemetry(topic, Buffer.from(JSON.stringify(out.message)), index, { ...opts, nowMs });
      if (decoded.rejects.length > 0) throw new Error(`the server rejects: ${JSON.stringify(decoded.rejects)}`);
      for (const p of decoded.points) sut.evaluate(p, nowMs);
    }
    while (nextAlarmTickMs <= nowMs) {
      clockMs = nextAlarmTickMs;
      sut.tick(nextAlarmTickMs);
      nextAlarmTickMs += 1000;
    }
  }
  sut.onModuleDestroy();
  return seen;
}

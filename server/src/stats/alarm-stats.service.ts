import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AlarmStatsQueryParams, AlarmStatsResponse } from '../contracts';
import { SiteService } from '../site/site.service';
import { StorageService } from '../storage/storage.service';
import { RATE_WINDOW_MS, alarmStats } from './alarm-stats';

const DAY_MS = 86_400_000;

/** A statistics request that cannot be served as asked; `status` is the HTTP answer. */
export class AlarmStatsError extends Error {
  override name = 'AlarmStatsError';
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
  }
}

/** Reads the journal for a range and computes the EEMUA 191 figures (alarm-stats.ts, docs/alarm-statistics.md). */
@Injectable()
export class AlarmStatsService {
  constructor(
    private readonly storage: StorageService,
    private readonly sites: SiteService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async stats(p: AlarmStatsQueryParams, nowMs: number): Promise<AlarmStatsResponse> {
    const toMs = p.to ?? nowMs;
    const fromMs = p.from ?? toMs - DAY_MS;
    if (fromMs >= toMs) throw new AlarmStatsError(`from (${fromMs}) must be before to (${toMs})`, 400);
    const enterprises = this.sites.site.enterprises.map((e) => e.id);
    if (p.enterprise !== undefined && !enterprises.includes(p.enterprise)) {
      throw new AlarmStatsError(`no enterprise "${p.enterprise}" in the site model`, 404);
    }
    const max = this.config.STATS_MAX_EVENTS;
    const [initial, events] = await Promise.all([
      this.storage.latestAlarmEvents(fromMs - this.config.ALARM_RESTORE_DAYS * DAY_MS, fromMs),
      this.storage.queryJournal({
        fromMs: fromMs - RATE_WINDOW_MS,
        toMs: toMs - 1,
        limit: max + 1,
        ...(p.enterprise !== undefined ? { enterpriseId: p.enterprise } : {}),
      }),
    ]);
    const truncated = events.length > max;
    const mine = (e: { alarm: { enterpriseId: string } }) =>
      p.enterprise === undefined || e.alarm.enterpriseId === p.enterprise;
    return {
      ...alarmStats({
        fromMs,
        toMs,
        positions: p.enterprise !== undefined ? [p.enterprise] : enterprises,
        initial: initial.filter(mine),
        events: truncated ? events.slice(0, max) : events,
        ...(p.enterprise !== undefined ? { enterpriseId: p.enterprise } : {}),
      }),
      truncated,
    };
  }
}

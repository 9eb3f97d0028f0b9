import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AlarmEvent, JournalQueryParams, JournalResponse } from '../contracts';
import { StreamSequence } from '../realtime/stream-sequence';
import { StorageService } from '../storage/storage.service';
import { rebuildFromJournal } from './alarm-journal';
import { AlarmService } from './alarm.service';

const DAY_MS = 86_400_000;

/** A journal request the service could not serve as asked; the controller answers 400 with `error`. */
export class JournalQueryError extends Error {
  override name = 'JournalQueryError';
}

/**
 * The alarm journal (docs/alarm-lifecycle.md): queries for `GET /api/alarms/journal`, and the rebuild of the alarm
 * states at start. The rebuild runs in onModuleInit, which Nest completes for every provider before any
 * onApplicationBootstrap, where IngestService connects to MQTT: no point is evaluated against empty states.
 */
@Injectable()
export class AlarmJournalService implements OnModuleInit {
  private readonly logger = new Logger(AlarmJournalService.name);

  constructor(
    private readonly storage: StorageService,
    private readonly alarms: AlarmService,
    private readonly sequence: StreamSequence,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.restore(Date.now());
  }

  /**
   * Rebuilds the alarm states from the latest event of each alarm point within ALARM_RESTORE_DAYS (one indexed
   * read per point, whatever the journal's length) plus what the spool still held. A failed read is logged and the
   * server starts with normal states: the primed rules raise whatever is still in alarm (the fail-safe side).
   */
  async restore(nowMs: number): Promise<void> {
    await this.storage.ready();
    const startedMs = Date.now();
    let events: AlarmEvent[];
    try {
      // Up to a day ahead: a source clock slightly fast must not hide its latest event.
      events = await this.storage.latestAlarmEventsAtStart(
        nowMs - this.config.ALARM_RESTORE_DAYS * DAY_MS,
        nowMs + DAY_MS,
      );
    } catch (err) {
      this.logger.error(`cannot read the alarm journal, starting with every alarm normal: ${(err as Error).message}`);
      return;
    }
    const { alarms, lastSeq } = rebuildFromJournal(events);
    this.alarms.restore(alarms);
    this.sequence.resume(lastSeq);
    const open = alarms.filter((a) => a.state !== 'normal' || a.shelved || a.suppressed || a.outOfService).length;
    this.logger.log(
      `alarm states rebuilt from the journal: ${alarms.length} points, ${open} not normal, seq ${lastSeq}, ${Date.now() - startedMs} ms`,
    );
  }

  /** The journal for `GET /api/alarms/journal`: oldest first, at most `limit` (≤ JOURNAL_MAX_ROWS) rows. */
  async query(p: JournalQueryParams, nowMs: number): Promise<JournalResponse> {
    const toMs = p.to ?? nowMs;
    const fromMs = p.from ?? toMs - DAY_MS;
    if (fromMs > toMs) throw new JournalQueryError(`from (${fromMs}) is after to (${toMs})`);
    const max = this.config.JOURNAL_MAX_ROWS;
    if (p.limit !== undefined && p.limit > max) {
      throw new JournalQueryError(`limit must be at most ${max} (JOURNAL_MAX_ROWS); got ${p.limit}`);
    }
    const limit = p.limit ?? max;
    const rows = await this.storage.queryJournal({
      fromMs,
      toMs,
      limit: limit + 1,
      ...(p.source !== undefined ? { sourceId: p.source } : {}),
      ...(p.enterprise !== undefined ? { enterpriseId: p.enterprise } : {}),
      ...(p.tag !== undefined ? { tag: p.tag } : {}),
      ...(p.priority !== undefined ? { priority: p.priority } : {}),
      ...(p.kind !== undefined ? { transition: p.kind } : {}),
      ...(p.user !== undefined ? { user: p.user } : {}),
    });
    const truncated = rows.length > limit;
    return { fromMs, toMs, limit, truncated, events: truncated ? rows.slice(0, limit) : rows };
  }
}

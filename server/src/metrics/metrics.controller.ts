import { Controller, Get, Header } from '@nestjs/common';
import { AlarmService } from '../alarms/alarm.service';
import { BrokerService } from '../broker/broker.service';
import { Public } from '../auth/auth.decorators';
import { DataHealthService } from '../health/data-health.service';
import { IngestService } from '../ingest/ingest.service';
import { StorageService } from '../storage/storage.service';

/** Prometheus text exposition of the counters operators alert on (DESIGN.md §3 `GET /metrics`). */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly storage: StorageService,
    private readonly alarms: AlarmService,
    private readonly dataHealth: DataHealthService,
    private readonly brokerService: BrokerService,
  ) {}

  /** Public: Prometheus scrapes without a token (counters only, no plant data). */
  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  get(): string {
    const s = this.storage.stats();
    const seq = this.dataHealth.core.seq.totals;
    const broker = this.ingest.health().connection;
    const lines: string[] = [
      '# HELP hazard_ingest_messages_total MQTT messages received.',
      '# TYPE hazard_ingest_messages_total counter',
      `hazard_ingest_messages_total ${this.ingest.counters.messages}`,
      '# HELP hazard_ingest_points_total Valid points accepted.',
      '# TYPE hazard_ingest_points_total counter',
      `hazard_ingest_points_total ${this.ingest.counters.points}`,
      '# HELP hazard_ingest_rejected_total Rejected input (dead letters) by reason.',
      '# TYPE hazard_ingest_rejected_total counter',
      ...Object.entries(this.ingest.deadLetters.counts).map(
        ([reason, n]) => `hazard_ingest_rejected_total{reason="${reason}"} ${n ?? 0}`,
      ),
      '# HELP hazard_store_buffered_points Points waiting in the write buffer (backpressure).',
      '# TYPE hazard_store_buffered_points gauge',
      `hazard_store_buffered_points ${s.bufferedPoints}`,
      '# HELP hazard_store_points_total Points written to the store.',
      '# TYPE hazard_store_points_total counter',
      `hazard_store_points_total ${s.storedPoints}`,
      '# HELP hazard_store_dropped_points_total Points lost for good (memory bound without a spool, spool full or failing).',
      '# TYPE hazard_store_dropped_points_total counter',
      `hazard_store_dropped_points_total ${s.droppedPoints}`,
      '# HELP hazard_store_failed_writes_total Failed store requests (retried).',
      '# TYPE hazard_store_failed_writes_total counter',
      `hazard_store_failed_writes_total ${s.failedWrites}`,
      '# HELP hazard_store_replayed_points_total Points written from the disk spool after an outage or a crash.',
      '# TYPE hazard_store_replayed_points_total counter',
      `hazard_store_replayed_points_total ${s.replayedPoints}`,
      '# HELP hazard_store_replaying 1 while the write buffer replays from the spool (the store is behind).',
      '# TYPE hazard_store_replaying gauge',
      `hazard_store_replaying ${s.mode === 'replay' ? 1 : 0}`,
      '# HELP hazard_spool_pending_bytes Spooled bytes the store has not confirmed yet (backpressure on disk).',
      '# TYPE hazard_spool_pending_bytes gauge',
      `hazard_spool_pending_bytes ${s.spool?.pendingBytes ?? 0}`,
      '# HELP hazard_spool_segments Spool segment files on disk.',
      '# TYPE hazard_spool_segments gauge',
      `hazard_spool_segments ${s.spool?.segments ?? 0}`,
      '# HELP hazard_spool_fsyncs_total Batched fsyncs of the spool.',
      '# TYPE hazard_spool_fsyncs_total counter',
      `hazard_spool_fsyncs_total ${s.spool?.fsyncs ?? 0}`,
      '# HELP hazard_spool_dropped_points_total Points dropped because the spool reached SPOOL_MAX_BYTES.',
      '# TYPE hazard_spool_dropped_points_total counter',
      `hazard_spool_dropped_points_total ${s.spool?.droppedPoints ?? 0}`,
      '# HELP hazard_spool_corrupt_frames_total Spool frames that failed their CRC when read back.',
      '# TYPE hazard_spool_corrupt_frames_total counter',
      `hazard_spool_corrupt_frames_total ${s.spool?.corruptFrames ?? 0}`,
      '# HELP hazard_spool_write_errors_total Failed spool appends (points held in memory instead).',
      '# TYPE hazard_spool_write_errors_total counter',
      `hazard_spool_write_errors_total ${s.spoolWriteErrors}`,
      '# HELP hazard_sparkplug_messages_total Sparkplug B messages by type.',
      '# TYPE hazard_sparkplug_messages_total counter',
      ...Object.entries(this.ingest.sparkplug.counters.messages).map(
        ([type, n]) => `hazard_sparkplug_messages_total{type="${type}"} ${n}`,
      ),
      '# HELP hazard_sparkplug_rebirths_requested_total Rebirth requests (NCMD) sent to edge nodes.',
      '# TYPE hazard_sparkplug_rebirths_requested_total counter',
      `hazard_sparkplug_rebirths_requested_total ${this.ingest.sparkplug.counters.rebirthsRequested}`,
      '# HELP hazard_sparkplug_seq_gaps_total Sparkplug seq gaps seen.',
      '# TYPE hazard_sparkplug_seq_gaps_total counter',
      `hazard_sparkplug_seq_gaps_total ${this.ingest.sparkplug.counters.seqGaps}`,
      '# HELP hazard_sparkplug_deaths_total Edge node deaths (NDEATH of the current session).',
      '# TYPE hazard_sparkplug_deaths_total counter',
      `hazard_sparkplug_deaths_total ${this.ingest.sparkplug.counters.deaths}`,
      '# HELP hazard_alarms_active Open alarms (not yet back to normal and acknowledged).',
      '# TYPE hazard_alarms_active gauge',
      `hazard_alarms_active ${this.alarms.list('active').length}`,
      '# HELP hazard_data_stale_tags Tags whose data is stale (older than their max age, or gateway offline).',
      '# TYPE hazard_data_stale_tags gauge',
      `hazard_data_stale_tags ${this.dataHealth.staleCount(Date.now())}`,
      '# HELP hazard_ingest_seq_gaps_total Forward jumps in a publisher seq (messages lost upstream).',
      '# TYPE hazard_ingest_seq_gaps_total counter',
      `hazard_ingest_seq_gaps_total ${seq.gaps}`,
      '# HELP hazard_ingest_seq_missed_messages_total Estimated messages lost in seq gaps.',
      '# TYPE hazard_ingest_seq_missed_messages_total counter',
      `hazard_ingest_seq_missed_messages_total ${seq.missedMessages}`,
      '# HELP hazard_ingest_seq_duplicates_total Messages whose seq repeated or went slightly back (redelivery).',
      '# TYPE hazard_ingest_seq_duplicates_total counter',
      `hazard_ingest_seq_duplicates_total ${seq.duplicates}`,
      '# HELP hazard_ingest_seq_restarts_total Publishers that restarted their seq.',
      '# TYPE hazard_ingest_seq_restarts_total counter',
      `hazard_ingest_seq_restarts_total ${seq.restarts}`,
      '# HELP hazard_broker_reconnects_total Times the ingest client reconnected to the broker after losing it.',
      '# TYPE hazard_broker_reconnects_total counter',
      `hazard_broker_reconnects_total ${broker.outages}`,
      '# HELP hazard_broker_connected Whether the ingest client is connected to the broker.',
      '# TYPE hazard_broker_connected gauge',
      `hazard_broker_connected ${broker.connected ? 1 : 0}`,
      '# HELP hazard_mqtt_refused_total Embedded broker refusals (bad credentials, ACL) by what was refused.',
      '# TYPE hazard_mqtt_refused_total counter',
      ...Object.entries(this.brokerService.denied).map(([what, n]) => `hazard_mqtt_refused_total{what="${what}"} ${n}`),
      '',
    ];
    return lines.join('\n');
  }
}

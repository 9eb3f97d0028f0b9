import { Module, type DynamicModule } from '@nestjs/common';
import { AlarmJournalController } from './alarms/alarm-journal.controller';
import { AlarmJournalService } from './alarms/alarm-journal.service';
import { APP_GUARD } from '@nestjs/core';
import { AlarmActionsService } from './alarms/alarm-actions.service';
import { AlarmController } from './alarms/alarm.controller';
import { AlarmService } from './alarms/alarm.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { BrokerService } from './broker/broker.service';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { DataHealthService } from './health/data-health.service';
import { HealthController } from './health/health.controller';
import { IngestService } from './ingest/ingest.service';
import { MetricsController } from './metrics/metrics.controller';
import { LatestValues } from './realtime/latest-values';
import { RealtimeGateway } from './realtime/realtime.gateway';
import { StreamSequence } from './realtime/stream-sequence';
import { RiskController } from './risk/risk.controller';
import { RiskService } from './risk/risk.service';
import { SiteController } from './site/site.controller';
import { HistoryController } from './storage/history.controller';
import { SiteService } from './site/site.service';
import { StorageService } from './storage/storage.service';
import { AlarmStatsController } from './stats/alarm-stats.controller';
import { AlarmStatsService } from './stats/alarm-stats.service';

@Module({})
export class AppModule {
  /** The whole server for one validated configuration (main.ts and the medium tests both use this). */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      // AlarmJournalController before AlarmController: `/alarms/journal` must not be taken for an `/alarms/:id`.
      controllers: [
        AuthController,
        SiteController,
        AlarmJournalController,
        AlarmController,
        AlarmStatsController,
        HealthController,
        MetricsController,
        HistoryController,
        RiskController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        SiteService,
        StreamSequence,
        LatestValues,
        BrokerService,
        StorageService,
        AlarmService,
        AlarmJournalService,
        AlarmStatsService,
        AlarmActionsService,
        AuthService,
        // Every route needs a token unless marked @Public() (auth/auth.guard.ts).
        { provide: APP_GUARD, useClass: AuthGuard },
        DataHealthService,
        IngestService,
        RiskService,
        RealtimeGateway,
      ],
    };
  }
}

import { BadRequestException, Controller, Get, NotFoundException, Query } from '@nestjs/common';
import { DataHealthQuerySchema, type DataHealthResponse, type HealthResponse } from '../contracts';
import { IngestService } from '../ingest/ingest.service';
import { SiteService } from '../site/site.service';
import { StorageService } from '../storage/storage.service';
import { Public } from '../auth/auth.decorators';
import { DataHealthService } from './data-health.service';

const startedAtMs = Date.now();

@Controller('health')
export class HealthController {
  constructor(
    private readonly ingest: IngestService,
    private readonly storage: StorageService,
    private readonly dataHealth: DataHealthService,
    private readonly sites: SiteService,
  ) {}

  /** Broker and store status plus ingest counters (DESIGN.md §3 `GET /health`); public for liveness probes. */
  @Public()
  @Get()
  async get(): Promise<HealthResponse> {
    const broker = this.ingest.health();
    const store = await this.storage.health();
    const s = this.storage.stats();
    return {
      status: broker.ok && store.ok ? 'ok' : 'degraded',
      uptimeS: Math.round((Date.now() - startedAtMs) / 1000),
      broker,
      store,
      ingest: {
        messages: this.ingest.counters.messages,
        points: this.ingest.counters.points,
        rejected: { ...this.ingest.deadLetters.counts },
        bufferedPoints: s.bufferedPoints,
        storedPoints: s.storedPoints,
        writeMode: s.mode,
        spoolPendingBytes: s.spool?.pendingBytes ?? 0,
        replayedPoints: s.replayedPoints,
        droppedPoints: s.droppedPoints + (s.spool?.droppedPoints ?? 0),
      },
      sparkplug: { hostId: this.ingest.sparkplugHostId, nodes: this.ingest.sparkplug.status() },
    };
  }

  /** `GET /api/health/data?source=&from=&to=`: freshness, gateways, seq gaps, 在线率 (docs/data-health.md). */
  @Get('data')
  data(@Query() raw: Record<string, unknown>): DataHealthResponse {
    const query = DataHealthQuerySchema.safeParse(raw);
    if (!query.success) {
      throw new BadRequestException(
        query.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '),
      );
    }
    if (query.data.source !== undefined && !this.sites.index.sources.has(query.data.source)) {
      throw new NotFoundException(`no hazard source "${query.data.source}"`);
    }
    return this.dataHealth.report(query.data, Date.now());
  }
}

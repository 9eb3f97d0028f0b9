import { Controller, Get } from '@nestjs/common';
import type { HealthResponse } from '../contracts';
import { IngestService } from '../ingest/ingest.service';
import { StorageService } from '../storage/storage.service';

const startedAtMs = Date.now();

@Controller('health')
export class HealthController {
  constructor(
    private readonly ingest: IngestService,
    private readonly storage: StorageService,
  ) {}

  /** Broker and store status plus ingest counters (DESIGN.md §3 `GET /health`). */
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
    };
  }
}

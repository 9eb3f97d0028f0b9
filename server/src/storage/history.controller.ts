import { BadRequestException, Controller, Get, NotFoundException, Query } from '@nestjs/common';
import { HistoryQueryParamsSchema, type HistoryResponse } from '../contracts';
import { SiteService } from '../site/site.service';
import { StorageService } from './storage.service';

const HOUR_MS = 3_600_000;

@Controller('telemetry')
export class HistoryController {
  constructor(
    private readonly storage: StorageService,
    private readonly sites: SiteService,
  ) {}

  /**
   * `GET /api/telemetry/history?tag=&from=&to=&step=` (DESIGN.md §3, docs/storage.md): min/max/mean/last per step
   * from raw samples or the 1-minute / 1-hour rollup, chosen by the step; at most HISTORY_MAX_POINTS buckets.
   */
  @Get('history')
  async history(@Query() query: Record<string, unknown>): Promise<HistoryResponse> {
    const parsed = HistoryQueryParamsSchema.safeParse(query);
    if (!parsed.success) {
      throw new BadRequestException(
        parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '),
      );
    }
    const { tag, from, to, step } = parsed.data;
    const info = this.sites.index.tags.get(tag);
    if (!info) throw new NotFoundException(`no tag "${tag}" in the site model`);
    const toMs = to ?? Date.now();
    const fromMs = from ?? toMs - HOUR_MS;
    if (fromMs > toMs) throw new BadRequestException(`from (${fromMs}) is after to (${toMs})`);
    const r = await this.storage.history({ tag, fromMs, toMs, ...(step !== undefined ? { stepMs: step } : {}) });
    return {
      tag,
      unit: info.def.unit,
      fromMs: r.fromMs,
      toMs: r.toMs,
      resolution: r.resolution,
      stepMs: r.stepMs,
      ...(r.widened ? { requestedStepMs: r.requestedStepMs } : {}),
      widened: r.widened,
      ...(r.note ? { note: r.note } : {}),
      buckets: r.buckets,
    };
  }
}

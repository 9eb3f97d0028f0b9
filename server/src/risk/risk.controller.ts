import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { HistoryQueryParamsSchema, type RiskHistoryResponse, type RiskOverview, type SourceRisk } from '../contracts';
import { RiskService } from './risk.service';

const HOUR_MS = 3_600_000;
/** Most changes one history answer lists (a flapping source over 30 days stays bounded). */
const MAX_HISTORY_ENTRIES = 10_000;
const RiskHistoryParamsSchema = HistoryQueryParamsSchema.pick({ from: true, to: true }).strict();

@Controller('risk')
export class RiskController {
  constructor(private readonly risk: RiskService) {}

  /** `GET /api/risk`: park, enterprises and every source with level, score and reasons (DESIGN.md §3). */
  @Get()
  overview(): RiskOverview {
    return this.risk.overview();
  }

  /** `GET /api/risk/:sourceId`: one source. */
  @Get(':sourceId')
  source(@Param('sourceId') sourceId: string): SourceRisk {
    return this.known(sourceId);
  }

  /** `GET /api/risk/:sourceId/history?from=&to=`: every change in the range with its reasons (default: 24 h). */
  @Get(':sourceId/history')
  history(@Param('sourceId') sourceId: string, @Query() query: Record<string, unknown>): RiskHistoryResponse {
    this.known(sourceId);
    const parsed = RiskHistoryParamsSchema.safeParse(query);
    if (!parsed.success) {
      throw new BadRequestException(
        parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '),
      );
    }
    const toMs = parsed.data.to ?? Date.now();
    const fromMs = parsed.data.from ?? toMs - 24 * HOUR_MS;
    if (fromMs > toMs) throw new BadRequestException(`from (${fromMs}) is after to (${toMs})`);
    const rows = this.risk.historyOf(sourceId, fromMs, toMs, MAX_HISTORY_ENTRIES + 1);
    return {
      sourceId,
      fromMs,
      toMs,
      entries: rows.slice(0, MAX_HISTORY_ENTRIES).map(({ sourceId: _, ...entry }) => entry),
      truncated: rows.length > MAX_HISTORY_ENTRIES,
    };
  }

  private known(sourceId: string): SourceRisk {
    const risk = this.risk.source(sourceId);
    if (!risk) throw new NotFoundException(`no hazard source "${sourceId}"`);
    return risk;
  }
}

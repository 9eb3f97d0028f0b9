import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import type { RiskOverview, SourceRisk } from '../contracts';
import { RiskService } from './risk.service';

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
    const risk = this.risk.source(sourceId);
    if (!risk) throw new NotFoundException(`no hazard source "${sourceId}"`);
    return risk;
  }
}

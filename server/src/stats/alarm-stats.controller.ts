import { BadRequestException, Controller, Get, NotFoundException, Query } from '@nestjs/common';
import { describeIssues } from '../alarms/alarm-journal.controller';
import { AlarmStatsQueryParamsSchema, type AlarmStatsResponse } from '../contracts';
import { AlarmStatsError, AlarmStatsService } from './alarm-stats.service';

@Controller('stats')
export class AlarmStatsController {
  constructor(private readonly stats: AlarmStatsService) {}

  /** `GET /api/stats/alarms?from=&to=&enterprise=` (DESIGN.md §3, docs/alarm-statistics.md): EEMUA 191 figures. */
  @Get('alarms')
  async alarms(@Query() query: Record<string, unknown>): Promise<AlarmStatsResponse> {
    const parsed = AlarmStatsQueryParamsSchema.safeParse(query);
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error.issues));
    try {
      return await this.stats.stats(parsed.data, Date.now());
    } catch (err) {
      if (err instanceof AlarmStatsError) {
        throw err.status === 404 ? new NotFoundException(err.message) : new BadRequestException(err.message);
      }
      throw err;
    }
  }
}

import { BadRequestException, Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JournalQueryParamsSchema, type JournalResponse } from '../contracts';
import { journalCsv } from './alarm-journal';
import { AlarmJournalService, JournalQueryError } from './alarm-journal.service';

/** Query validation issues as one 400 message naming each parameter. */
export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || 'query'}: ${i.message}`).join('; ');
}

/** Whether the client asked for CSV by `Accept` (and did not prefer JSON). */
function acceptsCsvFirst(accept: string | undefined): boolean {
  if (!accept) return false;
  const csv = accept.indexOf('text/csv');
  const json = accept.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}

@Controller('alarms')
export class AlarmJournalController {
  constructor(
    private readonly journal: AlarmJournalService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `GET /api/alarms/journal?from=&to=&source=&enterprise=&tag=&priority=&kind=&user=&limit=&format=json|csv`
   * (DESIGN.md §3, docs/alarm-lifecycle.md "Journal"): every transition and operator action, oldest first.
   */
  @Get('journal')
  async list(
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JournalResponse | string> {
    const parsed = JournalQueryParamsSchema.safeParse(query);
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error.issues));
    let r: JournalResponse;
    try {
      r = await this.journal.query(parsed.data, Date.now());
    } catch (err) {
      if (err instanceof JournalQueryError) throw new BadRequestException(err.message);
      throw err;
    }
    const csv = parsed.data.format === 'csv' || (parsed.data.format === undefined && acceptsCsvFirst(accept));
    if (!csv) return r;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="alarm-journal-${r.fromMs}-${r.toMs}.csv"`);
    res.setHeader('X-Journal-Truncated', String(r.truncated));
    return journalCsv(r.events, this.config.HEALTH_UTC_OFFSET_H);
  }
}

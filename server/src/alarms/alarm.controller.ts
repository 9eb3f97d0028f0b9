import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import type { Alarm, AlarmListState } from '../contracts';
import { AlarmService } from './alarm.service';

const STATES: readonly AlarmListState[] = ['active', 'unacked', 'all'];

@Controller('alarms')
export class AlarmController {
  constructor(private readonly alarms: AlarmService) {}

  /** `GET /api/alarms?state=active|unacked|all&source=` (DESIGN.md §3). */
  @Get()
  list(@Query('state') state = 'active', @Query('source') source?: string): Alarm[] {
    if (!STATES.includes(state as AlarmListState)) {
      throw new BadRequestException(`state must be one of ${STATES.join(', ')}; got "${state}"`);
    }
    const list = this.alarms.list(state as AlarmListState);
    return source ? list.filter((a) => a.sourceId === source) : list;
  }
}

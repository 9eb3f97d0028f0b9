import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { AlarmListStateSchema, type Alarm, type AlarmListState } from '../contracts';
import { AlarmService } from './alarm.service';

const STATES: readonly AlarmListState[] = AlarmListStateSchema.options;

@Controller('alarms')
export class AlarmController {
  constructor(private readonly alarms: AlarmService) {}

  /** `GET /api/alarms?state=active|unacked|shelved|suppressed|out_of_service|all&source=` (DESIGN.md §3). */
  @Get()
  list(@Query('state') state = 'active', @Query('source') source?: string): Alarm[] {
    if (!STATES.includes(state as AlarmListState)) {
      throw new BadRequestException(`state must be one of ${STATES.join(', ')}; got "${state}"`);
    }
    const list = this.alarms.list(state as AlarmListState);
    return source ? list.filter((a) => a.sourceId === source) : list;
  }
}

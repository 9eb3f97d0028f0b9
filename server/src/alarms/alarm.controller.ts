import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ALARM_ACTION_ROLE,
  AlarmListStateSchema,
  type Alarm,
  type AlarmEvent,
  type AlarmListState,
  type AuthUser,
} from '../contracts';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { AlarmActionsService } from './alarm-actions.service';
import { AlarmService } from './alarm.service';

const STATES: readonly AlarmListState[] = AlarmListStateSchema.options;

/**
 * `GET /api/alarms` for any valid token (wall screens included); the actions need the role ALARM_ACTION_ROLE
 * names, take `:id` as an occurrence id or a point key (`LIA-101:hi`), and answer with the resulting AlarmEvent.
 */
@Controller('alarms')
export class AlarmController {
  constructor(
    private readonly alarms: AlarmService,
    private readonly actions: AlarmActionsService,
  ) {}

  /** `GET /api/alarms?state=active|unacked|shelved|suppressed|out_of_service|all&source=` (DESIGN.md §3). */
  @Get()
  list(@Query('state') state = 'active', @Query('source') source?: string): Alarm[] {
    if (!STATES.includes(state as AlarmListState)) {
      throw new BadRequestException(`state must be one of ${STATES.join(', ')}; got "${state}"`);
    }
    const list = this.alarms.list(state as AlarmListState);
    return source ? list.filter((a) => a.sourceId === source) : list;
  }

  /** `{comment?}` */
  @Post(':id/ack')
  @HttpCode(200)
  @RequireRole(ALARM_ACTION_ROLE.ack)
  ack(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: AuthUser): AlarmEvent {
    return this.actions.act(id, 'ack', body, user, Date.now());
  }

  /** `{minutes, reason}`, minutes ≤ ALARM_SHELVE_MAX_MIN. */
  @Post(':id/shelve')
  @HttpCode(200)
  @RequireRole(ALARM_ACTION_ROLE.shelve)
  shelve(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: AuthUser): AlarmEvent {
    return this.actions.act(id, 'shelve', body, user, Date.now());
  }

  /** `{comment?}` */
  @Post(':id/unshelve')
  @HttpCode(200)
  @RequireRole(ALARM_ACTION_ROLE.unshelve)
  unshelve(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: AuthUser): AlarmEvent {
    return this.actions.act(id, 'unshelve', body, user, Date.now());
  }

  /** `{comment?}`: a latched alarm that has returned and been acknowledged. */
  @Post(':id/reset')
  @HttpCode(200)
  @RequireRole(ALARM_ACTION_ROLE.reset)
  reset(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: AuthUser): AlarmEvent {
    return this.actions.act(id, 'reset', body, user, Date.now());
  }

  /** `{reason}` (admin): also for a point that never alarmed, by key. */
  @Post(':id/out-of-service')
  @HttpCode(200)
  @RequireRole(ALARM_ACTION_ROLE['out-of-service'])
  outOfService(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: AuthUser): AlarmEvent {
    return this.actions.act(id, 'out-of-service', body, user, Date.now());
  }

  /** `{comment?}` (admin) */
  @Post(':id/return-to-service')
  @HttpCode(200)
  @RequireRole(ALARM_ACTION_ROLE['return-to-service'])
  returnToService(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: AuthUser): AlarmEvent {
    return this.actions.act(id, 'return-to-service', body, user, Date.now());
  }
}

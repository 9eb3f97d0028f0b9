import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import {
  AckRequestSchema,
  CommentRequestSchema,
  OutOfServiceRequestSchema,
  describeIssues,
  shelveRequestSchema,
  type AlarmAction,
  type AlarmEvent,
  type AuthUser,
} from '../contracts';
import { AlarmService } from './alarm.service';
import type { OperatorInput } from './lifecycle';

/**
 * The REST alarm actions (DESIGN.md §3): validates the body against the contract, puts the token's user into the
 * operator input (and so into the alarm event and the journal), and maps AlarmService's refusals to 404 / 409.
 */
@Injectable()
export class AlarmActionsService {
  private readonly logger = new Logger(AlarmActionsService.name);
  private readonly shelveSchema: ReturnType<typeof shelveRequestSchema>;

  constructor(
    private readonly alarms: AlarmService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.shelveSchema = shelveRequestSchema(config.ALARM_SHELVE_MAX_MIN);
  }

  act(idOrKey: string, action: AlarmAction, body: unknown, user: AuthUser, nowMs: number): AlarmEvent {
    const result = this.alarms.act(idOrKey, this.input(action, body ?? {}, user.username, nowMs));
    if (!result.ok) {
      throw result.status === 404 ? new NotFoundException(result.error) : new ConflictException(result.error);
    }
    this.logger.log(`${action} ${idOrKey} by ${user.username} (${user.role})`);
    return result.event;
  }

  private input(action: AlarmAction, body: unknown, user: string, nowMs: number): OperatorInput {
    switch (action) {
      case 'ack':
        return { type: 'ack', user, nowMs, comment: parse(AckRequestSchema, body).comment };
      case 'shelve': {
        const { minutes, reason } = parse(this.shelveSchema, body);
        return { type: 'shelve', user, nowMs, minutes, reason, maxMinutes: this.config.ALARM_SHELVE_MAX_MIN };
      }
      case 'unshelve':
        return { type: 'unshelve', user, nowMs, comment: parse(CommentRequestSchema, body).comment };
      case 'reset':
        return { type: 'reset', user, nowMs, comment: parse(CommentRequestSchema, body).comment };
      case 'out-of-service':
        return { type: 'out_of_service', user, nowMs, reason: parse(OutOfServiceRequestSchema, body).reason };
      case 'return-to-service':
        return { type: 'return_to_service', user, nowMs, comment: parse(CommentRequestSchema, body).comment };
    }
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new BadRequestException(describeIssues(r.error));
  return r.data;
}

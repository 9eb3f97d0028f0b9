import { z } from 'zod';
import type { Role } from './auth';

/** Longest operator comment or reason kept in the journal. */
export const MAX_COMMENT_CHARS = 500;

const comment = z.string().trim().max(MAX_COMMENT_CHARS).default('');
const reason = (what: string) =>
  z
    .string({ error: `reason is required (why the alarm is ${what})` })
    .trim()
    .min(1, `reason is required (why the alarm is ${what})`)
    .max(MAX_COMMENT_CHARS);

/** `POST /api/alarms/:id/ack` (operator). The comment goes into the journal. */
export const AckRequestSchema = z.strictObject({ comment });
export type AckRequest = z.infer<typeof AckRequestSchema>;

/**
 * `POST /api/alarms/:id/shelve` (operator): time-limited, with a reason (ISA-18.2 shelving). The server's
 * ALARM_SHELVE_MAX_MIN bounds `minutes`; `shelveRequestSchema(max)` applies it.
 */
export const ShelveRequestSchema = z.strictObject({
  /** Whole minutes, 1 … the server's maximum. */
  minutes: z.number({ error: 'minutes is required (a whole number)' }).int('minutes must be a whole number').min(1),
  reason: reason('shelved'),
});
export type ShelveRequest = z.infer<typeof ShelveRequestSchema>;

/** The shelve body with the server's maximum shelving time applied. */
export function shelveRequestSchema(maxShelveMin: number) {
  return ShelveRequestSchema.extend({
    minutes: ShelveRequestSchema.shape.minutes.max(maxShelveMin, `minutes must be at most ${maxShelveMin}`),
  });
}

/** `POST /api/alarms/:id/unshelve`, `/reset` (operator) and `/return-to-service` (admin): an optional comment. */
export const CommentRequestSchema = z.strictObject({ comment });
export type CommentRequest = z.infer<typeof CommentRequestSchema>;

/** `POST /api/alarms/:id/out-of-service` (admin): an authorised removal for maintenance, with a reason. */
export const OutOfServiceRequestSchema = z.strictObject({ reason: reason('out of service') });
export type OutOfServiceRequest = z.infer<typeof OutOfServiceRequestSchema>;

/**
 * The REST alarm actions (path segment after `/api/alarms/:id/`). Every one answers 200 with the resulting
 * `AlarmEvent` (its `user` is the token's user), 400 naming a bad field, 401/403, 404 for an unknown alarm, and 409
 * when the action does not apply to the alarm's state.
 */
export const ALARM_ACTIONS = ['ack', 'shelve', 'unshelve', 'reset', 'out-of-service', 'return-to-service'] as const;
export type AlarmAction = (typeof ALARM_ACTIONS)[number];

/** Formats zod issues as `field: problem; …` for a 400 (the field path first, so the caller sees what to fix). */
export function describeIssues(error: z.ZodError, root = 'body'): string {
  return error.issues
    .map((i) => {
      const path = i.path.map(String).join('.') || root;
      if (i.code === 'unrecognized_keys') return `${path}: unknown field ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${path}: ${i.message}`;
    })
    .join('; ');
}

/** The least role each action needs (403 names it): shelving and acks are the duty officer's, removal the admin's. */
export const ALARM_ACTION_ROLE = {
  ack: 'operator',
  shelve: 'operator',
  unshelve: 'operator',
  reset: 'operator',
  'out-of-service': 'admin',
  'return-to-service': 'admin',
} as const satisfies Record<AlarmAction, Role>;

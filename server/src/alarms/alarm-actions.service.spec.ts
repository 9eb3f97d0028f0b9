import { BadRequestException, ConflictException, Logger, NotFoundException } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import type { AlarmEvent, AuthUser } from '../contracts';
import { AlarmActionsService } from './alarm-actions.service';
import type { ActionResult, AlarmService } from './alarm.service';
import type { OperatorInput } from './lifecycle';

const T0 = 1_760_000_000_000;
const zhang: AuthUser = { username: 'zhang', role: 'operator' };

describe(AlarmActionsService.name, () => {
  let inputs: { id: string; input: OperatorInput }[];
  let result: ActionResult;
  let sut: AlarmActionsService;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    inputs = [];
    result = { ok: true, event: { seq: 7 } as AlarmEvent };
    const alarms = {
      act: (id: string, input: OperatorInput) => {
        inputs.push({ id, input });
        return result;
      },
    } as unknown as AlarmService;
    sut = new AlarmActionsService(alarms, loadConfig({ ALARM_SHELVE_MAX_MIN: '120' }));
  });
  afterEach(() => jest.restoreAllMocks());

  it('puts the token user, the time and the body into the operator input of each action', () => {
    sut.act('LIA-101:hi', 'ack', { comment: ' 现场确认 ' }, zhang, T0);
    sut.act('LIA-101:hi', 'shelve', { minutes: 120, reason: '检修' }, zhang, T0);
    sut.act('LIA-101:hi', 'unshelve', undefined, zhang, T0);
    sut.act('LIA-101:hi', 'reset', { comment: '复位' }, zhang, T0);
    sut.act('LIA-101:hi', 'out-of-service', { reason: '更换' }, zhang, T0);
    sut.act('LIA-101:hi', 'return-to-service', {}, zhang, T0);

    expect(inputs.map((i) => i.input)).toEqual([
      { type: 'ack', user: 'zhang', nowMs: T0, comment: '现场确认' },
      { type: 'shelve', user: 'zhang', nowMs: T0, minutes: 120, reason: '检修', maxMinutes: 120 },
      { type: 'unshelve', user: 'zhang', nowMs: T0, comment: '' },
      { type: 'reset', user: 'zhang', nowMs: T0, comment: '复位' },
      { type: 'out_of_service', user: 'zhang', nowMs: T0, reason: '更换' },
      { type: 'return_to_service', user: 'zhang', nowMs: T0, comment: '' },
    ]);
  });

  it('refuses a bad body with 400 naming the field, before the alarm is touched', () => {
    const bad = (action: Parameters<AlarmActionsService['act']>[1], body: unknown) => () =>
      sut.act('LIA-101:hi', action, body, zhang, T0);

    expect(bad('shelve', { minutes: 121, reason: 'x' })).toThrow(
      new BadRequestException('minutes: minutes must be at most 120'),
    );
    expect(bad('shelve', { minutes: 1.5, reason: 'x' })).toThrow('minutes: minutes must be a whole number');
    expect(bad('shelve', { minutes: '30', reason: 'x' })).toThrow(/^minutes: /);
    expect(bad('shelve', { minutes: 30, reason: '   ' })).toThrow(/^reason: reason is required/);
    expect(bad('out-of-service', {})).toThrow(/^reason: reason is required/);
    expect(bad('ack', { comment: 'x'.repeat(501) })).toThrow(/^comment: /);
    expect(bad('ack', { comment: 'ok', user: 'admin' })).toThrow('body: unknown field "user"');
    expect(bad('ack', 'text')).toThrow(/^body: /);
    expect(inputs).toEqual([]);
  });

  it("maps AlarmService's refusals to 404 and 409 with its message", () => {
    result = { ok: false, status: 404, error: 'no alarm "X:hi"' };
    expect(() => sut.act('X:hi', 'ack', {}, zhang, T0)).toThrow(new NotFoundException('no alarm "X:hi"'));
    result = { ok: false, status: 409, error: 'nothing to acknowledge: the alarm is acked' };
    expect(() => sut.act('X:hi', 'ack', {}, zhang, T0)).toThrow(ConflictException);
  });
});

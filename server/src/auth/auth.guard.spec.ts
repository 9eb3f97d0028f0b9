import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AlarmController } from '../alarms/alarm.controller';
import { ALARM_ACTION_ROLE, type AuthUser, type Role } from '../contracts';
import { HealthController } from '../health/health.controller';
import { MetricsController } from '../metrics/metrics.controller';
import { AuthController } from './auth.controller';
import type { AuthedRequest } from './auth.decorators';
import { AuthGuard, bearerToken } from './auth.guard';
import type { AuthCheck, AuthService } from './auth.service';

type Caller = Role | 'anonymous';
type Handler = (...args: never[]) => unknown;

/** An AuthService whose tokens are the role names. */
const fakeAuth = {
  authenticate: (token: string | undefined): AuthCheck =>
    token === 'viewer' || token === 'operator' || token === 'admin'
      ? { ok: true, user: { username: `u-${token}`, role: token }, expiresAtMs: 1 }
      : { ok: false, message: token === undefined ? 'login required' : 'invalid token' },
} as unknown as AuthService;

function context(cls: object, handler: Handler, caller: Caller): { ctx: ExecutionContext; req: AuthedRequest } {
  const req = { headers: caller === 'anonymous' ? {} : { authorization: `Bearer ${caller}` } } as AuthedRequest;
  const ctx = {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

describe(AuthGuard.name, () => {
  const sut = new AuthGuard(new Reflector(), fakeAuth);
  const outcome = (cls: object, handler: Handler, caller: Caller): 'ok' | 401 | 403 => {
    try {
      sut.canActivate(context(cls, handler, caller).ctx);
      return 'ok';
    } catch (err) {
      if (err instanceof UnauthorizedException) return 401;
      if (err instanceof ForbiddenException) return 403;
      throw err;
    }
  };
  const row = (cls: object, handler: Handler) =>
    (['anonymous', 'viewer', 'operator', 'admin'] as const).map((c) => outcome(cls, handler, c));

  const alarms = AlarmController.prototype;
  it.each([
    ['GET /alarms', AlarmController, alarms.list, [401, 'ok', 'ok', 'ok']],
    ['POST /alarms/:id/ack', AlarmController, alarms.ack, [401, 403, 'ok', 'ok']],
    ['POST /alarms/:id/shelve', AlarmController, alarms.shelve, [401, 403, 'ok', 'ok']],
    ['POST /alarms/:id/unshelve', AlarmController, alarms.unshelve, [401, 403, 'ok', 'ok']],
    ['POST /alarms/:id/reset', AlarmController, alarms.reset, [401, 403, 'ok', 'ok']],
    ['POST /alarms/:id/out-of-service', AlarmController, alarms.outOfService, [401, 403, 403, 'ok']],
    ['POST /alarms/:id/return-to-service', AlarmController, alarms.returnToService, [401, 403, 403, 'ok']],
    ['POST /auth/login', AuthController, AuthController.prototype.login, ['ok', 'ok', 'ok', 'ok']],
    ['GET /auth/me', AuthController, AuthController.prototype.me, [401, 'ok', 'ok', 'ok']],
    ['GET /health', HealthController, HealthController.prototype.get, ['ok', 'ok', 'ok', 'ok']],
    ['GET /health/data', HealthController, HealthController.prototype.data, [401, 'ok', 'ok', 'ok']],
    ['GET /metrics', MetricsController, MetricsController.prototype.get, ['ok', 'ok', 'ok', 'ok']],
  ] as const)('%s: anonymous, viewer, operator, admin → %j', (_route, cls, handler, expected) => {
    expect(row(cls, handler as Handler)).toEqual(expected);
  });

  it('agrees with ALARM_ACTION_ROLE, the contract the web app reads', () => {
    expect(ALARM_ACTION_ROLE).toEqual({
      ack: 'operator',
      shelve: 'operator',
      unshelve: 'operator',
      reset: 'operator',
      'out-of-service': 'admin',
      'return-to-service': 'admin',
    });
  });

  it('names the role needed and the caller in a 403, and puts the user on the request', () => {
    const denied = context(AlarmController, alarms.outOfService as Handler, 'operator');
    expect(() => sut.canActivate(denied.ctx)).toThrow(
      'this needs the role "admin" or higher; "u-operator" is operator',
    );

    const allowed = context(AlarmController, alarms.ack as Handler, 'operator');
    sut.canActivate(allowed.ctx);
    expect(allowed.req.user).toEqual<AuthUser>({ username: 'u-operator', role: 'operator' });
  });

  it('passes the token check message on in a 401', () => {
    const { ctx } = context(AlarmController, alarms.list as Handler, 'anonymous');
    expect(() => sut.canActivate(ctx)).toThrow('login required');
  });
});

describe(bearerToken.name, () => {
  it('takes the token of a Bearer header and nothing else', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { roleAtLeast } from '../contracts';
import { ROLE_KEY, type AuthedRequest, type RouteAccess } from './auth.decorators';
import { AuthService } from './auth.service';

/** `Authorization: Bearer {token}`; undefined for anything else. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/**
 * Every REST route needs a valid token unless marked @Public(); @RequireRole raises the bar (viewer by default).
 * Registered globally, so a new controller is protected without anybody remembering to. 401 says what is wrong
 * with the token, 403 names the role needed. socket.io checks its handshake in the gateway.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const needed =
      this.reflector.getAllAndOverride<RouteAccess | undefined>(ROLE_KEY, [ctx.getHandler(), ctx.getClass()]) ??
      'viewer';
    if (needed === 'public') return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const check = this.auth.authenticate(bearerToken(req.headers.authorization), Date.now());
    if (!check.ok) throw new UnauthorizedException(check.message);
    if (!roleAtLeast(check.user.role, needed)) {
      throw new ForbiddenException(
        `this needs the role "${needed}" or higher; "${check.user.username}" is ${check.user.role}`,
      );
    }
    req.user = check.user;
    req.tokenExpiresAtMs = check.expiresAtMs;
    return true;
  }
}

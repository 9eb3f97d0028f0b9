import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser, Role } from '../contracts';

/** Metadata key of the least role a route needs; `public` needs no token. */
export const ROLE_KEY = 'hazard:role';
export type RouteAccess = Role | 'public';

/** The route needs at least `role` (routes without it need `viewer`: any valid token). */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role satisfies RouteAccess);

/** No token needed: login, liveness probes and the Prometheus scrape. */
export const Public = () => SetMetadata(ROLE_KEY, 'public' satisfies RouteAccess);

/** The request after AuthGuard let it through. */
export interface AuthedRequest extends Request {
  user?: AuthUser;
  tokenExpiresAtMs?: number;
}

/** The token's user (only on routes that are not public). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});

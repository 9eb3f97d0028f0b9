import { Body, Controller, Get, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { AuthUser, LoginResponse, MeResponse } from '../contracts';
import { CurrentUser, Public, type AuthedRequest } from './auth.decorators';
import { RetryAfterFilter } from './auth.errors';
import { AuthService } from './auth.service';

@Controller('auth')
@UseFilters(RetryAfterFilter)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** `POST /api/auth/login` `{username, password}` → token (DESIGN.md §3); 401 wrong, 429 + Retry-After when throttled. */
  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: unknown, @Req() req: AuthedRequest): Promise<LoginResponse> {
    return this.auth.login(body, req.ip ?? req.socket.remoteAddress ?? 'unknown', Date.now());
  }

  /** `GET /api/auth/me`: who the token is for (the web app checks a stored token with it). */
  @Get('me')
  me(@CurrentUser() user: AuthUser, @Req() req: AuthedRequest): MeResponse {
    return { user, expiresAt: req.tokenExpiresAtMs ?? 0 };
  }
}

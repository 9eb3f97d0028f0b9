import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { RoleSchema, UsernameSchema, type AuthUser } from '../contracts';

/** `iss` of our tokens: a token from another system signed with a reused key is still refused. */
export const TOKEN_ISSUER = 'hazard-monitor';

/** What a valid token says. */
export interface TokenClaims {
  user: AuthUser;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** Why a token was refused; `message` is what the client is told (401). */
export type TokenRefusal = {
  ok: false;
  reason: 'missing' | 'malformed' | 'bad_signature' | 'expired';
  message: string;
};
export type TokenCheck = { ok: true; claims: TokenClaims } | TokenRefusal;

const PayloadSchema = z.object({
  sub: UsernameSchema,
  role: RoleSchema,
  iat: z.number().int(),
  exp: z.number().int(),
});

/**
 * Signs and verifies our JWTs: HS256 only (the algorithm is pinned on both sides, so `alg: none` or an RS/HS
 * confusion is refused), issuer checked, time passed in (tests use fake time).
 */
export class TokenSigner {
  constructor(private readonly secret: string) {}

  sign(user: AuthUser, nowMs: number, ttlMs: number): { token: string; expiresAtMs: number } {
    const iat = Math.floor(nowMs / 1000);
    const exp = Math.floor((nowMs + ttlMs) / 1000);
    const token = jwt.sign({ sub: user.username, role: user.role, iat, exp }, this.secret, {
      algorithm: 'HS256',
      issuer: TOKEN_ISSUER,
    });
    return { token, expiresAtMs: exp * 1000 };
  }

  verify(token: string | undefined, nowMs: number): TokenCheck {
    if (token === undefined || token === '') {
      return { ok: false, reason: 'missing', message: 'login required: send "Authorization: Bearer <token>"' };
    }
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        clockTimestamp: Math.floor(nowMs / 1000),
      });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) {
        return {
          ok: false,
          reason: 'expired',
          message: `token expired at ${err.expiredAt.toISOString()}: log in again`,
        };
      }
      const detail = (err as Error).message;
      if (detail === 'invalid signature') {
        return { ok: false, reason: 'bad_signature', message: 'invalid token: its signature does not match' };
      }
      return { ok: false, reason: 'malformed', message: `invalid token: ${detail}` };
    }
    const claims = PayloadSchema.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'malformed', message: 'invalid token: unexpected claims' };
    const { sub, role, iat, exp } = claims.data;
    return { ok: true, claims: { user: { username: sub, role }, issuedAtMs: iat * 1000, expiresAtMs: exp * 1000 } };
  }
}

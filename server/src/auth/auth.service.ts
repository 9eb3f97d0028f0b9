import { BadRequestException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LoginRequestSchema, describeIssues, type AuthUser, type LoginResponse } from '../contracts';
import { resolveJwtSecret } from './jwt-secret';
import { LoginLimiter } from './login-limiter';
import { DEFAULT_BCRYPT_COST, hashCost, hashPassword, verifyPassword } from './password';
import { TokenSigner } from './token';
import { UsersDirectory } from './users.directory';
import { usersFilePath } from './users.file';
import { TooManyAttemptsException } from './auth.errors';

/** A request's identity: the token's user with the role the users file gives it now. */
export type AuthCheck = { ok: true; user: AuthUser; expiresAtMs: number } | { ok: false; message: string };

/** One address may fail this many times the per-name limit across names (spraying many names from one place). */
const ADDRESS_FACTOR = 4;

/**
 * Logins and token checks (DESIGN.md §3 `POST /auth/login`, socket.io handshake auth). The users file is the
 * authority: a token is refused once its user is removed, and a changed role applies to tokens already issued.
 * Passwords and tokens are never logged.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly users: UsersDirectory;
  private readonly signer: TokenSigner;
  private readonly perName: LoginLimiter;
  private readonly perAddress: LoginLimiter;
  private decoyHash: Promise<string> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.users = new UsersDirectory(usersFilePath(config), (e) => {
      if (e.ok) this.logger.log(`users file reloaded: ${e.users} users`);
      else this.logger.error(`users file not reloaded, the previous users stay: ${e.error}`);
    });
    if (!this.users.exists) {
      this.logger.warn(
        `no users file at ${this.users.file}: nobody can log in; add users with ` +
          `'npm run user:add -- --user NAME --role operator' (README "Users and tokens")`,
      );
    } else this.logger.log(`users file ${this.users.file}: ${this.users.count} users`);
    const key = resolveJwtSecret(config);
    if (key.source === 'generated') this.logger.log(`JWT key generated in ${key.file} (set JWT_SECRET to choose one)`);
    this.signer = new TokenSigner(key.secret);
    const windowMs = config.LOGIN_WINDOW_S * 1000;
    this.perName = new LoginLimiter({ maxFailures: config.LOGIN_MAX_FAILURES, windowMs });
    this.perAddress = new LoginLimiter({ maxFailures: config.LOGIN_MAX_FAILURES * ADDRESS_FACTOR, windowMs });
  }

  /** 400 for a bad body, 429 (with seconds to wait) while rate-limited, 401 for wrong credentials. */
  async login(body: unknown, address: string, nowMs: number): Promise<LoginResponse> {
    const parsed = LoginRequestSchema.safeParse(body ?? {});
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error));
    const { username, password } = parsed.data;
    const nameKey = `${username.toLowerCase()}|${address}`;
    const waitMs = Math.max(this.perName.retryAfterMs(nameKey, nowMs), this.perAddress.retryAfterMs(address, nowMs));
    if (waitMs > 0) {
      const waitS = Math.ceil(waitMs / 1000);
      throw new TooManyAttemptsException(`too many failed logins: try again in ${waitS} s`, waitS);
    }
    // Counted as failed before the (asynchronous) hash check and taken back when right: attempts sent in parallel
    // cannot all pass the limit while the first ones are still being checked.
    this.perName.recordFailure(nameKey, nowMs);
    this.perAddress.recordFailure(address, nowMs);
    const user = this.users.get(username, nowMs);
    // Unknown names cost a hash check too, so the response time does not tell which names exist.
    const hash = user?.passwordHash ?? (await this.decoy());
    const ok = (await verifyPassword(password, hash)) && user?.passwordHash !== undefined;
    if (!ok || !user) {
      // The attempted name is logged only when it exists: a password typed into the name field must not be.
      this.logger.warn(`failed login for ${user ? `"${user.username}"` : 'an unknown user'} from ${address}`);
      throw new UnauthorizedException('wrong username or password');
    }
    this.perName.reset(nameKey);
    this.perAddress.withdraw(address, nowMs);
    const signed = this.signer.sign(
      { username: user.username, role: user.role },
      nowMs,
      this.config.JWT_TTL_H * 3_600_000,
    );
    this.logger.log(`login: ${user.username} (${user.role}) from ${address}`);
    return { token: signed.token, user: { username: user.username, role: user.role }, expiresAt: signed.expiresAtMs };
  }

  /** Checks a bearer or handshake token; the message says what was wrong (it goes to the client as 401). */
  authenticate(token: string | undefined, nowMs: number): AuthCheck {
    const check = this.signer.verify(token, nowMs);
    if (!check.ok) return { ok: false, message: check.message };
    const { username } = check.claims.user;
    const user = this.users.get(username, nowMs);
    if (!user) return { ok: false, message: `invalid token: user "${username}" no longer exists` };
    return { ok: true, user: { username: user.username, role: user.role }, expiresAtMs: check.claims.expiresAtMs };
  }

  private decoy(): Promise<string> {
    const cost = hashCost(this.users.anyHash() ?? '') ?? DEFAULT_BCRYPT_COST;
    this.decoyHash ??= hashPassword(randomBytes(16).toString('hex'), cost);
    return this.decoyHash;
  }
}

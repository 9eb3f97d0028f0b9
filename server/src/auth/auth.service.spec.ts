import { BadRequestException, HttpException, Logger, UnauthorizedException } from '@nestjs/common';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { TooManyAttemptsException } from './auth.errors';
import { AuthService } from './auth.service';
import { hashPassword } from './password';
import { writeUsersFile, type UserRecord } from './users.file';

const T0 = 1_760_000_000_000;
const PASSWORD = 'duty-officer-pw';

describe(AuthService.name, () => {
  let dir: string;
  let file: string;
  let users: UserRecord[];
  let sut: AuthService;
  const logged: string[] = [];

  /** Rewrites the users file with a new mtime, so the service sees the change at its next look. */
  function rewrite(next: UserRecord[], atMs: number): void {
    writeUsersFile(file, { users: next });
    utimesSync(file, atMs / 1000, atMs / 1000);
  }
  async function status(p: Promise<unknown>): Promise<number | 'ok'> {
    try {
      await p;
      return 'ok';
    } catch (err) {
      if (err instanceof HttpException) return err.getStatus();
      throw err;
    }
  }

  beforeAll(async () => {
    const passwordHash = await hashPassword(PASSWORD, 4);
    users = [
      { username: 'zhang', role: 'operator', passwordHash },
      { username: 'wall', role: 'viewer' },
    ];
  });
  beforeEach(() => {
    const record = (m: unknown): void => {
      logged.push(String(m));
    };
    jest.spyOn(Logger.prototype, 'log').mockImplementation(record);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(record);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(record);
    logged.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'hazard-auth-'));
    file = join(dir, 'users.json');
    rewrite(users, T0 - 10_000);
    sut = new AuthService(loadConfig({ DATA_DIR: dir, USERS_FILE: file, JWT_TTL_H: '8', LOGIN_MAX_FAILURES: '3' }));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the right password: a token for the user, valid for JWT_TTL_H', async () => {
    const r = await sut.login({ username: 'zhang', password: PASSWORD }, '10.0.0.7', T0);

    expect(r.user).toEqual({ username: 'zhang', role: 'operator' });
    expect(r.expiresAt).toBe(T0 + 8 * 3_600_000);
    expect(sut.authenticate(r.token, T0 + 1000)).toEqual({ ok: true, user: r.user, expiresAtMs: r.expiresAt });
    expect(sut.authenticate(r.token, T0 + 8 * 3_600_000 + 1000)).toMatchObject({ ok: false });
  });

  it('never logs the password or the token, and logs an unknown name only as unknown', async () => {
    const r = await sut.login({ username: 'zhang', password: PASSWORD }, '10.0.0.7', T0);
    await status(sut.login({ username: 'hunter2-typed-here', password: 'x' }, '10.0.0.7', T0));

    expect(logged.join('\n')).not.toContain(PASSWORD);
    expect(logged.join('\n')).not.toContain(r.token);
    expect(logged.join('\n')).not.toContain('hunter2');
    expect(logged).toContain('failed login for an unknown user from 10.0.0.7');
  });

  it('answers a wrong password, an unknown user and a token-only user alike with 401', async () => {
    for (const body of [
      { username: 'zhang', password: 'wrong-password' },
      { username: 'nobody', password: PASSWORD },
      { username: 'wall', password: PASSWORD },
    ]) {
      await expect(sut.login(body, '10.0.0.7', T0)).rejects.toThrow(
        new UnauthorizedException('wrong username or password'),
      );
    }
  });

  it('answers a bad body with 400 naming the field', async () => {
    await expect(sut.login({ username: 'zhang' }, '10.0.0.7', T0)).rejects.toThrow(
      new BadRequestException('password: password is required'),
    );
    await expect(sut.login(undefined, '10.0.0.7', T0)).rejects.toThrow(/^username: /);
  });

  it('holds a name at one address after LOGIN_MAX_FAILURES failures until the window passes', async () => {
    const attempt = (password: string, atMs: number, address = '10.0.0.7') =>
      status(sut.login({ username: 'zhang', password }, address, atMs));

    expect([await attempt('a', T0), await attempt('b', T0 + 1000), await attempt('c', T0 + 2000)]).toEqual([
      401, 401, 401,
    ]);
    const held = await sut
      .login({ username: 'zhang', password: PASSWORD }, '10.0.0.7', T0 + 3000)
      .catch((e: unknown) => e);
    expect(held).toBeInstanceOf(TooManyAttemptsException);
    expect((held as TooManyAttemptsException).retryAfterS).toBe(57);
    expect(await attempt(PASSWORD, T0 + 3000, '10.0.0.8')).toBe('ok');
    expect(await attempt(PASSWORD, T0 + 60_000)).toBe('ok');
  });

  it('holds attempts sent in parallel to the limit too, while the first are still being checked', async () => {
    const attempts = Array.from({ length: 10 }, (_, i) =>
      status(sut.login({ username: 'zhang', password: `guess-${i}` }, '10.0.0.7', T0)),
    );

    const statuses = await Promise.all(attempts);

    expect(statuses.filter((st) => st === 401)).toHaveLength(3);
    expect(statuses.filter((st) => st === 429)).toHaveLength(7);
  });

  it('refuses the token of a removed user and applies a changed role to issued tokens', async () => {
    const { token } = await sut.login({ username: 'zhang', password: PASSWORD }, '10.0.0.7', T0);

    rewrite([{ ...users[0]!, role: 'admin' }], T0 + 1000);
    expect(sut.authenticate(token, T0 + 2000)).toMatchObject({ ok: true, user: { role: 'admin' } });
    rewrite([users[1]!], T0 + 3000);
    expect(sut.authenticate(token, T0 + 4000)).toEqual({
      ok: false,
      message: 'invalid token: user "zhang" no longer exists',
    });
  });

  it('keeps the last good users when the file is broken later, and says so', async () => {
    const { token } = await sut.login({ username: 'zhang', password: PASSWORD }, '10.0.0.7', T0);
    writeFileSync(file, '{"users": [{"username": "zhang"}]}');
    utimesSync(file, (T0 + 1000) / 1000, (T0 + 1000) / 1000);

    expect(sut.authenticate(token, T0 + 2000)).toMatchObject({ ok: true });
    expect(logged.some((m) => m.startsWith('users file not reloaded') && m.includes(`${file}: users[0].role`))).toBe(
      true,
    );
  });
});

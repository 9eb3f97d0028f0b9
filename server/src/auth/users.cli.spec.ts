import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { verifyPassword } from './password';
import { TokenSigner } from './token';
import { resolveJwtSecret } from './jwt-secret';
import { readUsersFile } from './users.file';
import { runUsersCli, type CliIo } from './users.cli';

const T0 = 1_760_000_000_000;

describe(runUsersCli.name, () => {
  let dir: string;
  let out: string;
  let err: string;
  let stdin: string;
  const io = (): CliIo => ({
    config: () => loadConfig({ DATA_DIR: dir, JWT_TTL_H: '12' }),
    readStdin: () => Promise.resolve(stdin),
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    nowMs: () => T0,
  });
  const run = (...argv: string[]) => runUsersCli(argv, io());
  const file = () => join(dir, 'users.json');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hazard-cli-'));
    out = '';
    err = '';
    stdin = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds a user with a password from stdin, hashed, into DATA_DIR/users.json', async () => {
    stdin = 'zhang-password-1\n';

    expect(await run('add', '--user', 'zhang', '--role', 'operator', '--password-stdin', '--cost', '4')).toBe(0);

    const [user] = readUsersFile(file())!.users;
    expect(user).toMatchObject({ username: 'zhang', role: 'operator', updatedAt: new Date(T0).toISOString() });
    expect(await verifyPassword('zhang-password-1', user!.passwordHash!)).toBe(true);
    expect(err).toContain(`added zhang (operator) in ${file()}`);
    expect(out + err).not.toContain('zhang-password-1');
  });

  it('updates a user of the same name, lists names and roles without hashes, and removes', async () => {
    stdin = 'first-password';
    await run('add', '--user', 'zhang', '--role', 'viewer', '--password-stdin', '--cost', '4');
    stdin = 'second-password';
    await run('add', '--user', 'zhang', '--role', 'admin', '--password-stdin', '--cost', '4', '--display-name', '张三');
    await run('add', '--user', 'wall-1', '--role', 'viewer', '--no-password');

    expect(await run('list')).toBe(0);
    expect(out).toBe('zhang\tadmin\t张三\nwall-1\tviewer\t(token only)\n');
    expect(await verifyPassword('second-password', readUsersFile(file())!.users[0]!.passwordHash!)).toBe(true);
    expect(await run('remove', '--user', 'zhang')).toBe(0);
    expect(readUsersFile(file())!.users.map((u) => u.username)).toEqual(['wall-1']);
    expect(await run('remove', '--user', 'zhang')).toBe(1);
    expect(err).toContain('no user "zhang"');
  });

  it('prints a long-lived kiosk token for a viewer that the server accepts', async () => {
    await run('add', '--user', 'wall-1', '--role', 'viewer', '--no-password');

    expect(await run('token', '--user', 'wall-1', '--ttl-h', '8760')).toBe(0);

    const signer = new TokenSigner(resolveJwtSecret({ DATA_DIR: dir, JWT_SECRET: undefined }).secret);
    const check = signer.verify(out.trim(), T0 + 300 * 86_400_000);
    expect(check).toMatchObject({ ok: true, claims: { user: { username: 'wall-1', role: 'viewer' } } });
    expect(err).toContain('?kiosk&token=<token>');
  });

  it('caps a token for a role above viewer at JWT_TTL_H', async () => {
    stdin = 'operator-password';
    await run('add', '--user', 'zhang', '--role', 'operator', '--password-stdin', '--cost', '4');

    await run('token', '--user', 'zhang', '--ttl-h', '8760');

    const signer = new TokenSigner(resolveJwtSecret({ DATA_DIR: dir, JWT_SECRET: undefined }).secret);
    expect(signer.verify(out.trim(), T0 + 13 * 3_600_000)).toMatchObject({ ok: false, reason: 'expired' });
    expect(err).toContain('capped at JWT_TTL_H=12 h for role operator');
  });

  it('refuses bad usage with exit code 2 and says what was wrong', async () => {
    expect(await run('add', '--user', 'zhang', '--role', 'boss', '--no-password')).toBe(2);
    expect(err).toContain('--role must be one of viewer, operator, admin');
    expect(await run('add', '--role', 'viewer')).toBe(2);
    expect(await run('frobnicate')).toBe(2);
    expect(await run('add', '--user', 'zhang', '--role', 'viewer')).toBe(2);
    expect(err).toContain('pass --password-stdin');
    stdin = 'short';
    expect(await run('add', '--user', 'zhang', '--role', 'viewer', '--password-stdin')).toBe(1);
    expect(err).toContain('at least 8 characters');
    expect(readUsersFile(file())).toBeUndefined();
  });
});

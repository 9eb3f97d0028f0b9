import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveJwtSecret } from './jwt-secret';

describe(resolveJwtSecret.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hazard-jwt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a key into DATA_DIR once, owner-only, and reuses it after a restart', () => {
    const first = resolveJwtSecret({ DATA_DIR: dir, JWT_SECRET: undefined });
    const second = resolveJwtSecret({ DATA_DIR: dir, JWT_SECRET: undefined });

    expect(first.source).toBe('generated');
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(second).toEqual({ ...first, source: 'file' });
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  it('takes JWT_SECRET when set and writes nothing', () => {
    const sut = resolveJwtSecret({ DATA_DIR: join(dir, 'none'), JWT_SECRET: 'x'.repeat(40) });

    expect(sut).toEqual({ secret: 'x'.repeat(40), source: 'JWT_SECRET' });
  });

  it('refuses a key file that is too short, naming it', () => {
    writeFileSync(join(dir, 'jwt-secret'), 'short\n');

    expect(() => resolveJwtSecret({ DATA_DIR: dir, JWT_SECRET: undefined })).toThrow(
      `JWT key file ${join(dir, 'jwt-secret')} holds fewer than 32 characters`,
    );
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe('short\n');
  });
});

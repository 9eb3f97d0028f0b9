import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUsersJson, readUsersFile, removeUser, upsertUser, UsersFileError, writeUsersFile } from './users.file';

const HASH = '$2b$04$Yb2O0yBHSfOUpRZ2o9QdA.0QjT0o0FZsI5sNL7e7k1tQ0H0F0aWhy';
const FILE = '/etc/hazard/users.json';

/** The UsersFileError `parseUsersJson` throws for `value`. */
function problems(value: unknown): UsersFileError {
  try {
    parseUsersJson(typeof value === 'string' ? value : JSON.stringify(value), FILE);
  } catch (err) {
    if (err instanceof UsersFileError) return err;
    throw err;
  }
  throw new Error('expected a UsersFileError');
}

describe(parseUsersJson.name, () => {
  it('accepts users with a role and a bcrypt hash, and token-only users without one', () => {
    const sut = parseUsersJson(
      JSON.stringify({
        users: [
          { username: 'zhang.san', role: 'operator', passwordHash: HASH, displayName: '张三' },
          { username: 'wall-1', role: 'viewer' },
        ],
      }),
      FILE,
    );

    expect(sut.users.map((u) => `${u.username}:${u.role}`)).toEqual(['zhang.san:operator', 'wall-1:viewer']);
  });

  it('names the file and the path of every problem', () => {
    const err = problems({
      users: [
        { username: 'zhang', role: 'boss', passwordHash: HASH },
        { username: 'li', role: 'viewer', passwordHash: 'plain-text-password' },
        { username: 'has space', role: 'viewer' },
      ],
    });

    expect(err.problems.map((p) => p.path)).toEqual(['users[0].role', 'users[1].passwordHash', 'users[2].username']);
    expect(err.message).toMatch(/^invalid users file \/etc\/hazard\/users\.json \(3 problems\):/);
    expect(err.message).toContain(`${FILE}: users[0].role: `);
    expect(err.message).toContain(`${FILE}: users[1].passwordHash: must be a bcrypt hash`);
    expect(err.message).not.toContain('plain-text-password');
  });

  it('refuses duplicate names (case-insensitive), unknown fields and broken JSON', () => {
    expect(
      problems({
        users: [
          { username: 'Zhang', role: 'viewer' },
          { username: 'zhang', role: 'admin' },
        ],
      }).message,
    ).toContain(`${FILE}: users[1].username: duplicate username "zhang" (also users[0]`);
    expect(problems({ users: [{ username: 'zhang', role: 'viewer', password: 'x' }] }).message).toContain(
      `${FILE}: users[0]: unknown field "password"`,
    );
    expect(problems('{"users": [').problems[0]?.path).toBe('(json)');
    expect(problems({}).message).toContain(`${FILE}: users: `);
  });
});

describe(writeUsersFile.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hazard-users-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a file only its owner can read, that reads back the same', () => {
    const file = join(dir, 'sub', 'users.json');
    const data = upsertUser({ users: [] }, { username: 'zhang', role: 'operator', passwordHash: HASH });

    writeUsersFile(file, data);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readUsersFile(file)).toEqual(data);
  });

  it('reads a missing file as none, and names the file of a broken one', () => {
    expect(readUsersFile(join(dir, 'none.json'))).toBeUndefined();
    writeFileSync(join(dir, 'bad.json'), '{"users": 1}');
    expect(() => readUsersFile(join(dir, 'bad.json'))).toThrow(`${join(dir, 'bad.json')}: users: `);
    expect(readFileSync(join(dir, 'bad.json'), 'utf8')).toBe('{"users": 1}');
  });
});

describe(upsertUser.name, () => {
  it('replaces the user of the same name whatever its case, and removeUser takes it out', () => {
    const one = upsertUser({ users: [] }, { username: 'Zhang', role: 'viewer' });

    const sut = upsertUser(one, { username: 'zhang', role: 'admin' });

    expect(sut.users).toEqual([{ username: 'zhang', role: 'admin' }]);
    expect(removeUser(sut, 'ZHANG')).toEqual({ data: { users: [] }, removed: true });
    expect(removeUser(sut, 'li').removed).toBe(false);
  });
});

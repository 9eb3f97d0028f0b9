import { hashCost, hashPassword, passwordProblem, verifyPassword } from './password';

describe(verifyPassword.name, () => {
  let hash: string;

  beforeAll(async () => {
    hash = await hashPassword('correct horse battery', 4);
  });

  it('accepts the password the hash was made from', async () => {
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
  });

  it('refuses any other password, also one differing in case or by a trailing space', async () => {
    expect(await verifyPassword('Correct horse battery', hash)).toBe(false);
    expect(await verifyPassword('correct horse battery ', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('answers false, not a throw, for a malformed hash', async () => {
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('x', '$2b$04$short')).toBe(false);
  });

  it('keeps the cost in the hash', () => {
    expect(hashCost(hash)).toBe(4);
  });
});

describe(passwordProblem.name, () => {
  it('wants at least 8 characters, counting a Chinese character as one', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('值班员密码一二三')).toBeUndefined();
  });

  it('refuses more than the 72 bytes bcrypt reads', () => {
    expect(passwordProblem('a'.repeat(72))).toBeUndefined();
    expect(passwordProblem('a'.repeat(73))).toMatch(/72 bytes/);
    expect(passwordProblem('密'.repeat(25))).toMatch(/72 bytes/); // 75 bytes of UTF-8
  });
});

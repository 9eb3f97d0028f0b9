import { LoginLimiter } from './login-limiter';

const T0 = 1_760_000_000_000;
const s = (sec: number) => T0 + sec * 1000;

describe(LoginLimiter.name, () => {
  let sut: LoginLimiter;

  beforeEach(() => {
    sut = new LoginLimiter({ maxFailures: 5, windowMs: 60_000 });
  });

  it('lets five failures through and holds the sixth attempt until the first failure is a minute old', () => {
    for (let i = 0; i < 5; i++) {
      expect(sut.retryAfterMs('zhang|10.0.0.7', s(i))).toBe(0);
      sut.recordFailure('zhang|10.0.0.7', s(i));
    }

    expect(sut.retryAfterMs('zhang|10.0.0.7', s(5))).toBe(55_000);
    expect(sut.retryAfterMs('zhang|10.0.0.7', s(59.5))).toBe(500);
    expect(sut.retryAfterMs('zhang|10.0.0.7', s(60))).toBe(0);
  });

  it('counts failures in a sliding window: old ones do not add up', () => {
    for (const at of [0, 20, 40, 61, 62]) sut.recordFailure('k', s(at));

    // At 62 s the failure at 0 s has left the window: four remain.
    expect(sut.retryAfterMs('k', s(62))).toBe(0);
    sut.recordFailure('k', s(63));
    expect(sut.retryAfterMs('k', s(63))).toBe(s(80) - s(63));
  });

  it('keeps keys apart and clears a key on success', () => {
    for (let i = 0; i < 5; i++) sut.recordFailure('zhang|10.0.0.7', s(i));

    expect(sut.retryAfterMs('zhang|10.0.0.8', s(5))).toBe(0);
    expect(sut.retryAfterMs('li|10.0.0.7', s(5))).toBe(0);
    sut.reset('zhang|10.0.0.7');
    expect(sut.retryAfterMs('zhang|10.0.0.7', s(5))).toBe(0);
  });

  it('forgets keys beyond its bound, oldest first, so random names cannot grow memory without end', () => {
    sut = new LoginLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 100 });

    for (let i = 0; i < 1000; i++) sut.recordFailure(`name-${i}|10.0.0.7`, s(i / 100));

    expect(sut.size).toBe(100);
    expect(sut.retryAfterMs('name-999|10.0.0.7', s(10))).toBeGreaterThan(0);
    expect(sut.retryAfterMs('name-0|10.0.0.7', s(10))).toBe(0);
  });

  it('takes back one withdrawn failure and keeps the others', () => {
    for (let i = 0; i < 5; i++) sut.recordFailure('k', s(i));

    sut.withdraw('k', s(4));

    expect(sut.retryAfterMs('k', s(5))).toBe(0);
    sut.withdraw('k', s(30));
    sut.recordFailure('k', s(6));
    expect(sut.retryAfterMs('k', s(6))).toBe(s(60) - s(6));
  });
});

import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TOKEN_ISSUER, TokenSigner } from './token';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const T0 = 1_760_000_000_000;
const HOUR_MS = 3_600_000;
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe(TokenSigner.name, () => {
  const sut = new TokenSigner(SECRET);
  const operator = { username: 'zhang', role: 'operator' } as const;

  it('verifies the token it signed, with the user and the expiry', () => {
    const { token, expiresAtMs } = sut.sign(operator, T0, 12 * HOUR_MS);

    const check = sut.verify(token, T0 + HOUR_MS);

    expect(expiresAtMs).toBe(T0 + 12 * HOUR_MS);
    expect(check).toEqual({ ok: true, claims: { user: operator, issuedAtMs: T0, expiresAtMs: T0 + 12 * HOUR_MS } });
  });

  it('refuses the token once it has expired, saying when', () => {
    const { token } = sut.sign(operator, T0, 12 * HOUR_MS);

    expect(sut.verify(token, T0 + 12 * HOUR_MS - 1000).ok).toBe(true);
    const late = sut.verify(token, T0 + 12 * HOUR_MS + 1000);

    expect(late).toMatchObject({ ok: false, reason: 'expired' });
    expect(late.ok || late.message).toMatch(/expired at 2025-10-09T.*log in again/);
  });

  it('refuses a token whose payload was changed (role raised to admin)', () => {
    const [head, payload, sig] = sut.sign(operator, T0, HOUR_MS).token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;

    const check = sut.verify(`${head}.${b64({ ...claims, role: 'admin' })}.${sig}`, T0);

    expect(check).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a token signed with another key', () => {
    const other = new TokenSigner('another-secret-of-at-least-32-characters');

    expect(sut.verify(other.sign(operator, T0, HOUR_MS).token, T0)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses an unsigned token (alg none) even with valid claims', () => {
    const payload = { sub: 'zhang', role: 'admin', iat: T0 / 1000, exp: T0 / 1000 + 3600, iss: TOKEN_ISSUER };

    const check = sut.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`, T0);

    expect(check).toMatchObject({ ok: false });
  });

  it('refuses a token of the right key but another issuer or without a role', () => {
    const iat = T0 / 1000;
    const foreign = jwt.sign({ sub: 'zhang', role: 'admin', iat, exp: iat + 60 }, SECRET, { issuer: 'someone-else' });
    const noRole = jwt.sign({ sub: 'zhang', iat, exp: iat + 60 }, SECRET, { issuer: TOKEN_ISSUER });

    expect(sut.verify(foreign, T0)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(sut.verify(noRole, T0)).toMatchObject({
      ok: false,
      reason: 'malformed',
      message: 'invalid token: unexpected claims',
    });
  });

  it('refuses garbage and a missing token with messages a client can show', () => {
    expect(sut.verify(undefined, T0)).toMatchObject({
      ok: false,
      reason: 'missing',
      message: expect.stringMatching(/Bearer/),
    });
    expect(sut.verify('not-a-jwt', T0)).toMatchObject({ ok: false, reason: 'malformed' });
    const hs = createHmac('sha256', SECRET).update('x').digest('base64url');
    expect(sut.verify(`x.y.${hs}`, T0)).toMatchObject({ ok: false });
  });
});

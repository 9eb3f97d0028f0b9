import { resolveJwtSecret } from '../../src/auth/jwt-secret';
import { TokenSigner } from '../../src/auth/token';
import type { Alarm, AlarmEvent, JournalResponse, LoginResponse } from '../../src/contracts';
import {
  login,
  publishTelemetry,
  RealtimeProbe,
  startTestServer,
  TEST_PASSWORD,
  waitFor,
  type TestServer,
} from './helpers';

/** Issue 5 item 3: operator actions with identity, against a whole server on the embedded broker and store. */
describe('auth: login, role-checked alarm actions and the socket.io handshake', () => {
  let sut: TestServer;
  let alarm: Alarm;

  const post = (path: string, as: Parameters<TestServer['request']>[1] extends infer I ? I : never) =>
    sut.request(path, { method: 'POST', ...as });
  const message = async (res: Response) => ((await res.json()) as { message: string }).message;

  beforeAll(async () => {
    sut = await startTestServer({ ALARM_SHELVE_MAX_MIN: '60' });
    await publishTelemetry(sut.mqttUrl, { ts: Date.now(), points: [{ tag: 'LIA-101', v: 14.7 }] });
    await waitFor(
      async () => ((await (await sut.request('/api/alarms?state=active')).json()) as Alarm[]).length > 0,
      10_000,
      'the LIA-101 HH alarm',
    );
    [alarm] = (await (await sut.request('/api/alarms?state=active')).json()) as [Alarm];
  }, 30_000);

  afterAll(async () => {
    await sut?.stop();
  });

  it('logs in with a token, the user and its expiry one shift ahead', async () => {
    const before = Date.now();
    const r = await login(sut.httpUrl, 'operator', TEST_PASSWORD);

    expect(r.status).toBe(200);
    expect(r.body.user).toEqual({ username: 'operator', role: 'operator' });
    expect(r.body.token.split('.')).toHaveLength(3);
    expect(r.body.expiresAt).toBeGreaterThan(before + 12 * 3_600_000 - 2000);
    expect(r.body.expiresAt).toBeLessThanOrEqual(Date.now() + 12 * 3_600_000);
    const me = (await (
      await fetch(`${sut.httpUrl}/api/auth/me`, { headers: { authorization: `Bearer ${r.body.token}` } })
    ).json()) as { user: unknown };
    expect(me.user).toEqual({ username: 'operator', role: 'operator' });
  });

  it('answers a wrong password with 401 and a login without a username with 400 naming it', async () => {
    const wrong = await login(sut.httpUrl, 'viewer', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('wrong username or password');

    const res = await sut.request('/api/auth/login', {
      as: 'anonymous',
      method: 'POST',
      body: JSON.stringify({ password: 'x' }),
    });
    expect(res.status).toBe(400);
    expect(await message(res)).toMatch(/^username: /);
  });

  it('keeps reads behind a token, except health and metrics', async () => {
    expect((await sut.request('/api/alarms', { as: 'anonymous' })).status).toBe(401);
    expect((await sut.request('/api/site', { as: 'anonymous' })).status).toBe(401);
    expect((await sut.request('/api/alarms', { as: 'viewer' })).status).toBe(200);
    expect((await sut.request('/api/health', { as: 'anonymous' })).status).toBe(200);
    expect((await sut.request('/api/metrics', { as: 'anonymous' })).status).toBe(200);
  });

  it('refuses an anonymous ack with 401 and a viewer ack with 403 naming the role needed', async () => {
    const anonymous = await post(`/api/alarms/${alarm.id}/ack`, { as: 'anonymous', body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(await message(anonymous)).toMatch(/login required/);

    const viewer = await post(`/api/alarms/${alarm.id}/ack`, { as: 'viewer', body: '{}' });
    expect(viewer.status).toBe(403);
    expect(await message(viewer)).toMatch(/"operator"/);
  });

  it('refuses a token whose payload was changed (viewer made admin) with 401', async () => {
    const [head, payload, sig] = sut.tokens.viewer.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin', role: 'admin' })).toString('base64url');

    const res = await fetch(`${sut.httpUrl}/api/alarms/${alarm.id}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${head}.${forged}.${sig}`, 'content-type': 'application/json' },
      body: '{}',
    });

    expect(res.status).toBe(401);
    expect(await message(res)).toMatch(/signature/);
  });

  it('acknowledges for an operator: 200, and the alarm event carries the user and the comment', async () => {
    const probe = RealtimeProbe.of(sut, 'viewer');
    try {
      await probe.firstSnapshot();
      const res = await post(`/api/alarms/${alarm.id}/ack`, {
        as: 'operator',
        body: JSON.stringify({ comment: '现场确认，液位计正常' }),
      });
      expect(res.status).toBe(200);
      const event = (await res.json()) as AlarmEvent;
      expect(event).toMatchObject({
        transition: 'ack',
        user: 'operator',
        comment: '现场确认，液位计正常',
        alarm: { id: alarm.id, state: 'acked', ackedBy: 'operator', ackComment: '现场确认，液位计正常' },
      });
      await waitFor(() => probe.alarms.some((a) => a.event.seq === event.seq), 5000, 'the ack pushed to screens');
      expect(probe.alarms.find((a) => a.event.seq === event.seq)?.event).toMatchObject({
        user: 'operator',
        comment: '现场确认，液位计正常',
      });

      // And it is journaled durably with the user and the comment (ISA-18.2: who did what and when).
      const path = `/api/alarms/journal?from=${event.tsMs - 1000}&kind=ack&user=operator`;
      await waitFor(
        async () => ((await (await sut.request(path)).json()) as JournalResponse).events.length === 1,
        5000,
        'the ack in the journal',
      );
      const journal = (await (await sut.request(path)).json()) as JournalResponse;
      expect(journal.events[0]).toMatchObject({ seq: event.seq, user: 'operator', comment: '现场确认，液位计正常' });

      const again = await post(`/api/alarms/${alarm.id}/ack`, { as: 'operator', body: '{}' });
      expect(again.status).toBe(409);
    } finally {
      probe.close();
    }
  });

  it('refuses shelving above the maximum, without a reason, or with an unknown field, with 400 naming the field', async () => {
    const above = await post(`/api/alarms/${alarm.id}/shelve`, {
      as: 'operator',
      body: JSON.stringify({ minutes: 61, reason: '检修' }),
    });
    expect(above.status).toBe(400);
    expect(await message(above)).toBe('minutes: minutes must be at most 60');

    const noReason = await post(`/api/alarms/${alarm.id}/shelve`, {
      as: 'operator',
      body: JSON.stringify({ minutes: 30 }),
    });
    expect(noReason.status).toBe(400);
    expect(await message(noReason)).toMatch(/^reason: reason is required/);

    const typo = await post(`/api/alarms/${alarm.id}/shelve`, {
      as: 'operator',
      body: JSON.stringify({ minutes: 30, reason: 'x', mins: 1 }),
    });
    expect(typo.status).toBe(400);
    expect(await message(typo)).toMatch(/unknown field "mins"/);
  });

  it('shelves and unshelves for an operator, out of service only for an admin, and 404 for an unknown alarm', async () => {
    const shelve = await post(`/api/alarms/${alarm.key}/shelve`, {
      as: 'operator',
      body: JSON.stringify({ minutes: 60, reason: '液位计检修' }),
    });
    expect(shelve.status).toBe(200);
    expect(((await shelve.json()) as AlarmEvent).alarm.shelved).toMatchObject({
      user: 'operator',
      reason: '液位计检修',
    });
    expect((await post(`/api/alarms/${alarm.key}/unshelve`, { as: 'operator' })).status).toBe(200);

    const oosByOperator = await post(`/api/alarms/${alarm.key}/out-of-service`, {
      as: 'operator',
      body: JSON.stringify({ reason: '更换' }),
    });
    expect(oosByOperator.status).toBe(403);
    expect(await message(oosByOperator)).toMatch(/"admin"/);
    const oos = await post(`/api/alarms/${alarm.key}/out-of-service`, {
      as: 'admin',
      body: JSON.stringify({ reason: '更换液位计' }),
    });
    expect(oos.status).toBe(200);
    expect(((await oos.json()) as AlarmEvent).user).toBe('admin');
    expect((await post(`/api/alarms/${alarm.key}/return-to-service`, { as: 'admin', body: '{}' })).status).toBe(200);

    expect((await post('/api/alarms/NOPE-1:hi@1/ack', { as: 'operator', body: '{}' })).status).toBe(404);
  });

  it('refuses a socket.io handshake without a token or with a bad one, and sends a snapshot with a token', async () => {
    for (const token of [undefined, 'not-a-jwt', `${sut.tokens.viewer}x`]) {
      const probe = new RealtimeProbe(sut.httpUrl, token);
      try {
        await waitFor(() => probe.refusals.length > 0, 5000, `refusal of token ${String(token)}`);
        expect(probe.refusals[0]!.message).toMatch(token === undefined ? /login required/ : /invalid token/);
        expect(probe.refusals[0]!.data).toEqual({ code: 'unauthorized' });
        expect(probe.snapshots).toEqual([]);
      } finally {
        probe.close();
      }
    }
    const probe = RealtimeProbe.of(sut, 'viewer');
    try {
      expect((await probe.firstSnapshot()).site.enterprises[0]?.id).toBe('bjpc');
    } finally {
      probe.close();
    }
  });

  it('disconnects a socket when its token expires, and refuses it again as expired', async () => {
    const signer = new TokenSigner(resolveJwtSecret({ DATA_DIR: sut.dataDir, JWT_SECRET: undefined }).secret);
    // Whole seconds (JWT exp): the token lives between 2 and 3 s.
    const { token } = signer.sign({ username: 'viewer', role: 'viewer' }, Date.now(), 3000);
    const probe = new RealtimeProbe(sut.httpUrl, token);
    try {
      await probe.firstSnapshot();
      const disconnected = new Promise<string>((resolve) => probe.socket.once('disconnect', resolve));
      expect(await disconnected).toBe('io server disconnect');

      probe.socket.connect();
      await waitFor(() => probe.refusals.length > 0, 5000, 'the refusal of the expired token');
      expect(probe.refusals[0]!.message).toMatch(/^token expired at .*: log in again$/);
    } finally {
      probe.close();
    }
  }, 15_000);

  it('answers the 6th wrong login within a minute with 429 and Retry-After, even with the right password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(sut.httpUrl, 'admin', `wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);

    const sixth = await login(sut.httpUrl, 'admin', 'wrong-6');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.retryAfter)).toBeGreaterThan(0);
    expect(Number(sixth.retryAfter)).toBeLessThanOrEqual(60);
    expect(sixth.body.message).toMatch(/try again in \d+ s/);
    expect((await login(sut.httpUrl, 'admin', TEST_PASSWORD)).status).toBe(429);
    // Another name from the same address is not held by admin's failures.
    const other: { status: number; body: LoginResponse } = await login(sut.httpUrl, 'viewer', TEST_PASSWORD);
    expect(other.status).toBe(200);
  });
});

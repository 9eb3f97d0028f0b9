import { resolve } from 'node:path';
import type { RiskEvent, RiskHistoryResponse, RiskOverview } from '../../src/contracts';
import { RealtimeProbe, publishTelemetry, startTestServer, waitFor, type TestServer } from './helpers';

const PARK = resolve(__dirname, '../../../deploy/demo-park.yaml');

/** Four-colour risk through the whole server: MQTT in, the risk model, `risk` events and `GET /api/risk` out. */
describe('dynamic risk (demo park, embedded broker and store)', () => {
  let sut: TestServer;
  let probe: RealtimeProbe;
  const risks: RiskEvent[] = [];

  beforeAll(async () => {
    sut = await startTestServer({ SITE_FILE: PARK });
    probe = RealtimeProbe.of(sut);
    probe.socket.on('risk', (e) => risks.push(e));
    await probe.firstSnapshot();
  });

  afterAll(async () => {
    probe?.close();
    await sut?.stop();
  });

  const overview = async (): Promise<RiskOverview> => (await (await sut.request(`/api/risk`)).json()) as RiskOverview;
  const latestOf = (sourceId: string) =>
    risks
      .flatMap((e) => e.sources)
      .filter((s) => s.sourceId === sourceId)
      .pop();

  it('starts with every source of the quiet park blue, and the snapshot carries the risk', async () => {
    const snapshot = probe.snapshots[0]!;
    expect(snapshot.risk.sources).toHaveLength(8);
    expect(snapshot.risk.park.level).toBe('blue');
    const body = await overview();
    expect(body.sources.map((s) => s.level)).toEqual(Array(8).fill('blue'));
    expect(body.modelVersion).toMatch(/^risk-1/);
    // Every MHS carries its grade as a reason, so the screen can say why it is not 100.
    expect(body.sources.every((s) => s.reasons.some((r) => r.code === 'grade'))).toBe(true);
  });

  it('raises a source for an SIS bypass and a gas alarm, says why, and pushes each change', async () => {
    await publishTelemetry(sut.mqttUrl, { ts: Date.now(), points: [{ tag: 'SIS-101', v: 'bypassed' }] });
    await waitFor(() => latestOf('tf01')?.reasons.some((r) => r.code === 'sis_bypassed') === true, 5000, 'bypass');
    expect(latestOf('tf01')!.level).not.toBe('blue');
    expect(latestOf('tf01')!.reasons.find((r) => r.code === 'sis_bypassed')!.text).toMatch(/^SIS-101 .*旁路已 0 分$/);

    await publishTelemetry(sut.mqttUrl, { ts: Date.now(), points: [{ tag: 'GIA-201', v: 55 }] });
    await waitFor(() => latestOf('tf01')?.reasons.some((r) => r.ref === 'GIA-201') === true, 5000, 'gas alarm');
    const tf01 = latestOf('tf01')!;
    expect(tf01.reasons.find((r) => r.ref === 'GIA-201')!.text).toContain('未确认');

    const body = await overview();
    const fromApi = body.sources.find((s) => s.sourceId === 'tf01')!;
    expect(fromApi).toMatchObject({ level: tf01.level, score: tf01.score });
    expect(body.park.level).toBe(tf01.level);
    expect(body.park.reasons[0]!.text).toMatch(/^一号罐区/);
    expect(body.enterprises.find((e) => e.enterpriseId === 'bjpc')!.counts.blue).toBe(2);
    // Other enterprises were not touched.
    expect(body.enterprises.find((e) => e.enterpriseId === 'bjca')!.level).toBe('blue');
  });

  it('numbers risk events in a sequence of their own, without gaps, so screens never resync for nothing', () => {
    const snapshot = probe.snapshots[0]!;
    const riskSeqs = risks.map((r) => r.seq);
    const alarmSeqs = probe.alarms.map((a) => a.event.seq);
    expect(riskSeqs.length).toBeGreaterThanOrEqual(2);
    expect(riskSeqs).toEqual(riskSeqs.map((_, i) => snapshot.risk.seq + 1 + i));
    expect(alarmSeqs).toEqual(alarmSeqs.map((_, i) => snapshot.seq + 1 + i));
  });

  it('keeps every change with its reasons for review, and names a bad parameter', async () => {
    const tf01 = latestOf('tf01')!;
    const body = (await (
      await sut.request(`/api/risk/tf01/history?from=${Date.now() - 60_000}`)
    ).json()) as RiskHistoryResponse;
    expect(body.entries[0]).toMatchObject({ level: 'blue' });
    expect(body.entries.at(-1)).toMatchObject({ level: tf01.level, score: tf01.score, tsMs: tf01.computedAt });
    expect(body.entries.at(-1)!.reasons.map((r) => r.code)).toEqual(tf01.reasons.map((r) => r.code));
    expect(body.entries.map((e) => e.tsMs)).toEqual([...body.entries.map((e) => e.tsMs)].sort((a, b) => a - b));
    const bad = await sut.request('/api/risk/tf01/history?from=yesterday');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('from must be epoch ms or ISO 8601');
  });

  it('answers 404 naming an unknown source', async () => {
    const res = await sut.request(`/api/risk/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('"nope"');
  });
});

/** An alarm flood is folded into one risk push per RISK_PUSH_MIN_MS window; a lone alarm is never held back. */
describe('risk pushes during an alarm flood (RISK_PUSH_MIN_MS)', () => {
  const WINDOW_MS = 1500;
  let sut: TestServer;
  let probe: RealtimeProbe;
  const risks: { atMs: number; event: RiskEvent }[] = [];

  beforeAll(async () => {
    sut = await startTestServer({ SITE_FILE: PARK, RISK_PUSH_MIN_MS: String(WINDOW_MS) });
    probe = RealtimeProbe.of(sut);
    probe.socket.on('risk', (event) => risks.push({ atMs: Date.now(), event }));
    await probe.firstSnapshot();
  });

  afterAll(async () => {
    probe?.close();
    await sut?.stop();
  });

  it('pushes the first alarm at once, folds the rest of the flood into one push, and misses no alarm of it', async () => {
    // Wait out the window of the start-up recompute, so the first alarm meets a quiet window.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    // Above each tank's HH, inside its range.
    const highs: Record<string, number> = { 'LIA-101': 15, 'LIA-102': 15, 'LIA-103': 13.5, 'LIA-104': 11.5 };
    const tags = Object.keys(highs);
    const startMs = Date.now();
    await publishTelemetry(sut.mqttUrl, { ts: startMs, points: [{ tag: 'GIA-201', v: 55 }] });
    await waitFor(() => risks.length >= 1, 5000, 'the first risk push');
    const firstLatencyMs = risks[0]!.atMs - startMs;
    // The leading edge: well inside the window, i.e. not held for it.
    expect(firstLatencyMs).toBeLessThan(WINDOW_MS / 2);
    // The flood: one message per level tag, each above its HH, inside the window that the first push opened.
    for (const tag of tags) await publishTelemetry(sut.mqttUrl, { ts: Date.now(), points: [{ tag, v: highs[tag]! }] });
    await waitFor(() => probe.alarms.filter((a) => a.event.transition === 'raise').length >= 5, 5000, 'five raises');
    await waitFor(() => risks.length >= 2, WINDOW_MS + 3000, 'the trailing risk push');
    // Held to the end of the window: four bursts, at most two pushes (the window's end, and the once-a-second tick
    // that may fall inside it), where one push per burst would be four; the last carries every alarm of the flood.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 300));
    expect(risks.length).toBeLessThanOrEqual(3);
    const tf01 = risks.at(-1)!.event.sources.find((s) => s.sourceId === 'tf01')!;
    const refs = new Set(tf01.reasons.map((r) => r.ref));
    for (const tag of ['GIA-201', ...tags]) expect(refs).toContain(tag);
  });
});

import { connectAsync } from 'mqtt';
import { loadCycle, runLoad } from './load';

const MQTT_URL_ENV = 'HAZARD_TEST_MQTT_URL';

describe(loadCycle.name, () => {
  it('splits a gateway’s tags into batches with consecutive seq, every tag once', () => {
    const sut = loadCycle(2, 250, 100, 1_700_000_000_000, 10, () => 0.5);

    expect(sut.map((m) => m.points.length)).toEqual([100, 100, 50]);
    expect(sut.map((m) => m.seq)).toEqual([10, 11, 12]);
    expect(new Set(sut.flatMap((m) => m.points.map((p) => p.tag))).size).toBe(250);
    expect(sut[0]?.points[0]).toEqual({ tag: 'L2-0', v: 50 });
  });
});

describe(runLoad.name, () => {
  const url = process.env[MQTT_URL_ENV];
  if (!url || url === 'none') {
    it('needs the harness broker', () => {
      expect(url === 'none' || url === undefined).toBe(true);
    });
    return;
  }

  it('publishes N × M at a rate through a real broker, stops at --max-messages, every message acknowledged', async () => {
    const probe = await connectAsync(url, { clientId: `load-probe-${process.pid}` });
    let received = 0;
    probe.on('message', () => received++);
    await probe.subscribeAsync('hazard/v1/loadtest/+/telemetry', { qos: 1 });
    const lines: string[] = [];

    const sut = await runLoad({
      url,
      sources: 3,
      tagsPerSource: 250,
      rateHz: 10,
      batchPoints: 100,
      durationS: 10,
      maxMessages: 45,
      enterpriseId: 'loadtest',
      progress: (l) => lines.push(l),
    });

    expect(sut).toMatchObject({ published: 45, acked: 45, errors: 0, points: 15 * 250 });
    // 3 gateways × 3 messages a cycle at 10 Hz: 45 messages take 5 cycles, about half a second.
    expect(sut.elapsedMs).toBeLessThan(5000);
    expect(sut.messagesPerS).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toBe(45);
    await probe.endAsync();
  }, 30_000);

  it('stops at its duration and prints a progress line a second', async () => {
    const lines: string[] = [];

    const sut = await runLoad({
      url,
      sources: 2,
      tagsPerSource: 10,
      rateHz: 5,
      batchPoints: 10,
      durationS: 2.5,
      enterpriseId: 'loadtest',
      progress: (l) => lines.push(l),
    });

    expect(sut.acked).toBe(sut.published);
    expect(sut.published).toBeGreaterThanOrEqual(20);
    expect(sut.published).toBeLessThanOrEqual(28);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^load t=1s published=\d+ acked=\d+ rate=\d+ msg\/s \d+ points\/s errors=0 skipped=0$/);
  }, 30_000);
});

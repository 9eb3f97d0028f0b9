import { Plant, SparkplugEdgeNode, sparkplugNodes } from '@hazard/simulators';
import type { DataHealthResponse, HealthResponse, PointValue } from '../../server/src/contracts';
import { loadSiteFile } from '../../server/src/site';
import { DEMO_SITE, RealtimeProbe, startTestServer, waitFor, type TestServer } from '../../server/test/medium/helpers';

const MQTT_URL = process.env.HAZARD_TEST_MQTT_URL!;

/**
 * The simulator's Sparkplug B edge node against the real server (primary host) on a real Mosquitto: bjpc/tf01 of
 * deploy/demo-site.yaml is node BJPC/TF01-GW with device GAS-PANEL and four mapped tags.
 */
describe('hazard-sim as a Sparkplug B edge node, the real server as primary host', () => {
  const site = loadSiteFile(DEMO_SITE);
  const node = sparkplugNodes(site).find((n) => n.edgeNodeId === 'TF01-GW')!;
  const hostId = `hazard-sim-host-${process.pid}`;
  let server: TestServer;
  let edge: SparkplugEdgeNode | undefined;
  let timer: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    server = await startTestServer({
      MQTT_URL,
      MQTT_CLIENT_ID: `hazard-sim-sp-${process.pid}`,
      SPARKPLUG_HOST_ID: hostId,
    });
  }, 60_000);

  afterAll(async () => {
    clearInterval(timer);
    edge?.kill();
    await server?.stop();
  }, 30_000);

  const health = async () => (await (await fetch(`${server.httpUrl}/api/health`)).json()) as HealthResponse;
  const dataHealth = async () =>
    (await (await server.request('/api/health/data?source=tf01')).json()) as DataHealthResponse;
  const hostNode = async () => (await health()).sparkplug.nodes.find((n) => n.edgeNodeId === 'TF01-GW');

  it('births with aliases after the host is online, sends data by alias, honours a rebirth, and dies stale', async () => {
    const events: string[] = [];
    edge = await SparkplugEdgeNode.connect({
      url: MQTT_URL,
      node,
      primaryHostId: hostId,
      onEvent: (l) => events.push(l),
    });
    const plant = new Plant(site, { seed: 7, excursion: null });
    let lastSent = new Map<string, PointValue>();
    const publishTick = (): void => {
      const nowMs = Date.now();
      const tf01 = plant.tick(nowMs).find((t) => t.sourceId === 'tf01')!;
      lastSent = new Map(tf01.message.points.map((p) => [p.tag, p.v]));
      void edge!.publish(lastSent, nowMs).catch(() => undefined);
    };
    timer = setInterval(publishTick, 200);

    await waitFor(
      async () => (await hostNode())?.devicesOnline.includes('GAS-PANEL') === true,
      10_000,
      'the node and device sessions at the host',
    );
    expect(events.some((e) => e.includes(`primary host ${hostId} online`))).toBe(true);
    expect(await hostNode()).toMatchObject({ births: 1, devicesOnline: ['GAS-PANEL'], seqGaps: 0 });

    // Data by alias reach the server's latest values: the realtime snapshot shows what the edge last sent.
    await waitFor(async () => (await health()).ingest.points >= 20, 10_000, 'data points by alias');
    const probe = RealtimeProbe.of(server);
    const snapshot = await probe.firstSnapshot();
    probe.close();
    for (const tag of ['TIA-101', 'PIA-101', 'XV-101', 'GIA-201']) expect(snapshot.latest[tag]).toBeDefined();
    expect(snapshot.latest['XV-101']?.v).toBe('open');
    expect((await dataHealth()).staleTags.map((t) => t.tag)).not.toEqual(expect.arrayContaining(['TIA-101']));

    // A lost message: the host sees the seq gap, sends NCMD Node Control/Rebirth, and the node births again.
    edge.skipSeq();
    await waitFor(() => edge!.births === 2, 10_000, 'the rebirth at the edge');
    expect(edge.rebirthRequests).toBe(1);
    await waitFor(async () => (await hostNode())?.births === 2, 10_000, 'the second birth at the host');
    expect(await hostNode()).toMatchObject({ seqGaps: 1, rebirthsRequested: 1, online: true });

    // Power loss: the broker publishes the NDEATH will with the session's bdSeq; every mapped tag is stale at once.
    clearInterval(timer);
    const diedAtMs = Date.now();
    edge.kill();
    await waitFor(
      async () =>
        (await dataHealth()).staleTags
          .filter((t) => t.reason === 'node_death')
          .map((t) => t.tag)
          .sort()
          .join() === 'GIA-201,PIA-101,TIA-101,XV-101',
      10_000,
      'the node and device tags stale with reason node_death',
    );
    expect(Date.now() - diedAtMs).toBeLessThan(10_000);
    expect(await hostNode()).toMatchObject({ online: false, deaths: 1, staleDeaths: 0 });
  }, 60_000);
});

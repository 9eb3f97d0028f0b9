import mqtt from 'mqtt';
import { newClient, type UPayload } from 'sparkplug-client';
import type { DataHealthResponse, HealthResponse } from '../../src/contracts';
import { startTestServer, waitFor, type TestServer } from './helpers';

const MQTT_URL = process.env.HAZARD_TEST_MQTT_URL!;

type EdgeNode = ReturnType<typeof newClient>;

/** The edge node of bjpc/tf01 in deploy/demo-site.yaml (group BJPC, node TF01-GW, device GAS-PANEL). */
function edgeNode(onNcmd: (p: UPayload) => void): Promise<EdgeNode> {
  const client = newClient({
    serverUrl: MQTT_URL,
    username: '',
    password: '',
    groupId: 'BJPC',
    edgeNode: 'TF01-GW',
    clientId: `edge-${process.pid}-${Date.now()}`,
    publishDeath: true,
    version: 'spBv1.0',
  });
  client.on('ncmd', onNcmd);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the edge node did not connect')), 10_000);
    client.on('birth', () => {
      clearTimeout(timer);
      resolve(client);
    });
  });
}

describe('Sparkplug B: the server as primary host, sparkplug-client as the edge node, real Mosquitto', () => {
  let server: TestServer;
  const hostId = `hazard-test-host-${process.pid}`;

  beforeAll(async () => {
    server = await startTestServer({
      MQTT_URL,
      MQTT_CLIENT_ID: `hazard-sparkplug-${process.pid}`,
      SPARKPLUG_HOST_ID: hostId,
    });
  }, 60_000);

  afterAll(() => server?.stop(), 30_000);

  const dataHealth = async () =>
    (await (await server.request(`/api/health/data?source=tf01`)).json()) as DataHealthResponse;
  const health = async () => (await (await fetch(`${server.httpUrl}/api/health`)).json()) as HealthResponse;

  it('publishes its STATE retained, online', async () => {
    const probe = await mqtt.connectAsync(MQTT_URL, { clientId: `state-probe-${process.pid}` });
    const got = new Promise<string>((resolve) => probe.on('message', (_t, payload) => resolve(payload.toString())));
    await probe.subscribeAsync(`spBv1.0/STATE/${hostId}`, { qos: 1 });
    const state = JSON.parse(await got) as { online: boolean; timestamp: number };
    expect(state.online).toBe(true);
    await probe.endAsync();
  });

  it('births, takes data by alias, asks for a rebirth on a seq gap, and marks every tag stale at once on death', async () => {
    const commands: UPayload[] = [];
    const edge = await edgeNode((p) => commands.push(p));
    const now = Date.now();
    edge.publishNodeBirth({
      timestamp: now,
      metrics: [
        { name: 'T-101/Temperature', alias: 1, type: 'Float', value: 21.5, timestamp: now },
        { name: 'T-101/Pressure', alias: 2, type: 'Float', value: 0.4, timestamp: now },
        { name: 'XV-101/Position', alias: 3, type: 'String', value: 'open', timestamp: now },
      ],
    });
    edge.publishDeviceBirth('GAS-PANEL', {
      timestamp: now,
      metrics: [{ name: 'GD-201/Concentration', alias: 10, type: 'Float', value: 0, timestamp: now }],
    });
    // Data by alias only (no names), as a bandwidth-conscious edge sends it.
    edge.publishNodeData({ timestamp: now + 1, metrics: [{ alias: 1, type: 'Float', value: 23.5 } as never] });
    edge.publishDeviceData('GAS-PANEL', {
      timestamp: now + 1,
      metrics: [{ alias: 10, type: 'Float', value: 3 } as never],
    });

    await waitFor(
      async () => (await health()).sparkplug.nodes.some((n) => n.edgeNodeId === 'TF01-GW' && n.online),
      10_000,
      'the node session in /api/health',
    );
    await waitFor(async () => (await health()).ingest.points >= 6, 10_000, 'the birth and data points');
    const fresh = await dataHealth();
    expect(fresh.staleTags.filter((t) => ['TIA-101', 'PIA-101', 'XV-101', 'GIA-201'].includes(t.tag))).toEqual([]);

    // A lost message: skip one sequence number.
    (edge as unknown as { incrementSeqNum(): number }).incrementSeqNum();
    edge.publishNodeData({ timestamp: now + 2, metrics: [{ alias: 1, type: 'Float', value: 24 } as never] });
    await waitFor(() => commands.length > 0, 10_000, 'an NCMD rebirth request at the edge');
    expect(commands[0]!.metrics).toEqual([
      expect.objectContaining({ name: 'Node Control/Rebirth', type: 'Boolean', value: true }),
    ]);
    const node = (await health()).sparkplug.nodes.find((n) => n.edgeNodeId === 'TF01-GW')!;
    expect(node).toMatchObject({ seqGaps: 1, rebirthsRequested: 1, devicesOnline: ['GAS-PANEL'] });

    // The edge node dies (its NDEATH with the session's bdSeq): its tags are stale at once, not after max age.
    const diedAtMs = Date.now();
    edge.stop();
    await waitFor(
      async () =>
        (await dataHealth()).staleTags
          .filter((t) => t.reason === 'node_death')
          .map((t) => t.tag)
          .sort()
          .join() === 'GIA-201,PIA-101,TIA-101,XV-101',
      5_000,
      'the node and device tags stale with reason node_death',
    );
    expect(Date.now() - diedAtMs).toBeLessThan(5_000);
    expect((await health()).sparkplug.nodes.find((n) => n.edgeNodeId === 'TF01-GW')).toMatchObject({
      online: false,
      deaths: 1,
    });
  }, 60_000);
});

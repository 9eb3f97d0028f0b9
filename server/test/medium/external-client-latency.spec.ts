import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findBinary } from '../../../test/harness/services';
import { telemetryTopic, type Alarm } from '../../src/contracts';
import { RealtimeProbe, startTestServer, waitFor, type TestServer } from './helpers';

describe('an external MQTT client publishing to the embedded broker', () => {
  let sut: TestServer;

  beforeAll(async () => {
    sut = await startTestServer();
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('raises an alarm that REST and socket.io both see within one second', async () => {
    const mosquittoPub = findBinary('mosquitto_pub');
    if (!mosquittoPub) throw new Error('mosquitto_pub is missing: apt-get install -y mosquitto-clients');
    const probe = RealtimeProbe.of(sut);
    try {
      await probe.firstSnapshot();
      const port = new URL(sut.mqttUrl).port;
      const payload = JSON.stringify({ ts: Date.now(), seq: 7, points: [{ tag: 'GIA-204', v: 13.2 }] });
      const sentAtMs = Date.now();
      // Asynchronous: the embedded broker runs in this process, so a blocking spawn would starve it.
      await promisify(execFile)(mosquittoPub, [
        '-h',
        '127.0.0.1',
        '-p',
        port,
        '-q',
        '1',
        '-t',
        telemetryTopic('bjpc', 'tf01'),
        '-m',
        payload,
      ]);
      let restSeenAtMs = 0;
      await waitFor(
        async () => {
          const list = (await (await sut.request(`/api/alarms?state=active`)).json()) as Alarm[];
          if (list.some((a) => a.tag === 'GIA-204' && a.condition === 'HH')) restSeenAtMs = Date.now();
          return restSeenAtMs > 0;
        },
        1000,
        'GET /api/alarms to list GIA-204 HH',
      );
      await waitFor(() => probe.alarms.some((a) => a.event.alarm.tag === 'GIA-204'), 1000, 'the socket.io alarm event');
      const socketSeenAtMs = probe.alarms.find((a) => a.event.alarm.tag === 'GIA-204')!.atMs;
      expect(restSeenAtMs - sentAtMs).toBeLessThan(1000);
      expect(socketSeenAtMs - sentAtMs).toBeLessThan(1000);
    } finally {
      probe.close();
    }
  });
});

import { InfluxDB } from 'influx';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService } from '../../../test/harness/env';
import { AlarmService } from '../../src/alarms/alarm.service';
import { JOURNAL_CSV_COLUMNS } from '../../src/alarms/alarm-journal';
import type { Alarm, AlarmStatsResponse, JournalResponse } from '../../src/contracts';
import { parseCsv } from './csv';
import { RealtimeProbe, publishTelemetry, startTestServer, waitFor, type TestServer } from './helpers';

interface Setup {
  name: string;
  env(): Record<string, string>;
  cleanup(): Promise<void>;
}

const influxDatabase = `hazard_journal_${process.pid}_${Date.now()}`;
const setups: Setup[] = [
  { name: 'embedded defaults (aedes, SQLite)', env: () => ({}), cleanup: () => Promise.resolve() },
  {
    name: 'a real Mosquitto and a real InfluxDB',
    env: () => ({
      MQTT_URL: requireService('mqttUrl'),
      INFLUX_URL: requireService('influxUrl'),
      INFLUX_DB: influxDatabase,
    }),
    cleanup: async () => {
      const u = new URL(requireService('influxUrl'));
      await new InfluxDB({ host: u.hostname, port: Number(u.port) }).dropDatabase(influxDatabase);
    },
  },
];

const get = async <T>(server: TestServer, path: string): Promise<T> => {
  const res = await server.request(`${path}`);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
const byKey = (alarms: Alarm[]) => Object.fromEntries(alarms.map((a) => [a.key, a]));

describe.each(setups)('alarm journal and rebuild on restart: $name', (setup) => {
  let dataDir: string;
  let server: TestServer | undefined;
  let t0: number;
  let env: Record<string, string>;
  let statesBefore: Record<string, Alarm>;
  let seqBefore: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hazard-journal-'));
    // The same data dir, store and MQTT session for both runs: a restart of one installation.
    env = { ...setup.env(), DATA_DIR: dataDir, MQTT_CLIENT_ID: `hazard-journal-${process.pid}-${Date.now()}` };
    server = await startTestServer(env);
    t0 = Date.now();
    await publishTelemetry(server.mqttUrl, {
      ts: t0,
      points: [
        { tag: 'LIA-101', v: 14.6 },
        { tag: 'TIA-101', v: 41 },
        { tag: 'PIA-101', v: 1.9 },
      ],
    });
    const first = server;
    await waitFor(
      async () => (await get<Alarm[]>(first, '/api/alarms?state=active')).length === 3,
      10_000,
      'three active alarms',
    );
    // Operator actions through the service (the REST actions come with the auth work).
    const alarms = server.app.get(AlarmService);
    expect(
      alarms.act('TIA-101:hi', { type: 'ack', user: '张三', comment: '已确认, "现场"正常', nowMs: Date.now() }).ok,
    ).toBe(true);
    expect(
      alarms.act('PIA-101:hi', {
        type: 'shelve',
        user: '李四',
        reason: '压力变送器校验',
        minutes: 60,
        maxMinutes: 480,
        nowMs: Date.now(),
      }).ok,
    ).toBe(true);
    statesBefore = byKey(await get<Alarm[]>(server, '/api/alarms?state=all'));
    const probe = RealtimeProbe.of(server);
    seqBefore = (await probe.firstSnapshot()).seq;
    probe.close();

    await server.stop(); // graceful: the write buffer drains into the store
    server = await startTestServer(env);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await setup.cleanup();
  }, 30_000);

  it('rebuilds every alarm state: unacknowledged stays unacknowledged, acknowledged acknowledged, shelved shelved', async () => {
    const after = byKey(await get<Alarm[]>(server!, '/api/alarms?state=all'));
    expect(after).toEqual(statesBefore);
    expect(after['LIA-101:hi']).toMatchObject({ state: 'unacked', condition: 'HH', active: true });
    expect(after['TIA-101:hi']).toMatchObject({ state: 'acked', ackedBy: '张三', ackComment: '已确认, "现场"正常' });
    expect(after['PIA-101:hi']).toMatchObject({
      state: 'unacked',
      shelved: { user: '李四', reason: '压力变送器校验' },
    });
    expect((await get<Alarm[]>(server!, '/api/alarms?state=unacked')).map((a) => a.key)).toEqual(['LIA-101:hi']);
    expect((await get<Alarm[]>(server!, '/api/alarms?state=shelved')).map((a) => a.key)).toEqual(['PIA-101:hi']);
  });

  it('continues the stream sequence where the previous run stopped', async () => {
    const probe = RealtimeProbe.of(server!);
    try {
      expect((await probe.firstSnapshot()).seq).toBe(seqBefore);
    } finally {
      probe.close();
    }
  });

  it('lists the transitions in order, and a return after the restart continues the journal', async () => {
    await publishTelemetry(server!.mqttUrl, { ts: Date.now(), points: [{ tag: 'LIA-101', v: 12 }] });
    const path = `/api/alarms/journal?from=${t0 - 1000}&tag=LIA-101`;
    await waitFor(async () => (await get<JournalResponse>(server!, path)).events.length === 2, 10_000, 'the return');

    const journal = await get<JournalResponse>(server!, `/api/alarms/journal?from=${t0 - 1000}`);
    expect(journal.truncated).toBe(false);
    const rows = journal.events.map((e) => `${e.alarm.key} ${e.transition} ${e.fromState}→${e.alarm.state}`);
    expect(rows.slice(0, 3).sort()).toEqual([
      'LIA-101:hi raise normal→unacked',
      'PIA-101:hi raise normal→unacked',
      'TIA-101:hi raise normal→unacked',
    ]);
    expect(rows.slice(3)).toEqual([
      'TIA-101:hi ack unacked→acked',
      'PIA-101:hi shelve unacked→unacked',
      'LIA-101:hi return unacked→rtn_unacked',
    ]);
    const seqs = journal.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.at(-1)).toBe(seqBefore + 1);
    expect(journal.events[3]).toMatchObject({ user: '张三', comment: '已确认, "现场"正常' });

    const acks = await get<JournalResponse>(server!, `/api/alarms/journal?from=${t0 - 1000}&kind=ack&user=张三`);
    expect(acks.events.map((e) => e.alarm.key)).toEqual(['TIA-101:hi']);
    const limited = await get<JournalResponse>(server!, `/api/alarms/journal?from=${t0 - 1000}&limit=2`);
    expect({ n: limited.events.length, truncated: limited.truncated }).toEqual({ n: 2, truncated: true });
  });

  it('exports the same journal as CSV that parses back (BOM, header, quoting, Chinese)', async () => {
    const json = await get<JournalResponse>(server!, `/api/alarms/journal?from=${t0 - 1000}`);
    for (const ask of [`format=csv`, `accept`]) {
      const res = await server!.request(
        `/api/alarms/journal?from=${t0 - 1000}${ask === 'accept' ? '' : `&${ask}`}`,
        ask === 'accept' ? { headers: { Accept: 'text/csv' } } : {},
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="alarm-journal-\d+-\d+\.csv"$/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1));
      expect(rows[0]).toEqual([...JOURNAL_CSV_COLUMNS]);
      const col = (name: (typeof JOURNAL_CSV_COLUMNS)[number]) => JOURNAL_CSV_COLUMNS.indexOf(name);
      expect(rows.slice(1).map((r) => Number(r[col('seq')]))).toEqual(json.events.map((e) => e.seq));
      const ack = rows.find((r) => r[col('transition')] === 'ack')!;
      expect([ack[col('user')], ack[col('comment')], ack[col('tag')]]).toEqual([
        '张三',
        '已确认, "现场"正常',
        'TIA-101',
      ]);
    }
  });

  it.each([
    ['priority=7', 'priority'],
    ['kind=explode', 'kind'],
    ['from=yesterday', 'from'],
    ['sorce=tf01', 'sorce'],
    ['limit=0', 'limit'],
    ['limit=99999999', 'JOURNAL_MAX_ROWS'],
    ['from=2000&to=1000', 'after'],
  ])('answers 400 naming what is wrong for %s', async (query, named) => {
    const res = await server!.request(`/api/alarms/journal?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(named);
  });

  it('computes the alarm statistics from the journal', async () => {
    const stats = await get<AlarmStatsResponse>(server!, `/api/stats/alarms?from=${t0 - 1000}&to=${Date.now() + 1000}`);
    expect(stats.alarms).toBe(3);
    expect(stats.positions.find((p) => p.enterpriseId === 'bjpc')).toMatchObject({ alarms: 3, floods: [] });
    expect(stats.ackTime.acks).toBe(1);
    expect(stats.topBadActors.map((b) => b.key).sort()).toEqual(['LIA-101:hi', 'PIA-101:hi', 'TIA-101:hi']);
    const one = await get<AlarmStatsResponse>(server!, `/api/stats/alarms?from=${t0 - 1000}&enterprise=bjpc`);
    expect(one.positions.map((p) => p.enterpriseId)).toEqual(['bjpc']);
    expect((await server!.request(`/api/stats/alarms?enterprise=nope`)).status).toBe(404);
  });
});

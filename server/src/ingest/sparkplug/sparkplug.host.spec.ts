import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSiteYaml, SiteIndex } from '../../site';
import { REBIRTH_METRIC, SparkplugHost, parseSparkplugTopic, type SpPayload, type SpTopic } from './sparkplug.host';

const SITE = new SiteIndex(
  parseSiteYaml(readFileSync(resolve(__dirname, '../../../../deploy/demo-site.yaml'), 'utf8'), 'demo-site.yaml'),
);
const T0 = 1_700_000_000_000;
const G = 'BJPC';
const E = 'TF01-GW';
const topic = (type: SpTopic['type'], deviceId?: string): SpTopic => ({
  groupId: G,
  type,
  edgeNodeId: E,
  ...(deviceId ? { deviceId } : {}),
});

const nbirth = (bdSeq: number): SpPayload => ({
  timestamp: T0,
  seq: 0,
  metrics: [
    { name: 'bdSeq', type: 'UInt64', value: bdSeq },
    { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
    { name: 'T-101/Temperature', alias: 1, type: 'Float', value: 21.5 },
    { name: 'T-101/Pressure', alias: 2, type: 'Float', value: 0.4 },
    { name: 'XV-101/Position', alias: 3, type: 'String', value: 'open' },
  ],
});
const dbirth = (seq: number): SpPayload => ({
  timestamp: T0,
  seq,
  metrics: [{ name: 'GD-201/Concentration', alias: 10, type: 'Float', value: 0 }],
});
const ndata = (seq: number, metrics: SpPayload['metrics']): SpPayload => ({ timestamp: T0 + 1000, seq, metrics });
const ndeath = (bdSeq: number): SpPayload => ({
  timestamp: T0,
  metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }],
});

function host(): SparkplugHost {
  return new SparkplugHost(SITE, { maxFutureSkewMs: 300_000, rebirthRetryMs: 10_000 });
}

describe('Sparkplug topics', () => {
  it.each([
    ['spBv1.0/BJPC/NBIRTH/TF01-GW', { groupId: 'BJPC', type: 'NBIRTH', edgeNodeId: 'TF01-GW' }],
    [
      'spBv1.0/BJPC/DDATA/TF01-GW/GAS-PANEL',
      { groupId: 'BJPC', type: 'DDATA', edgeNodeId: 'TF01-GW', deviceId: 'GAS-PANEL' },
    ],
    ['spBv1.0/STATE/scada-1', 'state'],
    ['spBv1.0/BJPC/NDATA/TF01-GW/extra', null],
    ['spBv1.0/BJPC/DDATA/TF01-GW', null],
    ['spBv1.0/BJPC/XDATA/TF01-GW', null],
    ['spBv1.0/BJPC', null],
    ['hazard/v1/x/y/telemetry', null],
  ])('%s', (t, expected) => {
    expect(parseSparkplugTopic(t)).toEqual(expected);
  });
});

describe('Sparkplug B primary host', () => {
  it('NBIRTH: the values of its metrics become points of the mapped tags; bdSeq and control metrics are not data', () => {
    const h = host();
    const r = h.handle(topic('NBIRTH'), nbirth(3), T0);
    expect(r.points.map((p) => [p.tag, p.v, p.tsMs, p.q])).toEqual([
      ['TIA-101', 21.5, T0, 'good'],
      ['PIA-101', 0.4, T0, 'good'],
      ['XV-101', 'open', T0, 'good'],
    ]);
    expect(r.rejects).toEqual([]);
    expect(h.status()[0]).toMatchObject({ sourceId: 'tf01', online: true, bdSeq: 3, lastSeq: 0, births: 1 });
  });

  it('NDATA by alias after the birth, with metric timestamps and the OPC quality property', () => {
    const h = host();
    h.handle(topic('NBIRTH'), nbirth(0), T0);
    const r = h.handle(
      topic('NDATA'),
      ndata(1, [
        { alias: 1, type: 'Float', value: 22.5, timestamp: T0 + 900 },
        { alias: 2, type: 'Float', value: 0.5, properties: { Quality: { type: 'Int32', value: 0 } } },
        { name: 'XV-101/Position', type: 'String', value: 'closed' },
      ]),
      T0 + 1000,
    );
    expect(r.points.map((p) => [p.tag, p.v, p.tsMs, p.q])).toEqual([
      ['TIA-101', 22.5, T0 + 900, 'good'],
      ['PIA-101', 0.5, T0 + 1000, 'bad'],
      ['XV-101', 'closed', T0 + 1000, 'good'],
    ]);
    expect(r.commands).toEqual([]);
  });

  it('a seq gap asks for a rebirth once (NCMD Node Control/Rebirth) and keeps the data; 255 → 0 is no gap', () => {
    const h = host();
    h.handle(topic('NBIRTH'), nbirth(0), T0);
    const gap = h.handle(topic('NDATA'), ndata(5, [{ alias: 1, type: 'Float', value: 23 }]), T0 + 1000);
    expect(gap.points).toHaveLength(1);
    expect(gap.commands).toEqual([
      {
        topic: 'spBv1.0/BJPC/NCMD/TF01-GW',
        payload: { timestamp: T0 + 1000, metrics: [{ name: REBIRTH_METRIC, type: 'Boolean', value: true }] },
      },
    ]);
    // Another gap within the retry interval: counted, not asked again.
    const again = h.handle(topic('NDATA'), ndata(9, [{ alias: 1, type: 'Float', value: 23 }]), T0 + 2000);
    expect(again.commands).toEqual([]);
    expect(h.status()[0]).toMatchObject({ seqGaps: 2, rebirthsRequested: 1 });

    const w = host();
    w.handle(topic('NBIRTH'), nbirth(0), T0);
    let last = { commands: [] as unknown[] };
    for (let seq = 1; seq <= 300; seq++) {
      last = w.handle(topic('NDATA'), ndata(seq % 256, [{ alias: 1, type: 'Float', value: seq }]), T0 + seq);
      expect(last.commands).toEqual([]);
    }
    expect(w.status()[0]!.seqGaps).toBe(0);
  });

  it('data before any birth is refused and a rebirth requested', () => {
    const h = host();
    const r = h.handle(topic('NDATA'), ndata(4, [{ alias: 1, type: 'Float', value: 1 }]), T0);
    expect(r.points).toEqual([]);
    expect(r.rejects.map((x) => x.reason)).toEqual(['no_birth']);
    expect(r.commands).toHaveLength(1);
  });

  it('an alias the birth did not declare is refused and asks for a rebirth', () => {
    const h = host();
    h.handle(topic('NBIRTH'), nbirth(0), T0);
    const r = h.handle(
      topic('NDATA'),
      ndata(1, [
        { alias: 99, type: 'Float', value: 1 },
        { alias: 1, type: 'Float', value: 2 },
      ]),
      T0,
    );
    expect(r.rejects.map((x) => x.reason)).toEqual(['unknown_alias']);
    expect(r.points.map((p) => p.tag)).toEqual(['TIA-101']);
    expect(r.commands).toHaveLength(1);
  });

  it('DBIRTH adds the device aliases; DDATA by alias; DDATA of an unborn device asks for a rebirth', () => {
    const h = host();
    h.handle(topic('NBIRTH'), nbirth(0), T0);
    const unborn = h.handle(topic('DDATA', 'GAS-PANEL'), ndata(1, [{ alias: 10, type: 'Float', value: 5 }]), T0);
    expect(unborn.rejects.map((x) => x.reason)).toEqual(['no_birth']);
    const born = h.handle(topic('DBIRTH', 'GAS-PANEL'), dbirth(2), T0);
    expect(born.points.map((p) => [p.tag, p.v])).toEqual([['GIA-201', 0]]);
    const data = h.handle(topic('DDATA', 'GAS-PANEL'), ndata(3, [{ alias: 10, type: 'Float', value: 27 }]), T0);
    expect(data.points.map((p) => [p.tag, p.v])).toEqual([['GIA-201', 27]]);
    expect(h.status()[0]!.devicesOnline).toEqual(['GAS-PANEL']);
  });

  it('NDEATH of the current session makes every tag of the node and its devices stale at once', () => {
    const h = host();
    h.handle(topic('NBIRTH'), nbirth(7), T0);
    h.handle(topic('DBIRTH', 'GAS-PANEL'), dbirth(1), T0);
    const r = h.handle(topic('NDEATH'), ndeath(7), T0 + 5000);
    expect(r.stale).toEqual({
      tags: ['TIA-101', 'PIA-101', 'XV-101', 'GIA-201'],
      reason: 'node_death',
      detail: 'NDEATH spBv1.0/BJPC/TF01-GW bdSeq 7',
    });
    expect(h.status()[0]).toMatchObject({ online: false, deaths: 1, devicesOnline: [] });
  });

  it('a late NDEATH of an older session (other bdSeq) does not kill the newer one', () => {
    const h = host();
    h.handle(topic('NBIRTH'), nbirth(4), T0);
    h.handle(topic('NBIRTH'), nbirth(5), T0 + 1000); // reconnected: new session
    const r = h.handle(topic('NDEATH'), ndeath(4), T0 + 1100); // the old will, delivered late
    expect(r.stale).toBeUndefined();
    expect(h.status()[0]).toMatchObject({ online: true, bdSeq: 5, staleDeaths: 1, deaths: 0 });
  });

  it('DDEATH makes only the device tags stale', () => {
    const h = host();
    h.handle(topic('NBIRTH'), nbirth(0), T0);
    h.handle(topic('DBIRTH', 'GAS-PANEL'), dbirth(1), T0);
    const r = h.handle(topic('DDEATH', 'GAS-PANEL'), { timestamp: T0, seq: 2, metrics: [] }, T0);
    expect(r.stale).toMatchObject({ tags: ['GIA-201'], reason: 'device_death' });
    expect(h.status()[0]!.online).toBe(true);
  });

  it('rejects by reason: unknown edge node, unknown metric, wrong type, null, non-finite, future timestamps', () => {
    const h = host();
    const stranger = h.handle({ groupId: 'X', type: 'NBIRTH', edgeNodeId: 'Y' }, nbirth(0), T0);
    expect(stranger.rejects.map((x) => x.reason)).toEqual(['unknown_edge_node']);
    h.handle(topic('NBIRTH'), nbirth(0), T0);
    const r = h.handle(
      topic('NDATA'),
      ndata(1, [
        { name: 'T-999/Nothing', type: 'Float', value: 1 },
        { alias: 3, type: 'Float', value: 12 }, // valve position must be a state
        { alias: 1, type: 'Float', value: null, isNull: true },
        { alias: 2, type: 'Double', value: Number.POSITIVE_INFINITY },
        { alias: 1, type: 'Float', value: 25, timestamp: T0 + 3_600_000 },
        { alias: 1, type: 'Float', value: 26 },
      ]),
      T0,
    );
    expect(r.rejects.map((x) => x.reason)).toEqual([
      'unknown_metric',
      'wrong_value_type',
      'bad_point',
      'bad_point',
      'bad_timestamp',
    ]);
    expect(r.points.map((p) => [p.tag, p.v])).toEqual([['TIA-101', 26]]);
  });
});

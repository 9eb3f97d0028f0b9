import type { AlarmEvent, SamplePoint } from '../contracts';
import { LineEncoder } from './influx-line';

const point = (over: Partial<SamplePoint>): SamplePoint => ({
  enterpriseId: 'bjpc',
  sourceId: 'tf01',
  tag: 'LIA-101',
  tsMs: 1_732_250_000_123,
  v: 12.37,
  q: 'good',
  ...over,
});

describe(LineEncoder.name, () => {
  it('writes a number as float v with the quality code and a ms timestamp', () => {
    expect(new LineEncoder().point(point({}))).toBe(
      'telemetry,enterprise=bjpc,source=tf01,tag=LIA-101 v=12.37,q=0 1732250000123',
    );
  });

  it('writes a discrete state as string s and a boolean as b, with the quality code', () => {
    const sut = new LineEncoder();

    expect(sut.point(point({ tag: 'XV-101', v: 'open', q: 'uncertain' }))).toBe(
      'telemetry,enterprise=bjpc,source=tf01,tag=XV-101 s="open",q=1 1732250000123',
    );
    expect(sut.point(point({ tag: 'B-1', v: false, q: 'bad' }))).toBe(
      'telemetry,enterprise=bjpc,source=tf01,tag=B-1 b=false,q=2 1732250000123',
    );
  });

  it('escapes commas, equals signs and spaces in tag values, quotes and backslashes in strings', () => {
    const sut = new LineEncoder();

    expect(sut.point(point({ enterpriseId: 'a b', sourceId: 'c,d', tag: 'e=f', v: 'x"y\\z' }))).toBe(
      'telemetry,enterprise=a\\ b,source=c\\,d,tag=e\\=f s="x\\"y\\\\z",q=0 1732250000123',
    );
  });

  it('keeps exponent notation and negative numbers as JavaScript prints them', () => {
    const sut = new LineEncoder();

    expect(sut.point(point({ v: 1e-7 }))).toContain(' v=1e-7,');
    expect(sut.point(point({ v: -0.5 }))).toContain(' v=-0.5,');
  });

  it('writes an alarm transition with its fields, the operator and the whole event as JSON', () => {
    const event = {
      seq: 7,
      tsMs: 1_732_250_000_500,
      transition: 'ack',
      fromState: 'unacked',
      user: 'zhangsan',
      comment: '现场确认 "正常"',
      alarm: {
        id: 'LIA-101:hi@1',
        key: 'LIA-101:hi',
        enterpriseId: 'bjpc',
        sourceId: 'tf01',
        tag: 'LIA-101',
        condition: 'HH',
        state: 'acked',
        priority: 1,
        value: 14.7,
        limit: 14.4,
      },
    } as unknown as AlarmEvent;

    const line = new LineEncoder().alarmEvent(event);

    expect(line).toMatch(
      /^alarm_event,enterprise=bjpc,source=tf01,tag=LIA-101,condition=HH,transition=ack seq=7,alarm_id="LIA-101:hi@1",alarm_key="LIA-101:hi",from_state="unacked",state="acked",priority=1,value=14.7,limit_value=14.4,user="zhangsan",comment="现场确认 \\"正常\\"",body="\{\\"seq\\":7,.*\}" 1732250000500$/,
    );
  });
});

import { DeadLetters } from './dead-letters';
import type { Reject } from './json-v1.decoder';

const TOPIC = 'hazard/v1/ent1/src1/telemetry';
const notJson: Reject = { reason: 'not_json', detail: 'Unexpected token' };
const unknownTag: Reject = { reason: 'unknown_tag', detail: 'points[0].tag "X" is not in the site model' };

describe(DeadLetters.name, () => {
  let lines: string[];
  let sut: DeadLetters;

  beforeEach(() => {
    lines = [];
    sut = new DeadLetters((line) => lines.push(line), 10_000);
  });

  it('counts rejects by reason and in total', () => {
    sut.record(TOPIC, notJson, 0);
    sut.record(TOPIC, notJson, 1);
    sut.record(TOPIC, unknownTag, 2);

    expect(sut.counts).toEqual({ not_json: 2, unknown_tag: 1 });
    expect(sut.total()).toBe(3);
  });

  it('starts with nothing counted', () => {
    expect(sut.counts).toEqual({});
    expect(sut.total()).toBe(0);
  });

  it('logs the reason, topic and detail of a reject', () => {
    sut.record(TOPIC, notJson, 0);

    expect(lines).toEqual([`rejected not_json on ${TOPIC}: Unexpected token`]);
  });

  it('logs one line per reason per interval and says how many were not logged', () => {
    sut.record(TOPIC, notJson, 0);
    sut.record(TOPIC, notJson, 1000);
    sut.record(TOPIC, notJson, 9999);
    sut.record(TOPIC, notJson, 10_000);
    sut.record(TOPIC, notJson, 15_000);
    sut.record(TOPIC, notJson, 20_000);

    expect(lines).toEqual([
      `rejected not_json on ${TOPIC}: Unexpected token`,
      `rejected not_json on ${TOPIC}: Unexpected token (+2 more not_json not logged)`,
      `rejected not_json on ${TOPIC}: Unexpected token (+1 more not_json not logged)`,
    ]);
    expect(sut.counts.not_json).toBe(6);
  });

  it('does not repeat the "+N more" suffix once the suppressed ones were reported', () => {
    sut.record(TOPIC, notJson, 0);
    sut.record(TOPIC, notJson, 1);
    sut.record(TOPIC, notJson, 10_000);
    sut.record(TOPIC, notJson, 20_000);

    expect(lines[2]).toBe(`rejected not_json on ${TOPIC}: Unexpected token`);
  });

  it('rate-limits each reason on its own', () => {
    sut.record(TOPIC, notJson, 0);
    sut.record(TOPIC, unknownTag, 1);
    sut.record(TOPIC, notJson, 2);
    sut.record(TOPIC, unknownTag, 3);

    expect(lines).toEqual([
      `rejected not_json on ${TOPIC}: Unexpected token`,
      `rejected unknown_tag on ${TOPIC}: ${unknownTag.detail}`,
    ]);
    expect(sut.total()).toBe(4);
  });
});

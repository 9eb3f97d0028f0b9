import { classifySeq, SEQ_REPLAY_WINDOW, SeqTracker } from './seq-tracker';

describe(classifySeq.name, () => {
  it.each([
    ['the first seq of a publisher', null, 7, { kind: 'first' }],
    ['the next seq', 7, 8, { kind: 'next' }],
    ['a jump over 3 messages', 7, 11, { kind: 'gap', missed: 3 }],
    ['the same seq again (QoS 1 redelivery)', 7, 7, { kind: 'duplicate' }],
    ['a seq a little lower (replay)', 500, 500 - SEQ_REPLAY_WINDOW, { kind: 'duplicate' }],
    ['a seq far lower', 500, 500 - SEQ_REPLAY_WINDOW - 1, { kind: 'restart' }],
    ['a drop to 0 (no wrap is defined in JSON v1)', 5, 0, { kind: 'restart' }],
    ['0 after 0', 0, 0, { kind: 'duplicate' }],
  ] as const)('classifies %s', (_name, last, seq, verdict) => {
    expect(classifySeq(last, seq)).toEqual(verdict);
  });
});

describe(SeqTracker.name, () => {
  it('counts gaps, missed messages, duplicates and restarts per publisher, with the time of the last gap', () => {
    const sut = new SeqTracker();
    for (const [seq, t] of [
      [1, 10],
      [2, 20],
      [5, 30],
      [5, 40],
      [6, 50],
      [0, 60],
      [1, 70],
      [4, 80],
    ] as const) {
      sut.observe('tf01', seq, t);
    }
    sut.observe('cl01', 9, 90);
    expect(sut.get('tf01')).toEqual({
      messages: 8,
      gaps: 2,
      missedMessages: 4,
      duplicates: 1,
      restarts: 1,
      lastSeq: 4,
      lastGapAtMs: 80,
    });
    expect(sut.get('cl01')).toMatchObject({ messages: 1, gaps: 0, lastSeq: 9 });
    expect(sut.totals).toMatchObject({ messages: 9, gaps: 2, missedMessages: 4, duplicates: 1, restarts: 1 });
  });

  it('does not report a gap after a replayed older message', () => {
    const sut = new SeqTracker();
    sut.observe('p', 10, 1);
    sut.observe('p', 8, 2);
    expect(sut.observe('p', 11, 3)).toEqual({ kind: 'next' });
  });

  it('reports zeros for a publisher that never sent a seq', () => {
    expect(new SeqTracker().get('x')).toMatchObject({ messages: 0, gaps: 0, lastSeq: null, lastGapAtMs: null });
  });
});

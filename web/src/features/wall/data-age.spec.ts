import { describe, expect, it } from 'vitest';
import { ageParts, badgeOf, sampleFreshness, type DisplayClock } from './data-age';
import { sample } from './wall.fixtures';

describe('badgeOf', () => {
  const STALE = 10_000;

  it('is live only while connected with a sample younger than the stale limit', () => {
    expect(badgeOf(100_000, 95_000, true, 0, STALE)).toEqual({ state: 'live', ageMs: 5000 });
    expect(badgeOf(100_000, 90_000, true, 0, STALE)).toEqual({ state: 'live', ageMs: 10_000 });
    expect(badgeOf(100_000, 85_000, true, 0, STALE)).toEqual({ state: 'stale', ageMs: 15_000 });
  });

  it('is offline whenever disconnected, however fresh the last sample', () => {
    expect(badgeOf(100_000, 99_999, false, 0, STALE).state).toBe('offline');
    expect(badgeOf(100_000, null, false, 0, STALE).state).toBe('offline');
  });

  it('is stale, not live, when connected but no data has ever arrived', () => {
    expect(badgeOf(100_000, null, true, 0, STALE)).toEqual({ state: 'stale', ageMs: null });
  });

  it('measures age on the server clock, so a screen clock running behind cannot make old data look fresh', () => {
    // Local clock 60 s behind the server: the sample is 65 s old on the server's clock.
    expect(badgeOf(40_000, 35_000, true, 60_000, STALE)).toEqual({ state: 'stale', ageMs: 65_000 });
  });

  it('never reports a negative age when the screen clock runs ahead', () => {
    expect(badgeOf(100_000, 101_000, true, 0, STALE)).toEqual({ state: 'live', ageMs: 0 });
  });
});

describe('sampleFreshness', () => {
  const clock: DisplayClock = { connected: true, serverNowMs: 100_000, staleAfterMs: 10_000, allStale: false };

  it('judges each tag by its own sample, so one silent gateway shows up while others keep the page live', () => {
    expect(sampleFreshness(sample(1, 95_000), clock)).toBe('live');
    expect(sampleFreshness(sample(1, 80_000), clock)).toBe('stale');
  });

  it('says none without a sample and offline when disconnected', () => {
    expect(sampleFreshness(undefined, clock)).toBe('none');
    expect(sampleFreshness(sample(1, 99_000), { ...clock, connected: false })).toBe('offline');
  });
});

describe('ageParts', () => {
  it('uses seconds, then minutes, then hours', () => {
    expect(ageParts(25_400)).toEqual({ unit: 'seconds', n: 25 });
    expect(ageParts(5 * 60_000)).toEqual({ unit: 'minutes', n: 5 });
    expect(ageParts(3 * 3_600_000)).toEqual({ unit: 'hours', n: 3 });
  });
});

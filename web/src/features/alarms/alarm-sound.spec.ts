import { describe, expect, it } from 'vitest';
import { alarmOf } from './alarms.fixtures';
import { burstMs, patternFor, SOUND_PATTERNS, sounds } from './alarm-sound';

describe(patternFor.name, () => {
  it('plays the pattern of the most urgent unacknowledged alarm', () => {
    const alarms = [
      alarmOf({ tag: 'A', priority: 3 }),
      alarmOf({ tag: 'B', priority: 1 }),
      alarmOf({ tag: 'C', priority: 2 }),
    ];
    expect(patternFor(alarms, null, 0)).toBe(SOUND_PATTERNS[1]);
  });

  it('is quiet when every alarm is acknowledged, shelved, suppressed or out of service', () => {
    const alarms = [
      alarmOf({ state: 'acked' }),
      alarmOf({ state: 'latched_acked' }),
      alarmOf({ shelved: { user: 'op', reason: 'r', atMs: 0, untilMs: 1 } }),
      alarmOf({ suppressed: { reason: 'r', byKey: 'SIS-301:SIS_TRIPPED', sinceMs: 0 } }),
      alarmOf({ outOfService: { user: 'admin', reason: 'r', atMs: 0 } }),
    ];
    expect(patternFor(alarms, null, 0)).toBeNull();
  });

  it('quiets what sounded when the silence was pressed, but not a newer alarm, and not after it runs out', () => {
    const silence = { atMs: 5000, untilMs: 8000, user: 'op' };
    const before = alarmOf({ priority: 1, annunciatedAt: 4000 });
    const after = alarmOf({ tag: 'B', priority: 3, annunciatedAt: 6000 });
    expect(patternFor([before], silence, 6000)).toBeNull();
    expect(patternFor([before, after], silence, 6500)).toBe(SOUND_PATTERNS[3]);
    expect(patternFor([before], silence, 8000)).toBe(SOUND_PATTERNS[1]);
  });

  it('sounds a re-alarm (returned, then back in alarm) after a silence', () => {
    const silence = { atMs: 5000, untilMs: 8000, user: 'op' };
    expect(sounds(alarmOf({ raisedAt: 1000, annunciatedAt: 5500 }), silence, 6000)).toBe(true);
  });
});

describe('SOUND_PATTERNS', () => {
  it('makes higher priorities more urgent: more pulses, repeated sooner', () => {
    for (const p of [1, 2, 3] as const) {
      const higher = SOUND_PATTERNS[p];
      const lower = SOUND_PATTERNS[(p + 1) as 2 | 3 | 4];
      expect(higher.tones.length).toBeGreaterThan(lower.tones.length);
      expect(higher.repeatMs).toBeLessThan(lower.repeatMs);
      expect(burstMs(higher)).toBeLessThan(higher.repeatMs);
    }
  });
});

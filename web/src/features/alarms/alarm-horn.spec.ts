import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHorn, type HornContext } from './alarm-horn';
import { SOUND_PATTERNS } from './alarm-sound';

/** A Web Audio stand-in that counts the oscillators started. */
function fakeContext(initial: 'suspended' | 'running') {
  const param = () => ({ setValueAtTime: vi.fn(), linearRampToValueAtTime: vi.fn() });
  const started: number[] = [];
  const ctx = {
    state: initial as string,
    currentTime: 0,
    destination: {},
    onstatechange: null as (() => void) | null,
    resume: vi.fn(() => {
      ctx.state = 'running';
      return Promise.resolve();
    }),
    close: vi.fn(() => Promise.resolve()),
    createGain: () => ({ gain: param(), connect: (n: unknown) => n }),
    createOscillator: () => {
      const osc = {
        type: '',
        frequency: param(),
        connect: (n: unknown) => n,
        start: (t: number) => started.push(t),
        stop: vi.fn(),
      };
      return osc;
    },
  };
  return { ctx, started, asHorn: ctx as unknown as HornContext };
}

describe(createHorn.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stays silent until unlocked, then sounds the pattern asked for meanwhile', async () => {
    const { started, asHorn } = fakeContext('suspended');
    const sut = createHorn(() => asHorn);
    sut.play(SOUND_PATTERNS[1]);

    expect(sut.unlocked.value).toBe(false);
    expect(started).toHaveLength(0);
    await sut.unlock();

    expect(sut.unlocked.value).toBe(true);
    expect(started).toHaveLength(SOUND_PATTERNS[1].tones.length);
    sut.dispose();
  });

  it('repeats the burst every repeatMs and stops on null', () => {
    const { started, asHorn } = fakeContext('running');
    const sut = createHorn(() => asHorn);
    sut.play(SOUND_PATTERNS[4]);
    vi.advanceTimersByTime(SOUND_PATTERNS[4].repeatMs * 2);
    expect(started).toHaveLength(3);
    expect(sut.playing.value).toBe(4);

    sut.play(null);
    vi.advanceTimersByTime(SOUND_PATTERNS[4].repeatMs * 2);
    expect(started).toHaveLength(3);
    expect(sut.playing.value).toBeNull();
  });

  it('does not restart the pattern when asked for the same priority again', () => {
    const { started, asHorn } = fakeContext('running');
    const sut = createHorn(() => asHorn);
    sut.play(SOUND_PATTERNS[2]);
    sut.play(SOUND_PATTERNS[2]);
    expect(started).toHaveLength(SOUND_PATTERNS[2].tones.length);
    sut.dispose();
  });

  it('says so where the browser has no Web Audio', () => {
    const sut = createHorn(() => null);
    expect(sut.supported).toBe(false);
    expect(() => sut.play(SOUND_PATTERNS[1])).not.toThrow();
  });
});

import { startTicker, type Ticker } from './ticker';

/** A clock that runs `lagMs` ahead of the fake timers: time the callbacks "spent" or the event loop stalled. */
function laggingClock(): { clock: () => number; lag: (ms: number) => void } {
  let lagMs = 0;
  return { clock: () => Date.now() + lagMs, lag: (ms) => (lagMs += ms) };
}

describe(startTicker.name, () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('ticks at start + n·period even when every callback takes 300 ms', () => {
    const { clock, lag } = laggingClock();
    const ticks: number[] = [];
    const sut: Ticker = startTicker(
      1000,
      (now) => {
        ticks.push(now);
        lag(300);
        if (ticks.length === 10) sut.stop();
      },
      clock,
    );
    jest.advanceTimersByTime(60_000);

    expect(ticks).toEqual(Array.from({ length: 10 }, (_, i) => 1_000_000 + i * 1000));
    expect(sut.skipped).toBe(0);
  });

  it('skips the ticks it fell behind on instead of bursting them', () => {
    const { clock, lag } = laggingClock();
    const ticks: number[] = [];
    const sut = startTicker(
      1000,
      (now) => {
        ticks.push(now);
        if (ticks.length === 2) lag(3500);
      },
      clock,
    );
    jest.advanceTimersByTime(2600);
    sut.stop();

    // Node runs a 0 ms timeout after 1 ms, hence 1_004_501.
    expect(ticks).toEqual([1_000_000, 1_001_000, 1_004_501, 1_005_000, 1_006_000]);
    expect(sut.skipped).toBe(2);
  });

  it('stops ticking after stop()', () => {
    const onTick = jest.fn();
    const sut = startTicker(100, onTick);
    sut.stop();
    jest.advanceTimersByTime(1000);

    expect(onTick).toHaveBeenCalledTimes(1);
  });
});

import type { Page } from 'playwright-core';

/** This process's clock, epoch ms with sub-millisecond resolution (the page reads the same expression). */
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** When an element first appeared, on this process's clock (epoch ms). */
export interface Appearance {
  /** The mutation that put it in the document (Vue's patch), seen by a MutationObserver in the page. */
  domAtMs: number;
  /** The animation frame after that mutation: the element is painted with this frame, so a person can see it. */
  frameAtMs: number;
}

export interface AppearanceWatch {
  /** Resolves once the element has appeared (waiting up to `timeoutMs`), with when it did. */
  appeared(timeoutMs: number): Promise<Appearance>;
}

let watches = 0;

/**
 * Watches `page` for the first moment an element matching `selector` is in the document. The moment is taken in the
 * page, by a MutationObserver and the next animation frame, so neither this process's polling nor Playwright's round
 * trips count; the page's clock is mapped onto ours by the tightest of several round trips (two processes, two clocks
 * each derived from the wall clock at its start: measured, not assumed). Start watching before the action being
 * timed; an element already there is an error, since it cannot be timed.
 *
 * The page script is a string: the system tests are compiled without the DOM library.
 */
export async function watchAppearance(page: Page, selector: string): Promise<AppearanceWatch> {
  const offsetMs = await pageClockOffsetMs(page);
  const key = JSON.stringify(`w${++watches}`);
  const already = (await page.evaluate(`(() => {
    const selector = ${JSON.stringify(selector)};
    const store = (window.__appearances ??= {});
    if (document.querySelector(selector) !== null) return true;
    const record = (store[${key}] = {});
    const observer = new MutationObserver(() => {
      if (record.domAtMs !== undefined || document.querySelector(selector) === null) return;
      observer.disconnect();
      record.domAtMs = performance.timeOrigin + performance.now();
      requestAnimationFrame(() => (record.frameAtMs = performance.timeOrigin + performance.now()));
    });
    observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
    return false;
  })()`)) as boolean;
  if (already) throw new Error(`${selector} is already on the page: its appearance cannot be timed`);
  return {
    appeared: async (timeoutMs) => {
      await page.waitForFunction(`window.__appearances[${key}].frameAtMs !== undefined`, undefined, {
        timeout: timeoutMs,
        polling: 50,
      });
      const record = (await page.evaluate(`window.__appearances[${key}]`)) as Appearance;
      return { domAtMs: record.domAtMs - offsetMs, frameAtMs: record.frameAtMs - offsetMs };
    },
  };
}

/** Page clock minus ours (ms), from the round trip with the least delay of several. */
async function pageClockOffsetMs(page: Page): Promise<number> {
  let best = { rttMs: Number.POSITIVE_INFINITY, offsetMs: 0 };
  for (let i = 0; i < 10; i++) {
    const t0 = nowMs();
    const pageMs = (await page.evaluate('performance.timeOrigin + performance.now()')) as number;
    const t1 = nowMs();
    if (t1 - t0 < best.rttMs) best = { rttMs: t1 - t0, offsetMs: pageMs - (t0 + t1) / 2 };
  }
  return best.offsetMs;
}

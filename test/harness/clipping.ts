import type { Page } from 'playwright-core';

/** One list on the page as a person sees it. */
export interface ListVisibility {
  /** Entries in the DOM. */
  total: number;
  /** Entries the list says it left out (`data-fit="hidden"`). */
  hidden: number;
  /** The count its "N more" line gives (`data-hidden`), null when there is no such line. */
  countLine: number | null;
  /**
   * Shown entries (and the count line) that are not wholly visible: outside the viewport, or cut by an ancestor
   * whose overflow is not `visible`; each named by its `data-tag` / `data-tank` and what cuts it.
   */
  cut: string[];
}

/**
 * For each `entries` selector (with the selector of its count line), whether every shown entry is wholly visible
 * inside the viewport and inside every clipping ancestor's box, and whether the count line adds up. A page script
 * (a string: the system tests are compiled without the DOM library).
 */
export async function listVisibility(
  page: Page,
  lists: Record<string, { entries: string; countLine: string }>,
): Promise<Record<string, ListVisibility>> {
  return (await page.evaluate(`(() => {
    const lists = ${JSON.stringify(lists)};
    const tolerancePx = 1;
    const nameOf = (el) => el.dataset.tag ?? el.dataset.tank ?? el.dataset.testid ?? el.tagName;
    const inside = (r, box) =>
      r.left >= box.left - tolerancePx && r.right <= box.right + tolerancePx &&
      r.top >= box.top - tolerancePx && r.bottom <= box.bottom + tolerancePx;
    const cutBy = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return 'no size';
      if (getComputedStyle(el).visibility !== 'visible') return 'not visible';
      if (!inside(r, { left: 0, top: 0, right: innerWidth, bottom: innerHeight })) return 'outside the viewport';
      for (let a = el.parentElement; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        const b = a.getBoundingClientRect();
        // The clipping box is the padding box: inside the borders, without a scroll bar.
        const box = { left: b.left + a.clientLeft, top: b.top + a.clientTop };
        box.right = box.left + a.clientWidth;
        box.bottom = box.top + a.clientHeight;
        if (!inside(r, box)) return 'cut by ' + a.tagName.toLowerCase() + '.' + [...a.classList].join('.');
      }
      return null;
    };
    const out = {};
    for (const [name, { entries, countLine }] of Object.entries(lists)) {
      const els = [...document.querySelectorAll(entries)];
      const shown = els.filter((el) => el.dataset.fit !== 'hidden');
      const line = document.querySelector(countLine);
      const cut = [];
      for (const el of line ? [...shown, line] : shown) {
        const why = cutBy(el);
        if (why) cut.push(nameOf(el) + ': ' + why);
      }
      out[name] = {
        total: els.length,
        hidden: els.length - shown.length,
        countLine: line ? Number(line.dataset.hidden) : null,
        cut,
      };
    }
    return out;
  })()`)) as Record<string, ListVisibility>;
}

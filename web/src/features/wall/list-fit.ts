/**
 * A wall list that cannot show all its entries shows as many as fit, whole, and says how many it left out: a kiosk
 * has nobody to scroll it, and an entry cut off at the panel's edge looks like an entry that does not exist.
 */

/**
 * How many leading entries are wholly inside the box, given the bottom edges (px, same origin) of the box and of each
 * entry in reading order. The first entry that passes the bottom ends the shown part: a shorter one after it is not
 * squeezed in, so a gap in the list always means "see the count below", never a missing row in the middle.
 */
export function fittingCount(boxBottomPx: number, entryBottomsPx: readonly number[], tolerancePx = 1): number {
  const first = entryBottomsPx.findIndex((bottomPx) => bottomPx > boxBottomPx + tolerancePx);
  return first === -1 ? entryBottomsPx.length : first;
}

/** What a list says about the entries it does not show. */
export interface HiddenSummary {
  /** Entries left out. */
  hidden: number;
  /** Of those, the ones in alarm or in an abnormal state: a left-out alarm is named, not only counted. */
  attention: number;
}

/** `needsAttention[i]` for every entry in list order; `shownCount` may exceed the list (everything fits). */
export function hiddenSummary(needsAttention: readonly boolean[], shownCount: number): HiddenSummary {
  const rest = needsAttention.slice(Math.max(0, shownCount));
  return { hidden: rest.length, attention: rest.filter(Boolean).length };
}

import { nextTick, onBeforeUnmount, onMounted, ref, watch, type Ref, type WatchSource } from 'vue';
import { fittingCount } from './list-fit';

/**
 * How many leading entries (`entrySelector` inside `box`) the box shows whole; `Infinity` while not measured, when
 * `enabled` is false, and in a DOM without layout (all rectangles are empty, so everything "fits").
 *
 * Every entry stays rendered (the caller only hides the ones past the count, keeping their space), so measuring
 * never changes what is measured. It re-measures when the box or any entry is resized (window, locale, the count
 * line appearing below the box) and after `entries` changes (another hazard source on the kiosk rotation). The
 * measurement runs in the next animation frame, not inside the ResizeObserver callback: changing the layout there
 * makes Chromium report a "ResizeObserver loop" error.
 */
export function useListFit(
  box: Ref<HTMLElement | null>,
  entrySelector: string,
  entries: WatchSource,
  enabled: () => boolean,
): Ref<number> {
  const shownCount = ref(Number.POSITIVE_INFINITY);
  let observer: ResizeObserver | undefined;
  let frame: number | undefined;

  const measure = (): void => {
    frame = undefined;
    const el = box.value;
    if (!el || !enabled()) {
      shownCount.value = Number.POSITIVE_INFINITY;
      return;
    }
    const bottoms = [...el.querySelectorAll(entrySelector)].map((entry) => entry.getBoundingClientRect().bottom);
    const count = fittingCount(el.getBoundingClientRect().bottom, bottoms);
    shownCount.value = count === bottoms.length ? Number.POSITIVE_INFINITY : count;
  };
  const scheduleMeasure = (): void => {
    if (typeof requestAnimationFrame === 'undefined') return measure();
    if (frame === undefined) frame = requestAnimationFrame(measure);
  };
  const observe = (): void => {
    observer?.disconnect();
    const el = box.value;
    if (!el || !enabled() || typeof ResizeObserver === 'undefined') return;
    observer ??= new ResizeObserver(scheduleMeasure);
    observer.observe(el);
    for (const entry of el.querySelectorAll(entrySelector)) observer.observe(entry);
  };

  onMounted(() => {
    observe();
    measure();
  });
  watch([entries, enabled], async () => {
    await nextTick();
    observe();
    measure();
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    if (frame !== undefined) cancelAnimationFrame(frame);
  });
  return shownCount;
}

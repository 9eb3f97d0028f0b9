import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** Width the wall is designed at; a 3840 px screen draws everything twice as large. */
const DESIGN_WIDTH_PX = 1920;

/** The UI scale for canvas drawings (CSS uses the `--u` unit, see WallView): window width / 1920, clamped. */
export function uiScaleOf(widthPx: number): number {
  return Math.min(2.2, Math.max(0.75, widthPx / DESIGN_WIDTH_PX));
}

/** The current UI scale, updated on window resize; charts take it to size their fonts and lines. */
export function useUiScale(): Ref<number> {
  const scale = ref(typeof window === 'undefined' ? 1 : uiScaleOf(window.innerWidth));
  const update = (): void => {
    scale.value = uiScaleOf(window.innerWidth);
  };
  onMounted(() => window.addEventListener('resize', update));
  onBeforeUnmount(() => window.removeEventListener('resize', update));
  return scale;
}

import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';
import { echarts, type ChartOption } from './echarts';

/**
 * Owns one chart's lifecycle: init on mount, setOption whenever the computed option changes, resize with its
 * container (ResizeObserver), dispose on unmount. Option builders must give every key explicitly: options merge,
 * so a key left out keeps its previous value.
 */
export function useEchart(el: Ref<HTMLElement | null>, option: Ref<ChartOption>) {
  const chart = shallowRef<echarts.ECharts | null>(null);
  let observer: ResizeObserver | undefined;

  onMounted(() => {
    if (!el.value) return;
    chart.value = echarts.init(el.value, undefined, { renderer: 'canvas' });
    chart.value.setOption(option.value);
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => chart.value?.resize());
      observer.observe(el.value);
    }
  });

  // Series are replaced, not merged by index: the wall can switch to a hazard source with fewer tanks.
  watch(option, (next) => chart.value?.setOption(next, { replaceMerge: ['series'], lazyUpdate: true }));

  onBeforeUnmount(() => {
    observer?.disconnect();
    observer = undefined;
    chart.value?.dispose();
    chart.value = null;
  });

  return { chart };
}

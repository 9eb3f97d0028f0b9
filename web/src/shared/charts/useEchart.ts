import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';
import { echarts, type EChartsOption } from './echarts';

/**
 * Owns one chart's lifecycle: init on mount, setOption whenever the computed option changes, resize with its
 * container, dispose on unmount.
 */
export function useEchart(el: Ref<HTMLElement | null>, option: Ref<EChartsOption>) {
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

  watch(option, (next) => chart.value?.setOption(next, { notMerge: false, lazyUpdate: true }));

  onBeforeUnmount(() => {
    observer?.disconnect();
    chart.value?.dispose();
    chart.value = null;
  });

  return { chart };
}

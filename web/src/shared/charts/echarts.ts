// Registers only the ECharts modules the app uses, once (STYLE.md, vue-vben-admin habit): keeps the bundle small.
import {
  BarChart,
  CustomChart,
  GaugeChart,
  LineChart,
  MapChart,
  type BarSeriesOption,
  type CustomSeriesOption,
  type GaugeSeriesOption,
  type LineSeriesOption,
  type MapSeriesOption,
} from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  type DataZoomComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkAreaComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  CustomChart,
  GaugeChart,
  LineChart,
  MapChart,
  DataZoomComponent,
  GridComponent,
  // Statistics page (issue 6): reference lines, flood areas and a legend on the alarm-rate and priority-mix charts.
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { echarts };

/** Options limited to the registered modules: using an unregistered series type fails to compile. */
export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | CustomSeriesOption
  | GaugeSeriesOption
  | LineSeriesOption
  | MapSeriesOption
  | DataZoomComponentOption
  | GridComponentOption
  | LegendComponentOption
  | MarkAreaComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;
export type { BarSeriesOption, CustomSeriesOption, GaugeSeriesOption, LineSeriesOption, MapSeriesOption };

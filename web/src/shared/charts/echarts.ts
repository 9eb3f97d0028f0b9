// Registers only the ECharts modules the app uses, once (STYLE.md, vue-vben-admin habit): keeps the bundle small.
import { BarChart, CustomChart, type BarSeriesOption, type CustomSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, CustomChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { echarts };

/** Options limited to the registered modules: using an unregistered series type fails to compile. */
export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | CustomSeriesOption | GridComponentOption | TooltipComponentOption
>;
export type { BarSeriesOption, CustomSeriesOption };

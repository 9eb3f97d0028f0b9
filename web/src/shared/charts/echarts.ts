// Registers only the ECharts modules the app uses, once (STYLE.md, vue-vben-admin habit): keeps the bundle small.
import { BarChart, CustomChart, type BarSeriesOption, type CustomSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
// Statistics page (issue 6): reference lines, flood areas and a legend on the alarm-rate and priority-mix charts.
import {
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  type LegendComponentOption,
  type MarkAreaComponentOption,
  type MarkLineComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, CustomChart, GridComponent, TooltipComponent, CanvasRenderer]);
echarts.use([LegendComponent, MarkAreaComponent, MarkLineComponent]);

export { echarts };

/** Options limited to the registered modules: using an unregistered series type fails to compile. */
export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | CustomSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkAreaComponentOption
  | MarkLineComponentOption
>;
export type { BarSeriesOption, CustomSeriesOption };

// Registers only the ECharts modules the app uses, once (STYLE.md, vue-vben-admin habit): keeps the bundle small.
import { BarChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, ScatterChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
export type { EChartsCoreOption as EChartsOption } from 'echarts/core';

import { lazy, Suspense } from 'react';
import { Skeleton } from '@mantine/core';
import type { EChartsCoreOption } from 'echarts/core';

// ECharts is large: it loads with the first chart, not with the app.
const Chart = lazy(() => import('./Chart'));

export function LazyChart(props: { option: EChartsCoreOption; height: number; label: string; testId?: string }) {
  return (
    <Suspense fallback={<Skeleton height={props.height} />}>
      <Chart {...props} />
    </Suspense>
  );
}

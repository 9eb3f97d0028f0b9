import type { AlarmStatsResponse } from '@hazard/server/contracts';
import { apiJson, queryString, type ApiResult } from '../../shared/http/api';

/** `GET /api/stats/alarms?from=&to=&enterprise=` (docs/alarm-statistics.md). */
export function fetchAlarmStats(
  token: string | null,
  q: { fromMs: number; toMs: number; enterprise: string | null },
): Promise<ApiResult<AlarmStatsResponse>> {
  return apiJson(`/api/stats/alarms${queryString({ from: q.fromMs, to: q.toMs, enterprise: q.enterprise })}`, token);
}

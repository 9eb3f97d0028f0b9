import type { DataHealthResponse } from '@hazard/server/contracts';
import { getJson, type GetResult } from '../../shared/http/get-json';

/** `GET /api/health/data`: freshness and 在线率 of the park (docs/data-health.md). */
export function fetchDataHealth(token: string | null): Promise<GetResult<DataHealthResponse>> {
  return getJson<DataHealthResponse>('/api/health/data', token);
}

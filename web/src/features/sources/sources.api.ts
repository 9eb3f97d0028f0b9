import type { HistoryResponse, SourceDetail } from '@hazard/server/contracts';
import { getJson, type GetResult } from '../../shared/http/get-json';

/** `GET /api/sources/:id`: equipment, tags and limits, 包保 people, the GB 18218 grade term by term. */
export function fetchSourceDetail(id: string, token: string | null): Promise<GetResult<SourceDetail>> {
  return getJson<SourceDetail>(`/api/sources/${encodeURIComponent(id)}`, token);
}

/** `GET /api/telemetry/history` for one tag over [fromMs, toMs] in buckets of `step` (docs/storage.md). */
export function fetchHistory(
  tag: string,
  fromMs: number,
  toMs: number,
  step: string,
  token: string | null,
  signal?: AbortSignal,
): Promise<GetResult<HistoryResponse>> {
  const q = new URLSearchParams({ tag, from: String(fromMs), to: String(toMs), step });
  return getJson<HistoryResponse>(`/api/telemetry/history?${q.toString()}`, token, signal);
}

import type { Alarm, AlarmAction, AlarmEvent, AlarmListState, JournalResponse } from '@hazard/server/contracts';
import { apiBlob, apiJson, queryString, type ApiResult } from '../../shared/http/api';

/** `GET /api/alarms?state=` (any valid token). */
export function listAlarms(token: string | null, state: AlarmListState): Promise<ApiResult<Alarm[]>> {
  return apiJson(`/api/alarms${queryString({ state })}`, token);
}

/**
 * `POST /api/alarms/:id/{action}`: 200 with the resulting event; 400 names the bad field, 403 the role needed, 409
 * says why the action does not apply in the alarm's state (server/src/contracts/alarm-actions.ts).
 */
export function actOnAlarm(
  token: string | null,
  id: string,
  action: AlarmAction,
  body: Record<string, string | number>,
): Promise<ApiResult<AlarmEvent>> {
  return apiJson(`/api/alarms/${encodeURIComponent(id)}/${action}`, token, { method: 'POST', body });
}

/** Filters of `GET /api/alarms/journal` (contracts' JournalQueryParamsSchema); empty ones are left out. */
export interface JournalQuery {
  fromMs: number;
  toMs: number;
  source?: string;
  enterprise?: string;
  tag?: string;
  priority?: string;
  kind?: string;
  user?: string;
  limit?: number;
}

function journalPath(q: JournalQuery, format: 'json' | 'csv'): string {
  return `/api/alarms/journal${queryString({
    from: q.fromMs,
    to: q.toMs,
    source: q.source,
    enterprise: q.enterprise,
    tag: q.tag,
    priority: q.priority,
    kind: q.kind,
    user: q.user,
    limit: q.limit,
    format: format === 'csv' ? 'csv' : undefined,
  })}`;
}

export function fetchJournal(token: string | null, q: JournalQuery): Promise<ApiResult<JournalResponse>> {
  return apiJson(journalPath(q, 'json'), token);
}

/** The same query as CSV (UTF-8 with BOM, docs/alarm-lifecycle.md "Journal"). */
export function fetchJournalCsv(token: string | null, q: JournalQuery): Promise<ApiResult<Blob>> {
  return apiBlob(journalPath(q, 'csv'), token);
}

import { reactive } from 'vue';
import type { HistoryResponse, SourceDetail } from '@hazard/server/contracts';
import { currentToken } from '../auth/auth.store';
import { fetchHistory, fetchSourceDetail } from './sources.api';
import { TREND_RANGES, type TrendRange } from './sources.model';

/** The hazard-source page's data: the static detail (site model + grade) and one trend. Live values come from the wall feed. */
export interface SourceState {
  id: string | null;
  detail: SourceDetail | null;
  /** The server's message when the detail could not be loaded (404 names the id). */
  error: string | null;
  loading: boolean;
}

export interface TrendState {
  tag: string | null;
  range: TrendRange;
  history: HistoryResponse | null;
  error: string | null;
  loading: boolean;
  /** Local time the shown history was fetched. */
  fetchedAtMs: number | null;
}

export const sourceState = reactive<SourceState>({ id: null, detail: null, error: null, loading: false });
export const trendState = reactive<TrendState>({
  tag: null,
  range: '1h',
  history: null,
  error: null,
  loading: false,
  fetchedAtMs: null,
});

let detailRequest = 0;
let trendRequest = 0;

/** Loads a source's detail; an answer for a source the page has left meanwhile is dropped. */
export async function loadSource(id: string): Promise<void> {
  const mine = ++detailRequest;
  if (sourceState.id !== id) {
    sourceState.detail = null;
    trendState.tag = null;
    trendState.history = null;
  }
  sourceState.id = id;
  sourceState.loading = true;
  const r = await fetchSourceDetail(id, currentToken());
  if (mine !== detailRequest) return;
  sourceState.loading = false;
  if (r.ok) {
    sourceState.detail = r.body;
    sourceState.error = null;
  } else {
    sourceState.detail = null;
    sourceState.error = r.message;
  }
}

/** Loads the trend of `tag` over the range ending now; only the latest request's answer is kept. */
export async function loadTrend(tag: string, range: TrendRange, nowMs: number): Promise<void> {
  const mine = ++trendRequest;
  if (trendState.tag !== tag || trendState.range !== range) trendState.history = null;
  trendState.tag = tag;
  trendState.range = range;
  trendState.loading = true;
  const { spanMs, step } = TREND_RANGES[range];
  const r = await fetchHistory(tag, nowMs - spanMs, nowMs, step, currentToken());
  if (mine !== trendRequest) return;
  trendState.loading = false;
  if (r.ok) {
    trendState.history = r.body;
    trendState.error = null;
    trendState.fetchedAtMs = Date.now();
  } else {
    trendState.error = r.message;
  }
}

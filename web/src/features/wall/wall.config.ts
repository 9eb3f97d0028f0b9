/** The wall feature's own settings (STYLE.md: each feature owns its config, a doc comment on every key). */
export const wallConfig = {
  /** 在线率 is polled from `GET /api/health/data` this often (the server samples it once a minute). */
  healthRefreshMs: 60_000,
  /** An 在线率 older than this (failed polls) is shown as not current instead of as today's figure. */
  healthStaleAfterMs: 150_000,
  /** Newest alarms in the ticker. */
  tickerSize: 12,
} as const;

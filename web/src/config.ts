/** The web app's configuration: the only place that reads import.meta.env (STYLE.md). */
export const config = {
  /** Origin of the server (REST + socket.io); empty means the page's own origin (the server serves the app). */
  serverOrigin: import.meta.env.VITE_SERVER_ORIGIN ?? '',
  /**
   * socket.io namespace of the realtime stream. Same value as the contracts' REALTIME_NAMESPACE, repeated here
   * because the web app imports the contracts as types only (they pull zod in at runtime).
   */
  realtimeNamespace: '/realtime',
  /**
   * A sample older than this (on the server's clock) is not live: the badge says the data is delayed when the
   * newest sample is older, and each value older than this is greyed and marked as delayed.
   */
  staleAfterMs: 10_000,
  /** While the alarm list is out of sequence, `resync` is asked again this often until a snapshot arrives. */
  resyncRetryMs: 5000,
  /** Longest wait between reconnection attempts, also after the server refused or closed the connection. */
  reconnectAfterRefusalMs: 10_000,
  /** Kiosk mode shows each hazard source for this long before moving to the next. */
  kioskRotateMs: 30_000,
  /** How often the clock, the data-age badge and per-value ages are recomputed. */
  badgeTickMs: 1000,
} as const;

/** The web app's configuration: the only place that reads import.meta.env (STYLE.md). */
export const config = {
  /** Origin of the server (REST + socket.io); empty means the page's own origin (the server serves the app). */
  serverOrigin: import.meta.env.VITE_SERVER_ORIGIN ?? '',
  /** socket.io namespace of the realtime stream (contracts REALTIME_NAMESPACE; repeated because contracts are type-only here). */
  realtimeNamespace: '/realtime',
  /** Newest sample older than this: the screen says its data is delayed instead of showing it as live. */
  staleAfterMs: 10_000,
  /** How often the data-age badge is recomputed. */
  badgeTickMs: 1000,
} as const;

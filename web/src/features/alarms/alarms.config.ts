/** Settings of the duty console (STYLE.md: each feature owns its config, one doc line per key). */
export const alarmsConfig = {
  /** How long the silence button quiets the horn for the alarms already sounding (new alarms still sound). */
  silenceMs: 5 * 60_000,
  /** Silence presses kept in the browser's local log (oldest dropped first). */
  silenceLogMax: 50,
  /** Shelving durations offered as one-click choices, minutes (the server's ALARM_SHELVE_MAX_MIN still bounds them). */
  shelvePresetsMin: [15, 30, 60, 120, 480],
  /** Default journal range: the last this many hours. */
  journalDefaultHours: 24,
  /** Rows asked of the journal per query (the server caps it at JOURNAL_MAX_ROWS). */
  journalLimit: 2000,
} as const;

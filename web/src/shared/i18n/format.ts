/** Formats a value for a screen: numbers with up to `digits` decimals and no float noise; no value is a dash. */
export function formatValue(v: number | string | boolean | undefined, digits = 2): string {
  if (v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return '—';
  const rounded = Number(v.toFixed(digits));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** A number with its unit, e.g. `14.6 m`, `25 %LEL`; a dash alone when there is no value. */
export function formatWithUnit(v: number | undefined, unit: string, digits = 2): string {
  const text = formatValue(v, digits);
  return v === undefined || !Number.isFinite(v) || unit === '' ? text : `${text} ${unit}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Local wall-clock time HH:mm:ss, 24 h. Built by hand because `toLocaleTimeString({ hour12: false })` prints
 * `24:05:00` after midnight in some Chromium versions, and the format must not change with the browser's locale.
 */
export function formatClockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Local date and time `YYYY-MM-DD HH:mm:ss`, for the wall's clock. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatClockTime(ms)}`;
}

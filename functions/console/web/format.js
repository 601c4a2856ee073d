// Formatting of the API's figures for display. Money and quantities arrive as decimal strings and are
// only regrouped here, never parsed into floating point: what is shown is the API's own digits.

const DECIMAL = /^(-?)(\d+)(\.\d+)?$/;

/** "12345.678900" → "12,345.678900"; anything that is not a plain decimal is shown as it is. */
export function grouped(value) {
  if (value === null || value === undefined) return '—';
  const text = String(value);
  const m = DECIMAL.exec(text);
  if (!m) return text;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] ?? '');
}

/** An RFC 3339 instant as "2026-12-03 17:05 UTC" (seconds kept when they are not zero). */
export function instant(iso) {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?Z$/.exec(iso);
  if (!m) return iso;
  const seconds = m[3] && m[3] !== ':00' ? m[3] : '';
  return `${m[1]} ${m[2]}${seconds} UTC`;
}

/** Seconds since the epoch, for chart axes only (never for a figure shown as text). */
export function epochSeconds(iso) {
  return Date.parse(iso.length === 10 ? iso + 'T00:00:00Z' : iso) / 1000;
}

/** A decimal string as a number, for chart geometry only. */
export function plotted(value) {
  return value === null || value === undefined ? null : Number(value);
}

/** The UTC month "yyyy-MM" of a date. */
export function month(date = new Date()) {
  return date.toISOString().slice(0, 7);
}

/** The UTC day "yyyy-MM-dd" of a date. */
export function day(date = new Date()) {
  return date.toISOString().slice(0, 10);
}

/** An instant truncated to the minute, as RFC 3339. */
export function minute(date) {
  const copy = new Date(date.getTime());
  copy.setUTCSeconds(0, 0);
  return copy.toISOString().replace('.000Z', 'Z');
}

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
function csvField(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/** Rows of fields as CSV text (RFC 4180 line endings). */
export function csv(rows) {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Dates and labels as staff read them (ISO strings from the API). */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) +
        ' UTC';
}

export function formatDate(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '—';
}

export function humanize(value: string | null | undefined): string {
  if (!value) return '—';
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Minor units as a decimal amount (currencies with 2 decimals; JPY-like ones have 0). */
const ZERO_DECIMAL = new Set([
  'JPY',
  'KRW',
  'VND',
  'CLP',
  'ISK',
  'HUF',
  'TWD',
  'UGX',
  'XAF',
  'XOF',
]);
export function money(value: { amountMinor: number; currency: string } | null | undefined): string {
  if (!value) return '—';
  const digits = ZERO_DECIMAL.has(value.currency) ? 0 : 2;
  return `${(value.amountMinor / 10 ** digits).toFixed(digits)} ${value.currency}`;
}

/**
 * Spreadsheet formula injection (CSV injection): a cell starting with `=`, `+`, `-`, `@`, TAB or
 * CR may be run as a formula by Excel, LibreOffice or Google Sheets. Such cells are prefixed
 * with a single quote, which spreadsheets show as text (OWASP's recommendation).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A CSV cell: null → empty, Date → ISO-8601 UTC, strings escaped against formulas. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return escapeFormula(String(value));
}

/**
 * CSV as RFC 4180 writes it: a field holding a comma, a double quote, CR or LF
 * is quoted, its quotes doubled; lines end in CRLF. Text a spreadsheet would
 * run as a formula (starting with = + - @, a tab or CR) gets a leading
 * apostrophe (OWASP's advice): actor names and titles come from users.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function toCsv(columns: string[], rows: unknown[][]): string {
  return csvLine(columns) + rows.map(csvLine).join('');
}

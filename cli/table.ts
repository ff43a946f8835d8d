/**
 * Text for one line of a terminal: runs of whitespace as one space, other
 * control characters as � (a file name may hold a newline, which would split
 * a hit over two lines, or an escape sequence the terminal would obey).
 */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').replace(/\p{Cc}/gu, '\uFFFD').trim();

/** A cell as text: objects as compact JSON, nothing for null. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Plain columns for people: widths from the content, long cells cut with an ellipsis, one line per row. */
export function formatTable(columns: string[], rows: unknown[][], maxWidth = 60): string {
  const cut = (text: string) => {
    const line = oneLine(text);
    return line.length > maxWidth ? `${line.slice(0, maxWidth - 1)}…` : line;
  };
  const cells = [columns, ...rows.map((row) => row.map((value) => cut(cellText(value))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/* CSV text the page builds itself (a chart's figures with its target line), RFC 4180:
   a cell with a comma, quote or line break is quoted, quotes doubled, CRLF line ends.
   Pure: tests/dashboard/ runs it under node. */

/* One cell: nothing for a missing value, a list joined with ';'. */
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join(';') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/* A header row and data rows as one CSV text, ending with a line break. */
export function csvText(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

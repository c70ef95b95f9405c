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

/* The columns of the CSV a trend chart offers with its target line. */
export const TARGET_CSV_HEADER = ['metric', 'area', 'period', 'value', 'derived', 'status', 'members', 'missing', 'target_trajectory', 'parent_value'];

/* Its rows: one per period on the chart (figures and trajectory), empty where a period
   has no figure, trajectory or parent figure. byPeriod: period -> point; trajBy and
   parentBy: period -> value. */
export function targetCsvRows(metric, area, periods, byPeriod, trajBy, parentBy) {
  return periods.map((l) => {
    const p = byPeriod.get(l);
    return [metric, area, l, p ? p.value : '', p ? p.derived : '', p ? p.status : '',
      p && p.members ? p.members : '', p && p.missing ? p.missing : '',
      trajBy.has(l) ? trajBy.get(l) : '', parentBy.has(l) ? parentBy.get(l) : ''];
  });
}

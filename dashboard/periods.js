/* Periods as the API writes them (2019-01, 2019-Q1, 2019, FY2019-20), in words.
   Pure: tests/dashboard/ runs it under node. */

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/* A metric's frequency as the unit "periods since" counts in. */
export const FREQ_UNIT = { monthly: 'month', quarterly: 'quarter', annual: 'year' };

/* 2018-12 -> Dec 2018, 2019-Q1 -> Q1 2019, FY2019-20 -> 2019/20; a year stays as it is. */
export function fmtPeriod(p) {
  if (!p) return '\u2013';
  let r = /^(\d{4})-(\d{2})$/.exec(p);
  if (r) return `${MONTHS[Number(r[2]) - 1]} ${r[1]}`;
  r = /^(\d{4})-Q([1-4])$/.exec(p);
  if (r) return `Q${r[2]} ${r[1]}`;
  r = /^FY(\d{4})-(\d{2})$/.exec(p);
  if (r) return `${r[1]}/${r[2]}`;
  return p;
}

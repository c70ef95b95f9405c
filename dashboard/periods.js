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

/* A period as a month index (year * 12 + month - 1), so charts space periods by time: a
   quarter at its first month, a financial year at April, a calendar year at January.
   Anything else is null (no place on a time axis). */
export function periodIndex(p) {
  let r = /^(\d{4})-(\d{2})$/.exec(p);
  if (r) return Number(r[1]) * 12 + Number(r[2]) - 1;
  r = /^(\d{4})-Q([1-4])$/.exec(p);
  if (r) return Number(r[1]) * 12 + (Number(r[2]) - 1) * 3;
  r = /^FY(\d{4})-\d{2}$/.exec(p);
  if (r) return Number(r[1]) * 12 + 3;
  r = /^(\d{4})$/.exec(p);
  if (r) return Number(r[1]) * 12;
  return null;
}

/* A time-axis tick: the month index (rounded) back in words, "Apr 2019". */
export function fmtMonthIndex(i) {
  const k = Math.round(i);
  return `${MONTHS[((k % 12) + 12) % 12]} ${Math.floor(k / 12)}`;
}

/* Months from one period to the next at a metric's frequency. */
export const FREQ_MONTHS = { monthly: 1, quarterly: 3, annual: 12 };

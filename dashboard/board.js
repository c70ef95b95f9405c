/* What a headline tile says in words, from one metric of GET /v1/dashboard: the change
   since the figure before and how recent the latest figure is. Pure: tests/dashboard/
   runs it under node. */
import { fmtValue, plural } from './format.js';
import { FREQ_UNIT, fmtPeriod } from './periods.js';

/* Past this many periods since the latest figure, the tile says "Not recent". */
export const STALE_AFTER = 3;

/* The "Change" line. The server gives no change from a partial total, so none is
   claimed here either. */
export function changeText(m) {
  if (m.change === null || m.change === undefined || !m.previous) return 'No earlier figure';
  const since = `since ${fmtPeriod(m.previous.period)}`;
  if (m.change === 0) return `No change ${since}`;
  const up = m.change > 0;
  return `${up ? '\u25B2 Up' : '\u25BC Down'} ${fmtValue(Math.abs(m.change), m)} ${since}`;
}

/* The freshness line from {last_period, periods_since} and the metric's frequency:
   {stale, text}. A stale figure is said in words as well as colour: a board reading old
   figures should know. */
export function freshness(f, frequency) {
  if (!f || !f.last_period) return { stale: false, text: 'No figures reported yet' };
  const unit = FREQ_UNIT[frequency] || 'period';
  const n = f.periods_since;
  let ago = '';
  if (n === 0) ago = ` (the current ${unit})`;
  else if (n !== null && n !== undefined) ago = ` (${plural(n, unit)} ago)`;
  const stale = n !== null && n !== undefined && n > STALE_AFTER;
  return { stale, text: `${stale ? 'latest' : 'Latest'} figure ${fmtPeriod(f.last_period)}${ago}` };
}

/* The target a trend chart draws: the one the tile was measured on, else the series'
   first. */
export function pickTarget(series, m) {
  const targets = series.targets || [];
  if (m.target && m.target.id !== undefined) {
    const same = targets.find((t) => t.id === m.target.id);
    if (same) return same;
  }
  return targets[0] || null;
}

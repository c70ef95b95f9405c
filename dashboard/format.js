/* Numbers and values as the board page writes them (en-GB). Pure: no DOM and no fetch,
   so tests/dashboard/ runs them under node. */

/* What the page shows for a missing figure: a dash, never a zero. */
export const MISSING = '\u2013';

export function fmtNumber(v, decimals, opts) {
  if (v === null || v === undefined) return MISSING;
  return new Intl.NumberFormat('en-GB', {
    maximumFractionDigits: decimals === undefined || decimals === null ? 0 : decimals,
    ...opts,
  }).format(v);
}

/* A value in its metric's unit, to the metric's decimals. */
export function fmtValue(v, m) {
  if (v === null || v === undefined) return MISSING;
  const n = fmtNumber(v, m.decimals);
  switch (m.unit) {
    case 'percent': return `${n}%`;
    case 'gbp': return `\u00a3${n}`;
    case 'rate_per_1000': return `${n} per 1,000`;
    default: return n;
  }
}

/* Axis ticks, en-GB compact: 12k, 1.5m. */
export function fmtCompact(v, m) {
  const n = fmtNumber(v, 1, { notation: 'compact' });
  if (m.unit === 'percent') return `${n}%`;
  if (m.unit === 'gbp') return `\u00a3${n}`;
  return n;
}

export function plural(n, word) {
  return `${fmtNumber(n)} ${word}${n === 1 ? '' : 's'}`;
}

/* Chart.js draws an array label as lines: long area names stay whole on a phone. */
export function wrapLabel(text, width) {
  const lines = [];
  for (const word of text.split(' ')) {
    const last = lines.length ? lines[lines.length - 1] : null;
    if (last !== null && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length > 1 ? lines : text;
}

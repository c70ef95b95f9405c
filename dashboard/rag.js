/* The judgements the server makes, in the page's words: RAG against a target's
   trajectory and the trend label of a series (read from its SPC signals). Colour is never
   the only signal: each RAG has an icon and a word. Pure: tests/dashboard/ runs it under
   node. The process-chart words are in judgements.js. */

export const RAG = {
  green: { icon: '\u2713', word: 'Green', meaning: 'on track' },
  amber: { icon: '!', word: 'Amber', meaning: 'slightly behind' },
  red: { icon: '\u2715', word: 'Red', meaning: 'behind' },
};

function known(rag) {
  return typeof rag === 'string' && Object.prototype.hasOwnProperty.call(RAG, rag);
}

/* The class suffix of a tile: rag-green, rag-amber, rag-red or rag-none. */
export function ragClass(rag) {
  return known(rag) ? rag : 'none';
}

/* A badge: {rag (null when not rated), icon, text}. A target the server has not rated
   yet (no whole figure inside its window) is said apart from no target at all. */
export function ragBadgeParts(rag, hasTarget) {
  if (!hasTarget) return { rag: null, icon: '\u2013', text: 'No target' };
  if (!known(rag)) return { rag: null, icon: '?', text: 'Not rated yet' };
  const r = RAG[rag];
  return { rag, icon: r.icon, text: `${r.word}: ${r.meaning}` };
}

/* A series' trend {label, direction} (read from its SPC signals) as words: "increasing,
   getting better"; no direction is said when there is none or it is no change. */
export function trendWords(trend) {
  if (!trend) return null;
  const dir = trend.direction && trend.direction !== 'no_change' ? `, ${trend.direction.replace('_', ' ')}` : '';
  return `${trend.label.replace('_', ' ')}${dir}`;
}

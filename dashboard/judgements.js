/* The judgements the server makes of a series and a tile, in the page's words: Making
   Data Count's variation and assurance (a letter in an icon, always a word beside it:
   colour is never the only carrier), the special-cause rules, the comparison verdicts,
   a programme's on-track summary, a partial total and the page's as-at line. The method
   is docs/methods.md ("Statistical process control", "Comparisons with a benchmark").
   Pure: tests/dashboard/ runs it under node. */
import { MISSING, fmtValue, plural } from './format.js';
import { FREQ_MONTHS, fmtPeriod, periodIndex } from './periods.js';

const own = (table, key) => typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);

/* cls names the icon's colour class (mdc-<cls>) and a chart point's colour. */
export const VARIATION = {
  common_cause: { cls: 'common', word: 'Common cause: no significant change' },
  special_cause_improvement: { cls: 'improvement', word: 'Special cause: improvement' },
  special_cause_concern: { cls: 'concern', word: 'Special cause: concern' },
  special_cause_neutral_high: { cls: 'neutral', word: 'Special cause: higher' },
  special_cause_neutral_low: { cls: 'neutral', word: 'Special cause: lower' },
};

export const ASSURANCE = {
  consistent_pass: { cls: 'improvement', letter: 'P', word: 'Assurance: will consistently meet the target' },
  consistent_fail: { cls: 'concern', letter: 'F', word: 'Assurance: will consistently miss the target' },
  inconsistent: { cls: 'common', letter: '?', word: 'Assurance: will hit and miss the target' },
};

/* What the tile shows without an assurance (no target to judge against). */
export const NO_ASSURANCE = { cls: 'none', letter: MISSING, word: 'Assurance: no target to judge' };

/* The rule that made a point special cause, as a reader would say it. */
export const RULE_WORD = {
  above_upper_limit: 'above the upper process limit',
  below_lower_limit: 'below the lower process limit',
  trend_increasing: 'part of 7 rising points',
  trend_decreasing: 'part of 7 falling points',
  two_of_three_high: '2 of 3 points close to the upper limit',
  two_of_three_low: '2 of 3 points close to the lower limit',
  shift_above_mean: 'part of 7 points above the mean',
  shift_below_mean: 'part of 7 points below the mean',
};

/* A tile without a process chart says why. */
export const NO_SPC = 'Not enough whole figures for a process chart (12 needed)';

/* A variation the page does not know is read as common cause. */
export function variationOf(variation) {
  return own(VARIATION, variation) ? VARIATION[variation] : VARIATION.common_cause;
}

export function assuranceOf(assurance) {
  return own(ASSURANCE, assurance) ? ASSURANCE[assurance] : NO_ASSURANCE;
}

export function ruleWord(rule) {
  return own(RULE_WORD, rule) ? RULE_WORD[rule] : rule;
}

/* The variation icon's letter: H or L for a special cause high or low (by polarity),
   ~ for common cause. */
export function variationLetter(variation, polarity) {
  if (variation === 'special_cause_neutral_high') return 'H';
  if (variation === 'special_cause_neutral_low') return 'L';
  if (variation === 'special_cause_improvement') return polarity === 'lower_is_better' ? 'L' : 'H';
  if (variation === 'special_cause_concern') return polarity === 'lower_is_better' ? 'H' : 'L';
  return '~';
}

/* Beside the icons, for a screen reader: what the chart was drawn over. */
export function spcBasisText(spc) {
  return spc.basis === 'change'
    ? ` (the change from one period to the next, ${spc.points} changes)`
    : ` (over ${spc.points} figures)`;
}

/* Under a trend chart, in words, the judgement the tile's icons give. The limits get at
   least one decimal: a mean of 2.4 shown as 2 would misstate where the limits sit. */
export function spcSummary(spc, info) {
  if (!spc) return 'Process chart: fewer than 12 whole figures, so no judgement of variation yet.';
  const one = { ...info, decimals: Math.max(1, info.decimals || 0) };
  const what = spc.basis === 'change' ? 'the change from one period to the next' : 'the figures';
  const bits = [`Process chart of ${what}, ${fmtPeriod(spc.from)} to ${fmtPeriod(spc.to)} (${spc.points} points): mean ${fmtValue(spc.mean, one)}, process limits ${fmtValue(spc.lower_process_limit, one)} to ${fmtValue(spc.upper_process_limit, one)}`,
    `latest point: ${variationOf(spc.variation).word.toLowerCase()}`];
  if (spc.signals.length) bits.push(`${plural(spc.signals.length, 'special-cause point')} marked \u25C6`);
  if (spc.assurance) bits.push(assuranceOf(spc.assurance).word.toLowerCase());
  if (spc.required_per_period !== null) bits.push(`${fmtValue(spc.required_per_period, one)} a period still needed`);
  if (spc.projected_period) bits.push(`at the mean change the target is reached in ${fmtPeriod(spc.projected_period)}`);
  return `${bits.join('; ')}.`;
}

/* A point's colour class on a chart: improvement, concern, neutral, or null (no signal). */
export function signalClass(signal) {
  if (!signal) return null;
  if (signal.type === 'special_cause_improvement') return 'improvement';
  if (signal.type === 'special_cause_concern') return 'concern';
  return 'neutral';
}

/* The "Process chart" cell of a trend table. */
export function signalCell(signal, spc) {
  if (signal) return `${own(VARIATION, signal.type) ? VARIATION[signal.type].word : signal.type}: ${ruleWord(signal.rule)}`;
  return spc ? 'common cause' : MISSING;
}

/* The changes one period apart among whole figures (a gap gives none for the period
   after it), from the SPC span's first period on: the points of a running total's
   process chart, dated at the later figure. */
export function stepChanges(points, frequency, from) {
  const step = FREQ_MONTHS[frequency] || 1;
  const whole = points.filter((p) => p.complete !== false && !p.suppressed);
  const start = periodIndex(from);
  const changes = [];
  for (let i = 1; i < whole.length; i++) {
    const at = periodIndex(whole[i].period);
    if (at - periodIndex(whole[i - 1].period) !== step || at < start) continue;
    changes.push({ x: at, y: whole[i].value - whole[i - 1].value, period: whole[i].period });
  }
  return changes;
}

const VERDICT_WORD = { better: 'Better', worse: 'Worse', similar: 'Similar', not_compared: 'Not compared', higher: 'Higher', lower: 'Lower' };
const VERDICT_JOINER = { similar: 'to', not_compared: 'with' };

/* One comparison of a tile: {word, text}, "Better" + " than England (26% in 2019/20)". */
export function comparisonParts(c, m) {
  return {
    word: own(VERDICT_WORD, c.verdict) ? VERDICT_WORD[c.verdict] : c.verdict,
    text: ` ${own(VERDICT_JOINER, c.verdict) ? VERDICT_JOINER[c.verdict] : 'than'} ${c.name} (${fmtValue(c.value, m)} in ${fmtPeriod(c.period)})${c.verdict === 'not_compared' ? ': no confidence interval' : ''}`,
  };
}

/* The comparisons in a trend chart's caption: "better against England, similar against ...". */
export function comparisonCaption(list) {
  return (list || []).map((c) => `${c.verdict.replace('_', ' ')} against ${c.name}`).join(', ');
}

/* Per programme: how many of its targets are green, amber or red, in words:
   {green, rated, text}. */
export function onTrackSummary(metrics) {
  const n = { green: 0, amber: 0, red: 0 };
  let unrated = 0, none = 0;
  for (const m of metrics) {
    if (!m.target) none++;
    else if (own(n, m.target.rag)) n[m.target.rag]++;
    else unrated++;
  }
  const rated = n.green + n.amber + n.red;
  const parts = [rated ? `${n.green} of ${rated} rated on track (green)` : 'none rated against a target'];
  if (n.amber) parts.push(`${n.amber} slightly behind (amber)`);
  if (n.red) parts.push(`${n.red} behind (red)`);
  if (unrated) parts.push(`${unrated} not rated yet`);
  if (none) parts.push(`${none} without a target`);
  return { green: n.green, rated, text: `On track: ${parts.join('; ')}.` };
}

/* One line for the page: the latest period any figure on the board is for. */
export function asAtText(board) {
  let best = null;
  for (const p of board.programmes || []) for (const m of p.metrics || []) {
    const f = m.freshness && m.freshness.last_period;
    if (f && (best === null || periodIndex(f) > periodIndex(best))) best = f;
  }
  return best ? `Data as at ${fmtPeriod(best)}: the latest period with a figure on this board.` : 'Data as at: no figures yet.';
}

/* A later total with members missing, after "Partial total: " (nameOf: area code to name). */
export function partialText(p, m, nameOf) {
  const have = p.members.length, all = p.members.length + p.missing.length;
  return `${fmtValue(p.value, m)} for ${fmtPeriod(p.period)} from ${have} of ${all} areas; missing ${p.missing.map((c) => nameOf(c)).join(', ')}`;
}

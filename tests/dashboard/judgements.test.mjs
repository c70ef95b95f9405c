// Making Data Count, comparisons and summaries in words (dashboard/judgements.js): every
// icon has a letter and a word, never a colour alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ASSURANCE, NO_ASSURANCE, NO_SPC, RULE_WORD, VARIATION, asAtText, assuranceOf, comparisonCaption,
  comparisonParts, onTrackSummary, partialText, ruleWord, signalCell, signalClass, spcBasisText,
  spcSummary, stepChanges, variationLetter, variationOf,
} from '../../dashboard/judgements.js';

const count = { unit: 'count', decimals: 0 };
const pct = { unit: 'percent', decimals: 1 };

test('the variation letter follows the metric\'s polarity', () => {
  assert.equal(variationLetter('special_cause_improvement', 'higher_is_better'), 'H');
  assert.equal(variationLetter('special_cause_improvement', 'lower_is_better'), 'L');
  assert.equal(variationLetter('special_cause_concern', 'higher_is_better'), 'L');
  assert.equal(variationLetter('special_cause_concern', 'lower_is_better'), 'H');
  assert.equal(variationLetter('special_cause_neutral_high', 'lower_is_better'), 'H');
  assert.equal(variationLetter('special_cause_neutral_low', 'higher_is_better'), 'L');
  assert.equal(variationLetter('common_cause', 'higher_is_better'), '~');
  assert.equal(variationLetter(undefined, undefined), '~');
});

test('each variation and assurance has a colour class and words; an unknown one reads as common cause', () => {
  assert.deepEqual(variationOf('special_cause_concern'), { cls: 'concern', word: 'Special cause: concern' });
  assert.deepEqual(variationOf('common_cause'), { cls: 'common', word: 'Common cause: no significant change' });
  assert.equal(variationOf('sideways'), VARIATION.common_cause);
  assert.equal(variationOf('toString'), VARIATION.common_cause, 'an inherited property is not a variation');
  assert.equal(Object.keys(VARIATION).length, 5);
  assert.deepEqual(assuranceOf('consistent_pass'), { cls: 'improvement', letter: 'P', word: 'Assurance: will consistently meet the target' });
  assert.deepEqual(assuranceOf('consistent_fail'), { cls: 'concern', letter: 'F', word: 'Assurance: will consistently miss the target' });
  assert.equal(assuranceOf('inconsistent').letter, '?');
  assert.deepEqual(assuranceOf(null), { cls: 'none', letter: '\u2013', word: 'Assurance: no target to judge' });
  assert.equal(assuranceOf(null), NO_ASSURANCE);
  assert.deepEqual(Object.keys(ASSURANCE), ['consistent_pass', 'consistent_fail', 'inconsistent']);
  assert.match(NO_SPC, /12 needed/);
});

test('every special-cause rule the server gives has words', () => {
  for (const rule of ['above_upper_limit', 'below_lower_limit', 'trend_increasing', 'trend_decreasing',
    'two_of_three_high', 'two_of_three_low', 'shift_above_mean', 'shift_below_mean']) assert.ok(RULE_WORD[rule], rule);
  assert.equal(ruleWord('shift_below_mean'), 'part of 7 points below the mean');
  assert.equal(ruleWord('new_rule'), 'new_rule', 'an unknown rule is shown as it came');
});

test('the basis is said for a screen reader', () => {
  assert.equal(spcBasisText({ basis: 'value', points: 24 }), ' (over 24 figures)');
  assert.equal(spcBasisText({ basis: 'change', points: 13 }), ' (the change from one period to the next, 13 changes)');
});

const spc = {
  basis: 'value', from: '2018-01', to: '2019-12', points: 24, mean: 2.4163, lower_process_limit: -1.25,
  upper_process_limit: 6.08, variation: 'special_cause_improvement', signals: [{ period: '2019-12' }, { period: '2019-11' }],
  assurance: 'inconsistent', required_per_period: null, projected_period: null,
};

test('the process chart in words: span, mean, limits to a decimal at least, signals and assurance', () => {
  assert.equal(spcSummary(spc, count),
    'Process chart of the figures, Jan 2018 to Dec 2019 (24 points): mean 2.4, process limits -1.3 to 6.1; ' +
    'latest point: special cause: improvement; 2 special-cause points marked \u25C6; assurance: will hit and miss the target.');
  assert.equal(spcSummary({ ...spc, basis: 'change', signals: [], assurance: null, variation: 'common_cause',
    required_per_period: 1500, projected_period: '2026-03' }, { unit: 'count', decimals: 0 }),
  'Process chart of the change from one period to the next, Jan 2018 to Dec 2019 (24 points): mean 2.4, ' +
    'process limits -1.3 to 6.1; latest point: common cause: no significant change; 1,500 a period still needed; ' +
    'at the mean change the target is reached in Mar 2026.');
  assert.match(spcSummary({ ...spc, signals: [spc.signals[0]] }, pct), /mean 2\.4%.*1 special-cause point marked/);
  assert.equal(spcSummary(null, count), 'Process chart: fewer than 12 whole figures, so no judgement of variation yet.');
});

test('a signal colours its point by its type, and fills the table\'s process-chart cell', () => {
  assert.equal(signalClass({ type: 'special_cause_improvement' }), 'improvement');
  assert.equal(signalClass({ type: 'special_cause_concern' }), 'concern');
  assert.equal(signalClass({ type: 'special_cause_neutral_low' }), 'neutral');
  assert.equal(signalClass(undefined), null);
  assert.equal(signalCell({ type: 'special_cause_concern', rule: 'below_lower_limit' }, spc),
    'Special cause: concern: below the lower process limit');
  assert.equal(signalCell({ type: 'odd', rule: 'odd_rule' }, spc), 'odd: odd_rule');
  assert.equal(signalCell(undefined, spc), 'common cause');
  assert.equal(signalCell(undefined, null), '\u2013');
});

test('a running total\'s changes are taken one period apart among whole figures, from the span\'s start', () => {
  const points = [
    { period: '2018-01', value: 10 }, { period: '2018-02', value: 15 },
    { period: '2018-03', value: 99, complete: false }, { period: '2018-04', value: 30 },
    { period: '2018-05', value: 32 }, { period: '2018-06', value: 40, suppressed: true }, { period: '2018-07', value: 41 },
  ];
  assert.deepEqual(stepChanges(points, 'monthly', '2018-01'), [
    { x: 2018 * 12 + 1, y: 5, period: '2018-02' },
    { x: 2018 * 12 + 4, y: 2, period: '2018-05' },
  ], 'a partial or hidden figure leaves a gap, and no change across it');
  assert.deepEqual(stepChanges(points, 'monthly', '2018-03').map((c) => c.period), ['2018-05'], 'before the span: left out');
  const quarters = [{ period: '2019-Q1', value: 1 }, { period: '2019-Q2', value: 4 }, { period: '2019-Q4', value: 9 }];
  assert.deepEqual(stepChanges(quarters, 'quarterly', '2019-Q1'), [{ x: 2019 * 12 + 3, y: 3, period: '2019-Q2' }]);
  assert.deepEqual(stepChanges(quarters, 'monthly', '2019-Q1'), [], 'quarters are not a month apart');
  assert.deepEqual(stepChanges([], 'annual', '2019'), []);
});

test('a comparison says its verdict, against whom, and the benchmark\'s figure', () => {
  const c = { verdict: 'better', name: 'England', value: 26.04, period: 'FY2019-20' };
  assert.deepEqual(comparisonParts(c, pct), { word: 'Better', text: ' than England (26% in 2019/20)' });
  assert.deepEqual(comparisonParts({ ...c, verdict: 'similar', name: 'West Midlands' }, pct),
    { word: 'Similar', text: ' to West Midlands (26% in 2019/20)' });
  assert.deepEqual(comparisonParts({ ...c, verdict: 'not_compared' }, pct),
    { word: 'Not compared', text: ' with England (26% in 2019/20): no confidence interval' });
  assert.deepEqual(comparisonParts({ ...c, verdict: 'lower', value: 1200 }, count),
    { word: 'Lower', text: ' than England (1,200 in 2019/20)' });
  assert.equal(comparisonParts({ ...c, verdict: 'odder' }, pct).word, 'odder');
  assert.equal(comparisonCaption([{ verdict: 'worse', name: 'West Midlands' }, { verdict: 'not_compared', name: 'England' }]),
    'worse against West Midlands, not compared against England');
  assert.equal(comparisonCaption(undefined), '');
});

test('a programme\'s on-track line counts its targets by RAG in words', () => {
  const m = (rag) => ({ target: rag === undefined ? null : { rag } });
  assert.deepEqual(onTrackSummary([m('green'), m('green'), m('amber'), m('red'), m(null), m(undefined)]),
    { green: 2, rated: 4, text: 'On track: 2 of 4 rated on track (green); 1 slightly behind (amber); 1 behind (red); 1 not rated yet; 1 without a target.' });
  assert.deepEqual(onTrackSummary([m(undefined)]), { green: 0, rated: 0, text: 'On track: none rated against a target; 1 without a target.' });
  assert.deepEqual(onTrackSummary([m('red')]), { green: 0, rated: 1, text: 'On track: 0 of 1 rated on track (green); 1 behind (red).' });
  assert.equal(onTrackSummary([m('toString')]).text, 'On track: none rated against a target; 1 not rated yet.');
});

test('the board is as at the latest period any figure is for, periods compared in time', () => {
  const board = { programmes: [
    { metrics: [{ freshness: { last_period: '2018-12' } }, { freshness: { last_period: null } }] },
    { metrics: [{ freshness: { last_period: '2019-Q1' } }, {}] },
    { metrics: [{ freshness: { last_period: 'FY2018-19' } }] },
  ] };
  assert.equal(asAtText(board), 'Data as at Q1 2019: the latest period with a figure on this board.');
  assert.equal(asAtText({ programmes: [{ metrics: [{ freshness: { last_period: '2019-02' } }, { freshness: { last_period: '2019-Q1' } }] }] }),
    'Data as at Feb 2019: the latest period with a figure on this board.', 'a month after a quarter\'s start');
  assert.equal(asAtText({ programmes: [{ metrics: [{ freshness: { last_period: null } }] }] }), 'Data as at: no figures yet.');
  assert.equal(asAtText({}), 'Data as at: no figures yet.');
});

test('a partial total names how many members it has and which are missing', () => {
  const names = new Map([['E08000025', 'Birmingham'], ['E08000031', 'Wolverhampton']]);
  const p = { period: '2019-02', value: 9120, members: ['E08000026', 'E08000027', 'E08000028'], missing: ['E08000025', 'E08000031'] };
  assert.equal(partialText(p, count, (c) => names.get(c) || c),
    '9,120 for Feb 2019 from 3 of 5 areas; missing Birmingham, Wolverhampton');
  assert.equal(partialText({ ...p, missing: ['E06000001'] }, count, (c) => names.get(c) || c),
    '9,120 for Feb 2019 from 3 of 4 areas; missing E06000001');
});

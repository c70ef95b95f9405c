// The chart configurations (dashboard/charts.js): points on a time axis, special causes
// coloured and shaped, the process limits over the judged span.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLOURS, limitDatasets, signalColour, trendChartConfig, trendDatasets } from '../../dashboard/charts.js';

const spc = { basis: 'value', from: '2019-01', to: '2019-12', mean: 5, upper_process_limit: 9, lower_process_limit: 1 };

test('a point takes its special cause\'s colour, else the figures\' own', () => {
  assert.equal(signalColour({ type: 'special_cause_improvement' }), COLOURS.improvement);
  assert.equal(signalColour({ type: 'special_cause_concern' }), COLOURS.concern);
  assert.equal(signalColour({ type: 'special_cause_neutral_high' }), COLOURS.neutral);
  assert.equal(signalColour(undefined), COLOURS.actual);
});

test('the mean and limits span the judged periods; the lower limit stays out of the legend', () => {
  const [mean, upper, lower] = limitDatasets(spc);
  assert.deepEqual(mean.data, [{ x: 2019 * 12, y: 5 }, { x: 2019 * 12 + 11, y: 5 }]);
  assert.deepEqual(upper.data.map((d) => d.y), [9, 9]);
  assert.deepEqual(lower.data.map((d) => d.y), [1, 1]);
  assert.equal(mean.label, 'Mean');
  assert.equal(upper.label, 'Process limits');
  assert.ok(lower.hideInLegend && !upper.hideInLegend);
  assert.ok(mean.spcLine && upper.spcLine && lower.spcLine, 'left out of tooltips');
});

test('a trend chart places figures by month; a signal is a coloured diamond; a partial total apart', () => {
  const whole = [{ period: '2019-01', value: 4 }, { period: '2019-Q2', value: 6, derived: true }, { period: '2019-12', value: 12, lower: 10, upper: 14 }];
  const signalBy = new Map([['2019-12', { period: '2019-12', type: 'special_cause_concern', rule: 'above_upper_limit' }]]);
  const ds = trendDatasets({ label: 'Coventry', whole, partial: [{ period: '2020-01', value: 3 }], traj: [], parent: null, spc, signalBy });
  assert.deepEqual(ds.map((d) => d.label), ['Coventry', 'Partial total (members missing)', 'Mean', 'Process limits', 'Lower process limit']);
  assert.deepEqual(ds[0].data.map((d) => d.x), [2019 * 12, 2019 * 12 + 3, 2019 * 12 + 11]);
  assert.deepEqual(ds[0].pointStyle, ['circle', 'triangle', 'rectRot']);
  assert.deepEqual(ds[0].backgroundColor, [COLOURS.actual, COLOURS.actual, COLOURS.concern]);
  assert.deepEqual(ds[0].whiskers, [null, null, [10, 14]]);
  assert.equal(ds[1].showLine, false);
  const onChange = trendDatasets({ label: 'x', whole, partial: [], traj: [], parent: null, spc: { ...spc, basis: 'change' }, signalBy });
  assert.deepEqual(onChange.map((d) => d.label), ['x'], 'a chart of changes carries the limits, not the figures');
  assert.deepEqual(onChange[0].pointStyle, ['circle', 'triangle', 'circle']);
});

test('the time axis spans every period shown, a month either side; the tooltip names the rule', () => {
  const byPeriod = new Map([['2019-12', { period: '2019-12', value: 12 }]]);
  const signalBy = new Map([['2019-12', { type: 'special_cause_concern', rule: 'above_upper_limit' }]]);
  const cfg = trendChartConfig([], [2019 * 12, 2019 * 12 + 11], { byPeriod, signalBy, hasPartial: false, info: { unit: 'count', decimals: 0 } });
  assert.equal(cfg.options.scales.x.min, 2019 * 12 - 1);
  assert.equal(cfg.options.scales.x.max, 2019 * 12 + 12);
  assert.equal(cfg.options.scales.x.ticks.callback(2019 * 12 + 3), 'Apr 2019');
  const label = cfg.options.plugins.tooltip.callbacks.label({ raw: { period: '2019-12', y: 12 }, datasetIndex: 0, dataset: { label: 'Coventry' } });
  assert.equal(label, 'Coventry: 12; special cause, above the upper process limit');
});

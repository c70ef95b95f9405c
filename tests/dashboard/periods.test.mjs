// Periods in words (dashboard/periods.js), as the API writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FREQ_MONTHS, FREQ_UNIT, MONTHS, fmtMonthIndex, fmtPeriod, periodIndex } from '../../dashboard/periods.js';

test('a month, a quarter and a financial year are written out', () => {
  assert.equal(fmtPeriod('2018-12'), 'Dec 2018');
  assert.equal(fmtPeriod('2019-01'), 'Jan 2019');
  assert.equal(fmtPeriod('2019-Q1'), 'Q1 2019');
  assert.equal(fmtPeriod('2020-Q4'), 'Q4 2020');
  assert.equal(fmtPeriod('FY2019-20'), '2019/20');
});

test('a calendar year and anything unrecognised are shown as they came', () => {
  assert.equal(fmtPeriod('2019'), '2019');
  assert.equal(fmtPeriod('2019-Q5'), '2019-Q5');
  assert.equal(fmtPeriod('soon'), 'soon');
});

test('no period is a dash', () => {
  assert.equal(fmtPeriod(null), '\u2013');
  assert.equal(fmtPeriod(undefined), '\u2013');
  assert.equal(fmtPeriod(''), '\u2013');
});

test('twelve months and a unit for every frequency the API has', () => {
  assert.equal(MONTHS.length, 12);
  assert.deepEqual(FREQ_UNIT, { monthly: 'month', quarterly: 'quarter', annual: 'year' });
});

test('a period is a month index on the time axis, each kind at its first month', () => {
  assert.equal(periodIndex('2019-01'), 2019 * 12);
  assert.equal(periodIndex('2018-12'), 2018 * 12 + 11);
  assert.equal(periodIndex('2019-Q1'), 2019 * 12);
  assert.equal(periodIndex('2019-Q3'), 2019 * 12 + 6);
  assert.equal(periodIndex('FY2019-20'), 2019 * 12 + 3, 'a financial year starts in April');
  assert.equal(periodIndex('2019'), 2019 * 12);
  assert.equal(periodIndex('2019-Q2') - periodIndex('2019-Q1'), 3);
  assert.equal(periodIndex('2019-Q5'), null);
  assert.equal(periodIndex('soon'), null);
  assert.equal(periodIndex(null), null);
});

test('a month index is written back as a month, rounding and before year 0 alike', () => {
  assert.equal(fmtMonthIndex(periodIndex('2019-04')), 'Apr 2019');
  assert.equal(fmtMonthIndex(periodIndex('FY2018-19')), 'Apr 2018');
  assert.equal(fmtMonthIndex(2019 * 12 + 10.6), 'Dec 2019', 'a tick between months rounds');
  assert.equal(fmtMonthIndex(2019 * 12 - 0.4), 'Jan 2019');
  assert.equal(fmtMonthIndex(-1), 'Dec -1');
});

test('months between periods at each frequency', () => {
  assert.deepEqual(FREQ_MONTHS, { monthly: 1, quarterly: 3, annual: 12 });
});

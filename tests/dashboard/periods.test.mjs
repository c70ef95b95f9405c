// Periods in words (dashboard/periods.js), as the API writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FREQ_UNIT, MONTHS, fmtPeriod } from '../../dashboard/periods.js';

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

// The page's number formatting (dashboard/format.js), as the tiles and charts show it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MISSING, fmtCompact, fmtNumber, fmtValue, plural, wrapLabel } from '../../dashboard/format.js';

const count = { unit: 'count', decimals: 0 };

test('a missing value is a dash, never a zero', () => {
  assert.equal(MISSING, '\u2013');
  assert.equal(fmtNumber(null), '\u2013');
  assert.equal(fmtNumber(undefined), '\u2013');
  assert.equal(fmtValue(null, count), '\u2013');
  assert.equal(fmtNumber(0), '0');
  assert.equal(fmtValue(0, count), '0');
});

test('numbers are grouped en-GB and rounded to the decimals asked for (none by default)', () => {
  assert.equal(fmtNumber(12013), '12,013');
  assert.equal(fmtNumber(96638.7), '96,639');
  assert.equal(fmtNumber(2.4163, 1), '2.4');
  assert.equal(fmtNumber(2, 1), '2', 'no trailing zero');
  assert.equal(fmtNumber(-1234.5, 2), '-1,234.5');
});

test('a value carries its unit at its metric\'s decimals', () => {
  assert.equal(fmtValue(12013, count), '12,013');
  assert.equal(fmtValue(26, { unit: 'percent', decimals: 0 }), '26%');
  assert.equal(fmtValue(62.35, { unit: 'percent', decimals: 1 }), '62.4%');
  assert.equal(fmtValue(435000, { unit: 'gbp', decimals: 0 }), '\u00a3435,000');
  assert.equal(fmtValue(3.25, { unit: 'rate_per_1000', decimals: 2 }), '3.25 per 1,000');
  assert.equal(fmtValue(7.5, { unit: 'count' }), '8', 'decimals missing: whole');
});

test('axis ticks are compact, with the unit for percentages and pounds only', () => {
  assert.equal(fmtCompact(12013, count), '12k');
  assert.equal(fmtCompact(500000, count), '500k');
  assert.equal(fmtCompact(1500000, { unit: 'gbp' }), '\u00a31.5m');
  assert.equal(fmtCompact(40, { unit: 'percent' }), '40%');
  assert.equal(fmtCompact(3, { unit: 'rate_per_1000' }), '3');
});

test('plural says one thing or many, with the number grouped', () => {
  assert.equal(plural(1, 'figure'), '1 figure');
  assert.equal(plural(0, 'figure'), '0 figures');
  assert.equal(plural(95, 'month'), '95 months');
  assert.equal(plural(1200, 'area'), '1,200 areas');
});

test('a long label wraps at word boundaries; a short one stays a string', () => {
  assert.equal(wrapLabel('Birmingham', 22), 'Birmingham');
  assert.deepEqual(wrapLabel('\u25B6 West Midlands Combined Authority (derived)', 22),
    ['\u25B6 West Midlands', 'Combined Authority', '(derived)']);
  assert.deepEqual(wrapLabel('Nuneaton and Bedworth', 10), ['Nuneaton', 'and', 'Bedworth']);
  assert.deepEqual(wrapLabel('Supercalifragilistic word', 5), ['Supercalifragilistic', 'word'],
    'a word longer than the width is kept whole');
});

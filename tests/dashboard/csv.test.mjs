// The CSV the page builds itself (dashboard/csv.js): RFC 4180 quoting, CRLF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TARGET_CSV_HEADER, csvCell, csvText, targetCsvRows } from '../../dashboard/csv.js';

test('a plain cell is written as it is; a missing one is empty', () => {
  assert.equal(csvCell('E47000007'), 'E47000007');
  assert.equal(csvCell(12013), '12013');
  assert.equal(csvCell(0), '0');
  assert.equal(csvCell(false), 'false');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell(''), '');
});

test('a comma, a quote or a line break quotes the cell, quotes doubled', () => {
  assert.equal(csvCell('Sandwell, first return'), '"Sandwell, first return"');
  assert.equal(csvCell('the "IPS" trial'), '"the ""IPS"" trial"');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
});

test('a list is joined with semicolons', () => {
  assert.equal(csvCell(['E08000025', 'E08000028']), 'E08000025;E08000028');
  assert.equal(csvCell([]), '');
  assert.equal(csvCell(['a,b', 'c']), '"a,b;c"');
});

test('a table is a header and rows, CRLF after every line', () => {
  const text = csvText(['metric', 'area', 'value', 'members'], [
    ['mhfa.people_trained', 'E47000007', 12013, null],
    ['thrive.ips_referrals', 'E47000007', 100, ['E08000025', 'E08000028']],
  ]);
  assert.equal(text, 'metric,area,value,members\r\n' +
    'mhfa.people_trained,E47000007,12013,\r\n' +
    'thrive.ips_referrals,E47000007,100,E08000025;E08000028\r\n');
  assert.equal(csvText(['a'], []), 'a\r\n');
});

test('the CSV with the target line has a row per charted period, empty where there is nothing', () => {
  const byPeriod = new Map([['2018-12', { value: 12013, derived: true, status: 'final', members: ['E08000025', 'E08000026'], missing: [] }]]);
  const trajBy = new Map([['2018-12', 11000], ['2019-12', 500000]]);
  const rows = targetCsvRows('mhfa.people_trained', 'E47000007', ['2018-12', '2019-12'], byPeriod, trajBy, new Map([['2018-12', 40000]]));
  assert.deepEqual(rows, [
    ['mhfa.people_trained', 'E47000007', '2018-12', 12013, true, 'final', ['E08000025', 'E08000026'], [], 11000, 40000],
    ['mhfa.people_trained', 'E47000007', '2019-12', '', '', '', '', '', 500000, ''],
  ]);
  assert.equal(csvText(TARGET_CSV_HEADER, rows),
    'metric,area,period,value,derived,status,members,missing,target_trajectory,parent_value\r\n' +
    'mhfa.people_trained,E47000007,2018-12,12013,true,final,E08000025;E08000026,,11000,40000\r\n' +
    'mhfa.people_trained,E47000007,2019-12,,,,,,500000,\r\n');
});

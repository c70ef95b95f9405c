// The CSV the page builds itself (dashboard/csv.js): RFC 4180 quoting, CRLF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvText } from '../../dashboard/csv.js';

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

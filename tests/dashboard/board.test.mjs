// What a headline tile says (dashboard/board.js): the change, freshness, and which
// target a chart draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STALE_AFTER, changeText, freshness, pickTarget } from '../../dashboard/board.js';

const count = { unit: 'count', decimals: 0 };

test('the change says up or down by how much since which period', () => {
  assert.equal(changeText({ ...count, change: 34, previous: { period: '2018-10' } }), '\u25B2 Up 34 since Oct 2018');
  assert.equal(changeText({ ...count, change: -1250, previous: { period: '2018-10' } }), '\u25BC Down 1,250 since Oct 2018');
  assert.equal(changeText({ unit: 'percent', decimals: 1, change: -0.25, previous: { period: '2019-Q1' } }),
    '\u25BC Down 0.3% since Q1 2019');
  assert.equal(changeText({ ...count, change: 0, previous: { period: '2018-11' } }), 'No change since Nov 2018');
});

test('no change is claimed without an earlier figure (or when the server gave none)', () => {
  assert.equal(changeText({ ...count, change: null, previous: null }), 'No earlier figure');
  assert.equal(changeText({ ...count, change: null, previous: { period: '2018-11' } }), 'No earlier figure',
    'a partial latest total: previous shown, no change');
  assert.equal(changeText({ ...count, change: 5, previous: null }), 'No earlier figure');
});

test('freshness counts periods in the metric\'s own unit', () => {
  assert.deepEqual(freshness({ last_period: '2019-01', periods_since: 0 }, 'monthly'),
    { stale: false, text: 'Latest figure Jan 2019 (the current month)' });
  assert.deepEqual(freshness({ last_period: '2019-01', periods_since: 1 }, 'monthly'),
    { stale: false, text: 'Latest figure Jan 2019 (1 month ago)' });
  assert.deepEqual(freshness({ last_period: '2019-Q1', periods_since: 2 }, 'quarterly'),
    { stale: false, text: 'Latest figure Q1 2019 (2 quarters ago)' });
  assert.deepEqual(freshness({ last_period: 'FY2018-19', periods_since: 0 }, 'annual'),
    { stale: false, text: 'Latest figure 2018/19 (the current year)' });
  assert.deepEqual(freshness({ last_period: '2019-01', periods_since: 2 }, 'weekly'),
    { stale: false, text: 'Latest figure Jan 2019 (2 periods ago)' }, 'an unknown frequency');
  assert.deepEqual(freshness({ last_period: '2019-01', periods_since: null }, 'monthly'),
    { stale: false, text: 'Latest figure Jan 2019' });
});

test('past three periods the figure is called not recent', () => {
  assert.equal(STALE_AFTER, 3);
  assert.equal(freshness({ last_period: '2018-09', periods_since: 3 }, 'monthly').stale, false);
  assert.deepEqual(freshness({ last_period: '2018-12', periods_since: 95 }, 'monthly'),
    { stale: true, text: 'latest figure Dec 2018 (95 months ago)' });
});

test('no figure yet is said so', () => {
  assert.deepEqual(freshness(null, 'monthly'), { stale: false, text: 'No figures reported yet' });
  assert.deepEqual(freshness({ last_period: null, periods_since: null }, 'monthly'),
    { stale: false, text: 'No figures reported yet' });
});

test('a chart draws the target its tile was measured on, else the first', () => {
  const series = { targets: [{ id: 1, value: 10 }, { id: 7, value: 50 }] };
  assert.equal(pickTarget(series, { target: { id: 7 } }).value, 50);
  assert.equal(pickTarget(series, { target: { id: 99 } }).value, 10);
  assert.equal(pickTarget(series, { target: null }).value, 10);
  assert.equal(pickTarget({ targets: [] }, { target: { id: 1 } }), null);
  assert.equal(pickTarget({}, {}), null);
});

// Judgements (issue 9): breaks in a series (the admin route, listed on the metric),
// statistical process control on the series and the tiles, the trend label taken from
// it, Wilson intervals for percentages with both counts, comparisons with the parent and
// England, and a tile's partial latest total shown apart. Every answer is also checked
// against the OpenAPI document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, api, conforms, sql } from './lib.mjs';
import { A, cleanup, row, setupGeography, setupMetrics, target, write } from './reads_fixture.mjs';

const P = 'jt';
const ENGLAND = 'E92000001';

const call = async (method, path, pattern, opts) => {
  const r = await api(method, path, opts);
  await conforms(r, method, pattern);
  return r;
};
const postBreak = (code, json, opts = { key: ADMIN }) =>
  call('POST', `/v1/admin/metrics/${code}/breaks`, '/v1/admin/metrics/{code}/breaks', { ...opts, json });
const series = async (code, query) => {
  const r = await call('GET', `/v1/metrics/${code}/series?${query}`, '/v1/metrics/{code}/series');
  assert.equal(r.status, 200, r.text);
  return r.body;
};
const months = (from, n) => {
  const [y, m] = from.split('-').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const k = y * 12 + m - 1 + i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
};

before(async () => {
  setupGeography();
  setupMetrics(P, [
    ['jt.level', 'flow', 'count'],
    ['jt.total', 'stock', 'count'],
    ['jt.lower', 'flow', 'count', { polarity: 'lower_is_better' }],
    ['jt.quarterly', 'flow', 'count', { frequency: 'quarterly' }],
    ['jt.num', 'stock', 'count'],
    ['jt.den', 'stock', 'count'],
    ['jt.pct', 'rate', 'percent', { numerator: 'jt.num', denominator: 'jt.den', decimals: 1 }],
  ]);
  // The reads region sits in England, so its areas have England to compare with.
  sql(`INSERT INTO area_memberships (child, parent, role) VALUES ('${A.region}', '${ENGLAND}', 'contains')
       ON CONFLICT DO NOTHING`);
  await write([]);
});

after(() => cleanup([P]));

describe('series breaks', () => {
  test('an admin marks a break; the metric lists it with its period, reason and maker', async () => {
    const r = await postBreak('jt.level', { period: '2019-07', reason: 'Referral route changed' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.metric, 'jt.level');
    assert.equal(r.body.period, '2019-07');
    assert.equal(r.body.reason, 'Referral route changed');
    assert.match(r.body.created_by, /^[0-9a-f-]{36}$/);
    const m = await call('GET', '/v1/metrics/jt.level', '/v1/metrics/{code}');
    assert.equal(m.status, 200);
    assert.deepEqual(m.body.breaks.map((b) => [b.id, b.period, b.reason]), [[r.body.id, '2019-07', 'Referral route changed']]);
    assert.deepEqual(sql(`SELECT period_start, reason FROM series_breaks WHERE metric = 'jt.level'`),
      [['2019-07-01', 'Referral route changed']]);
  });

  test('the same break twice is a 409; an unknown metric a 404', async () => {
    const again = await postBreak('jt.level', { period: '2019-07', reason: 'again' });
    assert.equal(again.status, 409);
    assert.match(again.body.detail, /jt\.level has a break at 2019-07 already/);
    const none = await postBreak('jt.nothing', { period: '2019-07', reason: 'x' });
    assert.equal(none.status, 404);
    assert.match(none.body.detail, /no metric jt\.nothing/);
  });

  test('a period of another frequency, a blank reason and an unknown member are each a 422', async () => {
    const q = await postBreak('jt.quarterly', { period: '2019-07', reason: 'x' });
    assert.equal(q.status, 422);
    assert.equal(q.body.errors[0].pointer, '/period');
    assert.match(q.body.errors[0].message, /jt\.quarterly is quarterly: a break names one of its periods, like 2019-Q1/);
    const blank = await postBreak('jt.level', { period: '2019-08', reason: '   ' });
    assert.equal(blank.status, 422);
    assert.equal(blank.body.errors[0].pointer, '/reason');
    const extra = await postBreak('jt.level', { period: '2019-08', reason: 'x', by: 'me' });
    assert.equal(extra.status, 422);
    const bad = await postBreak('jt.level', { period: '2019-13', reason: 'x' });
    assert.equal(bad.status, 422);
    assert.equal(sql(`SELECT count(*) FROM series_breaks WHERE metric LIKE 'jt.%'`)[0][0], '1');
  });

  test('only an admin key may mark a break', async () => {
    const r = await postBreak('jt.level', { period: '2019-08', reason: 'x' }, {});
    assert.equal(r.status, 401);
  });
});

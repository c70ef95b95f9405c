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
    ['jt.level', 'flow', 'count', { headline: true, sort: 1 }],
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
  const LEVEL = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 14, 15, 14, 15, 14, 15, 14];
  const rows = [];
  months('2018-01', 18).forEach((p, i) => {
    rows.push(row('jt.level', A.alpha, p, LEVEL[i], { status: 'final' }));
    rows.push(row('jt.lower', A.alpha, p, LEVEL[i], { status: 'final' }));
  });
  // The combined authority's 2019-05 is whole (all three constituents), its 2019-06 is
  // not (Gamma has not reported).
  rows.push(row('jt.level', A.beta, '2019-05', 20), row('jt.level', A.gamma, '2019-05', 30),
    row('jt.level', A.beta, '2019-06', 21));
  // A running total rising 10, 12, 10, ... from 100: 232 at 2019-01.
  let total = 100;
  months('2018-01', 13).forEach((p, i) => {
    rows.push(row('jt.total', A.alpha, p, total, { status: 'final' }));
    total += i % 2 ? 12 : 10;
  });
  // Percentages: Alpha's made from its counts alone, Beta's sent with its own limits,
  // Gamma's sent beside its counts; the region and England publish their own.
  rows.push(row('jt.num', A.alpha, '2019-01', 65), row('jt.den', A.alpha, '2019-01', 100),
    row('jt.pct', A.beta, '2019-01', 40, { lower: 35, upper: 45 }),
    row('jt.pct', A.gamma, '2019-01', 20), row('jt.num', A.gamma, '2019-01', 20),
    row('jt.den', A.gamma, '2019-01', 100),
    row('jt.pct', A.region, '2019-01', 50), row('jt.pct', ENGLAND, '2019-01', 65));
  target('jt.total', A.alpha, '2018-01', '2019-11', 252);
  await write(rows);
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

describe('statistical process control on a series', () => {
  test('eleven points below the mean then seven above: each a shift, the latest an improvement', async () => {
    const s = await series('jt.level', `area=${A.alpha}`);
    const spc = s.spc;
    assert.equal(spc.method, 'xmr');
    assert.equal(spc.basis, 'value');
    assert.equal(spc.from, '2018-01');
    assert.equal(spc.to, '2019-06');
    assert.equal(spc.points, 18);
    // Mean 221/18; moving ranges 2 (x10), 4, 1 (x6): 30/17, none screened.
    assert.ok(Math.abs(spc.mean - 221 / 18) < 1e-9, String(spc.mean));
    assert.ok(Math.abs(spc.upper_process_limit - (221 / 18 + 2.66 * 30 / 17)) < 1e-9);
    assert.ok(Math.abs(spc.lower_process_limit - (221 / 18 - 2.66 * 30 / 17)) < 1e-9);
    assert.equal(spc.variation, 'special_cause_improvement');
    assert.equal(spc.assurance, null);
    assert.equal(spc.required_per_period, null);
    assert.equal(spc.projected_period, null);
    assert.equal(spc.signals.length, 18);
    assert.deepEqual(spc.signals[0], { period: '2018-01', type: 'special_cause_concern', rule: 'shift_below_mean' });
    assert.deepEqual(spc.signals[17], { period: '2019-06', type: 'special_cause_improvement', rule: 'shift_above_mean' });
    assert.deepEqual(s.trend, { label: 'increasing', direction: 'getting_better', rule: 'shift_above_mean', basis: 'value', points: 18 });
  });

  test('lower is better turns the same shift into a concern', async () => {
    const s = await series('jt.lower', `area=${A.alpha}`);
    assert.equal(s.spc.variation, 'special_cause_concern');
    assert.deepEqual(s.trend, { label: 'increasing', direction: 'getting_worse', rule: 'shift_above_mean', basis: 'value', points: 18 });
  });

  test('fewer than twelve whole figures give no judgement and no trend', async () => {
    const s = await series('jt.level', `area=${A.alpha}&last=11`);
    assert.equal(s.points.length, 11);
    assert.equal(s.spc, null);
    assert.equal(s.trend, null);
  });

  test('a running total is judged by its monthly change against the change still needed', async () => {
    const s = await series('jt.total', `area=${A.alpha}`);
    assert.equal(s.spc.basis, 'change');
    assert.equal(s.spc.from, '2018-02', 'the first change is dated at the later month');
    assert.equal(s.spc.points, 12);
    assert.equal(s.spc.mean, 11);
    // 252 by 2019-11 from 232 at 2019-01: 20 over 10 months, 2 a month, under the lower
    // limit 11 - 2.66 x 2: always met; at 11 a month it is reached in 2 months.
    assert.equal(s.spc.required_per_period, 2);
    assert.equal(s.spc.assurance, 'consistent_pass');
    assert.equal(s.spc.projected_period, '2019-03');
    assert.equal(s.spc.variation, 'common_cause');
    assert.deepEqual(s.trend, { label: 'no_change', direction: 'no_change', rule: null, basis: 'change', points: 12 });
  });

  test('a break after the last figure changes nothing; one inside leaves too few points', async () => {
    // jt.level has a break at 2019-07 (after its last figure) from the test above.
    assert.equal((await series('jt.level', `area=${A.alpha}`)).spc.points, 18);
    const r = await postBreak('jt.level', { period: '2018-12', reason: 'New referral route' });
    assert.equal(r.status, 201);
    const s = await series('jt.level', `area=${A.alpha}`);
    assert.equal(s.spc, null, 'seven points from the break');
    assert.equal(s.trend, null);
    const d = await call('GET', `/v1/dashboard?area=${A.alpha}`, '/v1/dashboard');
    const tile = d.body.programmes.flatMap((p) => p.metrics).find((t) => t.metric === 'jt.level');
    assert.equal(tile.spc, null);
    sql(`DELETE FROM series_breaks WHERE metric = 'jt.level' AND period_start = '2018-12-01'`);
    await write([]);
    assert.equal((await series('jt.level', `area=${A.alpha}`)).spc.points, 18);
  });
});

describe('intervals and comparisons', () => {
  const point = async (area) => (await series('jt.pct', `area=${area}`)).points.find((p) => p.period === '2019-01');

  test('a percentage made from its counts carries Wilson\'s 95% interval', async () => {
    const p = await point(A.alpha);
    assert.equal(p.value, 65);
    assert.equal(p.derived, true);
    assert.equal(p.ci_method, 'wilson');
    // PHEindicatormethods' own test values for 65 of 100.
    assert.ok(Math.abs(p.lower - 55.254443296887967) < 1e-9, String(p.lower));
    assert.ok(Math.abs(p.upper - 73.635751756902468) < 1e-9, String(p.upper));
  });

  test('a figure sent with its own limits keeps them; one sent beside its counts gets Wilson\'s', async () => {
    const beta = await point(A.beta);
    assert.deepEqual([beta.value, beta.lower, beta.upper, beta.ci_method], [40, 35, 45, 'given']);
    const gamma = await point(A.gamma);
    assert.equal(gamma.ci_method, 'wilson');
    assert.ok(Math.abs(gamma.lower - 13.33669333310325) < 1e-9);
    assert.ok(Math.abs(gamma.upper - 28.882916559315884) < 1e-9);
  });

  test('verdicts against the parent and England: better, similar, worse', async () => {
    const alpha = await series('jt.pct', `area=${A.alpha}`);
    assert.deepEqual(alpha.comparison, [
      { area: A.region, name: 'Reads Region', period: '2019-01', value: 50, verdict: 'better' },
      { area: ENGLAND, name: 'England', period: '2019-01', value: 65, verdict: 'similar' },
    ]);
    const gamma = await series('jt.pct', `area=${A.gamma}`);
    assert.deepEqual(gamma.comparison.map((c) => c.verdict), ['worse', 'worse']);
    const beta = await series('jt.pct', `area=${A.beta}`);
    assert.deepEqual(beta.comparison.map((c) => c.verdict), ['worse', 'worse']);
  });

  test('a count has no interval: not compared; a comparator without a whole figure is left out', async () => {
    const s = await series('jt.level', `area=${A.alpha}`);
    assert.deepEqual(s.comparison, [], 'the region has no whole figure and England none at all');
    // England contains the reads region, yet is never a total of it: no figure at all.
    assert.deepEqual((await series('jt.level', `area=${ENGLAND}`)).points, []);
    const r = await series('jt.pct', `area=${A.region}`);
    assert.deepEqual(r.comparison, [
      { area: ENGLAND, name: 'England', period: '2019-01', value: 65, verdict: 'not_compared' },
    ]);
  });
});

describe('honest tiles', () => {
  const tile = async (area, code) => {
    const d = await call('GET', `/v1/dashboard?area=${area}`, '/v1/dashboard');
    assert.equal(d.status, 200, d.text);
    return d.body.programmes.flatMap((p) => p.metrics).find((t) => t.metric === code);
  };

  test('the latest whole figure leads; a later partial total is shown apart with who is missing', async () => {
    const t = await tile(A.ca, 'jt.level');
    assert.equal(t.latest.period, '2019-05');
    assert.equal(t.latest.value, 15 + 20 + 30);
    assert.equal(t.latest.complete, true);
    assert.deepEqual(t.partial_latest, { period: '2019-06', value: 14 + 21, members: [A.alpha, A.beta], missing: [A.gamma] });
    assert.equal(t.previous, null, 'no whole figure before 2019-05');
    assert.equal(t.change, null);
    assert.equal(t.spc, null, 'one whole figure');
  });

  test('a tile carries the SPC summary and the trend read from it', async () => {
    const t = await tile(A.alpha, 'jt.level');
    assert.deepEqual(t.spc, { variation: 'special_cause_improvement', assurance: null, basis: 'value', points: 18 });
    assert.equal(t.trend.label, 'increasing');
    assert.equal(t.partial_latest, null);
    assert.deepEqual(t.comparison, []);
  });
});

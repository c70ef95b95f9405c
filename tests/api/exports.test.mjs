// Downloads that stand alone: every CSV names its metric and area on each row (or in
// columns that say so), carries complete, suppressed, status and the interval where the
// JSON does, and comes with a file name that says what it holds. Reads only the seeded
// board-paper figures.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, get, post, conforms, servedSpec, unique } from './lib.mjs';

const rows = (text) => {
  const [head, ...rest] = text.trim().split('\r\n');
  const cols = head.split(',');
  return rest.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
};
const fileName = (r) => r.headers.get('content-disposition')?.match(/^attachment; filename="([^"]+)"$/)?.[1];

// Two board snapshots for the changes between them (nothing changes in between: the
// file still has its header and its name).
const BOARD1 = unique('exports-board-a');
const BOARD2 = unique('exports-board-b');
before(async () => {
  for (const name of [BOARD1, BOARD2]) {
    const r = await post('/v1/admin/snapshots', { name }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
  }
});

// One question per CSV route, with what it needs to answer.
const QUESTIONS = {
  '/v1/programmes': '/v1/programmes',
  '/v1/metrics': '/v1/metrics?programme=mhfa',
  '/v1/areas': '/v1/areas',
  '/v1/dimensions': '/v1/dimensions',
  '/v1/observations': '/v1/observations?metric=thrive.mhtr_orders',
  '/v1/observations/history': '/v1/observations/history?metric=thrive.mhtr_orders&area=E08000025',
  '/v1/submissions': '/v1/submissions',
  '/v1/metrics/{code}/series': '/v1/metrics/thrive.mhtr_orders/series?area=E47000007',
  '/v1/metrics/{code}/areas': '/v1/metrics/thrive.mhtr_orders/areas?period=2018-10',
  '/v1/completeness': '/v1/completeness?period=2019-02',
  '/v1/admin/usage': '/v1/admin/usage',
  '/v1/admin/partners': '/v1/admin/partners',
  '/v1/admin/keys': '/v1/admin/keys',
  '/v1/admin/locks': '/v1/admin/locks',
  '/v1/admin/targets': '/v1/admin/targets',
  '/v1/admin/partners/{code}/returns': '/v1/admin/partners/board-papers/returns',
  '/v1/admin/responsibility': '/v1/admin/responsibility?metric=thrive.mhtr_orders',
  '/v1/admin/rules': '/v1/admin/rules',
  '/v1/returns/due': '/v1/returns/due?partner=board-papers&today=2026-12-01',
  '/v1/snapshots': '/v1/snapshots',
  '/v1/snapshots/{name}/changes': `/v1/snapshots/${BOARD2}/changes?since=${BOARD1}`,
};

test('every CSV route answers with a file name, as documented', async () => {
  const spec = await servedSpec();
  const csvRoutes = Object.entries(spec.paths)
    .filter(([, item]) => item.get?.responses?.['200']?.content?.['text/csv']).map(([p]) => p);
  assert.deepEqual(csvRoutes.filter((p) => !QUESTIONS[p]), [], 'a CSV route with no question here');
  for (const p of csvRoutes) {
    const q = QUESTIONS[p];
    const r = await get(`${q}${q.includes('?') ? '&' : '?'}format=csv`, { key: ADMIN });
    assert.equal(r.status, 200, `${q}: ${r.text.slice(0, 200)}`);
    assert.match(fileName(r) ?? '', /^[A-Za-z0-9._-]+\.csv$/, `${q}: ${r.headers.get('content-disposition')}`);
    await conforms(r, 'GET', p);
    // A file of figures names what they are figures of.
    const head = r.text.split('\r\n')[0].split(',');
    if (head.includes('value')) {
      for (const c of ['metric', 'area']) assert.ok(head.includes(c), `${q}: no ${c} column in ${head}`);
    }
  }
});

test('a chart\'s series CSV names metric, area, breakdown and sums on every row, and its file says so', async () => {
  const url = '/v1/metrics/on_the_move.goodgym_launches/series?area=E47000007&cumulative=true';
  const json = await get(url);
  const csv = await get(`${url}&format=csv`);
  assert.equal(fileName(csv), 'on_the_move.goodgym_launches_E47000007_cumulative_series.csv');
  const got = rows(csv.text);
  assert.equal(got.length, json.body.points.length);
  got.forEach((row, i) => {
    const p = json.body.points[i];
    assert.equal(row.metric, 'on_the_move.goodgym_launches');
    assert.equal(row.area, 'E47000007');
    assert.equal(row.breakdown, '');
    assert.equal(row.cumulative, 'true');
    assert.equal(row.period, p.period);
    assert.equal(row.value, String(p.value));
    assert.equal(row.complete, String(p.complete));
    assert.equal(row.status, p.status);
  });
  // A cached answer keeps its file name: the cache holds the body only.
  const again = await get(`${url}&format=csv`);
  assert.equal(again.text, csv.text);
  assert.equal(fileName(again), fileName(csv));
});

test('the area comparison CSV carries complete and suppressed, so a partial total and a hidden count show', async () => {
  const url = '/v1/metrics/thrive.mhtr_orders/areas?period=2018-10';
  const json = await get(url);
  const csv = await get(`${url}&format=csv`);
  assert.equal(fileName(csv), 'thrive.mhtr_orders_2018-10_areas.csv');
  const got = rows(csv.text);
  assert.deepEqual(got.map((r) => [r.metric, r.period, r.area, r.value, r.complete]),
    json.body.items.map((i) => ['thrive.mhtr_orders', '2018-10', i.area, String(i.value), String(i.complete)]));
  assert.ok(got.some((r) => r.complete === 'false'), 'the partial WMCA total says so');
  assert.ok('suppressed' in got[0] && 'lower' in got[0] && 'upper' in got[0] && 'status' in got[0]);
  const latest = await get('/v1/metrics/thrive.mhtr_orders/areas?format=csv');
  assert.equal(fileName(latest), 'thrive.mhtr_orders_latest_areas.csv');
});

test('history and completeness CSVs name their cell and period on every row', async () => {
  const h = await get('/v1/observations/history?metric=thrive.mhtr_orders&area=E08000025&format=csv', { key: ADMIN });
  assert.equal(fileName(h), 'history_thrive.mhtr_orders_E08000025.csv');
  for (const r of rows(h.text)) assert.deepEqual([r.metric, r.area, r.breakdown], ['thrive.mhtr_orders', 'E08000025', '']);
  const c = await get('/v1/completeness?period=2019-02&format=csv', { key: ADMIN });
  assert.equal(fileName(c), 'completeness_2019-02.csv');
  for (const r of rows(c.text)) assert.deepEqual([r.period, r.due_date], ['2019-02', '2019-03-15']);
  const o = await get('/v1/observations?metric=thrive.mhtr_orders&from=2018-01&format=csv');
  assert.equal(fileName(o), 'observations_thrive.mhtr_orders_2018-01.csv');
  const one = await get('/v1/observations?metric=thrive.mhtr_orders&area=E08000025&breakdown=sex&from=2018-10&to=2018-10&format=csv');
  assert.equal(fileName(one), 'observations_thrive.mhtr_orders_E08000025_sex_2018-10.csv');
});

test('the stewardship CSVs are named after what they hold', async () => {
  const names = {
    '/v1/admin/partners/board-papers/returns': 'return-schedules_board-papers.csv',
    '/v1/admin/responsibility?metric=thrive.mhtr_orders&area=E08000025': 'responsibility_thrive.mhtr_orders_E08000025.csv',
    '/v1/admin/responsibility': 'responsibility.csv',
    '/v1/admin/rules': 'rules.csv',
    '/v1/returns/due?partner=board-papers&today=2026-12-01': 'returns-due_board-papers_2026-12-01.csv',
    '/v1/snapshots': 'snapshots.csv',
    [`/v1/snapshots/${BOARD2}/changes?since=${BOARD1}`]: `changes_${BOARD1}_to_${BOARD2}.csv`,
  };
  for (const [q, name] of Object.entries(names)) {
    const r = await get(`${q}${q.includes('?') ? '&' : '?'}format=csv`, { key: ADMIN });
    assert.equal(r.status, 200, `${q}: ${r.text.slice(0, 200)}`);
    assert.equal(fileName(r), name, q);
  }
});

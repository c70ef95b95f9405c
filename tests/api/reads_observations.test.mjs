// GET /v1/observations as the dashboard and mirroring partners use it: breakdown
// filters, disclosure control on open reads, the changes feed (updatedAfter), the
// latest periods (last), cursor paging, and CSV with RFC 4180 quoting.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, makeKey } from './lib.mjs';
import { A, cleanup, row, setupGeography, setupMetrics, write } from './reads_fixture.mjs';

const M = 'ro.count';
let readKey;

before(async () => {
  setupGeography();
  setupMetrics('ro', [[M, 'flow', 'count', { dims: ['sex'] }]]);
  const old = { updated: '2020-01-01T00:00:00Z' };
  const recent = { updated: '2021-06-01T00:00:00Z' };
  await write([
    row(M, A.alpha, '2019-01', 10, old),
    row(M, A.alpha, '2019-01', 3, { ...old, sex: 'female' }),
    row(M, A.alpha, '2019-01', 7, { ...old, sex: 'male' }),
    row(M, A.alpha, '2019-02', 20, recent),
    row(M, A.alpha, '2019-02', 12, { ...recent, sex: 'female' }),
    row(M, A.alpha, '2019-02', 8, { ...recent, sex: 'male' }),
    row(M, A.alpha, '2019-03', 30, { ...recent, note: 'Board paper, 18 January 2019: "final", revised' }),
    row(M, A.beta, '2019-03', 4, { ...recent, note: '=SUM(A1:A2)' }),
    row(M, A.gamma, '2019-03', 6, { ...recent, note: 'two\nlines' }),
  ]);
  readKey = makeKey('ro-reader', 'read');
});

after(() => cleanup(['ro']));

const list = async (query, opts) => {
  const r = await get(`/v1/observations?metric=${M}&${query}`, opts);
  assert.equal(r.status, 200, r.text);
  return r.body;
};
const cells = (items) => items.map((o) => [o.area, o.period, JSON.stringify(o.breakdown), o.value]);

test('the totals by default, ordered by area and period', async () => {
  const { items, next_cursor } = await list('');
  assert.deepEqual(cells(items), [
    [A.alpha, '2019-01', '{}', 10], [A.alpha, '2019-02', '{}', 20], [A.alpha, '2019-03', '{}', 30],
    [A.beta, '2019-03', '{}', 4], [A.gamma, '2019-03', '{}', 6],
  ]);
  assert.equal(next_cursor, null);
  assert.equal(items[3].value, 4, 'a small total is not a breakdown cell: shown');
});

test('breakdown= chooses all, one dimension, or one cell', async () => {
  assert.equal((await list('breakdown=all')).items.length, 9);
  assert.deepEqual(cells((await list('breakdown=sex', { key: readKey })).items), [
    [A.alpha, '2019-01', '{"sex":"female"}', 3], [A.alpha, '2019-01', '{"sex":"male"}', 7],
    [A.alpha, '2019-02', '{"sex":"female"}', 12], [A.alpha, '2019-02', '{"sex":"male"}', 8],
  ]);
  for (const q of ['breakdown=sex%3Dfemale', 'breakdown=sex:female']) {
    assert.deepEqual(cells((await list(q, { key: readKey })).items),
      [[A.alpha, '2019-01', '{"sex":"female"}', 3], [A.alpha, '2019-02', '{"sex":"female"}', 12]], q);
  }
  const bad = await get(`/v1/observations?metric=${M}&breakdown=%3D%3D`);
  assert.equal(bad.status, 400);
});

test('an open read hides breakdown counts of 1 to 4; a read key sees them', async () => {
  const open = (await list('breakdown=sex%3Dfemale')).items;
  assert.deepEqual([open[0].value, open[0].lower, open[0].upper, open[0].suppressed], [null, null, null, true]);
  assert.equal(open[1].value, 12);
  assert.ok(!('suppressed' in open[1]));
  const keyed = (await list('breakdown=sex%3Dfemale', { key: readKey })).items;
  assert.equal(keyed[0].value, 3);
  assert.ok(!('suppressed' in keyed[0]));
});

test('updatedAfter= gives only what changed since', async () => {
  const { items } = await list('breakdown=all&updatedAfter=2020-06-01T00:00:00Z');
  assert.deepEqual(items.map((o) => [o.area, o.period]).filter(([, p]) => p === '2019-01'), []);
  assert.equal(items.length, 6);
  const bad = await get(`/v1/observations?metric=${M}&updatedAfter=yesterday-ish`);
  assert.equal(bad.status, 400);
  assert.match(bad.body.detail, /updatedAfter=yesterday-ish/);
});

test('last=N gives the N latest periods of what the filters select', async () => {
  assert.deepEqual(cells((await list('last=1')).items).map((c) => c.slice(0, 2)),
    [[A.alpha, '2019-03'], [A.beta, '2019-03'], [A.gamma, '2019-03']]);
  assert.deepEqual(cells((await list(`last=2&area=${A.alpha}`)).items).map((c) => c[1]), ['2019-02', '2019-03']);
  assert.equal((await get(`/v1/observations?metric=${M}&last=0`)).status, 400);
});

test('cursor paging returns every row exactly once, then a null cursor', async () => {
  const all = (await list('breakdown=all', { key: readKey })).items;
  const seen = [];
  let cursor = '';
  for (let page = 0; page < 20; page++) {
    const body = await list(`breakdown=all&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: readKey });
    assert.ok(body.items.length <= 2);
    seen.push(...body.items);
    if (!body.next_cursor) break;
    cursor = body.next_cursor;
  }
  assert.deepEqual(seen, all);
  assert.equal((await get(`/v1/observations?metric=${M}&cursor=bm90LWEtY3Vyc29y`)).status, 400);
  assert.equal((await get(`/v1/observations?metric=${M}&limit=0`)).status, 400);
});

test('CSV has a header, quotes what needs quoting, defuses formulas and ignores paging', async () => {
  const r = await get(`/v1/observations?metric=${M}&breakdown=all&format=csv&limit=1`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  // The file name says what it holds (issue 13).
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="observations_${M}_all.csv"`);
  const lines = r.text.split('\r\n');
  // withdrawn: since issue 10 the feed carries withdrawals, so the column is always there.
  assert.equal(lines[0], 'metric,area,period,breakdown,value,lower,upper,status,suppressed,note,updated_at,withdrawn');
  assert.equal(lines.at(-1), '');
  const body = lines.slice(1, -1).join('\r\n');
  assert.match(body, new RegExp(`^${M.replace('.', '\\.')},${A.alpha},2019-01,sex=female,,,,provisional,true,,`, 'm'));
  assert.match(body, /,"Board paper, 18 January 2019: ""final"", revised",/);
  assert.match(body, /,"'=SUM\(A1:A2\)",/);
  assert.match(r.text, /,"two\nlines",/);
  // 9 records: the limit does not apply to an export.
  assert.equal(r.text.match(/\r\n/g).length, 10);
});

test('CSV by Accept: text/csv streams the same rows', async () => {
  const byQuery = await get(`/v1/observations?metric=${M}&format=csv`);
  const byAccept = await get(`/v1/observations?metric=${M}`, { headers: { Accept: 'text/csv' } });
  assert.equal(byAccept.text, byQuery.text);
  assert.match(byAccept.headers.get('etag'), /^"v\d+-/);
});

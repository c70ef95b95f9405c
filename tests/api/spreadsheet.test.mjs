// CSV as people make it in a spreadsheet: each quirk gets an answer that says what to do,
// and nothing is written where a batch is refused. Rows go to a corner of the seeded
// catalogue (thrive.ips_referrals in Dudley, 2017) and are removed afterwards.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, api, get, post, sql, conforms } from './lib.mjs';

const METRIC = 'thrive.ips_referrals';
const AREA = 'E08000027';
const ids = [];

const csv = (text, opts = {}) => api('POST', `/v1/submissions${opts.query ?? ''}`, {
  key: ADMIN, body: text, headers: { 'Content-Type': 'text/csv' },
});
const stored = () => sql(`SELECT to_char(period_start, 'YYYY-MM'), value::text, coalesce(note, '<null>')
  FROM observations WHERE metric = '${METRIC}' AND area = '${AREA}' AND period_start < '2018-01-01'
  ORDER BY period_start`);
const receipts = () => Number(sql('SELECT count(*) FROM submissions')[0][0]);

after(() => {
  if (!ids.length) return;
  const list = ids.map((i) => `'${i}'`).join(', ');
  // History is append-only (a trigger); the test database's owner lifts that here only.
  sql(`BEGIN;
    SET LOCAL session_replication_role = replica;
    DELETE FROM observation_history WHERE submission_id IN (${list});
    DELETE FROM observations WHERE submission_id IN (${list});
    DELETE FROM submissions WHERE id IN (${list});
    UPDATE data_version SET version = version + 1;
    COMMIT;`);
});

test('a semicolon-separated file is named as such, and nothing is written or kept', async () => {
  const before = receipts();
  const r = await csv(`metric;area;period;value\r\n${METRIC};${AREA};2017-01;12,5\r\n`);
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors.map((e) => [e.row, e.code]), [[1, 'semicolon_separated']]);
  assert.match(r.body.detail, /separated by semicolons \(;\).*CSV UTF-8 \(comma delimited\)/);
  await conforms(r, 'POST', '/v1/submissions');
  const tab = await csv(`metric\tarea\tperiod\tvalue\n${METRIC}\t${AREA}\t2017-01\t12\n`);
  assert.equal(tab.status, 422);
  assert.equal(tab.body.errors[0].code, 'tab_separated');
  assert.deepEqual(stored(), []);
  assert.equal(receipts(), before);
});

test('unknown codes name the nearest known ones and a spreadsheet month the period to write; nothing is written', async () => {
  const r = await csv([
    'metric,area,period,value',
    `${METRIC},${AREA},2017-01,10`,
    `${METRIC},E0800027,2017-02,11`,
    `thrive.ips_referals,${AREA},2017-03,12`,
    `${METRIC},${AREA},Nov-17,13`,
    `${METRIC},${AREA},11/2017,14`,
    `${METRIC},${AREA},November 2017,15`,
  ].join('\r\n') + '\r\n');
  assert.equal(r.status, 422);
  ids.push(r.body.id);
  await conforms(r, 'POST', '/v1/submissions');
  assert.deepEqual(r.body.errors.map((e) => [e.row, e.code, e.suggestions]), [
    [3, 'unknown_area', ['E08000027']],
    [4, 'unknown_metric', [METRIC]],
    [5, 'bad_period', ['2017-11']],
    [6, 'bad_period', ['2017-11']],
    [7, 'bad_period', ['2017-11']],
  ]);
  assert.match(r.body.errors[0].message, /did you mean E08000027\?/);
  assert.match(r.body.errors[1].message, /did you mean thrive\.ips_referrals\?/);
  for (const e of r.body.errors.slice(2)) assert.match(e.message, /write 2017-11 /);
  assert.deepEqual(r.body.counts, { created: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 5 });
  assert.deepEqual(stored(), []);
  const receipt = await get(`/v1/submissions/${r.body.id}`, { key: ADMIN });
  assert.deepEqual(receipt.body.errors.map((e) => e.suggestions), [['E08000027'], [METRIC], ['2017-11'], ['2017-11'], ['2017-11']]);
});

test('rows of separators alone are skipped and counted, and a quoted "" note is kept as ""', async () => {
  const r = await csv([
    'metric,area,period,value,status,note',
    `${METRIC},${AREA},2017-01,10,provisional,""`,
    ',,,,,',
    `${METRIC},${AREA},2017-02,11,provisional,`,
    ',,,,,',
    ' , , ,,,',
    `${METRIC},${AREA},2017-03,12,provisional,"first return"`,
    ',,,,,',
  ].join('\r\n') + '\r\n');
  assert.equal(r.status, 201, r.text);
  ids.push(r.body.id);
  await conforms(r, 'POST', '/v1/submissions');
  assert.deepEqual(r.body.counts, { created: 3, updated: 0, unchanged: 0, deleted: 0, rejected: 0, skipped: 4 });
  assert.deepEqual(stored(), [['2017-01', '10', ''], ['2017-02', '11', '<null>'], ['2017-03', '12', 'first return']]);
  const receipt = await get(`/v1/submissions/${r.body.id}`, { key: ADMIN });
  assert.equal(receipt.body.counts.skipped, 4);
  assert.equal(receipt.body.row_count, 3);
  await conforms(receipt, 'GET', '/v1/submissions/{id}');
  const read = await get(`/v1/observations?metric=${METRIC}&area=${AREA}&from=2017-01&to=2017-03`);
  assert.deepEqual(read.body.items.map((o) => o.note), ['', null, 'first return']);
  const csvRead = await get(`/v1/observations?metric=${METRIC}&area=${AREA}&from=2017-01&to=2017-03&format=csv`);
  const lines = csvRead.text.trim().split('\r\n');
  const noteAt = lines[0].split(',').indexOf('note');
  assert.ok(noteAt > 0, lines[0]);
  assert.match(lines[1], /,""(,|$)/, 'an empty note is written "" in CSV');
});

test('a file of blank rows alone has no rows, and says so', async () => {
  const r = await csv('metric,area,period,value\r\n,,,\r\n,,,\r\n');
  assert.equal(r.status, 422);
  assert.match(r.body.detail, /no rows/);
  await conforms(r, 'POST', '/v1/submissions');
});

test('in JSON an empty string note is kept as "", and null or a missing note is none', async () => {
  const r = await post('/v1/submissions', { observations: [
    { metric: METRIC, area: AREA, period: '2017-04', value: 1, note: '' },
    { metric: METRIC, area: AREA, period: '2017-05', value: 2, note: null },
    { metric: METRIC, area: AREA, period: '2017-06', value: 3 },
  ] }, { key: ADMIN });
  assert.equal(r.status, 201, r.text);
  ids.push(r.body.id);
  assert.deepEqual(stored().slice(3), [['2017-04', '1', ''], ['2017-05', '2', '<null>'], ['2017-06', '3', '<null>']]);
  const read = await get(`/v1/observations?metric=${METRIC}&area=${AREA}&from=2017-04&to=2017-06`);
  assert.deepEqual(read.body.items.map((o) => o.note), ['', null, null]);
});

// Partner submissions: every refusal writes nothing (read back to prove it), replay
// and dry run, CSV quoting, grants, locks, history, receipts, the 401/403 split.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, get, post, sql, makeKey, startServer, ADMIN } from './lib.mjs';

const COUNT = 'thrive.t_ingest_count';  // stock, monthly, count, by sex
const PCT = 'mhfa.t_ingest_pct';        // rate, monthly, percent
const QTR = 'on_the_move.t_ingest_q';   // flow, quarterly, count
const BHAM = 'E08000025', COV = 'E08000026', SAND = 'E08000028';
let partnerKey, otherKey, readKey;

// The fixture is made here so the tests stand whatever the seed holds.
before(() => {
  sql(`INSERT INTO programmes (code, name) VALUES ('thrive','Thrive'),('mhfa','MHFA'),('on_the_move','On the Move') ON CONFLICT DO NOTHING;
       INSERT INTO areas (code, name, type) VALUES ('${BHAM}','Birmingham','metropolitan_district'),
         ('${COV}','Coventry','metropolitan_district'),('${SAND}','Sandwell','metropolitan_district') ON CONFLICT DO NOTHING;
       INSERT INTO dimensions (code, name) VALUES ('sex','Sex') ON CONFLICT DO NOTHING;
       INSERT INTO dimension_categories (dimension, code, name) VALUES ('sex','female','Female'),('sex','male','Male') ON CONFLICT DO NOTHING;
       INSERT INTO metrics (code, programme, name, unit, frequency, kind) VALUES
         ('${COUNT}','thrive','Test running total','count','monthly','stock'),
         ('${PCT}','mhfa','Test percentage','percent','monthly','rate'),
         ('${QTR}','on_the_move','Test quarterly flow','count','quarterly','flow') ON CONFLICT DO NOTHING;
       INSERT INTO metric_dimensions VALUES ('${COUNT}','sex') ON CONFLICT DO NOTHING;
       INSERT INTO partners (code, name) VALUES ('t-ips','Test IPS provider'),('t-other','Another provider') ON CONFLICT DO NOTHING;
       INSERT INTO partner_grants (partner, programme, area) VALUES ('t-ips','thrive','${BHAM}'),('t-ips','thrive','${SAND}') ON CONFLICT DO NOTHING;
       INSERT INTO partner_grants (partner, metric, area) VALUES ('t-ips','${QTR}','${BHAM}'),('t-other','${COUNT}','${COV}') ON CONFLICT DO NOTHING;`);
  partnerKey = makeKey('t-ips-key', 'read,submit', 't-ips');
  otherKey = makeKey('t-other-key', 'submit', 't-other');
  readKey = makeKey('t-reader', 'read');
});

const row = (metric, area, period, value, extra = {}) => ({ metric, area, period, value, ...extra });
const submit = (rows, key = partnerKey, query = '', headers = {}) =>
  api('POST', `/v1/submissions${query}`, { key, json: { observations: rows }, headers });
const stored = (metric, area, period) =>
  sql(`SELECT value::text, status FROM observations WHERE metric='${metric}' AND area='${area}'
       AND period_start = to_date('${period}','YYYY-MM') AND breakdown_key = ''`);
const historyCount = (metric) => Number(sql(`SELECT count(*) FROM observation_history WHERE metric='${metric}'`)[0][0]);
const obsCount = (metric) => Number(sql(`SELECT count(*) FROM observations WHERE metric='${metric}'`)[0][0]);

test('three new rows are created and answered 201 with counts and a Location', async () => {
  const r = await submit([row(COUNT, BHAM, '2019-01', 40), row(COUNT, BHAM, '2019-02', 45), row(COUNT, BHAM, '2019-03', 51)]);
  assert.equal(r.status, 201);
  assert.equal(r.body.status, 'applied');
  assert.deepEqual(r.body.counts, { created: 3, updated: 0, unchanged: 0, deleted: 0, rejected: 0 });
  assert.equal(r.headers.get('location'), `/v1/submissions/${r.body.id}`);
  assert.deepEqual(stored(COUNT, BHAM, '2019-02'), [['45', 'provisional']]);
});

test('the same rows again are unchanged and write no history', async () => {
  const before = historyCount(COUNT);
  const r = await submit([row(COUNT, BHAM, '2019-01', 40), row(COUNT, BHAM, '2019-02', 45), row(COUNT, BHAM, '2019-03', 51)]);
  assert.equal(r.status, 201);
  assert.deepEqual(r.body.counts, { created: 0, updated: 0, unchanged: 3, deleted: 0, rejected: 0 });
  assert.equal(historyCount(COUNT), before);
});

test('a changed value is updated and history keeps old and new', async () => {
  const r = await submit([row(COUNT, BHAM, '2019-01', 42)]);
  assert.equal(r.body.counts.updated, 1);
  const h = await get(`/v1/observations/history?metric=${COUNT}&area=${BHAM}&period=2019-01`, { key: ADMIN });
  assert.equal(h.status, 200);
  assert.deepEqual(h.body.items.map((i) => [i.action, i.old_value, i.new_value]), [['create', null, 40], ['update', 40, 42]]);
  assert.equal(h.body.items[1].partner, 't-ips');
  assert.equal(h.body.items[1].submission_id, r.body.id);
});

test('a running total that falls is accepted with a total_fell warning', async () => {
  const r = await submit([row(COUNT, BHAM, '2019-04', 30)]);
  assert.equal(r.status, 201);
  assert.equal(r.body.warnings.length, 1);
  assert.equal(r.body.warnings[0].code, 'total_fell');
  assert.equal(r.body.warnings[0].row, 0);
  assert.deepEqual(stored(COUNT, BHAM, '2019-04'), [['30', 'provisional']]);
});

// Each refusal: status, the row and code named, and nothing from the batch stored.
const refusals = [
  ['unknown metric', [row('thrive.nope', SAND, '2019-05', 1)], 'unknown_metric', 'metric'],
  ['unknown area', [row(COUNT, 'E99999999', '2019-05', 1)], 'unknown_area', 'area'],
  ['malformed period', [row(COUNT, SAND, '2019-13', 1)], 'bad_period', 'period'],
  ['period of the wrong frequency', [row(COUNT, SAND, '2019-Q1', 1)], 'wrong_frequency', 'period'],
  ['period in the future', [row(COUNT, SAND, '2099-01', 1)], 'future_period', 'period'],
  ['value that is not a number', [row(COUNT, SAND, '2019-05', '1,000')], 'not_a_number', 'value'],
  ['negative count', [row(COUNT, SAND, '2019-05', -3)], 'negative_count', 'value'],
  ['fractional count', [row(COUNT, SAND, '2019-05', 2.5)], 'fractional_count', 'value'],
  ['unknown dimension', [row(COUNT, SAND, '2019-05', 3, { breakdown: { age_band: '16-24' } })], 'unknown_dimension', 'breakdown'],
  ['unknown category', [row(COUNT, SAND, '2019-05', 3, { breakdown: { sex: 'robot' } })], 'unknown_category', 'breakdown'],
  ['unknown field', [row(COUNT, SAND, '2019-05', 3, { vaule: 3 })], 'unknown_field', 'vaule'],
];
for (const [what, rows, code, field] of refusals) {
  test(`a ${what} is refused with ${code} and nothing is written`, async () => {
    const good = row(COUNT, SAND, '2019-06', 11);
    const r = await submit([good, ...rows]);
    assert.equal(r.status, 422);
    assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
    const e = r.body.errors.find((x) => x.code === code);
    assert.ok(e, `errors hold ${code}: ${JSON.stringify(r.body.errors)}`);
    assert.equal(e.row, 1);
    assert.equal(e.field, field);
    assert.equal(e.pointer, `/observations/1/${field}`);
    assert.ok(e.message.length > 10);
    assert.equal(r.body.outcome, 'rejected');
    assert.deepEqual(stored(COUNT, SAND, '2019-06'), [], 'the good row of the batch was not written');
  });
}

test('a percentage over 100 is refused (admin key, no grants needed)', async () => {
  const r = await submit([row(PCT, BHAM, '2019-01', 120)], ADMIN);
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].code, 'out_of_range');
  assert.equal(obsCount(PCT), 0);
});

test('the same cell twice in one batch is refused naming the first row', async () => {
  const r = await submit([row(COUNT, SAND, '2019-07', 1), row(COUNT, SAND, '2019-07', 2)]);
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].code, 'duplicate_row');
  assert.equal(r.body.errors[0].row, 1);
  assert.match(r.body.errors[0].message, /row 0/);
  assert.deepEqual(stored(COUNT, SAND, '2019-07'), []);
});

test('every bad row is listed, not just the first', async () => {
  const r = await submit([row(COUNT, SAND, '2019-13', 1), row(COUNT, SAND, '2019-08', 1), row('x.y', SAND, '2019-08', -1)]);
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors.map((e) => e.row).sort(), [0, 2]);
  assert.equal(r.body.counts.rejected, 2);
});

test('an area not granted to the partner is a 403 not_granted and writes nothing', async () => {
  const r = await submit([row(COUNT, COV, '2019-01', 5)]);
  assert.equal(r.status, 403);
  assert.equal(r.body.errors[0].code, 'not_granted');
  assert.deepEqual(stored(COUNT, COV, '2019-01'), []);
});

test('a metric granted alone works; another programme is not granted', async () => {
  const ok = await submit([{ metric: QTR, area: BHAM, period: '2019-Q1', value: 7 }]);
  assert.equal(ok.status, 201);
  const no = await submit([row(PCT, BHAM, '2019-01', 50)]);
  assert.equal(no.status, 403);
});

test('a grant for one partner does not serve another', async () => {
  const r = await submit([row(COUNT, BHAM, '2019-09', 1)], otherKey);
  assert.equal(r.status, 403);
  const ok = await submit([row(COUNT, COV, '2019-09', 1)], otherKey);
  assert.equal(ok.status, 201);
});

test('no key is 401; a read-only key is 403; a bad key is 401', async () => {
  assert.equal((await submit([row(COUNT, BHAM, '2019-01', 1)], null)).status, 401);
  assert.equal((await submit([row(COUNT, BHAM, '2019-01', 1)], readKey)).status, 403);
  const bad = await submit([row(COUNT, BHAM, '2019-01', 1)], 'wbk_0123456789abcdef_' + 'A'.repeat(43));
  assert.equal(bad.status, 401);
});

test('a dry run answers 200 with counts and writes nothing', async () => {
  const r = await submit([row(COUNT, SAND, '2019-05', 7)], partnerKey, '?dryRun=true');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'dry_run');
  assert.equal(r.body.counts.created, 1);
  assert.deepEqual(stored(COUNT, SAND, '2019-05'), []);
  const receipt = await get(`/v1/submissions/${r.body.id}`, { key: partnerKey });
  assert.equal(receipt.body.status, 'dry_run');
});

test('an Idempotency-Key replays the first answer; another body with it is 409', async () => {
  const rows = [row(COUNT, BHAM, '2019-05', 60)];
  const first = await submit(rows, partnerKey, '', { 'Idempotency-Key': 't-k1' });
  assert.equal(first.status, 201);
  const again = await submit(rows, partnerKey, '', { 'Idempotency-Key': 't-k1' });
  assert.equal(again.status, 200);
  assert.equal(again.body.id, first.body.id);
  assert.deepEqual(again.body.counts, first.body.counts);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  const other = await submit([row(COUNT, BHAM, '2019-05', 61)], partnerKey, '', { 'Idempotency-Key': 't-k1' });
  assert.equal(other.status, 409);
  assert.deepEqual(stored(COUNT, BHAM, '2019-05'), [['60', 'provisional']]);
});

test('a CSV with quoting, CRLF, a BOM and a breakdown column is applied', async () => {
  const csv = '\ufeffmetric,area,period,value,note,sex\r\n' +
    `${COUNT},${SAND},2019-10,13,"a note, with a comma and ""quotes""",\r\n` +
    `${COUNT},${SAND},2019-10,5,"line one\nline two",female\r\n` +
    `"${COUNT}",${SAND},2019-11,"14",,\r\n`;
  const r = await api('POST', '/v1/submissions', { key: partnerKey, body: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.counts.created, 3);
  const note = sql(`SELECT note FROM observations WHERE metric='${COUNT}' AND area='${SAND}' AND period_start='2019-10-01' AND breakdown_key=''`);
  assert.equal(note[0][0], 'a note, with a comma and "quotes"');
  const bd = sql(`SELECT value::text, replace(note, E'\n', '|'), breakdown::text FROM observations WHERE metric='${COUNT}' AND breakdown_key='sex=female'`);
  assert.deepEqual(bd, [['5', 'line one|line two', '{"sex": "female"}']]);
  assert.deepEqual(stored(COUNT, SAND, '2019-11'), [['14', 'provisional']]);
});

test('a CSV row error names its line', async () => {
  const csv = `metric,area,period,value\n${COUNT},${SAND},2019-12,1\n${COUNT},${SAND},2019-12x,2\n`;
  const r = await api('POST', '/v1/submissions', { key: partnerKey, body: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].row, 3);
  assert.equal(r.body.errors[0].code, 'bad_period');
  assert.deepEqual(stored(COUNT, SAND, '2019-12'), []);
});

test('a CSV header without value, or with an unknown column, is refused', async () => {
  let r = await api('POST', '/v1/submissions', { key: partnerKey, body: 'metric,area,period\n', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].code, 'missing_column');
  r = await api('POST', '/v1/submissions', { key: partnerKey, body: 'metric,area,period,value,colour\n', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].code, 'unknown_column');
});

test('malformed JSON is a 400 with its position; malformed CSV a 400 with its line', async () => {
  let r = await api('POST', '/v1/submissions', { key: partnerKey, body: '{"observations":[', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.match(r.body.detail, /line 1, column \d+/);
  r = await api('POST', '/v1/submissions', { key: partnerKey, body: 'metric,area,period,value\n"unterminated,1,2,3\n', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 400);
  assert.match(r.body.detail, /line \d+/);
});

test('a wrong content type is 415', async () => {
  const r = await api('POST', '/v1/submissions', { key: partnerKey, body: 'x', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(r.status, 415);
});

test('a body over the limit is 413 and the server stays healthy', async () => {
  const r = await api('POST', '/v1/submissions', { key: partnerKey, body: ' '.repeat(17 * 1024 * 1024), headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 413);
  assert.equal((await get('/healthz')).status, 200);
});

test('more rows than the limit is 413 and nothing is written', async () => {
  const srv = await startServer({ WELLBEING_MAX_ROWS: '2' });
  try {
    const rows = [row(COUNT, SAND, '2018-01', 1), row(COUNT, SAND, '2018-02', 2), row(COUNT, SAND, '2018-03', 3)];
    const r = await api('POST', '/v1/submissions', { base: srv.base, key: partnerKey, json: { observations: rows } });
    assert.equal(r.status, 413);
    assert.deepEqual(stored(COUNT, SAND, '2018-01'), []);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

test('a locked month refuses writes with 409; an admin override with a reason writes and history says so', async () => {
  sql(`INSERT INTO period_locks (programme, period_start) VALUES ('thrive', '2019-02-01') ON CONFLICT DO NOTHING`);
  const r = await submit([row(COUNT, BHAM, '2019-02', 99)]);
  assert.equal(r.status, 409);
  assert.equal(r.body.errors[0].code, 'locked');
  assert.deepEqual(stored(COUNT, BHAM, '2019-02'), [['45', 'provisional']]);
  const noReason = await submit([row(COUNT, BHAM, '2019-02', 99)], ADMIN, '?overrideLock=true');
  assert.equal(noReason.status, 422);
  const notAdmin = await submit([row(COUNT, BHAM, '2019-02', 99)], partnerKey, '?overrideLock=true&reason=x');
  assert.equal(notAdmin.status, 403);
  const ok = await submit([row(COUNT, BHAM, '2019-02', 46)], ADMIN, '?overrideLock=true&reason=' + encodeURIComponent('board correction'));
  assert.equal(ok.status, 201);
  const h = sql(`SELECT reason, lock_override FROM observation_history WHERE metric='${COUNT}' AND area='${BHAM}' AND period_start='2019-02-01' ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(h, [['board correction', 't']]);
  sql(`DELETE FROM period_locks WHERE programme='thrive'`);
});

test('changing a final figure needs a reason', async () => {
  await submit([row(COUNT, BHAM, '2019-06', 70, { status: 'final' })]);
  const r = await submit([row(COUNT, BHAM, '2019-06', 71)]);
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].code, 'reason_required');
  assert.deepEqual(stored(COUNT, BHAM, '2019-06'), [['70', 'final']]);
  const ok = await api('POST', '/v1/submissions', { key: partnerKey, json: { reason: 'provider re-count', observations: [row(COUNT, BHAM, '2019-06', 71, { status: 'final' })] } });
  assert.equal(ok.status, 201);
  assert.deepEqual(stored(COUNT, BHAM, '2019-06'), [['71', 'final']]);
});

test('a row with delete: true withdraws a figure; history keeps it', async () => {
  const r = await submit([{ metric: COUNT, area: BHAM, period: '2019-03', delete: true }]);
  assert.equal(r.status, 201);
  assert.equal(r.body.counts.deleted, 1);
  assert.deepEqual(stored(COUNT, BHAM, '2019-03'), []);
  const h = await get(`/v1/observations/history?metric=${COUNT}&area=${BHAM}&period=2019-03`, { key: partnerKey });
  assert.deepEqual(h.body.items.map((i) => i.action), ['create', 'delete']);
});

test('confidence limits are stored; a lower limit above the value is refused', async () => {
  const ok = await submit([row(COUNT, SAND, '2019-09', 20, { lower: 18, upper: 23 })]);
  assert.equal(ok.status, 201);
  assert.deepEqual(sql(`SELECT lower_ci::text, upper_ci::text FROM observations WHERE metric='${COUNT}' AND area='${SAND}' AND period_start='2019-09-01'`), [['18', '23']]);
  const bad = await submit([row(COUNT, SAND, '2019-08', 20, { lower: 21 })]);
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].code, 'bad_interval');
});

test('receipts: a partner reads its own, not another partner\'s; the list is its own', async () => {
  const r = await submit([row(COUNT, SAND, '2020-01', 3)]);
  const mine = await get(`/v1/submissions/${r.body.id}`, { key: partnerKey });
  assert.equal(mine.status, 200);
  assert.equal(mine.body.partner, 't-ips');
  assert.equal(mine.body.counts.created, 1);
  assert.equal(mine.body.format, 'json');
  const theirs = await get(`/v1/submissions/${r.body.id}`, { key: otherKey });
  assert.equal(theirs.status, 404);
  const list = await get('/v1/submissions', { key: otherKey });
  assert.equal(list.status, 200);
  assert.ok(list.body.items.every((s) => s.partner === 't-other'));
  assert.equal((await get('/v1/submissions?partner=t-ips', { key: otherKey })).status, 403);
  assert.equal((await get('/v1/submissions/not-a-uuid', { key: ADMIN })).status, 404);
});

test('every write bumps the data version', async () => {
  const v0 = Number(sql('SELECT version FROM data_version')[0][0]);
  await submit([row(COUNT, SAND, '2020-02', 4)]);
  const v1 = Number(sql('SELECT version FROM data_version')[0][0]);
  assert.equal(v1, v0 + 1);
});

test('a CSV with a byte that is not UTF-8 in a note is a 400 naming its line and writes nothing', async () => {
  const head = 'metric,area,period,value,note\n';
  const good = `${COUNT},${SAND},2021-01,6,fine\n`;
  const before = `${COUNT},${SAND},2021-02,7,caf`;
  // "café" saved as Latin-1: 0xE9 alone is not UTF-8.
  const latin1 = Buffer.concat([Buffer.from(head + good + before), Buffer.from([0xe9]), Buffer.from('\n')]);
  const r = await api('POST', '/v1/submissions', { key: partnerKey, body: latin1, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 400);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.body.detail, `the CSV is not UTF-8 text: byte 0xE9 at line 3, column ${before.length + 1} does not begin a character; save the file as UTF-8 (CSV UTF-8 in Excel)`);
  assert.deepEqual(stored(COUNT, SAND, '2021-01'), [], 'the good row before it was not written');
  assert.deepEqual(stored(COUNT, SAND, '2021-02'), []);

  // The same rows saved as UTF-8 are applied, the note intact.
  const utf8 = await api('POST', '/v1/submissions', { key: partnerKey, body: head + good + before + 'é\n', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(utf8.status, 201, JSON.stringify(utf8.body));
  assert.equal(utf8.body.counts.created, 2);
  assert.deepEqual(sql(`SELECT value::text, note FROM observations WHERE metric='${COUNT}' AND area='${SAND}' AND period_start='2021-02-01' AND breakdown_key=''`), [['7', 'café']]);
});

test('a misspelt top-level field is refused, not dropped', async () => {
  const r = await api('POST', '/v1/submissions', { key: partnerKey, json: { reasons: 'typo', observations: [row(COUNT, SAND, '2020-03', 1)] } });
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].code, 'unknown_field');
  assert.match(r.body.errors[0].message, /"reasons"/);
  assert.equal(r.body.errors[0].pointer, '/reasons');
  assert.deepEqual(stored(COUNT, SAND, '2020-03'), []);
});

test('history for an unknown metric or area is a 404', async () => {
  const m = await get(`/v1/observations/history?metric=thrive.nope&area=${BHAM}`, { key: ADMIN });
  assert.equal(m.status, 404);
  assert.match(m.body.detail, /thrive\.nope/);
  const a = await get(`/v1/observations/history?metric=${COUNT}&area=E99999999`, { key: ADMIN });
  assert.equal(a.status, 404);
  assert.match(a.body.detail, /E99999999/);
});

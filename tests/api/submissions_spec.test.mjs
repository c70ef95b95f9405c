// Submissions, receipts and history against the OpenAPI document: each real answer,
// errors included, is validated with conforms() and its values asserted exactly, so
// openapi/src/paths/submissions.json says what the server does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, get, sql, makeKey, startServer, conforms, ADMIN } from './lib.mjs';

// Codes of our own, used by no seed and no other test file.
const P = 'subspec';
const M = `${P}.people`; // stock, monthly, count, by subspec_sex
const DIM = 'subspec_sex';
const HOME = 'W99999911'; // granted to PARTNER
const AWAY = 'W99999912'; // granted to OTHER only
const PARTNER = 'subspec-a';
const OTHER = 'subspec-b';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
let key, otherKey, readKey;

// Receipts and history are permanent (the database refuses to delete them), and so are
// the partners and keys they name; everything else of ours is removed.
function cleanup() {
  sql(`BEGIN;
    DELETE FROM observations WHERE metric LIKE '${P}.%';
    DELETE FROM partner_grants WHERE partner IN ('${PARTNER}', '${OTHER}');
    DELETE FROM period_locks WHERE programme = '${P}';
    DELETE FROM metric_dimensions WHERE metric LIKE '${P}.%';
    DELETE FROM metrics WHERE programme = '${P}';
    DELETE FROM programmes WHERE code = '${P}';
    DELETE FROM dimension_categories WHERE dimension = '${DIM}';
    DELETE FROM dimensions WHERE code = '${DIM}';
    DELETE FROM areas WHERE code IN ('${HOME}', '${AWAY}');
    UPDATE data_version SET version = version + 1;
    COMMIT;`);
}

before(() => {
  cleanup();
  sql(`BEGIN;
    INSERT INTO programmes (code, name) VALUES ('${P}', 'Submission spec check');
    INSERT INTO dimensions (code, name) VALUES ('${DIM}', 'Sex (submission spec test)');
    INSERT INTO dimension_categories (dimension, code, name) VALUES ('${DIM}', 'female', 'Female'), ('${DIM}', 'male', 'Male');
    INSERT INTO metrics (code, programme, name, unit, frequency, kind)
      VALUES ('${M}', '${P}', 'People supported', 'count', 'monthly', 'stock');
    INSERT INTO metric_dimensions (metric, dimension) VALUES ('${M}', '${DIM}');
    INSERT INTO areas (code, name, type) VALUES ('${HOME}', 'Spec home', 'metropolitan_district'),
      ('${AWAY}', 'Spec away', 'metropolitan_district');
    INSERT INTO partners (code, name) VALUES ('${PARTNER}', 'Spec partner A'), ('${OTHER}', 'Spec partner B')
      ON CONFLICT DO NOTHING;
    INSERT INTO partner_grants (partner, programme, area) VALUES ('${PARTNER}', '${P}', '${HOME}'),
      ('${OTHER}', '${P}', '${AWAY}');
    UPDATE data_version SET version = version + 1;
    COMMIT;`);
  key = makeKey('subspec-a-key', 'read,submit', PARTNER);
  otherKey = makeKey('subspec-b-key', 'submit', OTHER);
  readKey = makeKey('subspec-reader', 'read');
});

after(cleanup);

const row = (period, value, extra = {}) => ({ metric: M, area: HOME, period, value, ...extra });
const submit = (json, { k = key, query = '', headers = {}, base } = {}) =>
  api('POST', `/v1/submissions${query}`, { key: k, json, headers, base });
const submitCsv = (body, k = key) =>
  api('POST', '/v1/submissions', { key: k, body, headers: { 'Content-Type': 'text/csv' } });
const zero = { created: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0 };
const stored = (period) => sql(`SELECT value::text, status FROM observations WHERE metric = '${M}'
  AND area = '${HOME}' AND period_start = to_date('${period}', 'YYYY-MM') AND breakdown_key = ''`);
const POST = ['POST', '/v1/submissions'];
const ONE = ['GET', '/v1/submissions/{id}'];
const LIST = ['GET', '/v1/submissions'];
const HISTORY = ['GET', '/v1/observations/history'];

test('an applied submission answers 201 with counts, a warning and a Location, as documented', async () => {
  const r = await submit({ observations: [row('2019-02', 40), row('2019-03', 35), row('2019-02', 6, { breakdown: { [DIM]: 'female' } })] });
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.id, UUID);
  assert.deepEqual(r.body, {
    id: r.body.id, status: 'applied', counts: { ...zero, created: 3 }, errors: [],
    warnings: [{ row: 1, code: 'total_fell', message: 'running total 35 is below 40, the figure for the period before; accepted, but check it' }],
  });
  assert.equal(r.headers.get('location'), `/v1/submissions/${r.body.id}`);
  assert.deepEqual(stored('2019-03'), [['35', 'provisional']]);
  await conforms(r, ...POST);
});

test('a dry run answers 200, writes nothing, and its receipt says dry_run, as documented', async () => {
  const r = await submit({ observations: [row('2019-04', 41), row('2019-02', 40)] }, { query: '?dryRun=true' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { id: r.body.id, status: 'dry_run', counts: { ...zero, created: 1, unchanged: 1 }, errors: [], warnings: [] });
  assert.equal(r.headers.get('idempotent-replayed'), null);
  assert.deepEqual(stored('2019-04'), []);
  await conforms(r, ...POST);

  const receipt = await get(`/v1/submissions/${r.body.id}`, { key });
  assert.equal(receipt.status, 200);
  assert.match(receipt.body.received_at, RFC3339_UTC);
  assert.deepEqual(receipt.body, {
    id: r.body.id, status: 'dry_run', partner: PARTNER, received_at: receipt.body.received_at, format: 'json',
    http_status: 200, row_count: 2, counts: { ...zero, created: 1, unchanged: 1 }, errors: [], warnings: [], dry_run: true,
  });
  await conforms(receipt, ...ONE);
});

test('the same Idempotency-Key and body replay the stored receipt with 200; another body is a 409, as documented', async () => {
  const body = { observations: [row('2019-05', 44)] };
  const headers = { 'Idempotency-Key': 'subspec-replay-1' };
  const first = await submit(body, { headers });
  assert.equal(first.status, 201);
  await conforms(first, ...POST);

  const again = await submit(body, { headers });
  assert.equal(again.status, 200);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  const receipt = await get(`/v1/submissions/${first.body.id}`, { key });
  assert.deepEqual(again.body, receipt.body);
  assert.deepEqual(again.body, {
    id: first.body.id, status: 'applied', partner: PARTNER, received_at: receipt.body.received_at, format: 'json',
    http_status: 201, row_count: 1, counts: { ...zero, created: 1 }, errors: [], warnings: [], dry_run: false,
    idempotency_key: 'subspec-replay-1',
  });
  await conforms(again, ...POST);
  await conforms(receipt, ...ONE);

  const other = await submit({ observations: [row('2019-05', 45)] }, { headers });
  assert.equal(other.status, 409);
  assert.equal(other.body.detail, 'Idempotency-Key subspec-replay-1 was used for a different body; use a new key for a new submission');
  assert.deepEqual(stored('2019-05'), [['44', 'provisional']]);
  await conforms(other, ...POST);
});

test('rows in a locked month are a 409 listing each row, and a rejected receipt is kept, as documented', async () => {
  sql(`INSERT INTO period_locks (programme, period_start) VALUES ('${P}', '2019-06-01')`);
  try {
    const r = await submit({ observations: [row('2019-06', 50)] });
    assert.equal(r.status, 409);
    assert.deepEqual(r.body.errors, [{
      code: 'locked', field: 'period', row: 0, pointer: '/observations/0/period',
      message: `${M} for 2019-06 is locked (reported to the board); an admin can unlock it or override with a reason`,
    }]);
    assert.equal(r.body.outcome, 'rejected');
    assert.deepEqual(r.body.counts, { ...zero, rejected: 1 });
    assert.deepEqual(stored('2019-06'), []);
    await conforms(r, ...POST);

    const receipt = await get(`/v1/submissions/${r.body.id}`, { key });
    assert.equal(receipt.body.status, 'rejected');
    assert.equal(receipt.body.http_status, 409);
    assert.deepEqual(receipt.body.errors, r.body.errors);
    await conforms(receipt, ...ONE);
  } finally {
    sql(`DELETE FROM period_locks WHERE programme = '${P}'`);
  }
});

test('a body that is neither JSON nor CSV is a 415, as documented', async () => {
  const r = await api('POST', '/v1/submissions', { key, body: 'metric=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 415);
  assert.equal(r.body.detail, 'send Content-Type: application/json or text/csv (got application/x-www-form-urlencoded)');
  await conforms(r, ...POST);
});

test('refused rows are a 422 naming each row, JSON pointer and code; the receipt counts refused rows, as documented', async () => {
  const r = await submit({
    observations: [
      row('2019-07', 60),
      row('2019-07', 61, { 'per/iod~x': 1 }),
      { metric: M, area: 'W99999999', period: '2019-07', value: -1 },
    ],
  });
  assert.equal(r.status, 422);
  assert.equal(r.body.detail, '2 of 3 rows were refused (3 problems); nothing was written. Fix the rows listed and send the whole batch again.');
  assert.deepEqual(r.body.errors.map((e) => [e.row, e.pointer, e.field, e.code]), [
    [1, '/observations/1/per~1iod~0x', 'per/iod~x', 'unknown_field'],
    [2, '/observations/2/area', 'area', 'unknown_area'],
    [2, '/observations/2/value', 'value', 'negative_count'],
  ]);
  assert.equal(r.body.outcome, 'rejected');
  assert.deepEqual(r.body.counts, { ...zero, rejected: 2 });
  assert.equal('errors_not_listed' in r.body, false);
  assert.deepEqual(stored('2019-07'), []);
  await conforms(r, ...POST);

  const receipt = await get(`/v1/submissions/${r.body.id}`, { key });
  assert.deepEqual([receipt.body.status, receipt.body.http_status, receipt.body.row_count], ['rejected', 422, 3]);
  assert.deepEqual(receipt.body.counts, r.body.counts, 'the receipt counts rows refused, as the answer does');
  assert.deepEqual(receipt.body.errors, r.body.errors);
  await conforms(receipt, ...ONE);
});

test('a CSV row error names its line without a pointer; a bad CSV header is a plain 422, as documented', async () => {
  const r = await submitCsv(`metric,area,period,value\n${M},${HOME},2019-08,1\n${M},${HOME},2019-8,2\n`);
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors, [{
    code: 'bad_period', field: 'period', row: 3,
    message: 'period "2019-8" is not a period: write 2019-08 (periods are written 2019-01 for a month, 2019-Q1, 2019 or FY2019-20)',
    suggestions: ['2019-08'],
  }]);
  await conforms(r, ...POST);
  const receipt = await get(`/v1/submissions/${r.body.id}`, { key });
  assert.equal(receipt.body.format, 'csv');
  await conforms(receipt, ...ONE);

  const header = await submitCsv('metric,area,period\n');
  assert.equal(header.status, 422);
  assert.deepEqual(header.body, {
    type: 'https://wellbeing.wmca.org.uk/problems/422', title: 'Unprocessable content', status: 422,
    detail: 'the CSV header is not right: see errors; nothing was written',
    errors: [{ row: 1, field: 'value', code: 'missing_column', message: 'the header must have metric, area, period and value' }],
  });
  await conforms(header, ...POST);
});

test('changing a final figure without a reason is a 422 reason_required; with one it applies, as documented', async () => {
  assert.equal((await submit({ observations: [row('2019-09', 70, { status: 'final' })] })).status, 201);
  const r = await submit({ observations: [row('2019-09', 71, { status: 'final' })] });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors.map((e) => [e.row, e.field, e.code]), [[0, 'value', 'reason_required']]);
  assert.deepEqual(r.body.counts, { ...zero, rejected: 1 });
  await conforms(r, ...POST);
  const ok = await submit({ reason: 'provider re-count', observations: [row('2019-09', 71, { status: 'final' })] });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body.counts, { ...zero, updated: 1 });
  await conforms(ok, ...POST);
});

test('rows not granted, a partner overriding a lock and a key without submit are 403s, as documented', async () => {
  const r = await submit({ observations: [row('2019-10', 80), { ...row('2019-10', 3), area: AWAY }] });
  assert.equal(r.status, 403);
  assert.deepEqual(r.body.errors, [{
    code: 'not_granted', field: 'area', row: 1, pointer: '/observations/1/area',
    message: `this key's partner may not submit ${M} for ${AWAY}; ask an admin for a grant`,
  }]);
  assert.deepEqual(r.body.counts, { ...zero, rejected: 1 });
  assert.deepEqual(stored('2019-10'), []);
  await conforms(r, ...POST);

  const override = await submit({ observations: [row('2019-10', 80)] }, { query: '?overrideLock=true&reason=x' });
  assert.equal(override.status, 403);
  assert.equal(override.body.detail, 'only an admin key can override a period lock');
  await conforms(override, ...POST);

  const scope = await submit({ observations: [row('2019-10', 80)] }, { k: readKey });
  assert.equal(scope.status, 403);
  await conforms(scope, ...POST);
});

test('malformed JSON, malformed CSV and bad parameters are 400s; no key is a 401, as documented', async () => {
  const json = await api('POST', '/v1/submissions', { key, body: '{"observations": [', headers: { 'Content-Type': 'application/json' } });
  assert.equal(json.status, 400);
  assert.equal(json.body.detail, "the body is not valid JSON: ']' expected near end of file at line 1, column 18");
  await conforms(json, ...POST);
  const csv = await submitCsv('metric,area,period,value\n"open,1,2,3\n');
  assert.equal(csv.status, 400);
  assert.match(csv.body.detail, /^the CSV is malformed at line 2, column \d+: /);
  await conforms(csv, ...POST);
  const latin1 = Buffer.concat([Buffer.from(`metric,area,period,value,note\n${M},${HOME},2019-11,1,caf`), Buffer.from([0xe9, 0x0a])]);
  const notUtf8 = await submitCsv(latin1);
  assert.equal(notUtf8.status, 400);
  assert.match(notUtf8.body.detail, /^the CSV is not UTF-8 text: byte 0xE9 at line 2, column \d+ /);
  await conforms(notUtf8, ...POST);
  const dry = await submit({ observations: [row('2019-11', 1)] }, { query: '?dryRun=yes' });
  assert.equal(dry.status, 400);
  assert.equal(dry.body.detail, 'dryRun and overrideLock take true or false');
  await conforms(dry, ...POST);
  const idem = await submit({ observations: [row('2019-11', 1)] }, { headers: { 'Idempotency-Key': 'k'.repeat(201) } });
  assert.equal(idem.status, 400);
  await conforms(idem, ...POST);
  const format = await submit({ observations: [row('2019-11', 1)] }, { query: '?format=csv' });
  assert.equal(format.status, 406);
  await conforms(format, ...POST);
  const none = await submit({ observations: [row('2019-11', 1)] }, { k: null });
  assert.equal(none.status, 401);
  await conforms(none, ...POST);
  assert.deepEqual(stored('2019-11'), []);
});

test('a body or a batch over the limits is a 413, as documented', async () => {
  const srv = await startServer({ WELLBEING_MAX_BODY: '2048', WELLBEING_MAX_ROWS: '2' });
  try {
    const big = await submit({ observations: [row('2019-12', 1, { note: 'n'.repeat(3000) })] }, { base: srv.base });
    assert.equal(big.status, 413);
    await conforms(big, ...POST);
    const many = await submit({ observations: [row('2019-12', 1), row('2020-01', 2), row('2020-02', 3)] }, { base: srv.base });
    assert.equal(many.status, 413);
    assert.equal(many.body.detail, 'the batch has 3 rows; the limit is 2: split it');
    await conforms(many, ...POST);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
  assert.deepEqual(stored('2019-12'), []);
});

test('a receipt is 404 when unknown, not a UUID or another partner\'s, and 403 for a key of no partner, as documented', async () => {
  const mine = await submit({ observations: [row('2020-03', 90)] });
  assert.equal(mine.status, 201);
  const theirs = await get(`/v1/submissions/${mine.body.id}`, { key: otherKey });
  assert.equal(theirs.status, 404);
  assert.equal(theirs.body.detail, `no submission ${mine.body.id} for this key`);
  await conforms(theirs, ...ONE);
  const junk = await get('/v1/submissions/not-a-uuid', { key });
  assert.equal(junk.status, 404);
  await conforms(junk, ...ONE);
  const noPartner = await get(`/v1/submissions/${mine.body.id}`, { key: readKey });
  assert.equal(noPartner.status, 403);
  await conforms(noPartner, ...ONE);
  const admin = await get(`/v1/submissions/${mine.body.id}`, { key: ADMIN });
  assert.equal(admin.status, 200);
  assert.equal(admin.body.partner, PARTNER);
  await conforms(admin, ...ONE);
  const csv = await get(`/v1/submissions/${mine.body.id}?format=csv`, { key });
  assert.equal(csv.status, 406);
  await conforms(csv, ...ONE);
  const none = await get(`/v1/submissions/${mine.body.id}`);
  assert.equal(none.status, 401);
  await conforms(none, ...ONE);
});

test('the receipt list answers JSON and CSV newest first, and 400/403 for bad asks, as documented', async () => {
  const ids = sql(`SELECT id FROM submissions WHERE partner = '${PARTNER}' ORDER BY received_at DESC, id LIMIT 3`).map((r) => r[0]);
  const list = await get('/v1/submissions?limit=3', { key });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((s) => s.id), ids);
  assert.ok(list.body.items.every((s) => s.partner === PARTNER));
  await conforms(list, ...LIST);

  const csv = await get('/v1/submissions?limit=3&format=csv', { key });
  assert.equal(csv.status, 200);
  const counts = (c) => `created=${c.created};updated=${c.updated};unchanged=${c.unchanged};deleted=${c.deleted};rejected=${c.rejected}`;
  const lines = csv.text.split('\r\n');
  assert.equal(lines[0], 'id,partner,received_at,format,status,http_status,row_count,counts');
  assert.deepEqual(lines.slice(1, -1).map((l) => l.split(',').slice(0, 7)), list.body.items.map((s) =>
    [s.id, s.partner, s.received_at, s.format, s.status, String(s.http_status), String(s.row_count)]));
  assert.deepEqual(lines.slice(1, -1).map((l) => l.split(',')[7].split(';').sort().join(';')),
    list.body.items.map((s) => counts(s.counts).split(';').sort().join(';')));
  assert.equal(lines.at(-1), '');
  await conforms(csv, ...LIST);

  const admin = await get(`/v1/submissions?partner=${OTHER}`, { key: ADMIN });
  assert.equal(admin.status, 200);
  assert.deepEqual(admin.body.items, []);
  await conforms(admin, ...LIST);
  const bad = await get('/v1/submissions?limit=0', { key });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.detail, 'limit=0: use a whole number from 1 to 1000');
  await conforms(bad, ...LIST);
  const other = await get(`/v1/submissions?partner=${OTHER}`, { key });
  assert.equal(other.status, 403);
  await conforms(other, ...LIST);
  const noPartner = await get('/v1/submissions', { key: readKey });
  assert.equal(noPartner.status, 403);
  await conforms(noPartner, ...LIST);
});

test('history answers every change to a cell in JSON and CSV, with 304 and 400s, as documented', async () => {
  const created = await submit({ observations: [row('2020-04', 100)] });
  const updated = await submit({ observations: [row('2020-04', 104, { status: 'final' })] });
  const deleted = await submit({ reason: 'sent for the wrong area', observations: [{ metric: M, area: HOME, period: '2020-04', delete: true }] });
  assert.deepEqual([created.status, updated.status, deleted.status], [201, 201, 201]);

  const h = await get(`/v1/observations/history?metric=${M}&area=${HOME}&period=2020-04`, { key });
  assert.equal(h.status, 200);
  assert.equal(h.body.metric, M);
  assert.equal(h.body.area, HOME);
  assert.ok(h.body.items.every((i) => RFC3339_UTC.test(i.changed_at)), JSON.stringify(h.body.items));
  assert.deepEqual(h.body.items.map(({ changed_at: _, ...i }) => i), [
    { period: '2020-04', action: 'create', old_value: null, new_value: 100, old_status: null, new_status: 'provisional',
      partner: PARTNER, submission_id: created.body.id, reason: null, lock_override: false, old_note: null, new_note: null },
    { period: '2020-04', action: 'update', old_value: 100, new_value: 104, old_status: 'provisional', new_status: 'final',
      partner: PARTNER, submission_id: updated.body.id, reason: null, lock_override: false, old_note: null, new_note: null },
    { period: '2020-04', action: 'delete', old_value: 104, new_value: null, old_status: 'final', new_status: null,
      partner: PARTNER, submission_id: deleted.body.id, reason: 'sent for the wrong area', lock_override: false, old_note: null, new_note: null },
  ]);
  await conforms(h, ...HISTORY);

  const csv = await get(`/v1/observations/history?metric=${M}&area=${HOME}&period=2020-04&format=csv`, { key });
  assert.equal(csv.status, 200);
  // Each row names its cell, so the file stands alone (issue 13); old_note, new_note:
  // history records notes since issue 10; issue 11 added the suppressed column every
  // open read carries.
  assert.equal(csv.text, 'metric,area,breakdown,period,action,old_value,new_value,old_status,new_status,old_note,new_note,partner,submission_id,changed_at,reason,lock_override,suppressed\r\n' +
    `${M},${HOME},,2020-04,create,,100,,provisional,,,${PARTNER},${created.body.id},${h.body.items[0].changed_at},,false,\r\n` +
    `${M},${HOME},,2020-04,update,100,104,provisional,final,,,${PARTNER},${updated.body.id},${h.body.items[1].changed_at},,false,\r\n` +
    `${M},${HOME},,2020-04,delete,104,,final,,,,${PARTNER},${deleted.body.id},${h.body.items[2].changed_at},sent for the wrong area,false,\r\n`);
  await conforms(csv, ...HISTORY);

  const cell = await get(`/v1/observations/history?metric=${M}&area=${HOME}&breakdown=${DIM}=female`, { key });
  assert.deepEqual(cell.body.items.map((i) => [i.period, i.action, i.new_value]), [['2019-02', 'create', 6]]);
  await conforms(cell, ...HISTORY);

  const cached = await get(`/v1/observations/history?metric=${M}&area=${HOME}&period=2020-04`,
    { key, headers: { 'If-None-Match': h.headers.get('etag') } });
  assert.equal(cached.status, 304);
  await conforms(cached, ...HISTORY);

  for (const [q, detail] of [
    [`metric=${M}`, 'history needs metric= and area= (and period= for one period)'],
    [`metric=${M}&area=${HOME}&period=2020-13`, 'period=2020-13 is not a period: use a month 2019-01, a quarter 2019-Q1, a year 2019 or a financial year FY2019-20'],
    [`metric=${M}&area=${HOME}&breakdown=${DIM}`, `breakdown=${DIM}: name one cell, e.g. sex=female`],
  ]) {
    const bad = await get(`/v1/observations/history?${q}`, { key });
    assert.equal(bad.status, 400, q);
    assert.equal(bad.body.detail, detail);
    await conforms(bad, ...HISTORY);
  }
  // Issue 11: history follows the read rules of every other read. Reads are open here, so
  // no key is a 200 that names no partner (a closed server's 401 and 403 are tested in
  // disclosure.test.mjs).
  const none = await get(`/v1/observations/history?metric=${M}&area=${HOME}`);
  assert.equal(none.status, 200);
  assert.ok(none.body.items.length > 0 && none.body.items.every((i) => i.partner === null && i.submission_id === null));
  await conforms(none, ...HISTORY);
});

test('without the database, submissions and history answer a documented 503', async () => {
  const srv = await startServer({ WELLBEING_DATABASE_URL: 'host=/nonexistent dbname=none connect_timeout=1' });
  try {
    const post = await submit({ observations: [row('2020-05', 1)] }, { base: srv.base });
    assert.equal(post.status, 503);
    assert.equal(post.headers.get('retry-after'), '5');
    await conforms(post, ...POST);
    const h = await get(`/v1/observations/history?metric=${M}&area=${HOME}`, { base: srv.base, key });
    assert.equal(h.status, 503);
    await conforms(h, ...HISTORY);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

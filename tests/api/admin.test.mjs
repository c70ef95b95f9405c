// The admin routes: partners and grants, keys, period locks, targets, and the
// catalogue PUTs. Each write is checked by reading it back, each refusal by its status
// and its problem detail, and every write by the data version it bumps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ADMIN, api as request, conforms, makeKey, sql, unique } from './lib.mjs';
import { cleanAdminFixtures, DIMENSION, ensureAdminFixtures, PROGRAMME } from './admin_fixtures.mjs';

// The route pattern of an admin path, so that every admin answer below, refusals
// included, is also checked against the OpenAPI document.
function adminPattern(path) {
  const p = path.split('?')[0];
  if (!p.startsWith('/v1/admin/')) return null;
  return p.replace(/^(\/v1\/admin\/partners)\/[^/]+\/grants$/, '$1/{code}/grants')
    .replace(/^(\/v1\/admin\/(?:keys|locks))\/[^/]+$/, '$1/{id}')
    .replace(/^(\/v1\/admin\/(?:metrics|areas))\/[^/]+$/, '$1/{code}');
}

async function api(method, path, opts) {
  const r = await request(method, path, opts);
  const pattern = adminPattern(path);
  if (pattern) await conforms(r, method, pattern);
  return r;
}
const get = (path, opts) => api('GET', path, opts);
const post = (path, json, opts = {}) => api('POST', path, { ...opts, json });
const put = (path, json, opts = {}) => api('PUT', path, { ...opts, json });
const del = (path, opts = {}) => api('DELETE', path, opts);
const version = () => Number(sql('SELECT version FROM data_version')[0][0]);
const partnerCode = () => unique('admintest').toLowerCase();

const CA = 'E99000001';
const DISTRICT = 'E99000002';
const OTHER = 'E99000003';
const STOCK = `${PROGRAMME}.referrals`;
const FLOW = `${PROGRAMME}.sessions`;

const metricBody = (overrides = {}) => ({
  programme: PROGRAMME, name: 'Referrals to date', unit: 'count', frequency: 'monthly', kind: 'stock',
  ...overrides,
});

function assertProblem(r, status, detailPattern) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.body.status, status);
  if (detailPattern) assert.match(r.body.detail, detailPattern);
}

// The errors of a 422, as "pointer code" lines, sorted, for exact comparison.
const errorList = (r) => r.body.errors.map((e) => `${e.pointer ?? e.field} ${e.code}`).sort();

before(async () => {
  cleanAdminFixtures();
  ensureAdminFixtures();
  for (const [code, body] of [
    [CA, { name: 'Admin test authority', type: 'combined_authority' }],
    [DISTRICT, { name: 'Admin test district', type: 'metropolitan_district', parents: [{ code: CA, role: 'constituent', from: '2017-05-08' }] }],
    [OTHER, { name: 'Admin test county', type: 'county' }],
  ]) {
    const r = await put(`/v1/admin/areas/${code}`, body, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
  }
  for (const [code, body] of [[STOCK, metricBody()], [FLOW, metricBody({ name: 'Sessions held', kind: 'flow' })]]) {
    const r = await put(`/v1/admin/metrics/${code}`, body, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
  }
});

after(() => cleanAdminFixtures());

describe('admin routes refuse callers without the admin scope', () => {
  const routes = [
    ['GET', '/v1/admin/partners'], ['POST', '/v1/admin/partners'], ['POST', '/v1/admin/partners/x-partner/grants'],
    ['GET', '/v1/admin/keys'], ['POST', '/v1/admin/keys'], ['DELETE', '/v1/admin/keys/00000000-0000-0000-0000-000000000000'],
    ['GET', '/v1/admin/locks'], ['POST', '/v1/admin/locks'], ['DELETE', '/v1/admin/locks/1'],
    ['GET', '/v1/admin/targets'], ['POST', '/v1/admin/targets'],
    ['PUT', `/v1/admin/metrics/${STOCK}`], ['PUT', `/v1/admin/areas/${CA}`],
  ];
  let readKey, submitKey;
  before(async () => {
    const code = partnerCode();
    assert.equal((await post('/v1/admin/partners', { code, name: 'Scope test partner' }, { key: ADMIN })).status, 201);
    readKey = makeKey('admintest read', 'read');
    submitKey = makeKey('admintest submit', 'submit', code);
  });

  test('every admin route answers 401 with WWW-Authenticate when no key is sent', async () => {
    for (const [method, path] of routes) {
      const r = await api(method, path, method === 'GET' || method === 'DELETE' ? {} : { json: {} });
      assertProblem(r, 401, /API key/);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer', `${method} ${path}`);
    }
  });

  test('every admin route answers 403 naming the admin scope to a read key and to a submit key', async () => {
    for (const key of [readKey, submitKey]) {
      for (const [method, path] of routes) {
        const r = await api(method, path, method === 'GET' || method === 'DELETE' ? { key } : { key, json: {} });
        assertProblem(r, 403, /admin scope/);
      }
    }
  });

  test('a write refused for its scope changes nothing', async () => {
    const v = version();
    const code = partnerCode();
    const r = await post('/v1/admin/partners', { code, name: 'Never made' }, { key: readKey });
    assert.equal(r.status, 403);
    assert.deepEqual(sql(`SELECT count(*) FROM partners WHERE code = '${code}'`), [['0']]);
    assert.equal(version(), v);
  });
});

describe('request bodies', () => {
  test('a body sent as text/plain is a 415', async () => {
    const r = await api('POST', '/v1/admin/partners', {
      key: ADMIN, body: JSON.stringify({ code: partnerCode(), name: 'x' }), headers: { 'Content-Type': 'text/plain' },
    });
    assertProblem(r, 415, /application\/json/);
  });

  test('a body with no Content-Type is a 415', async () => {
    const r = await api('PUT', `/v1/admin/areas/${OTHER}`, { key: ADMIN, body: new Blob(['{}']) });
    assertProblem(r, 415);
  });

  test('Content-Type application/json with a charset is accepted', async () => {
    const code = partnerCode();
    const r = await api('POST', '/v1/admin/partners', {
      key: ADMIN, body: JSON.stringify({ code, name: 'Charset partner' }), headers: { 'Content-Type': 'Application/JSON; charset=utf-8' },
    });
    assert.equal(r.status, 201, r.text);
  });

  test('malformed JSON is a 400 naming the line and column', async () => {
    const r = await api('POST', '/v1/admin/partners', {
      key: ADMIN, body: '{\n  "code": "admintest-x",\n  "name": }', headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(r, 400, /^the body is not valid JSON: line 3, column 11: /);
  });

  test('a repeated member is a 400, not a silent choice of one', async () => {
    const r = await api('POST', '/v1/admin/partners', {
      key: ADMIN, body: '{"code": "admintest-a", "code": "admintest-b", "name": "x"}', headers: { 'Content-Type': 'application/json' },
    });
    assertProblem(r, 400, /duplicate object key/);
  });

  test('an empty body is a 400', async () => {
    const r = await api('POST', '/v1/admin/locks', { key: ADMIN, body: '', headers: { 'Content-Type': 'application/json' } });
    assertProblem(r, 400, /empty/);
  });

  test('JSON that is not an object is a 422', async () => {
    const r = await api('POST', '/v1/admin/keys', { key: ADMIN, json: ['read'] });
    assertProblem(r, 422, /JSON object/);
  });
});

describe('partners', () => {
  test('POST makes a partner (201) that the list then shows with no grants', async () => {
    const code = partnerCode();
    const v = version();
    const r = await post('/v1/admin/partners', { code, name: 'Birmingham Mind' }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(Object.keys(r.body).sort(), ['code', 'created_at', 'name', 'synthetic']);
    assert.equal(r.body.code, code);
    assert.equal(r.body.name, 'Birmingham Mind');
    assert.equal(r.body.synthetic, false);
    assert.match(r.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    assert.equal(version(), v + 1);
    const list = await get('/v1/admin/partners', { key: ADMIN });
    assert.equal(list.status, 200);
    const item = list.body.items.find((p) => p.code === code);
    assert.deepEqual(item, { ...r.body, grants: [] });
  });

  test('a synthetic partner is marked so', async () => {
    const code = partnerCode();
    const r = await post('/v1/admin/partners', { code, name: 'Benchmark generator', synthetic: true }, { key: ADMIN });
    assert.equal(r.status, 201);
    assert.equal(r.body.synthetic, true);
    assert.deepEqual(sql(`SELECT synthetic FROM partners WHERE code = '${code}'`), [['t']]);
  });

  test('a partner code that exists is a 409 and leaves the partner as it was', async () => {
    const code = partnerCode();
    assert.equal((await post('/v1/admin/partners', { code, name: 'First' }, { key: ADMIN })).status, 201);
    const v = version();
    const r = await post('/v1/admin/partners', { code, name: 'Second' }, { key: ADMIN });
    assertProblem(r, 409, new RegExp(`partner ${code} exists already`));
    assert.deepEqual(sql(`SELECT name FROM partners WHERE code = '${code}'`), [['First']]);
    assert.equal(version(), v);
  });

  test('a bad code and a blank name are both listed in one 422', async () => {
    const r = await post('/v1/admin/partners', { code: 'Bad Code!', name: '  ', colour: 'red' }, { key: ADMIN });
    assertProblem(r, 422, /3 problems/);
    assert.deepEqual(errorList(r), ['/code bad_format', '/colour unknown_field', '/name empty']);
    const codeError = r.body.errors.find((e) => e.pointer === '/code');
    assert.equal(codeError.field, 'code');
    assert.match(codeError.message, /"Bad Code!" must be 2 to 64 characters/);
  });

  test('a missing code and a name over 200 characters are a 422', async () => {
    const r = await post('/v1/admin/partners', { name: 'x'.repeat(201) }, { key: ADMIN });
    assertProblem(r, 422);
    assert.deepEqual(errorList(r), ['/code required', '/name too_long']);
  });

  test('a value the schema refuses past the checks in C is a 422 naming the rule, not a 500', async () => {
    // A rule the C checks do not know stands in for a constraint that slips through.
    sql("ALTER TABLE partners ADD CONSTRAINT admintest_refuse CHECK (name <> 'Refused by the schema')");
    try {
      const v = version();
      const code = partnerCode();
      const r = await post('/v1/admin/partners', { code, name: 'Refused by the schema' }, { key: ADMIN });
      assertProblem(r, 422);
      assert.equal(r.body.detail, 'the partner was refused by the catalogue rule admintest_refuse; nothing was saved');
      assert.deepEqual(sql(`SELECT count(*) FROM partners WHERE code = '${code}'`), [['0']]);
      assert.equal(version(), v);
    } finally {
      sql('ALTER TABLE partners DROP CONSTRAINT admintest_refuse');
    }
  });

  test('a name of 200 characters outside ASCII is within the limit (characters, not bytes)', async () => {
    const r = await post('/v1/admin/partners', { code: partnerCode(), name: 'é'.repeat(200) }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
  });
});

describe('grants', () => {
  let code;
  before(async () => {
    code = partnerCode();
    assert.equal((await post('/v1/admin/partners', { code, name: 'Grant test partner' }, { key: ADMIN })).status, 201);
  });

  test('a programme grant is 201 and shows in the partner list grouped by programme', async () => {
    const v = version();
    const r = await post(`/v1/admin/partners/${code}/grants`, { programme: PROGRAMME, areas: [DISTRICT, CA] }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body, { partner: code, programme: PROGRAMME, areas: [DISTRICT, CA] });
    assert.equal(version(), v + 1);
    const list = await get('/v1/admin/partners', { key: ADMIN });
    const item = list.body.items.find((p) => p.code === code);
    assert.deepEqual(item.grants, [{ programme: PROGRAMME, areas: [CA, DISTRICT] }]);
  });

  test('granting again is idempotent: 200, the same answer, no second row', async () => {
    const body = { programme: PROGRAMME, areas: [DISTRICT, DISTRICT] };
    const r = await post(`/v1/admin/partners/${code}/grants`, body, { key: ADMIN });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { partner: code, programme: PROGRAMME, areas: [DISTRICT] });
    assert.deepEqual(sql(`SELECT count(*) FROM partner_grants WHERE partner = '${code}' AND area = '${DISTRICT}'`), [['1']]);
  });

  test('a metric grant is 201 and listed apart from the programme grant', async () => {
    const r = await post(`/v1/admin/partners/${code}/grants`, { metric: FLOW, areas: [OTHER] }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body, { partner: code, metric: FLOW, areas: [OTHER] });
    const list = await get('/v1/admin/partners', { key: ADMIN });
    assert.deepEqual(list.body.items.find((p) => p.code === code).grants, [
      { programme: PROGRAMME, areas: [CA, DISTRICT] },
      { metric: FLOW, areas: [OTHER] },
    ]);
  });

  test('a grant for an unknown partner is a 404', async () => {
    const r = await post('/v1/admin/partners/admintest-nobody/grants', { programme: PROGRAMME, areas: [CA] }, { key: ADMIN });
    assertProblem(r, 404, /no partner admintest-nobody/);
  });

  test('an unknown programme and each unknown or malformed area are listed in one 422; nothing is granted', async () => {
    const v = version();
    const r = await post(`/v1/admin/partners/${code}/grants`,
      { programme: 'no_such_programme', areas: [CA, 'E99999998', 'birmingham', 'E99999999'] }, { key: ADMIN });
    assertProblem(r, 422, /4 problems/);
    assert.deepEqual(errorList(r), ['/areas/1 unknown_area', '/areas/2 bad_format', '/areas/3 unknown_area', '/programme unknown_programme']);
    assert.match(r.body.errors.find((e) => e.pointer === '/areas/3').message, /no area E99999999/);
    assert.equal(version(), v);
  });

  test('an unknown metric is a 422', async () => {
    const r = await post(`/v1/admin/partners/${code}/grants`, { metric: `${PROGRAMME}.nothing`, areas: [CA] }, { key: ADMIN });
    assertProblem(r, 422, /no metric admin_test\.nothing/);
    assert.deepEqual(errorList(r), ['/metric unknown_metric']);
  });

  test('naming both a programme and a metric, or neither, is a 422', async () => {
    for (const body of [{ programme: PROGRAMME, metric: FLOW, areas: [CA] }, { areas: [CA] }]) {
      const r = await post(`/v1/admin/partners/${code}/grants`, body, { key: ADMIN });
      assertProblem(r, 422, /either a programme or a metric/);
      assert.deepEqual(r.body.errors.map((e) => e.code), ['programme_or_metric']);
    }
  });

  test('an empty areas list is a 422', async () => {
    const r = await post(`/v1/admin/partners/${code}/grants`, { programme: PROGRAMME, areas: [] }, { key: ADMIN });
    assertProblem(r, 422);
    assert.deepEqual(errorList(r), ['/areas empty']);
  });
});

describe('keys', () => {
  test('POST makes a key shown once; only its lookup and SHA-256 are stored; it works', async () => {
    const v = version();
    const r = await post('/v1/admin/keys', { name: 'admintest ops', scopes: ['read', 'admin'] }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(Object.keys(r.body).sort(), ['created_at', 'id', 'key', 'name', 'partner', 'scopes']);
    assert.match(r.body.key, /^wbk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(r.body.scopes, ['read', 'admin']);
    assert.equal(r.body.partner, null);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(version(), v + 1);
    const sha = createHash('sha256').update(r.body.key).digest('hex');
    const [row] = sql(`SELECT lookup, encode(secret_hash, 'hex'), array_to_string(scopes, ',') FROM api_keys WHERE id = '${r.body.id}'`);
    assert.deepEqual(row, [r.body.key.slice(4, 20), sha, 'read,admin']);
    const use = await get('/v1/admin/keys', { key: r.body.key });
    assert.equal(use.status, 200);
  });

  test('the key list shows id, name, scopes, partner and times, never the key or its hash', async () => {
    const made = await post('/v1/admin/keys', { name: 'admintest listed', scopes: ['read'] }, { key: ADMIN });
    const r = await get('/v1/admin/keys', { key: ADMIN });
    assert.equal(r.status, 200);
    const item = r.body.items.find((k) => k.id === made.body.id);
    assert.deepEqual(item, {
      id: made.body.id, name: 'admintest listed', scopes: ['read'], partner: null,
      created_at: made.body.created_at, revoked_at: null, last_used_at: null,
    });
    assert.ok(!r.text.includes(made.body.key.slice(21)), 'the secret half never appears');
    assert.ok(!r.text.includes(made.body.key.slice(4, 20)), 'nor the lookup');
  });

  test('a submit key for a partner is made with that partner', async () => {
    const code = partnerCode();
    await post('/v1/admin/partners', { code, name: 'Key partner' }, { key: ADMIN });
    const r = await post('/v1/admin/keys', { name: 'admintest submit', scopes: ['submit'], partner: code }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.partner, code);
    const list = await get(`/v1/admin/keys?partner=${code}`, { key: ADMIN });
    assert.deepEqual(list.body.items.map((k) => k.id), [r.body.id]);
  });

  test('DELETE revokes a key (204); the key then gets 401; revoking again keeps the first time', async () => {
    const made = await post('/v1/admin/keys', { name: 'admintest revoked', scopes: ['admin'] }, { key: ADMIN });
    assert.equal((await get('/v1/admin/keys', { key: made.body.key })).status, 200);
    const v = version();
    const r = await del(`/v1/admin/keys/${made.body.id}`, { key: ADMIN });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal(version(), v + 1);
    const refused = await get('/v1/admin/keys', { key: made.body.key });
    assertProblem(refused, 401, /revoked/);
    const list = await get('/v1/admin/keys', { key: ADMIN });
    const revokedAt = list.body.items.find((k) => k.id === made.body.id).revoked_at;
    assert.match(revokedAt, /^\d{4}-/);
    assert.equal((await del(`/v1/admin/keys/${made.body.id}`, { key: ADMIN })).status, 204);
    const again = await get('/v1/admin/keys', { key: ADMIN });
    assert.equal(again.body.items.find((k) => k.id === made.body.id).revoked_at, revokedAt);
  });

  test('DELETE of an unknown key id is a 404, and so is a malformed id', async () => {
    assertProblem(await del('/v1/admin/keys/6a1f3c2e-0000-4000-8000-000000000000', { key: ADMIN }), 404, /no key/);
    assertProblem(await del('/v1/admin/keys/not-a-uuid', { key: ADMIN }), 404, /a key id is a uuid/);
    assertProblem(await del("/v1/admin/keys/1'%20OR%20'1'='1", { key: ADMIN }), 404);
  });

  test('a submit key without a partner is a 422 (unless it is also an admin key)', async () => {
    const r = await post('/v1/admin/keys', { name: 'admintest no partner', scopes: ['submit'] }, { key: ADMIN });
    assertProblem(r, 422, /a submit key writes as a partner/);
    assert.deepEqual(errorList(r), ['/partner required']);
    const ok = await post('/v1/admin/keys', { name: 'admintest admin submit', scopes: ['submit', 'admin'] }, { key: ADMIN });
    assert.equal(ok.status, 201, ok.text);
  });

  test('bad scopes, an unknown partner and a missing name are listed in one 422; no key is made', async () => {
    const before = sql('SELECT count(*) FROM api_keys')[0][0];
    const r = await post('/v1/admin/keys', { scopes: ['read', 'read', 'write'], partner: 'admintest-nobody' }, { key: ADMIN });
    assertProblem(r, 422, /4 problems/);
    assert.deepEqual(errorList(r), ['/name required', '/partner unknown_partner', '/scopes/1 duplicate', '/scopes/2 not_allowed']);
    assert.equal(sql('SELECT count(*) FROM api_keys')[0][0], before);
  });

  test('an empty scopes list is a 422', async () => {
    const r = await post('/v1/admin/keys', { name: 'admintest empty', scopes: [] }, { key: ADMIN });
    assert.deepEqual(errorList(r), ['/scopes empty']);
  });
});

describe('locks', () => {
  test('a metric lock is 201, stored as its start date, listed, and gone after DELETE (204)', async () => {
    const v = version();
    const r = await post('/v1/admin/locks', { metric: STOCK, period: '2019-02' }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(Object.keys(r.body).sort(), ['created_at', 'created_by', 'id', 'metric', 'period']);
    assert.equal(r.body.metric, STOCK);
    assert.equal(r.body.period, '2019-02');
    assert.equal(typeof r.body.id, 'number');
    assert.equal(version(), v + 1);
    assert.deepEqual(sql(`SELECT period_start::text, programme IS NULL FROM period_locks WHERE id = ${r.body.id}`), [['2019-02-01', 't']]);
    const list = await get(`/v1/admin/locks?metric=${STOCK}`, { key: ADMIN });
    assert.deepEqual(list.body.items, [r.body]);
    const gone = await del(`/v1/admin/locks/${r.body.id}`, { key: ADMIN });
    assert.equal(gone.status, 204);
    assert.equal(version(), v + 2);
    const after = await get(`/v1/admin/locks?metric=${STOCK}`, { key: ADMIN });
    assert.deepEqual(after.body.items, []);
    assertProblem(await del(`/v1/admin/locks/${r.body.id}`, { key: ADMIN }), 404, /no lock/);
  });

  test('a programme lock names the programme and a month', async () => {
    const r = await post('/v1/admin/locks', { programme: PROGRAMME, period: '2019-03' }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.programme, PROGRAMME);
    assert.equal(r.body.period, '2019-03');
    assert.equal(r.body.metric, undefined);
    const list = await get(`/v1/admin/locks?programme=${PROGRAMME}`, { key: ADMIN });
    assert.deepEqual(list.body.items.map((l) => [l.id, l.period]), [[r.body.id, '2019-03']]);
  });

  test('locking a locked period again is a 409 naming the lock', async () => {
    const first = await post('/v1/admin/locks', { metric: FLOW, period: '2018-12' }, { key: ADMIN });
    assert.equal(first.status, 201);
    const r = await post('/v1/admin/locks', { metric: FLOW, period: '2018-12' }, { key: ADMIN });
    assertProblem(r, 409, new RegExp(`locked for 2018-12 already \\(lock ${first.body.id}\\)`));
  });

  test('a period that is not a period is a 422 naming the value', async () => {
    const r = await post('/v1/admin/locks', { metric: STOCK, period: '2019-13' }, { key: ADMIN });
    assertProblem(r, 422, /period "2019-13" is not a period/);
    assert.deepEqual(errorList(r), ['/period bad_period']);
  });

  test('a period of another frequency than the metric is a 422', async () => {
    const r = await post('/v1/admin/locks', { metric: STOCK, period: '2019-Q1' }, { key: ADMIN });
    assertProblem(r, 422, /admin_test\.referrals is monthly/);
    const p = await post('/v1/admin/locks', { programme: PROGRAMME, period: 'FY2019-20' }, { key: ADMIN });
    assertProblem(p, 422, /a programme lock names a month/);
  });

  test('an unknown metric or programme is a 422', async () => {
    assert.deepEqual(errorList(await post('/v1/admin/locks', { metric: `${PROGRAMME}.nothing`, period: '2019-01' }, { key: ADMIN })), ['/metric unknown_metric']);
    assert.deepEqual(errorList(await post('/v1/admin/locks', { programme: 'no_such', period: '2019-01' }, { key: ADMIN })), ['/programme unknown_programme']);
  });

  test('DELETE of a lock id that is not a number is a 404', async () => {
    assertProblem(await del('/v1/admin/locks/first', { key: ADMIN }), 404, /a lock id is a whole number/);
    assertProblem(await del('/v1/admin/locks/99999999999999999999', { key: ADMIN }), 404);
  });
});

describe('targets', () => {
  const target = {
    metric: STOCK, area: CA, start: '2017-01', end: '2026-12', value: 500000, basis: 'level',
    milestones: [{ period: '2020-12', value: 100000 }, { period: '2018-12', value: 40000.5 }],
    source: 'Board paper, January 2019', note: 'ten-year ambition',
  };
  let made;

  test('POST makes a target (201) with its milestones in period order, defaults filled', async () => {
    const v = version();
    const r = await post('/v1/admin/targets', target, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    made = r.body;
    assert.equal(typeof made.id, 'number');
    assert.deepEqual({ ...made, id: 0, created_at: '' }, {
      id: 0, metric: STOCK, area: CA, start: '2017-01', end: '2026-12', value: 500000, basis: 'level',
      baseline: 0, amber_within: 0.1, milestones: [{ period: '2018-12', value: 40000.5 }, { period: '2020-12', value: 100000 }],
      source: 'Board paper, January 2019', note: 'ten-year ambition', created_at: '',
    });
    assert.equal(version(), v + 1);
    assert.deepEqual(sql(`SELECT start_period::text, end_period::text FROM targets WHERE id = ${made.id}`), [['2017-01-01', '2026-12-01']]);
  });

  test('GET lists targets by metric and area', async () => {
    const r = await get(`/v1/admin/targets?metric=${STOCK}&area=${CA}`, { key: ADMIN });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items, [made]);
    const none = await get(`/v1/admin/targets?metric=${STOCK}&area=${OTHER}`, { key: ADMIN });
    assert.deepEqual(none.body.items, []);
  });

  test('a second target for the same metric, area and window is a 409', async () => {
    const r = await post('/v1/admin/targets', target, { key: ADMIN });
    assertProblem(r, 409, new RegExp(`exists already \\(target ${made.id}\\)`));
  });

  test('a cumulative target of a flow with a baseline and amber band is kept as given', async () => {
    const r = await post('/v1/admin/targets', {
      metric: FLOW, area: DISTRICT, start: '2019-04', end: '2020-03', value: 1200, basis: 'cumulative', baseline: 10, amber_within: 0.05,
    }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.basis, 'cumulative');
    assert.equal(r.body.baseline, 10);
    assert.equal(r.body.amber_within, 0.05);
    assert.deepEqual(r.body.milestones, []);
  });

  test('every malformed field is listed in one 422', async () => {
    const r = await post('/v1/admin/targets', {
      metric: 'referrals', area: 'E99', start: '2017-13', end: '2026-12', value: '500000', basis: 'total',
      amber_within: 1, milestones: [{ period: '2020-12' }, 'x'],
    }, { key: ADMIN });
    assertProblem(r, 422, /8 problems/);
    assert.deepEqual(errorList(r), [
      '/amber_within out_of_range', '/area bad_format', '/basis not_allowed', '/metric bad_format',
      '/milestones/0/value required', '/milestones/1 wrong_type', '/start bad_period', '/value wrong_type',
    ]);
  });

  test('checks against the metric: frequency, order, basis, milestones inside the window', async () => {
    const r = await post('/v1/admin/targets', {
      metric: STOCK, area: CA, start: '2020-01', end: '2019-Q4', value: 1, basis: 'cumulative',
      milestones: [{ period: '2030-01', value: 5 }],
    }, { key: ADMIN });
    assertProblem(r, 422);
    // With the window itself wrong, milestones are not measured against it.
    assert.deepEqual(errorList(r), ['/basis not_allowed', '/end bad_period']);
    const order = await post('/v1/admin/targets', {
      metric: STOCK, area: CA, start: '2020-01', end: '2019-12', value: 1, basis: 'level', milestones: [{ period: '2019-06', value: 1 }],
    }, { key: ADMIN });
    assert.deepEqual(errorList(order), ['/end out_of_range']);
    const outside = await post('/v1/admin/targets', {
      metric: STOCK, area: CA, start: '2020-01', end: '2020-12', value: 1, basis: 'level',
      milestones: [{ period: '2021-01', value: 1 }, { period: '2020-06', value: 1 }, { period: '2020-06', value: 2 }],
    }, { key: ADMIN });
    assert.deepEqual(errorList(outside), ['/milestones/0/period out_of_range', '/milestones/2/period duplicate']);
  });

  test('an unknown metric or area is a 422', async () => {
    const r = await post('/v1/admin/targets', { ...target, metric: `${PROGRAMME}.nothing`, area: 'E99999999', milestones: [] }, { key: ADMIN });
    assert.deepEqual(errorList(r), ['/area unknown_area', '/metric unknown_metric']);
  });
});

describe('PUT metrics', () => {
  test('a new metric is 201, shows in /v1/metrics, and the /v1/metrics ETag changes', async () => {
    const code = `${PROGRAMME}.rate_pct`;
    const first = await get('/v1/metrics');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const body = {
      programme: PROGRAMME, name: 'Share referred', description: 'Referrals as a share of sessions', unit: 'percent',
      frequency: 'quarterly', kind: 'rate', polarity: 'lower_is_better', decimals: 1, source: 'Test source',
      active: true, headline: true, sort_order: 3, numerator: STOCK, denominator: FLOW, confidence_limits: true, dimensions: [DIMENSION],
    };
    const v = version();
    const r = await put(`/v1/admin/metrics/${code}`, body, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body, { code, ...body });
    assert.equal(version(), v + 1);
    const listed = await get('/v1/metrics', { headers: { 'If-None-Match': etag } });
    assert.equal(listed.status, 200, 'the old ETag no longer matches');
    assert.notEqual(listed.headers.get('etag'), etag);
    const item = listed.body.items.find((m) => m.code === code);
    const { sort_order: _, ...shown } = { code, ...body };
    assert.deepEqual(item, shown);
  });

  test('PUT of an existing metric replaces it (200); omitted fields go back to their defaults', async () => {
    const code = `${PROGRAMME}.replaced`;
    assert.equal((await put(`/v1/admin/metrics/${code}`, metricBody({ headline: true, dimensions: [DIMENSION], source: 'old' }), { key: ADMIN })).status, 201);
    const r = await put(`/v1/admin/metrics/${code}`, metricBody({ code, name: 'Renamed' }), { key: ADMIN });
    assert.equal(r.status, 200, r.text);
    const got = await get(`/v1/metrics/${code}`);
    assert.equal(got.body.name, 'Renamed');
    assert.equal(got.body.headline, false);
    assert.equal(got.body.source, '');
    assert.deepEqual(got.body.dimensions, []);
  });

  test('every malformed field is listed in one 422 and nothing is written', async () => {
    const code = `${PROGRAMME}.bad`;
    const v = version();
    const r = await put(`/v1/admin/metrics/${code}`, {
      programme: 'mhfa', name: '', unit: 'percent', frequency: 'weekly', kind: 'stock', decimals: 7,
      active: 'yes', numerator: STOCK, dimensions: [DIMENSION, DIMENSION], colour: 'blue',
    }, { key: ADMIN });
    assertProblem(r, 422, /10 problems/);
    assert.deepEqual(errorList(r), [
      '/active wrong_type', '/colour unknown_field', '/decimals out_of_range', '/denominator required',
      '/dimensions/1 duplicate', '/frequency not_allowed', '/kind not_allowed', '/name empty',
      '/numerator not_allowed', '/programme mismatch',
    ]);
    assert.deepEqual(sql(`SELECT count(*) FROM metrics WHERE code = '${code}'`), [['0']]);
    assert.equal(version(), v);
  });

  test('unknown programme, ratio metric and dimension are a 422', async () => {
    const r = await put('/v1/admin/metrics/no_such.thing', {
      programme: 'no_such', name: 'x', unit: 'percent', frequency: 'monthly', kind: 'rate',
      numerator: `${PROGRAMME}.nothing`, denominator: FLOW, dimensions: ['no_such_dim'],
    }, { key: ADMIN });
    assert.deepEqual(errorList(r), ['/dimensions/0 unknown_dimension', '/numerator unknown_metric', '/programme unknown_programme']);
  });

  test('a code in the path that is not a metric code, or differs from the body, is a 422', async () => {
    const bad = await put('/v1/admin/metrics/Referrals', metricBody(), { key: ADMIN });
    assertProblem(bad, 422, /the metric code Referrals in the path/);
    const differs = await put(`/v1/admin/metrics/${STOCK}`, metricBody({ code: FLOW }), { key: ADMIN });
    assert.deepEqual(errorList(differs), ['/code mismatch']);
  });

  test('a metric with figures keeps its frequency and the dimensions its figures use (409)', async () => {
    const code = `${PROGRAMME}.with_figures`;
    assert.equal((await put(`/v1/admin/metrics/${code}`, metricBody({ dimensions: [DIMENSION] }), { key: ADMIN })).status, 201);
    sql(`INSERT INTO observations (metric, area, period_start, breakdown_key, breakdown, value) VALUES ('${code}', '${CA}', '2019-01-01', '${DIMENSION}=yes', '{"${DIMENSION}": "yes"}', 7)`);
    const freq = await put(`/v1/admin/metrics/${code}`, metricBody({ frequency: 'quarterly', dimensions: [DIMENSION] }), { key: ADMIN });
    assertProblem(freq, 409, /its frequency stays monthly \(not quarterly\)/);
    const dims = await put(`/v1/admin/metrics/${code}`, metricBody(), { key: ADMIN });
    assertProblem(dims, 409, new RegExp(`broken down by ${DIMENSION}`));
    const rename = await put(`/v1/admin/metrics/${code}`, metricBody({ name: 'Still fine', dimensions: [DIMENSION] }), { key: ADMIN });
    assert.equal(rename.status, 200, rename.text);
  });
});

describe('PUT areas', () => {
  test('a new area is 201 with its parents named, and /v1/areas/{code} shows it', async () => {
    const code = 'E99000010';
    const v = version();
    const r = await put(`/v1/admin/areas/${code}`, {
      name: 'Admin test borough', type: 'metropolitan_district',
      parents: [{ code: CA, role: 'non_constituent', from: '2018-01-01', to: '2020-01-01' }, { code: OTHER, role: 'contains' }],
    }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body, {
      code, name: 'Admin test borough', type: 'metropolitan_district', parents: [
        { code: CA, name: 'Admin test authority', role: 'non_constituent', from: '2018-01-01', to: '2020-01-01' },
        { code: OTHER, name: 'Admin test county', role: 'contains', from: '1974-04-01', to: null },
      ],
    });
    assert.equal(version(), v + 1);
    const got = await get(`/v1/areas/${code}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.parents, r.body.parents);
  });

  test('PUT again replaces the name, type and parents (200)', async () => {
    const code = 'E99000011';
    await put(`/v1/admin/areas/${code}`, { name: 'Before', type: 'unitary', parents: [{ code: CA, role: 'observer' }] }, { key: ADMIN });
    const r = await put(`/v1/admin/areas/${code}`, { code, name: 'After', type: 'county', parents: [] }, { key: ADMIN });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { code, name: 'After', type: 'county', parents: [] });
    assert.deepEqual(sql(`SELECT count(*) FROM area_memberships WHERE child = '${code}'`), [['0']]);
  });

  test('bad type, role, dates and an unknown field are listed in one 422', async () => {
    const r = await put('/v1/admin/areas/E99000012', {
      name: 'x', type: 'town', parents: [{ code: CA, role: 'friend' }, { code: OTHER, role: 'observer', from: '2019-02-30' },
        { code: DISTRICT, role: 'observer', from: '2020-01-01', to: '2019-01-01' }, { code: 'E99000012', role: 'observer' }],
    }, { key: ADMIN });
    assertProblem(r, 422, /5 problems/);
    assert.deepEqual(errorList(r), ['/parents/0/role not_allowed', '/parents/1/from bad_date', '/parents/2/to out_of_range', '/parents/3/code not_allowed', '/type not_allowed']);
  });

  test('an unknown parent is a 422 and the area is not made', async () => {
    const r = await put('/v1/admin/areas/E99000013', { name: 'x', type: 'unitary', parents: [{ code: 'E99999999', role: 'observer' }] }, { key: ADMIN });
    assert.deepEqual(errorList(r), ['/parents/0/code unknown_area']);
    assert.equal((await get('/v1/areas/E99000013')).status, 404);
  });

  test('parents that would make an area its own ancestor are a 422 and nothing changes', async () => {
    const v = version();
    const r = await put(`/v1/admin/areas/${CA}`, { name: 'Admin test authority', type: 'combined_authority', parents: [{ code: DISTRICT, role: 'contains' }] }, { key: ADMIN });
    assertProblem(r, 422, /member of itself/);
    assert.deepEqual(errorList(r), ['/parents cycle']);
    assert.deepEqual(sql(`SELECT count(*) FROM area_memberships WHERE child = '${CA}'`), [['0']]);
    assert.equal(version(), v);
  });

  test('a malformed area code in the path is a 422', async () => {
    const r = await put('/v1/admin/areas/birmingham', { name: 'x', type: 'unitary' }, { key: ADMIN });
    assertProblem(r, 422, /the area code birmingham in the path/);
  });
});

describe('admin lists', () => {
  test('the partner list answers CSV too', async () => {
    const r = await get('/v1/admin/partners?format=csv', { key: ADMIN });
    assert.equal(r.status, 200);
    assert.equal(r.text.split('\r\n')[0], 'code,name,synthetic,created_at,grants');
  });

  test('a lock list carries an ETag that a lock write changes', async () => {
    const first = await get('/v1/admin/locks', { key: ADMIN });
    const etag = first.headers.get('etag');
    assert.ok(etag);
    assert.equal((await get('/v1/admin/locks', { key: ADMIN, headers: { 'If-None-Match': etag } })).status, 304);
    await post('/v1/admin/locks', { metric: FLOW, period: '2017-07' }, { key: ADMIN });
    assert.equal((await get('/v1/admin/locks', { key: ADMIN, headers: { 'If-None-Match': etag } })).status, 200);
  });
});

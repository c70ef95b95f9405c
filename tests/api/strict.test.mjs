// Issue 11's "Bad input" list, one test per problem: each is answered 4xx problem+json,
// and whatever could have been written (figures, receipts, bytes of body) is read back to
// prove nothing was.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { api, get, sql, makeKey, ADMIN, BASE } from './lib.mjs';

const COUNT = 'thrive.t_strict_count'; // count, monthly, by sex
const GBP = 'thrive.t_strict_gbp';     // gbp, monthly
const BHAM = 'E08000025';
let partnerKey;

before(() => {
  sql(`INSERT INTO programmes (code, name) VALUES ('thrive','Thrive') ON CONFLICT DO NOTHING;
       INSERT INTO areas (code, name, type) VALUES ('${BHAM}','Birmingham','metropolitan_district') ON CONFLICT DO NOTHING;
       INSERT INTO dimensions (code, name) VALUES ('sex','Sex') ON CONFLICT DO NOTHING;
       INSERT INTO dimension_categories (dimension, code, name) VALUES ('sex','female','Female'),('sex','male','Male') ON CONFLICT DO NOTHING;
       INSERT INTO metrics (code, programme, name, unit, frequency, kind) VALUES
         ('${COUNT}','thrive','Strict test count','count','monthly','flow'),
         ('${GBP}','thrive','Strict test spend','gbp','monthly','flow') ON CONFLICT DO NOTHING;
       INSERT INTO metric_dimensions VALUES ('${COUNT}','sex') ON CONFLICT DO NOTHING;
       INSERT INTO partners (code, name) VALUES ('t-strict','Strict test provider') ON CONFLICT DO NOTHING;
       INSERT INTO partner_grants (partner, programme, area) VALUES ('t-strict','thrive','${BHAM}') ON CONFLICT DO NOTHING;`);
  partnerKey = makeKey('t-strict-key', 'submit', 't-strict');
});

const figures = (metric) => Number(sql(`SELECT count(*) FROM observations WHERE metric='${metric}'`)[0][0]);
const receipts = () => Number(sql(`SELECT count(*) FROM submissions`)[0][0]);
const row = (metric, period, value, extra = {}) => ({ metric, area: BHAM, period, value, ...extra });

function isProblem(r, status) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.body.status, status);
  assert.ok(r.body.detail.length > 10, 'the detail says what to fix');
}

// One raw request over a socket; resolves to the whole answer as text (the server
// closes after it, or we stop after 3 s).
function raw(text) {
  const { hostname, port } = new URL(BASE);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => s.write(text));
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(out));
    s.on('error', reject);
    setTimeout(() => { s.destroy(); resolve(out); }, 3000);
  });
}

test('a finite pounds figure too large for its unit (1.5e154) is a 422, not a 500, and nothing is written', async () => {
  const before = [figures(GBP), receipts()];
  const r = await api('POST', '/v1/submissions', { key: partnerKey, json: { observations: [row(GBP, '2020-01', 1.5e154)] } });
  isProblem(r, 422);
  assert.equal(r.body.errors[0].code, 'out_of_range');
  assert.match(r.body.errors[0].message, /at most 1e15/);
  assert.equal(figures(GBP), before[0]);
  assert.equal(receipts(), before[1] + 1, 'only the refusal receipt');
});

test('an integer past 2^53 (9007199254740993) is refused, not rounded', async () => {
  const before = figures(COUNT);
  const r = await api('POST', '/v1/submissions', {
    key: partnerKey, body: `{"observations": [{"metric": "${COUNT}", "area": "${BHAM}", "period": "2020-01", "value": 9007199254740993}]}`,
    headers: { 'Content-Type': 'application/json' },
  });
  isProblem(r, 422);
  assert.equal(r.body.errors[0].code, 'out_of_range');
  assert.equal(figures(COUNT), before);
});

test('override_lock: "yes" is a 422 wrong_type, not silently false', async () => {
  const before = [figures(COUNT), receipts()];
  const r = await api('POST', '/v1/submissions', { key: ADMIN, json: { observations: [row(COUNT, '2020-01', 5)], override_lock: 'yes', reason: 'x' } });
  isProblem(r, 422);
  assert.deepEqual(r.body.errors.map((e) => [e.pointer, e.code]), [['/override_lock', 'wrong_type']]);
  assert.deepEqual([figures(COUNT), receipts()], before);
});

test('application/jsonx and text/csvfoo are 415, and a charset other than UTF-8 too', async () => {
  const before = [figures(COUNT), receipts()];
  const json = JSON.stringify({ observations: [row(COUNT, '2020-01', 5)] });
  for (const type of ['application/jsonx', 'text/csvfoo', 'application/json-seq', 'application/json; charset=latin1', 'text/csv, application/json']) {
    const r = await api('POST', '/v1/submissions', { key: partnerKey, body: json, headers: { 'Content-Type': type } });
    isProblem(r, 415);
  }
  const admin = await api('POST', '/v1/admin/partners', { key: ADMIN, body: '{"code": "t-jsonx", "name": "x"}', headers: { 'Content-Type': 'application/jsonx' } });
  isProblem(admin, 415);
  assert.deepEqual([figures(COUNT), receipts()], before);
  assert.deepEqual(sql(`SELECT code FROM partners WHERE code = 't-jsonx'`), []);
});

test('two Content-Length headers, or chunked with a length, are a 400 and the connection closes', async () => {
  const before = [figures(COUNT), receipts()];
  const body = JSON.stringify({ observations: [row(COUNT, '2020-02', 5)] });
  const head = `POST /v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${partnerKey}\r\nContent-Type: application/json\r\n`;
  const answers = [
    await raw(`${head}Content-Length: ${body.length}\r\nContent-Length: 5\r\n\r\n${body}`),
    await raw(`${head}Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
    await raw(`${head}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`),
  ];
  for (const a of answers) {
    assert.match(a, /^HTTP\/1\.1 400 /, a);
    assert.match(a, /\r\nContent-Type: application\/problem\+json/);
    assert.match(a, /\r\nConnection: close/i);
    assert.equal((a.match(/HTTP\/1\.1 \d{3} /g) || []).length, 1, 'no second answer: the body was not read as a request');
  }
  assert.deepEqual([figures(COUNT), receipts()], before);
});

// RFC 9112 sections 3.2, 5.1 and 6.1, each of which libmicrohttpd 0.9.75 let through: a
// space before the colon made "Content-Length : n" another header, so the body was read
// as a second request (two answers); a body in a coding it cannot read was waited for
// until the idle timeout.
test('header names with a space before the colon, control bytes in values, Host missing or twice, other transfer codings: refused before the body', async () => {
  const before = [figures(COUNT), receipts()];
  const inner = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  const head = (version = '1.1', host = 'Host: x\r\n') =>
    `POST /v1/submissions HTTP/${version}\r\n${host}Authorization: Bearer ${partnerKey}\r\nContent-Type: application/json\r\n`;
  const chunked = (body) => `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  const body = JSON.stringify({ observations: [row(COUNT, '2020-02', 5)] });
  const cases = [
    [`${head()}Content-Length : ${inner.length}\r\n\r\n${inner}`, 400, /space/],
    [`${head()}Transfer-Encoding : chunked\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 400, /space/],
    [`${head()}X-Note: a\rb\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 400, /control character/],
    [`${head('1.1', '')}Content-Length: ${body.length}\r\n\r\n${body}`, 400, /needs a Host/],
    [`${head('1.1', 'Host: x\r\nHost: y\r\n')}Content-Length: ${body.length}\r\n\r\n${body}`, 400, /more than one Host/],
    [`${head()}Transfer-Encoding: gzip, chunked\r\n\r\n${chunked(body)}`, 501, /only transfer coding/],
    [`${head()}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(body)}`, 400, /more than one Transfer-Encoding/],
    [`${head('1.0')}Transfer-Encoding: chunked\r\n\r\n${chunked(body)}`, 400, /not HTTP\/1\.0's/],
  ];
  for (const [request, status, detail] of cases) {
    const started = Date.now();
    const a = await raw(request);
    assert.match(a, new RegExp(`^HTTP/1\\.1 ${status} `), a.slice(0, 300));
    assert.match(a, /\r\nContent-Type: application\/problem\+json/);
    assert.match(a, /\r\nConnection: close/i);
    assert.match(JSON.parse(a.slice(a.indexOf('\r\n\r\n') + 4)).detail, detail);
    assert.equal((a.match(/HTTP\/1\.1 \d{3} /g) || []).length, 1, 'one answer: nothing inside was read as a request');
    assert.ok(Date.now() - started < 2500, 'answered at once, not after a wait for the body');
  }
  assert.deepEqual([figures(COUNT), receipts()], before);
  // What stays fine: Chunked in any case, HTTP/1.0 without Host, a tab in a value.
  const ok = await raw(`${head()}Transfer-Encoding: Chunked\r\nX-Note: a\tb\r\n\r\n${chunked(JSON.stringify({ observations: [row(COUNT, '2020-04', 5)] }))}`);
  assert.match(ok, /^HTTP\/1\.1 201 /, ok.slice(0, 300));
  const old = await raw('GET /healthz HTTP/1.0\r\n\r\n');
  assert.match(old, /^HTTP\/1\.1 200 /);
});

// libmicrohttpd 0.9.75 answers these itself, before any code of ours runs, with HTML
// pages that no option replaces: a Content-Length that is not a number, broken chunked
// framing, a request line or header block past its 32 KiB pool. Below the pool, long
// URLs and header blocks are ours, and answered as problem+json.
test("the library's own refusals stay refusals; long URLs and headers below its limit are problem+json", async () => {
  const before = [figures(COUNT), receipts()];
  const body = JSON.stringify({ observations: [row(COUNT, '2020-02', 5)] });
  const head = `POST /v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${partnerKey}\r\nContent-Type: application/json\r\n`;
  // The README's table of them, row by row: each is refused, in the library's HTML.
  const library = [
    [await raw(`${head}Content-Length: +${body.length}\r\n\r\n${body}`), 400],
    [await raw(`${head}Content-Length: 99999999999999999999999\r\n\r\n${body}`), 413],
    [await raw(`${head}Transfer-Encoding: chunked\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`), 400],
    [await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'), 400],
    [await raw(`GET /${'a'.repeat(40000)} HTTP/1.1\r\nHost: x\r\n\r\n`), 414],
    [await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`), 431],
    [await raw('GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n'), 505],
  ];
  for (const [a, status] of library) {
    assert.match(a, new RegExp(`^HTTP/1\\.1 ${status} `), a.slice(0, 200));
    assert.doesNotMatch(a, /problem\+json/, 'the library writes these itself');
  }
  assert.equal(await raw('GARBAGE\r\n\r\n'), '', 'a request line it cannot read: closed unanswered');
  assert.deepEqual([figures(COUNT), receipts()], before);
  const longUrl = await get(`/v1/observations?metric=${COUNT}&cursor=${'a'.repeat(9000)}`);
  isProblem(longUrl, 414);
  const bigHeaders = await get('/healthz', { headers: { 'X-Big': 'a'.repeat(17000) } });
  isProblem(bigHeaders, 431);
});

test('a refused submission keeps its receipt and errors but only an excerpt of its body', async () => {
  const bad = Array.from({ length: 6000 }, (_, i) => row(COUNT, '2020-03', -i - 1, { note: 'x'.repeat(20) }));
  const r = await api('POST', '/v1/submissions', { key: partnerKey, json: { observations: bad } });
  isProblem(r, 422);
  const sent = Buffer.byteLength(JSON.stringify({ observations: bad }));
  assert.ok(sent > 65536 * 4);
  assert.deepEqual(r.body.body, { bytes: sent, kept: r.body.body.kept });
  assert.ok(r.body.body.kept <= 65536 && r.body.body.kept > 65000, `kept ${r.body.body.kept}`);
  const [[stored, bytes]] = sql(`SELECT octet_length(payload), body_bytes FROM submissions WHERE id = '${r.body.id}'`);
  assert.equal(Number(stored), r.body.body.kept);
  assert.equal(Number(bytes), sent);
  const receipt = await get(`/v1/submissions/${r.body.id}`, { key: partnerKey });
  assert.equal(receipt.status, 200);
  assert.deepEqual(receipt.body.body, { bytes: sent, kept: r.body.body.kept });
  assert.ok(receipt.body.errors.length > 0);
  assert.equal(figures(COUNT) >= 0, true);
  assert.deepEqual(sql(`SELECT count(*) FROM observations WHERE metric='${COUNT}' AND period_start='2020-03-01'`), [['0']]);
});

test('updatedAfter is RFC 3339: yesterday and epoch are 400, on JSON and on a CSV export before any byte', async () => {
  for (const word of ['yesterday', 'epoch', 'now', '2019-01-01', '2019-01-01T00:00:00']) {
    const j = await get(`/v1/observations?metric=${COUNT}&updatedAfter=${encodeURIComponent(word)}`);
    isProblem(j, 400);
    assert.match(j.body.detail, /RFC 3339/);
    const c = await get(`/v1/observations?metric=${COUNT}&updatedAfter=${encodeURIComponent(word)}&format=csv`);
    isProblem(c, 400);
  }
  const ok = await get(`/v1/observations?metric=${COUNT}&updatedAfter=2019-01-01T00:00:00%2B01:00&format=csv`);
  assert.equal(ok.status, 200);
  assert.match(ok.text, /^metric,area,period/);
});

test('unknown query parameters are a 400 naming them: period= and perod= on observations', async () => {
  const a = await get(`/v1/observations?metric=${COUNT}&period=`);
  isProblem(a, 400);
  assert.match(a.body.detail, /^period is not a parameter of GET \/v1\/observations/);
  const b = await get(`/v1/observations?metric=${COUNT}&perod=2020-01`);
  isProblem(b, 400);
  assert.match(b.body.detail, /^perod is not a parameter/);
  const c = await get(`/v1/metrics/${COUNT}/areas?perod=2020-01`);
  isProblem(c, 400);
  assert.match(c.body.detail, /did you mean period\?/);
  const d = await get(`/v1/observations?metric=${COUNT}&metric=${GBP}`);
  isProblem(d, 400);
  assert.match(d.body.detail, /more than once/);
  const e = await get('/healthz?x=1');
  isProblem(e, 400);
});

// The route table (server/http/routes.c) and the spec must agree on each operation's
// query: a parameter the spec documents but the table lacks would refuse a documented
// request; one the table takes but the spec leaves out is undocumented. The refusal of
// an unknown parameter lists what the route takes, which is compared with the spec.
test('every operation takes exactly the query parameters the spec documents (and format=), and refuses another naming it', async () => {
  const spec = (await get('/openapi.json')).body;
  const param = (x) => (x.$ref ? spec.components.parameters[x.$ref.split('/').pop()] : x);
  const filled = { code: 'x', id: '1', file: 'app.js' };
  let checked = 0;
  for (const [pattern, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete'].includes(method)) continue;
      const documented = [...(item.parameters || []), ...(op.parameters || [])].map(param)
        .filter((x) => x.in === 'query').map((x) => x.name);
      const path = pattern.replace(/\{(\w+)\}/g, (_, n) => filled[n]);
      const r = await api(method.toUpperCase(), `${path}?zzqx=1`);
      if (pattern === '/' || pattern.startsWith('/dashboard/')) {
        assert.ok(r.status === 200 || r.status === 404, `${method} ${pattern}: the page takes any query (shared links): ${r.status}`);
        continue;
      }
      isProblem(r, 400);
      const m = r.body.detail.match(/^zzqx is not a parameter of (\w+) (\S+); it takes: (.*)$/);
      assert.ok(m, `${method} ${pattern}: ${r.body.detail}`);
      assert.deepEqual([m[1], m[2]], [method.toUpperCase(), pattern]);
      assert.deepEqual(m[3].split(', ').sort(), [...new Set([...documented, 'format'])].sort(), `${method} ${pattern}`);
      checked++;
    }
  }
  assert.ok(checked >= 30, `checked ${checked} operations`);
});

test('filter codes: malformed is a 400 naming the parameter, unknown a 404 naming the code', async () => {
  const cases = [
    [`/v1/observations?metric=THRIVE`, 400, /metric=THRIVE is not a metric code/],
    [`/v1/observations?metric=thrive.nope`, 404, /metric=thrive\.nope is not in the catalogue/],
    [`/v1/observations?area=E0800002`, 400, /area=E0800002 is not an ONS code/],
    [`/v1/observations?area=E08000099`, 404, /area=E08000099/],
    [`/v1/observations?metric=${COUNT}&breakdown=sex=femal`, 404, /femal is not a category of sex/],
    [`/v1/observations?metric=${COUNT}&breakdown=colour`, 404, /no dimension colour/],
    [`/v1/metrics?programme=thriv`, 404, /programme=thriv/],
  ];
  for (const [path, status, detail] of cases) {
    const r = await get(path);
    isProblem(r, status);
    assert.match(r.body.detail, detail, path);
  }
  const fine = await get(`/v1/observations?metric=${COUNT}&breakdown=sex=female`);
  assert.equal(fine.status, 200);
  for (const [path, status, detail] of [
    ['/v1/admin/responsibility?metric=thrive.nope', 404, /metric=thrive\.nope is not in the catalogue/],
    ['/v1/admin/responsibility?area=E0800002', 400, /area=E0800002 is not an ONS code/],
  ]) {
    const r = await get(path, { key: ADMIN });
    isProblem(r, status);
    assert.match(r.body.detail, detail, path);
  }
});

test('/dashboard/app.js%00.png is refused, not served as app.js', async () => {
  const r = await get('/dashboard/app.js%00.png');
  isProblem(r, 400);
  const plain = await get('/dashboard/app.js');
  assert.equal(plain.status, 200);
});

test('a key in a path is refused before any handler and never reaches the access log', async () => {
  const secretKey = makeKey('t-strict-leaked', 'read');
  assert.equal(secretKey.length, 4 + 16 + 1 + 43); // wbk_, the lookup, _, the secret
  const before = sql(`SELECT revoked_at IS NULL FROM api_keys WHERE name = 't-strict-leaked'`);
  const r = await api('DELETE', `/v1/admin/keys/${encodeURIComponent(secretKey)}`, { key: ADMIN });
  isProblem(r, 400);
  assert.match(r.body.detail, /looks like an API key/);
  assert.ok(!r.text.includes(secretKey.slice(21)), 'the answer does not echo it');
  const q = await get(`/v1/observations?metric=${COUNT}&cursor=x&key=${encodeURIComponent(secretKey)}`);
  isProblem(q, 400);
  assert.deepEqual(sql(`SELECT revoked_at IS NULL FROM api_keys WHERE name = 't-strict-leaked'`), before);
  const logged = await accessLog((l) => l.includes('/v1/admin/keys/[redacted]'));
  assert.ok(logged.length > 0, 'the refused request is logged, redacted');
  const log = readFileSync(new URL('../out/server.log', import.meta.url), 'utf8');
  assert.ok(!log.includes(secretKey.slice(21)), 'the secret is not in the log');
  assert.ok(!log.includes(secretKey.slice(4, 20)), 'nor the lookup part');
});

test('the access log counts the bytes of each body sent', async () => {
  const page = await get('/dashboard/app.js');
  const obs = await get(`/v1/observations?metric=${COUNT}&format=csv`);
  const problem = await get('/v1/observations?perod=1');
  await accessLog((l) => l.includes('"path":"/v1/observations"') && l.includes('"status":400') && l.includes(`"bytes":${Buffer.byteLength(problem.text)}`));
  const lines = await accessLog((l) => l.includes('"path":"/dashboard/app.js"') || l.includes('"path":"/v1/observations"'));
  const bytes = (pred) => lines.filter(pred).map((l) => JSON.parse(l).bytes);
  assert.ok(bytes((l) => l.includes('app.js') && l.includes('"status":200')).includes(Buffer.byteLength(page.text)));
  assert.ok(bytes((l) => l.includes('"status":400')).includes(Buffer.byteLength(problem.text)));
  assert.ok(bytes((l) => l.includes('/v1/observations') && l.includes('"status":200')).includes(Buffer.byteLength(obs.text)));
});

// The access log of the server run.sh started (its stdout), waiting up to 2 s for the
// lines of requests just answered.
async function accessLog(pred) {
  const file = new URL('../out/server.log', import.meta.url);
  let lines = [];
  for (let i = 0; i < 30; i++) {
    lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{') && l.includes('"event":"request"') && pred(l));
    if (lines.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return lines;
}

// The catalogue routes, health, errors as problem+json, CSV and ETags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from './lib.mjs';

test('healthz answers 200 without touching the database', async () => {
  const r = await get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
});

test('readyz answers 200 when the database is reachable', async () => {
  const r = await get('/readyz');
  assert.equal(r.status, 200);
});

test('an unknown route is a 404 problem+json naming the path', async () => {
  const r = await get('/v1/nowhere');
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.body.status, 404);
  assert.match(r.body.detail, /\/v1\/nowhere/);
});

test('a known path with the wrong method is a 405 with Allow', async () => {
  const r = await fetch(process.env.BASE + '/v1/metrics', { method: 'DELETE' });
  assert.equal(r.status, 405);
  assert.match(r.headers.get('allow'), /GET/);
});

test('an unknown metric is a 404 problem', async () => {
  const r = await get('/v1/metrics/no.such_metric');
  assert.equal(r.status, 404);
  assert.equal(r.body.title, 'Not found');
});

test('a collection answers CSV by ?format=csv and by Accept', async () => {
  for (const [path, headers] of [['/v1/programmes?format=csv', {}], ['/v1/programmes', { Accept: 'text/csv' }]]) {
    const r = await get(path, { headers });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.equal(r.text.split('\r\n')[0], 'code,name,metrics,description');
  }
});

test('an unknown format is a 400', async () => {
  const r = await get('/v1/metrics?format=xml');
  assert.equal(r.status, 400);
});

test('a GET carries an ETag and If-None-Match gives 304', async () => {
  const first = await get('/v1/metrics');
  const etag = first.headers.get('etag');
  assert.ok(etag);
  const again = await get('/v1/metrics', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const csv = await get('/v1/metrics?format=csv');
  assert.notEqual(csv.headers.get('etag'), etag, 'CSV and JSON are different representations');
});

test('a malformed period in a query is a 400 naming the value', async () => {
  const r = await get('/v1/observations?from=2019-13');
  assert.equal(r.status, 400);
  assert.match(r.body.detail, /from=2019-13/);
});

test('prometheus metrics are text with TYPE lines and route labels', async () => {
  await get('/v1/programmes');
  const r = await get('/metrics');
  assert.equal(r.status, 200);
  assert.match(r.text, /^# TYPE wellbeing_http_requests_total counter$/m);
  assert.match(r.text, /wellbeing_http_requests_total\{route="GET \/v1\/programmes",status="200"\} \d+/);
});

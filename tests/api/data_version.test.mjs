// Data-Version and Min-Data-Version on one process with no replica: every /v1 answer
// names the version it reflects, a write the version it created, and Min-Data-Version
// is honoured (here always by the primary) or refused when it is not a version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, get, post, sql } from './lib.mjs';

const version = (r) => Number(r.headers.get('data-version'));
const dbVersion = () => Number(sql('SELECT version FROM data_version')[0][0]);

test('every /v1 answer carries the data version, errors included; other routes do not', async () => {
  // The server learns of a write made outside it (an earlier file's psql or CLI step)
  // by the database's notification, a moment later: wait for that before comparing.
  const now = dbVersion();
  for (let i = 0; i < 100 && version(await get('/v1/programmes')) !== now; i++) await new Promise((r) => setTimeout(r, 20));
  for (const path of ['/v1/programmes', '/v1/dashboard', '/v1/metrics/mhfa.people_trained/series?area=E47000007',
    '/v1/observations?metric=mhfa.people_trained', '/v1/metrics/nope', '/v1/observations?from=2019-13']) {
    const r = await get(path);
    assert.equal(version(r), now, `${path} (${r.status})`);
  }
  assert.equal((await get('/v1/submissions')).headers.get('data-version'), String(now), '401 too');
  for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) {
    assert.equal((await get(path)).headers.get('data-version'), null, path);
  }
});

test('a write answers with the version it created, and a read asked for it sees the write', async () => {
  const before = dbVersion();
  const w = await post('/v1/submissions', { observations: [
    { metric: 'thrive.ips_referrals', area: 'E08000030', period: '2022-05', value: 55 }] }, { key: ADMIN });
  assert.equal(w.status, 201, w.text);
  assert.equal(version(w), dbVersion());
  assert.ok(version(w) > before);
  const r = await get('/v1/observations?metric=thrive.ips_referrals&area=E08000030&from=2022-05&to=2022-05',
    { headers: { 'Min-Data-Version': String(version(w)) } });
  assert.equal(r.status, 200);
  assert.ok(version(r) >= version(w));
  assert.deepEqual(r.body.items.map((o) => o.value), [55]);
});

test('a Min-Data-Version beyond any write is answered from the newest data there is', async () => {
  const now = dbVersion();
  const r = await get('/v1/dashboard', { headers: { 'Min-Data-Version': String(now + 1000) } });
  assert.equal(r.status, 200);
  assert.equal(version(r), now, 'the version the data really has, not the one asked for');
});

test('a Min-Data-Version that is not a version is a 400 problem naming the header', async () => {
  for (const bad of ['0', '-3', 'v12', '12abc', '99999999999999999999']) {
    const r = await get('/v1/programmes', { headers: { 'Min-Data-Version': bad } });
    assert.equal(r.status, 400, bad);
    assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
    assert.match(r.body.detail, /Min-Data-Version/);
  }
});

test('a dry run creates no version, and says the version the data still has', async () => {
  const before = dbVersion();
  const r = await post('/v1/submissions?dryRun=true', { observations: [
    { metric: 'thrive.ips_referrals', area: 'E08000030', period: '2022-06', value: 56 }] }, { key: ADMIN });
  assert.equal(r.status, 200, r.text);
  assert.equal(dbVersion(), before, 'nothing was written');
  assert.equal(version(r), before);
});

test('a 304 carries the Data-Version its ETag names, and a cached answer the same as a fresh one', async () => {
  const now = dbVersion();
  const path = '/v1/metrics/mhfa.people_trained/series?area=E47000007';
  const first = await get(path);
  const again = await get(path); // the process's cache answers this one
  assert.equal(first.status, 200);
  assert.equal(again.headers.get('etag'), first.headers.get('etag'));
  assert.equal(version(again), now);
  const etag = first.headers.get('etag');
  assert.match(etag, new RegExp(`^"v${now}-`), 'the ETag names the version the Data-Version says');
  const revalidated = await get(path, { headers: { 'If-None-Match': etag, 'Min-Data-Version': String(now) } });
  assert.equal(revalidated.status, 304);
  assert.equal(version(revalidated), now);
  assert.equal(revalidated.headers.get('etag'), etag);
  assert.equal(revalidated.headers.get('cache-control'), 'no-cache');
  assert.match(revalidated.headers.get('vary'), /Authorization/);
  // A write moves the version on: the held ETag no longer matches, and the new answer says so.
  const w = await post('/v1/submissions', { observations: [
    { metric: 'thrive.ips_referrals', area: 'E08000030', period: '2022-07', value: 57 }] }, { key: ADMIN });
  assert.equal(w.status, 201, w.text);
  const fresh = await get(path, { headers: { 'If-None-Match': etag } });
  assert.equal(fresh.status, 200);
  assert.equal(version(fresh), version(w));
  assert.match(fresh.headers.get('etag'), new RegExp(`^"v${version(w)}-`));
});

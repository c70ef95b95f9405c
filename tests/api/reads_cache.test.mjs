// ETags, 304s and the response cache: a repeat read is answered from memory without
// the database, a write makes every older answer stale at once, and answers to
// different questions never mix.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { DBURL, get, sql, startServer } from './lib.mjs';
import { A, cleanup, row, setupGeography, setupMetrics, waitForVersion, within, write } from './reads_fixture.mjs';

const P = 'rc';

before(async () => {
  setupGeography();
  setupMetrics(P, [['rc.count', 'stock', 'count', { headline: true, sort: 1 }]]);
  await write([row('rc.count', A.alpha, '2019-01', 10), row('rc.count', A.alpha, '2019-02', 12)]);
});

after(() => cleanup([P]));


const cacheHits = async (base) => {
  const r = await get('/metrics', base ? { base } : undefined);
  return Number(r.text.match(/^wellbeing_cache_requests_total\{result="hit"\} (\d+)$/m)[1]);
};

// Holds an exclusive lock on every table the reads use for some seconds; resolves
// once the lock is held, to {released}: a promise of the lock's end. (Not the promise
// itself, which an async function would wait for.)
async function lockTables(seconds) {
  const child = spawn('psql', [DBURL, '-XAtq', '-c',
    'BEGIN; LOCK TABLE observations, metrics, metric_dimensions, programmes, areas, area_memberships, ' +
    `targets, target_milestones IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(${seconds}); COMMIT;`], { stdio: 'ignore' });
  const released = new Promise((res) => child.on('exit', res));
  for (let i = 0; i < 200; i++) {
    const held = sql(`SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
      WHERE c.relname = 'observations' AND l.mode = 'AccessExclusiveLock' AND l.granted`)[0][0];
    if (held === '1') return { released };
    await new Promise((res) => setTimeout(res, 20));
  }
  child.kill();
  throw new Error('could not take the table locks');
}

test('a repeat read is answered from memory: it completes while the tables it reads are locked', async () => {
  // The miss below must outwait the 3 s lock to show it read the tables; with the
  // default 2 s lock limit it would get a 503 instead (holds.test.mjs tests that).
  const srv = await startServer({ WELLBEING_LOCK_TIMEOUT_MS: '10000' });
  try {
    const url = `/v1/metrics/rc.count/series?area=${A.alpha}`;
    const first = await get(url, { base: srv.base });
    assert.equal(first.status, 200);
    const board = await get(`/v1/dashboard?area=${A.alpha}`, { base: srv.base });
    assert.equal(board.status, 200);
    const hits = await cacheHits(srv.base);
    const { released } = await lockTables(3);
    const again = await within(1500, get(url, { base: srv.base }));
    const boardAgain = await within(1500, get(`/v1/dashboard?area=${A.alpha}`, { base: srv.base }));
    // A question not asked before has to read the tables, so it waits for the lock:
    // proof that the two answers above did not read them.
    const miss = get(`${url}&last=1`, { base: srv.base });
    const blocked = await within(500, miss);
    await released;
    assert.ok(again.done, 'the repeat series read waited on the database');
    assert.equal(again.value.status, 200);
    assert.equal(again.value.text, first.text);
    assert.ok(boardAgain.done, 'the repeat board view waited on the database');
    assert.equal(boardAgain.value.text, board.text);
    assert.equal(await cacheHits(srv.base), hits + 2);
    assert.equal(blocked.done, false, 'a new question did not wait for the locked tables');
    assert.equal((await miss).status, 200);
  } finally {
    await srv.stop();
  }
});

test('If-None-Match gives 304 until a write, then 200 with the new figure and a new ETag', async () => {
  const url = `/v1/dashboard?area=${A.alpha}`;
  const first = await get(url);
  const etag = first.headers.get('etag');
  assert.match(etag, /^"v\d+-[0-9a-f]{16}"$/);
  const tile = (b) => b.programmes.find((p) => p.code === P).metrics[0];
  assert.equal(tile(first.body).latest.value, 12);
  const same = await get(url, { headers: { 'If-None-Match': etag } });
  assert.equal(same.status, 304);
  assert.equal(same.text, '');
  assert.equal(same.headers.get('etag'), etag);
  await write([row('rc.count', A.alpha, '2019-03', 15)]);
  const changed = await get(url, { headers: { 'If-None-Match': etag } });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get('etag'), etag);
  assert.equal(tile(changed.body).latest.value, 15);
  assert.equal(tile(changed.body).change, 3);
});

test('a cached series is never served after a write changed its figures', async () => {
  const url = `/v1/metrics/rc.count/series?area=${A.alpha}&from=2019-01&to=2019-01`;
  assert.deepEqual((await get(url)).body.points.map((p) => p.value), [10]);
  assert.deepEqual((await get(url)).body.points.map((p) => p.value), [10]);
  await write([row('rc.count', A.alpha, '2019-01', 11)]);
  assert.deepEqual((await get(url)).body.points.map((p) => p.value), [11]);
});

test('the same question in another order is one cache entry; another question is not', async () => {
  const a = await get(`/v1/metrics/rc.count/series?area=${A.alpha}&last=1`);
  const hits = await cacheHits();
  const b = await get(`/v1/metrics/rc.count/series?last=1&area=${A.alpha}`);
  assert.equal(b.text, a.text);
  assert.equal(await cacheHits(), hits + 1);
  const c = await get(`/v1/metrics/rc.count/series?area=${A.alpha}&last=2`);
  assert.equal(c.body.points.length, 2);
  assert.equal(await cacheHits(), hits + 1);
});

test('an answer to a bad question is not kept', async () => {
  const bad = await get('/v1/metrics/rc.no_such/series');
  assert.equal(bad.status, 404);
  const hits = await cacheHits();
  assert.equal((await get('/v1/metrics/rc.no_such/series')).status, 404);
  assert.equal(await cacheHits(), hits);
});

test('a server that has not heard of a write made elsewhere catches up within a moment', async () => {
  // Written straight to the database, as another server process would: the LISTEN
  // channel tells this one, with no read going stale for longer than that.
  const url = `/v1/metrics/rc.count/series?area=${A.alpha}&from=2019-02&to=2019-02`;
  assert.deepEqual((await get(url)).body.points.map((p) => p.value), [12]);
  const [[v]] = sql(`UPDATE observations SET value = 13 WHERE metric = 'rc.count' AND area = '${A.alpha}'
      AND period_start = '2019-02-01'; UPDATE data_version SET version = version + 1 RETURNING version`);
  await waitForVersion(Number(v));
  assert.deepEqual((await get(url)).body.points.map((p) => p.value), [13]);
});

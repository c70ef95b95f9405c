// The many-machine shape on loopback (tests/cluster/run.sh starts it): a primary, a
// streaming replica, PgBouncer, two wellbeingd processes and HAProxy. The tests run in
// order, one after another, since they stop and start parts of the one cluster.
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN, API, BOUNCER_ADMIN, LB, PRIMARY, REPLICA, cluster, get, load, metric, sleep, sql, submit, until,
} from './lib.mjs';

const ONE = API[1];
const TWO = API[2];
const figures = (r) => (r.body?.items ?? []).map((o) => `${o.area} ${o.period} ${o.value}`);
const obsPath = (area, period) => `/v1/observations?metric=thrive.ips_referrals&area=${area}&from=${period}&to=${period}`;
const replicaReads = async () => (await metric(ONE, 'wellbeing_db_reads_total{database="replica"}'))
  + (await metric(TWO, 'wellbeing_db_reads_total{database="replica"}'));
const primaryReads = async () => (await metric(ONE, 'wellbeing_db_reads_total{database="primary"}'))
  + (await metric(TWO, 'wellbeing_db_reads_total{database="primary"}'));
const replicaState = async (base) => (await get(base, '/readyz')).body?.databases?.replica;
const replicaBackEverywhere = () => until(15000, async () => {
  const [a, b] = [await replicaState(ONE), await replicaState(TWO)];
  return a?.status === 'ok' && b?.status === 'ok' && a.behind_versions === 0 && b.behind_versions === 0;
});

test('every process reads from a streaming replica and reaches the primary through PgBouncer', async () => {
  assert.deepEqual(sql(REPLICA, 'SELECT pg_is_in_recovery()'), [['t']]);
  assert.deepEqual(sql(PRIMARY, "SELECT state FROM pg_stat_replication"), [['streaming']]);
  for (const base of [ONE, TWO]) {
    const ready = await get(base, '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.databases.primary.status, 'ok');
    assert.equal(ready.body.databases.replica.status, 'ok');
  }
  // Session pooling: each process's pool and listener are PgBouncer clients.
  const pools = sql(BOUNCER_ADMIN, 'SHOW POOLS');
  const wellbeing = pools.find((p) => p[0] === 'wellbeing');
  assert.ok(wellbeing && Number(wellbeing[2]) >= 2, `PgBouncer's clients: ${JSON.stringify(pools)}`);
  assert.ok(Number(sql(REPLICA, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'wellbeingd'")[0][0]) >= 2);

  const before = { replica: await replicaReads(), primary: await primaryReads() };
  for (let i = 1; i <= 20; i++) assert.equal((await get(LB, `/v1/observations?metric=thrive.ips_referrals&limit=${i}`)).status, 200);
  assert.equal((await replicaReads()) - before.replica, 20, 'twenty reads through HAProxy, twenty on the replica');
  assert.equal((await primaryReads()) - before.primary, 0);
});

test('read-your-writes through the other process with Min-Data-Version, also while replay is paused', async () => {
  const w = await submit(ONE, [{ metric: 'thrive.ips_referrals', area: 'E08000026', period: '2021-01', value: 101 }]);
  assert.equal(w.status, 201, w.text);
  assert.ok(w.version > 0, 'a write answers with the version it created');
  const r = await get(TWO, obsPath('E08000026', '2021-01'), { headers: { 'Min-Data-Version': String(w.version) } });
  assert.equal(r.status, 200);
  assert.ok(r.version >= w.version);
  assert.deepEqual(figures(r), ['E08000026 2021-01 101']);

  cluster('replay-pause');
  try {
    const paused = await until(3000, async () => (await replicaState(TWO))?.replay_paused);
    assert.ok(paused, 'the watcher sees replay paused');
    const w2 = await submit(ONE, [{ metric: 'thrive.ips_referrals', area: 'E08000026', period: '2021-02', value: 202 }]);
    assert.equal(w2.status, 201, w2.text);

    // A plain read is not held up: the replica answers at once, at its own version.
    let t = Date.now();
    const stale = await get(TWO, obsPath('E08000026', '2021-02'));
    assert.equal(stale.status, 200);
    assert.ok(Date.now() - t < 1000);
    assert.ok(stale.version < w2.version, `replica at ${stale.version}, write at ${w2.version}`);
    assert.deepEqual(figures(stale), []);

    // With Min-Data-Version the primary answers after the brief wait.
    const behindBefore = await metric(TWO, 'wellbeing_replica_fallbacks_total{reason="behind"}');
    t = Date.now();
    const fresh = await get(TWO, obsPath('E08000026', '2021-02'), { headers: { 'Min-Data-Version': String(w2.version) } });
    assert.equal(fresh.status, 200);
    assert.ok(Date.now() - t < 1000);
    assert.ok(fresh.version >= w2.version);
    assert.deepEqual(figures(fresh), ['E08000026 2021-02 202']);
    assert.equal(await metric(TWO, 'wellbeing_replica_fallbacks_total{reason="behind"}'), behindBefore + 1);
    // A client revalidating that answer names its version in the ETag: the paused
    // replica, behind it, does not hand it older data (a 200 going back in time); the
    // primary says nothing changed.
    const held = await get(TWO, obsPath('E08000026', '2021-02'), { headers: { 'If-None-Match': fresh.headers.get('etag') } });
    assert.equal(held.status, 304, `revalidating ${fresh.headers.get('etag')}`);
    assert.equal(held.version, fresh.version);
    assert.equal(held.headers.get('etag'), fresh.headers.get('etag'));
    // The same through HAProxy, whichever process answers, and for a cached route.
    for (let i = 0; i < 4; i++) {
      const viaLb = await get(LB, '/v1/dashboard?area=E08000026', { headers: { 'Min-Data-Version': String(w2.version) } });
      assert.equal(viaLb.status, 200);
      assert.ok(viaLb.version >= w2.version);
    }
    let state;
    const behind = await until(2000, async () => {
      state = await replicaState(TWO);
      return state.behind_versions >= 1 && state.lag_seconds > 0;
    });
    assert.ok(behind, `readyz while paused: ${JSON.stringify(state)}`);
    assert.match((await get(TWO, '/metrics')).text, /^wellbeing_replica_replay_paused 1$/m);
  } finally {
    cluster('replay-resume');
  }
  const caughtUp = await until(3000, async () => figures(await get(TWO, obsPath('E08000026', '2021-02'))).length === 1);
  assert.ok(caughtUp, 'once replay resumes, plain reads show the write');
});

test('a Min-Data-Version that is not a version is a 400 naming the header', async () => {
  const r = await get(LB, '/v1/programmes', { headers: { 'Min-Data-Version': 'yesterday' } });
  assert.equal(r.status, 400);
  assert.match(r.body.detail, /Min-Data-Version/);
});

test('a cached board view in one process is refreshed by a write through the other within a second', async () => {
  const path = '/v1/dashboard?area=E08000027';
  const tile = (r) => r.body.programmes.flatMap((p) => p.metrics).find((m) => m.metric === 'thrive.ips_referrals');
  const first = await get(TWO, path);
  assert.equal(first.status, 200);
  const hits = await metric(TWO, 'wellbeing_cache_requests_total{result="hit"}');
  const again = await get(TWO, path);
  assert.equal(await metric(TWO, 'wellbeing_cache_requests_total{result="hit"}'), hits + 1, 'the second read is a cache hit');
  assert.notEqual(tile(again).latest?.value, 4321);

  const w = await submit(ONE, [{ metric: 'thrive.ips_referrals', area: 'E08000027', period: '2026-06', value: 4321 }]);
  assert.equal(w.status, 201, w.text);
  const written = Date.now();
  const seen = await until(3000, async () => {
    const r = await get(TWO, path);
    return tile(r).latest?.value === 4321 ? r : null;
  }, 20);
  const ms = Date.now() - written;
  assert.ok(seen, 'the other process shows the write');
  assert.ok(ms <= 1000, `shown after ${ms} ms`);
  assert.ok(seen.version >= w.version);
  console.log(`# cache coherence: the write through process 1 showed in process 2's board view after ${ms} ms`);
});

test('a read on the replica keeps the lock limit: behind a lock replayed from the primary it answers 503 busy', async () => {
  // An ACCESS EXCLUSIVE lock taken on the primary is replayed on the replica, where it
  // holds back every read of the table until the primary's transaction ends. The
  // replica's connections carry WELLBEING_LOCK_TIMEOUT_MS (2 s) as the primary's do, so
  // the read gives up then instead of waiting out the 20 s the lock is held.
  const locker = spawn('psql', [PRIMARY, '-XAtq', '-c',
    'BEGIN; LOCK TABLE observations IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(20); COMMIT;'],
  { env: { ...process.env, PGAPPNAME: 'cluster-test-locker' }, stdio: 'ignore' });
  const ended = new Promise((resolve) => locker.on('exit', resolve));
  try {
    const replayed = await until(10000, () => Number(sql(REPLICA, "SELECT count(*) FROM pg_locks WHERE relation = 'observations'::regclass AND mode = 'AccessExclusiveLock'")[0][0]) > 0);
    assert.ok(replayed, 'the replica holds the lock the primary took');
    const t = Date.now();
    const r = await get(ONE, '/v1/observations?metric=thrive.ips_referrals&limit=77');
    const ms = Date.now() - t;
    assert.equal(r.status, 503, r.text);
    assert.match(r.body.detail, /busy/);
    assert.ok(r.headers.get('retry-after'));
    assert.ok(ms >= 1500 && ms < 12000, `answered after ${ms} ms (the limit is 2000 ms, the lock 20 s)`);
  } finally {
    sql(PRIMARY, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cluster-test-locker'");
    await ended;
  }
  const back = await until(5000, async () => (await get(ONE, '/v1/observations?metric=thrive.ips_referrals&limit=77')).status === 200);
  assert.ok(back, 'once the lock is gone the same read is answered');
});

test('the replica stopped and started again under load: every request answered, reads return to it', async () => {
  const downBefore = await metric(ONE, 'wellbeing_replica_fallbacks_total{reason="down"}')
    + await metric(TWO, 'wellbeing_replica_fallbacks_total{reason="down"}');
  const l = load({ workers: 6 });
  await until(5000, () => l.sent() >= 40);
  cluster('replica-stop');
  const atStop = l.sent();
  await sleep(1500);
  const during = { ONE: (await replicaState(ONE)).status, TWO: (await replicaState(TWO)).status };
  const whileDown = l.sent() - atStop;
  cluster('replica-start');
  assert.ok(await replicaBackEverywhere(), 'both processes see the replica again');
  const afterBack = l.sent();
  await until(5000, () => l.sent() >= afterBack + 40);
  const result = await l.stop();
  assert.ok(whileDown >= 6, `${whileDown} requests sent while the replica was down`);
  console.log(`# replica restart under load: ${result.sent} requests in ${result.ms} ms, ${JSON.stringify(result.statuses)}`);
  assert.deepEqual(during, { ONE: 'down', TWO: 'down' });
  assert.deepEqual(result.failures, []);
  assert.ok(result.sent >= 100, `only ${result.sent} requests`);
  const downAfter = await metric(ONE, 'wellbeing_replica_fallbacks_total{reason="down"}')
    + await metric(TWO, 'wellbeing_replica_fallbacks_total{reason="down"}');
  assert.ok(downAfter > downBefore, 'reads went to the primary while the replica was down');
  const back = await replicaReads();
  for (let i = 1; i <= 10; i++) assert.equal((await get(LB, `/v1/observations?metric=thrive.ips_job_starts&limit=${i}`)).status, 200);
  assert.equal((await replicaReads()) - back, 10, 'and back on the replica once it returned');
});

test('writes go on without the replica, and reads see them', async () => {
  cluster('replica-stop');
  try {
    // Each process's watcher notices within its 250 ms poll.
    assert.ok(await until(3000, async () => (await replicaState(ONE))?.status === 'down'
      && (await replicaState(TWO))?.status === 'down'));
    const ready = await get(LB, '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.databases.replica.status, 'down');
    const w = await submit(LB, [{ metric: 'thrive.ips_referrals', area: 'E08000028', period: '2021-03', value: 303 }]);
    assert.equal(w.status, 201, w.text);
    for (const base of [ONE, TWO]) {
      const r = await get(base, obsPath('E08000028', '2021-03'), { headers: { 'Min-Data-Version': String(w.version) } });
      assert.equal(r.status, 200);
      assert.deepEqual(figures(r), ['E08000028 2021-03 303']);
    }
  } finally {
    cluster('replica-start');
  }
  assert.ok(await replicaBackEverywhere());
  const r = await get(TWO, obsPath('E08000028', '2021-03'));
  assert.deepEqual(figures(r), ['E08000028 2021-03 303'], 'the replica has it once it is back');
});

test('one API process killed under load: HAProxy keeps every request answered', async () => {
  const l = load({ workers: 6 });
  await until(5000, () => l.sent() >= 40);
  cluster('api-kill', '1');
  const atKill = l.sent();
  await sleep(1500);
  await until(5000, () => l.sent() >= atKill + 60);
  const result = await l.stop();
  console.log(`# API process killed under load: ${result.sent} requests in ${result.ms} ms, ${JSON.stringify(result.statuses)}`);
  assert.deepEqual(result.failures, []);
  assert.ok(result.sent >= 100, `only ${result.sent} requests`);
  const w = await submit(LB, [{ metric: 'thrive.ips_referrals', area: 'E08000029', period: '2021-04', value: 404 }]);
  assert.equal(w.status, 201, 'writes through HAProxy go to the process left');
  cluster('api-start', '1');
  const r = await get(ONE, obsPath('E08000029', '2021-04'), { headers: { 'Min-Data-Version': String(w.version) } });
  assert.deepEqual(figures(r), ['E08000029 2021-04 404'], 'the restarted process reads the write');
  assert.ok(ADMIN);
});

// A service that holds: a stuck database, crowds of slow clients and big submissions do
// not stop /healthz, cached reads or other clients. Each test runs its own server over
// its own database in the private cluster (created and dropped here), so locks and
// bulk rows never reach the shared test database. Loopback only, bounded in time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, startServer, BIN } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DBNAME = `wellbeing_holds_${process.pid}`;
const devdbUrl = (name) => execFileSync(join(ROOT, 'scripts', 'devdb'), ['url'], {
  env: { ...process.env, WELLBEING_DEVDB_NAME: name }, encoding: 'utf8',
}).trim();
const ADMINURL = devdbUrl('postgres');
const DB_URL = devdbUrl(DBNAME);
const psql = (url, statement) => execFileSync('psql', [url, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', statement], { encoding: 'utf8' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let bulkKey, readKey;

before(() => {
  psql(ADMINURL, `DROP DATABASE IF EXISTS ${DBNAME} WITH (FORCE)`);
  psql(ADMINURL, `CREATE DATABASE ${DBNAME}`);
  execFileSync(BIN, ['migrate'], { env: { ...process.env, WELLBEING_DATABASE_URL: DB_URL }, stdio: 'ignore' });
  psql(DB_URL, `INSERT INTO partners (code, name) VALUES ('hd-bulk', 'Holds test bulk partner');
             INSERT INTO partner_grants (partner, programme, area) SELECT 'hd-bulk', 'thrive', code FROM areas;`);
  bulkKey = execFileSync(BIN, ['key', 'create', '--name', 'hd-bulk', '--scopes', 'submit', '--partner', 'hd-bulk'], {
    env: { ...process.env, WELLBEING_DATABASE_URL: DB_URL }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  readKey = execFileSync(BIN, ['key', 'create', '--name', 'hd-read', '--scopes', 'read'], {
    env: { ...process.env, WELLBEING_DATABASE_URL: DB_URL }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
});

after(() => { psql(ADMINURL, `DROP DATABASE IF EXISTS ${DBNAME} WITH (FORCE)`); });

// The time a promise takes, with its value.
async function timed(p) {
  const t0 = Date.now();
  const value = await p;
  return { value, ms: Date.now() - t0 };
}

// Holds LOCK TABLE observations IN ACCESS EXCLUSIVE MODE from a psql child for some
// seconds; resolves once the lock is granted, to {released}.
async function lockObservations(seconds) {
  const child = spawn('psql', [DB_URL, '-XAtq', '-c',
    `BEGIN; LOCK TABLE observations IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(${seconds}); COMMIT;`], { stdio: 'ignore' });
  const released = new Promise((res) => child.on('exit', res));
  for (let i = 0; i < 250; i++) {
    const held = psql(DB_URL, `SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
      WHERE c.relname = 'observations' AND l.mode = 'AccessExclusiveLock' AND l.granted`).trim();
    if (held === '1') return { released, child };
    await sleep(20);
  }
  child.kill();
  throw new Error('could not take the table lock');
}

test('a locked table: /healthz and a cached read answer at once, fresh reads get a 503 with Retry-After', { timeout: 60000 }, async () => {
  const srv = await startServer({ WELLBEING_DATABASE_URL: DB_URL, WELLBEING_THREADS: '2' });
  let lock;
  try {
    const cached = '/v1/dashboard';
    const first = await api('GET', cached, { base: srv.base });
    assert.equal(first.status, 200);
    // 6 s: past the 2 s lock limit twice over (the reads queued behind the first wave).
    lock = await lockObservations(6);
    // More fresh reads than there are workers, so every worker is stuck on the lock.
    const fresh = ['E08000025', 'E08000026', 'E08000027', 'E08000028', 'E08000029', 'E08000030']
      .map((a) => timed(api('GET', `/v1/metrics/thrive.ips_referrals/series?area=${a}`, { base: srv.base })));
    await sleep(200);
    const health = await timed(api('GET', '/healthz', { base: srv.base }));
    assert.equal(health.value.status, 200);
    assert.ok(health.ms < 1000, `/healthz took ${health.ms} ms while the table was locked`);
    const metrics = await timed(api('GET', '/metrics', { base: srv.base }));
    assert.equal(metrics.value.status, 200);
    assert.ok(metrics.ms < 1000, `/metrics took ${metrics.ms} ms`);
    const again = await timed(api('GET', cached, { base: srv.base }));
    assert.equal(again.value.status, 200);
    assert.equal(again.value.text, first.text);
    assert.ok(again.ms < 1000, `the cached board view took ${again.ms} ms`);
    for (const f of await Promise.all(fresh)) {
      assert.equal(f.value.status, 503, `a fresh read behind the lock: ${f.value.text}`);
      assert.match(f.value.headers.get('content-type'), /^application\/problem\+json/);
      assert.ok(Number(f.value.headers.get('retry-after')) > 0, 'Retry-After');
      assert.match(f.value.body.detail, /busy/);
      assert.ok(f.ms < 6000, `the 503 took ${f.ms} ms (lock limit 2 s)`);
    }
    await lock.released;
    lock = null;
    const after = await api('GET', '/v1/metrics/thrive.ips_referrals/series?area=E08000025', { base: srv.base });
    assert.equal(after.status, 200, 'answers again once the lock is gone');
  } finally {
    if (lock) { lock.child.kill(); await lock.released; }
    assert.equal(await srv.stop(), 0);
  }
});

test('a statement that runs past statement_timeout is cancelled and answered 503', { timeout: 30000 }, async () => {
  // A long lock limit and a short statement limit: the read's wait on the lock is
  // cancelled by the statement limit (57014), not given up by the lock limit (55P03).
  const srv = await startServer({
    WELLBEING_DATABASE_URL: DB_URL, WELLBEING_STATEMENT_TIMEOUT_MS: '500', WELLBEING_LOCK_TIMEOUT_MS: '60000',
  });
  const lock = await lockObservations(3);
  try {
    const r = await timed(api('GET', '/v1/metrics/thrive.ips_referrals/series?area=E08000026', { base: srv.base }));
    assert.equal(r.value.status, 503, r.value.text);
    assert.match(r.value.body.detail, /busy/);
    assert.ok(Number(r.value.headers.get('retry-after')) > 0);
    assert.ok(r.ms < 2500, `the 503 took ${r.ms} ms (statement limit 0.5 s)`);
    assert.match(srv.log(), /sqlstate 57014/);
    assert.doesNotMatch(srv.log(), /sqlstate 55P03/);
  } finally {
    await lock.released;
    assert.equal(await srv.stop(), 0);
  }
});

// A socket from a chosen loopback source address. Resolves to {socket, closed} once
// connected; closed resolves to the ms from connect to the server's close.
function open(port, localAddress) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let t0;
    const closed = new Promise((res) => socket.on('close', () => res(Date.now() - t0)));
    socket.on('error', () => {});
    socket.once('connect', () => { t0 = Date.now(); resolve({ socket, closed }); });
    socket.once('error', reject);
  });
}

// Connects from each address in turn, n sockets from each, and calls each(c, address).
async function crowd(port, addresses, n, each) {
  const all = [];
  for (const a of addresses) {
    for (let i = 0; i < n; i++) {
      const c = await open(port, a);
      each(c, a);
      all.push(c);
    }
  }
  return all;
}

const loopback = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => `127.0.0.${from + i}`);

test('crowds of stalled and trickling clients from several addresses are cut off while another client is served', { timeout: 90000 }, async () => {
  // The default connection limits (32 an address, 4096 in all); only the header and body
  // clocks are shortened, so the test takes seconds, not the defaults' 10 and 20.
  const srv = await startServer({
    WELLBEING_DATABASE_URL: DB_URL, WELLBEING_HEADER_TIMEOUT: '2', WELLBEING_BODY_TIMEOUT: '2',
    WELLBEING_BODY_MIN_RATE: '500', WELLBEING_TIMEOUT: '30',
  });
  const port = Number(new URL(srv.base).port);
  const sockets = [];
  const timers = [];
  try {
    // 35 addresses x 32 half-sent requests (1,120: more than the whole of the old
    // 1,024-connection limit): request line and part of the headers, never the blank
    // line that ends them. Each address is at its own limit.
    const stalled = await crowd(port, loopback(10, 44), 32, (c) => {
      c.socket.write('GET /v1/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      sockets.push(c.socket);
    });
    // One more from an address at its limit: refused by the per-address limit.
    const over = await open(port, '127.0.0.10');
    sockets.push(over.socket);
    // Headers dribbled a byte at a time, faster than the idle timeout would ever notice.
    const text = 'GET /v1/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ' + 'x'.repeat(200);
    const dribbled = await crowd(port, loopback(2, 4), 5, (c) => {
      let k = 0;
      timers.push(setInterval(() => { if (k < text.length && !c.socket.destroyed) c.socket.write(text[k++]); }, 200));
      sockets.push(c.socket);
    });
    // Bodies that trickle: complete headers, then 10 bytes a second of a 100,000-byte body.
    const trickling = await crowd(port, loopback(5, 6), 5, (c) => {
      c.socket.write(`POST /v1/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${bulkKey}\r\n` +
        'Content-Type: text/csv\r\nContent-Length: 100000\r\n\r\nmetric,area,period,value\n');
      timers.push(setInterval(() => { if (!c.socket.destroyed) c.socket.write('0123456789'); }, 1000));
      sockets.push(c.socket);
    });
    // Meanwhile another client is served promptly, several times over.
    for (let i = 0; i < 5; i++) {
      const h = await timed(api('GET', '/healthz', { base: srv.base }));
      assert.equal(h.value.status, 200);
      assert.ok(h.ms < 1000, `/healthz took ${h.ms} ms amid the crowd`);
      const m = await timed(api('GET', '/v1/metrics', { base: srv.base }));
      assert.equal(m.value.status, 200);
      assert.ok(m.ms < 2000, `/v1/metrics took ${m.ms} ms amid the crowd`);
      await sleep(200);
    }
    const overMs = await Promise.race([over.closed, sleep(3000).then(() => Infinity)]);
    assert.ok(overMs < 1000, `the connection over the per-address limit was not refused (${overMs} ms)`);
    const within = (c, ms) => Promise.race([c.closed, sleep(ms).then(() => Infinity)]);
    const stalledMs = await Promise.all(stalled.map((c) => within(c, 10000)));
    assert.ok(stalledMs.every((ms) => ms >= 1500 && ms < 6000), `half-sent requests cut at ${Math.min(...stalledMs)}..${Math.max(...stalledMs)} ms (header limit 2 s)`);
    const dribbledMs = await Promise.all(dribbled.map((c) => within(c, 10000)));
    assert.ok(dribbledMs.every((ms) => ms >= 1500 && ms < 6000), `dribbled headers cut at ${Math.min(...dribbledMs)}..${Math.max(...dribbledMs)} ms`);
    const trickleMs = await Promise.all(trickling.map((c) => within(c, 15000)));
    // 2 s of grace plus a second per 500 bytes received (about 25 + 10 a second).
    assert.ok(trickleMs.every((ms) => ms >= 1500 && ms < 8000), `trickling bodies cut at ${Math.min(...trickleMs)}..${Math.max(...trickleMs)} ms`);
    const stats = (await api('GET', '/metrics', { base: srv.base })).text;
    const cut = (phase) => Number(stats.match(new RegExp(`wellbeing_slow_clients_closed_total\\{phase="${phase}"\\} (\\d+)`))[1]);
    assert.ok(cut('headers') >= stalled.length + dribbled.length, `headers cut: ${cut('headers')}`);
    assert.equal(cut('body'), trickling.length);
    // And afterwards every address can connect again.
    const again = await timed(api('GET', '/healthz', { base: srv.base }));
    assert.ok(again.ms < 1000);
  } finally {
    timers.forEach(clearInterval);
    sockets.forEach((s) => s.destroy());
    assert.equal(await srv.stop(), 0);
  }
});

test('room is kept for new clients: past three quarters of the connection limit, idle kept-alive connections go after a second', { timeout: 60000 }, async () => {
  // One event-loop thread, so the whole limit is one thread's (libmicrohttpd splits it
  // between threads).
  const srv = await startServer({
    WELLBEING_DATABASE_URL: DB_URL, WELLBEING_THREADS: '1', WELLBEING_CONN_LIMIT: '200',
    WELLBEING_PER_IP_LIMIT: '20', WELLBEING_TIMEOUT: '30',
  });
  const port = Number(new URL(srv.base).port);
  const sockets = [];
  const served = (c) => new Promise((res) => {
    let got = '';
    c.socket.on('data', (d) => { got += d; if (got.includes('"status":"ok"')) res(); });
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
  const openCount = async () => Number((await api('GET', '/metrics', { base: srv.base })).text
    .match(/wellbeing_client_connections (\d+)/)[1]);
  try {
    // Below the mark: a few kept-alive connections stay open past the one-second rule.
    const few = await crowd(port, ['127.0.0.2'], 5, (c) => sockets.push(c.socket));
    await Promise.all(few.map(served));
    await sleep(2500);
    const early = await Promise.all(few.map((c) => Promise.race([c.closed, sleep(0).then(() => 'open')])));
    assert.ok(early.every((v) => v === 'open'), 'idle connections closed without pressure');
    // 8 addresses x 20, served once each, then idle: 165 open of 200, past the 150 mark.
    const many = await crowd(port, loopback(3, 10), 20, (c) => sockets.push(c.socket));
    await Promise.all(many.map(served));
    const t0 = Date.now();
    let open = await openCount();
    while (open >= 150 && Date.now() - t0 < 8000) { await sleep(200); open = await openCount(); }
    assert.ok(open < 150, `still ${open} connections open ${Date.now() - t0} ms after the crowd went idle (idle timeout 30 s)`);
    assert.ok(Date.now() - t0 < 5000, `room came back only after ${Date.now() - t0} ms`);
    const stats = (await api('GET', '/metrics', { base: srv.base })).text;
    assert.ok(Number(stats.match(/wellbeing_slow_clients_closed_total\{phase="idle"\} (\d+)/)[1]) >= 15);
    // A new client gets in and is served at once.
    const h = await timed(api('GET', '/healthz', { base: srv.base }));
    assert.equal(h.value.status, 200);
    assert.ok(h.ms < 1000);
  } finally {
    sockets.forEach((s) => s.destroy());
    assert.equal(await srv.stop(), 0);
  }
});

test('SIGTERM with requests suspended on workers: the running one is answered, the queued ones get a 503, none is cut off', { timeout: 60000 }, async () => {
  // One read worker, long limits: the first read waits on the lock on the worker; the
  // rest wait in its queue (suspended connections) when the signal comes.
  const srv = await startServer({
    WELLBEING_DATABASE_URL: DB_URL, WELLBEING_WORKERS: '1', WELLBEING_LOCK_TIMEOUT_MS: '30000',
    WELLBEING_STATEMENT_TIMEOUT_MS: '30000', WELLBEING_DB_WAIT_MS: '30000',
  });
  const lock = await lockObservations(16);
  try {
    const answers = ['E08000025', 'E08000026', 'E08000027', 'E08000028'].map((a, i) => sleep(i * 100).then(() =>
      api('GET', `/v1/metrics/thrive.ips_referrals/series?area=${a}`, { base: srv.base })
        .then((r) => ({ r, at: Date.now() }), (e) => ({ error: e }))));
    await sleep(800);
    const signalled = Date.now();
    const exited = srv.stop();
    const done = await Promise.all(answers);
    for (const d of done) assert.ok(!d.error, `a request was cut off: ${d.error}`);
    assert.equal(done[0].r.status, 200, `the read running when the signal came: ${done[0].r.text}`);
    assert.ok(done[0].at - signalled > 10000, 'it waited for the lock, past the 10 s drain');
    for (const d of done.slice(1)) {
      assert.equal(d.r.status, 503, d.r.text);
      assert.match(d.r.body.detail, /stopping/);
      assert.ok(Number(d.r.headers.get('retry-after')) > 0);
    }
    assert.equal(await exited, 0, srv.log());
  } finally {
    await lock.released;
  }
});

test('/healthz and reads stay prompt during concurrent big submissions', { timeout: 120000 }, async () => {
  const srv = await startServer({ WELLBEING_DATABASE_URL: DB_URL, WELLBEING_THREADS: '2' });
  try {
    const bodies = [0, 1, 2].map((i) => execFileSync(join(ROOT, 'scripts', 'gen-synthetic'),
      ['--rows', '20000', '--seed', String(i + 1), '--first-month', `${2010 + i}-01`], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    let done = false;
    const submissions = Promise.all(bodies.map((body) => timed(api('POST', '/v1/submissions', {
      base: srv.base, key: bulkKey, body, headers: { 'Content-Type': 'text/csv' },
    })))).finally(() => { done = true; });
    let worstHealth = 0, worstRead = 0, probes = 0;
    await sleep(300);
    while (!done) {
      const h = await timed(api('GET', '/healthz', { base: srv.base }));
      assert.equal(h.value.status, 200);
      worstHealth = Math.max(worstHealth, h.ms);
      const r = await timed(api('GET', '/v1/metrics?programme=thrive', { base: srv.base }));
      worstRead = Math.max(worstRead, r.ms);
      assert.equal(r.value.status, 200, r.value.text);
      probes++;
      await sleep(100);
    }
    const answers = await submissions;
    for (const a of answers) assert.equal(a.value.status, 201, a.value.text.slice(0, 300));
    assert.ok(probes >= 3, `only ${probes} probes ran during the submissions`);
    // A server whose loop waits on a submission keeps /healthz waiting for most of one
    // (before this branch: 7.3 s during four 100,000-row submissions); one that holds answers in
    // milliseconds. The bound grows with the submissions on a machine loaded enough to
    // slow everything, and stays far below what a waiting loop costs.
    const shortest = Math.min(...answers.map((a) => a.ms));
    const bound = Math.max(1000, shortest / 3);
    assert.ok(worstHealth < bound, `/healthz took up to ${worstHealth} ms during submissions of ${shortest} ms or more`);
    assert.ok(worstRead < Math.max(2000, shortest / 2), `a read took up to ${worstRead} ms during submissions of ${shortest} ms or more`);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

test('a CSV export read slowly outlives the statement limit: it streams under the long limit and arrives whole', { timeout: 180000 }, async () => {
  const srv = await startServer({ WELLBEING_DATABASE_URL: DB_URL, WELLBEING_STATEMENT_TIMEOUT_MS: '300' });
  try {
    const body = execFileSync(join(ROOT, 'scripts', 'gen-synthetic'), ['--rows', '100000', '--seed', '9'],
      { encoding: 'utf8', maxBuffer: 64 << 20 });
    const posted = await api('POST', '/v1/submissions', { base: srv.base, key: bulkKey, body, headers: { 'Content-Type': 'text/csv' } });
    assert.equal(posted.status, 201, posted.text.slice(0, 300));
    // With a read key: every count shown, so the export is one statement and nothing
    // else (an open read's suppression looks up further cells as it goes, each a read
    // under the 0.3 s limit).
    const url = `${srv.base}/v1/observations?format=csv&breakdown=all`;
    const auth = `Bearer ${readKey}`;
    const whole = (await (await fetch(url, { headers: { Authorization: auth } })).text()).trimEnd().split('\n').length;
    assert.ok(whole > 100000, `the export has ${whole} lines`);
    // Read the first bytes, then nothing for 2 s: the socket's window stays small, the
    // server's sends back up, and the export's statement stays open well past the 0.3 s
    // statement limit. HTTP/1.0, so the body runs to the close, unchunked.
    const sock = connect({ host: '127.0.0.1', port: Number(new URL(srv.base).port) });
    const chunks = [];
    let gotFirst;
    const first = new Promise((res) => { gotFirst = res; });
    const ended = new Promise((res) => sock.on('close', res));
    sock.on('data', (d) => { chunks.push(d); if (chunks.length === 1) { sock.pause(); gotFirst(); } });
    sock.write(`GET /v1/observations?format=csv&breakdown=all HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\n\r\n`);
    await first;
    await sleep(2000);
    const held = psql(DB_URL, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
      AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state = 'active'
      AND query LIKE 'SELECT o.metric,%' AND now() - query_start > interval '1 second'`).trim();
    assert.equal(held, '1', 'the export was not still streaming after 2 s: make it bigger');
    sock.resume();
    await ended;
    const raw = Buffer.concat(chunks).toString('utf8');
    assert.match(raw, /^HTTP\/1\.[01] 200 /);
    const text = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    assert.equal(text.trimEnd().split('\n').length, whole, 'the slow export arrived whole');
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

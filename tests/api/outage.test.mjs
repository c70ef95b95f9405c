// Losing the database under a running server: quick 503s with Retry-After, no crash,
// /healthz still up, and answers again once PostgreSQL is back, without a restart.
// Runs its own throwaway cluster so the shared test database is never stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, startServer, BIN } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const devdb = (dir, ...args) => execFileSync(join(ROOT, 'scripts', 'devdb'), args, {
  env: { ...process.env, WELLBEING_DEVDB_DIR: dir, WELLBEING_DEVDB_NAME: 'outage' }, encoding: 'utf8',
}).trim();

test('database loss gives fast 503s and service resumes when it returns', { timeout: 120000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-outage-'));
  let srv;
  try {
    devdb(dir, 'start');
    const url = devdb(dir, 'url');
    execFileSync(BIN, ['migrate'], { env: { ...process.env, WELLBEING_DATABASE_URL: url }, stdio: 'ignore' });
    srv = await startServer({ WELLBEING_DATABASE_URL: url });
    const base = srv.base;
    assert.equal((await api('GET', '/v1/metrics', { base })).status, 200);

    devdb(dir, 'stop');
    for (const path of ['/v1/metrics', '/v1/programmes', '/readyz']) {
      const t0 = Date.now();
      const r = await api('GET', path, { base });
      assert.equal(r.status, 503, `${path} while the database is down`);
      assert.equal(r.headers.get('retry-after'), '5');
      assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
      assert.ok(Date.now() - t0 < 3000, `${path} answered in ${Date.now() - t0} ms`);
    }
    assert.equal((await api('GET', '/healthz', { base })).status, 200, 'the process stays up');

    devdb(dir, 'start');
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await api('GET', '/v1/metrics', { base })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200, 'answers come back without a restart');
    assert.equal((await api('GET', '/readyz', { base })).status, 200);
  } finally {
    if (srv) assert.equal(await srv.stop(), 0, 'SIGTERM stops the server cleanly');
    try { devdb(dir, 'stop'); } catch { /* already stopped */ }
    rmSync(dir, { recursive: true, force: true });
  }
});

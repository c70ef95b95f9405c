// SIGTERM while a large submission is being applied: the server stops accepting, lets
// the request finish (201, every row accounted for) and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, sql, ADMIN } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROWS = 50000;

test('SIGTERM lets an in-flight submission finish, then the server exits 0', { timeout: 120000 }, async () => {
  const csv = execFileSync(join(ROOT, 'scripts', 'gen-synthetic'), ['--rows', String(ROWS), '--first-month', '2000-01', '--last-month', '2009-12'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  const srv = await startServer();
  let answeredAt = 0;
  const pending = fetch(`${srv.base}/v1/submissions`, {
    method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'text/csv' }, body: csv,
  }).then(async (r) => { answeredAt = Date.now(); return { status: r.status, body: await r.json() }; });
  await new Promise((r) => setTimeout(r, 300));
  const signalledAt = Date.now();
  const exited = srv.stop();
  const res = await pending;
  assert.ok(answeredAt > signalledAt, 'the answer came after the signal: the request was in flight');
  assert.equal(res.status, 201);
  const c = res.body.counts;
  assert.equal(c.created + c.updated + c.unchanged, ROWS);
  assert.equal(await exited, 0);
  await assert.rejects(fetch(`${srv.base}/healthz`), 'no longer accepting');
  sql(`DELETE FROM observations WHERE note = 'synthetic' AND period_start < '2010-01-01'`);
});

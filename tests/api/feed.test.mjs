// The updatedAfter feed for mirroring partners: a write that commits later carries
// later updated_at stamps than every row committed before it, even when it started
// while a long write was still running. Otherwise a mirror that has seen the short
// write's rows would skip the long write's forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, sql, ADMIN } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('a write that commits later is stamped later than every row committed before it', { timeout: 120000 }, async () => {
  const csv = execFileSync(join(ROOT, 'scripts', 'gen-synthetic'),
    ['--rows', '18000', '--first-month', '1995-01', '--last-month', '1999-12', '--metrics', 'thrive.ips_referrals'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  const order = [];
  const long = api('POST', '/v1/submissions', { key: ADMIN, body: csv, headers: { 'Content-Type': 'text/csv' } })
    .then((r) => { order.push('long'); return r; });
  // Start the short write only once the long one is inside its transaction (staging
  // or applying): the case where stamps taken at transaction start went wrong.
  let inside = false;
  for (let i = 0; i < 500 && !inside; i++) {
    inside = Number(sql(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'wellbeingd'
      AND xact_start IS NOT NULL AND query ILIKE '%ingest_stage%'`)[0][0]) > 0;
    if (!inside) await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(inside, 'the long write reached its transaction');
  const short = api('POST', '/v1/submissions', {
    key: ADMIN,
    json: { observations: [{ metric: 'thrive.ips_job_starts', area: 'E08000027', period: '1994-06', value: 5, note: 'feed-order' }] },
  }).then((r) => { order.push('short'); return r; });
  const [l, s] = await Promise.all([long, short]);
  assert.equal(l.status, 201);
  assert.equal(s.status, 201);
  const [[longMin, longMax]] = sql(`SELECT min(updated_at), max(updated_at) FROM observations WHERE note = 'synthetic' AND period_start BETWEEN '1995-01-01' AND '1999-12-01'`);
  const [[shortAt]] = sql(`SELECT updated_at FROM observations WHERE note = 'feed-order'`);
  // Whichever committed later must be stamped later than every row of the other.
  if (order[0] === 'long') {
    assert.ok(new Date(shortAt) > new Date(longMax), `short ${shortAt} after every long row (${longMax})`);
  } else {
    assert.ok(new Date(longMin) > new Date(shortAt), `every long row (from ${longMin}) after short ${shortAt}`);
  }
  const since = new Date(order[0] === 'long' ? longMax : shortAt).toISOString();
  const later = order[0] === 'long' ? 'short' : 'long';
  const feed = await api('GET', `/v1/observations?updatedAfter=${encodeURIComponent(since)}&breakdown=all&limit=10000`);
  const seen = new Set(feed.body.items.map((i) => i.note));
  assert.ok(seen.has(later === 'short' ? 'feed-order' : 'synthetic'), 'a mirror at the earlier commit sees the later one');
  sql(`DELETE FROM observations WHERE (note = 'synthetic' AND period_start BETWEEN '1995-01-01' AND '1999-12-01') OR note = 'feed-order'`);
});

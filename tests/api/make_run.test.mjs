// What a newcomer meets first. `make run` (scripts/run-dev) ends with a block holding the
// page, the admin key and what to read next, and reuses the development key it keeps in
// the dev folder; the defaults say the same everywhere: `wellbeingd --help`, the README's
// configuration table, and what the server does (the pool size on its start-up line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, get, freePort, startServer } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// {env: default} from the help's "  WELLBEING_X  --flag  meaning (default)" lines.
function helpDefaults() {
  const r = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = {};
  for (const line of r.stderr.split('\n')) {
    const m = line.match(/^\s+(WELLBEING_[A-Z_]+)\s+--[a-z-]+\s+.*\(([^()]*)\)\s*$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

// {env: default} from the README's "| `WELLBEING_X` | `--flag` | default | meaning |" rows.
function readmeDefaults() {
  const out = {};
  for (const line of readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n')) {
    const m = line.match(/^\| `(WELLBEING_[A-Z_]+)` \| `--[a-z-]+` \| ([^|]+) \|/);
    if (m) out[m[1]] = m[2].trim().replaceAll('`', '');
  }
  return out;
}

test('--help and the README give every setting the same default', () => {
  const help = helpDefaults();
  const readme = readmeDefaults();
  assert.ok(Object.keys(readme).length >= 15, `README table has ${Object.keys(readme).length} rows`);
  assert.deepEqual(Object.keys(help).sort(), Object.keys(readme).sort(), 'the same settings in both');
  for (const env of Object.keys(readme)) assert.equal(help[env], readme[env], env);
});

test('the start-up line shows the pool the defaults make: workers (2 x threads) + submit workers + 1', async () => {
  assert.equal(helpDefaults().WELLBEING_DB_POOL, 'workers + submit workers + 1');
  assert.equal(helpDefaults().WELLBEING_WORKERS, '2 x threads');
  const srv = await startServer({ WELLBEING_THREADS: '3' });
  try {
    await new Promise((r) => setTimeout(r, 200));
    assert.match(srv.log(), /with 3 threads, 9 database connections/);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

// Runs scripts/run-dev until its closing block is out; returns {key, block, stop()}.
async function runDev(dir, env = {}) {
  const port = await freePort();
  const child = spawn(join(ROOT, 'scripts/run-dev'), [], {
    env: { ...process.env, WELLBEING_DEVDB_DIR: dir, WELLBEING_BIN: BIN, WELLBEING_LISTEN: `127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 300 && !/next .*\n-+\n/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(out, /next /, `no closing block: ${out}${err}`);
  const key = out.match(/admin key {2}(wbk_\S+)/)?.[1];
  return { key, block: out, base: `http://127.0.0.1:${port}`, stop: async () => { child.kill('SIGINT'); return exited; } };
}

test('make run ends with a short block and reuses its development admin key until asked for a new one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'devrun-'));
  try {
    const first = await runDev(dir);
    const lines = first.block.trimEnd().split('\n');
    assert.ok(lines.length <= 10, `the block is ${lines.length} lines`);
    assert.match(first.block, new RegExp(`page {7}${first.base}/`));
    assert.match(first.block, /admin key {2}wbk_\S+ \(new\)/);
    assert.match(first.block, /export ADMIN=\$\(cat \.devdb\/admin-key\)/);
    assert.match(first.block, /README\.md, "A partner's journey, in curl"/);
    const usage = await get('/v1/admin/usage', { base: first.base, key: first.key });
    assert.equal(usage.status, 200);
    assert.equal(await first.stop(), 0);
    assert.equal(readFileSync(join(dir, 'admin-key'), 'utf8').trim(), first.key);
    assert.equal(statSync(join(dir, 'admin-key')).mode & 0o077, 0, 'the key file is for its owner alone');
    assert.match(readFileSync(join(dir, 'wellbeingd.log'), 'utf8'), /"event":"start"/, 'the log went to the dev folder');

    const again = await runDev(dir);
    assert.equal(again.key, first.key);
    assert.doesNotMatch(again.block, /\(new\)/);
    assert.equal(await again.stop(), 0);

    const fresh = await runDev(dir, { NEW_KEY: '1' });
    assert.notEqual(fresh.key, first.key);
    assert.match(fresh.block, /\(new\)/);
    assert.equal((await get('/v1/admin/usage', { base: fresh.base, key: fresh.key })).status, 200);
    assert.equal(await fresh.stop(), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

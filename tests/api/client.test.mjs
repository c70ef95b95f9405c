// A typed TypeScript client generated from the served spec by openapi-typescript with its
// default options, and a partner's journey (tests/api/client/journey.ts) compiled against
// it under tsc --strict and then run against the server: the spec must be one that a
// generator reads right (status constants kept, flags as booleans, request fields with
// defaults left optional), and the journey's types must be true to the real answers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, ADMIN, sql } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = join(ROOT, 'tests', 'node_modules', '.bin');
const RUN = String(Date.now());
const PARTNER = `journey-${RUN}`;
const dir = mkdtempSync(join(tmpdir(), 'client-'));

after(() => {
  rmSync(dir, { recursive: true, force: true });
  // History is append-only (a trigger refuses deletes); the test database's owner lifts
  // that for this one transaction so the journey leaves nothing behind for later files.
  sql(`BEGIN;
    SET LOCAL session_replication_role = replica;
    DELETE FROM observation_history WHERE submission_id IN (SELECT id FROM submissions WHERE partner = '${PARTNER}');
    DELETE FROM observations WHERE partner = '${PARTNER}';
    DELETE FROM submissions WHERE partner = '${PARTNER}';
    DELETE FROM api_keys WHERE partner = '${PARTNER}';
    DELETE FROM partner_grants WHERE partner = '${PARTNER}';
    DELETE FROM partners WHERE code = '${PARTNER}';
    UPDATE data_version SET version = version + 1;
    COMMIT;`);
});

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
}

function generate() {
  const spec = join(dir, 'openapi.json');
  writeFileSync(spec, JSON.stringify(JSON.parse(readFileSync(join(ROOT, 'openapi/openapi.json'), 'utf8'))));
  const g = run(join(TOOLS, 'openapi-typescript'), [spec, '-o', join(dir, 'wellbeing.d.ts')]);
  assert.equal(g.status, 0, g.stderr + g.stdout);
}

const TSC = ['--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler',
  '--lib', 'es2022,dom'];

test('the client openapi-typescript generates compiles with a partner journey under tsc --strict', () => {
  generate();
  copyFileSync(join(ROOT, 'tests/api/client/journey.ts'), join(dir, 'journey.ts'));
  const c = run(join(TOOLS, 'tsc'), [...TSC, '--outDir', join(dir, 'out'), 'journey.ts']);
  assert.equal(c.status, 0, c.stdout + c.stderr);
});

test('the compiled journey runs against the server as its types say', () => {
  writeFileSync(join(dir, 'out', 'package.json'), '{"type": "module"}');
  const r = run(process.execPath, [join(dir, 'out', 'journey.js')], { BASE, ADMIN_KEY: ADMIN, JOURNEY_RUN: RUN });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^dry run: would create 1$/m);
  assert.match(r.stdout, /^row 0 period: bad_period$/m);
  assert.match(r.stdout, /^series: \d+ points, last 2019-05 = \d+$/m);
});

test('the journey does not compile against a client whose answers lost their status constants', () => {
  // The same journey against the types a $ref-with-siblings spec produced: the 200 of a
  // POST no longer tells a dry run from a replay, so the journey must fail to compile.
  const types = readFileSync(join(dir, 'wellbeing.d.ts'), 'utf8');
  const lost = types.replace(/\{\s*\/\*\* @constant \*\/\s*status\?: "(dry_run|applied)";\s*\} & /g, '');
  assert.notEqual(lost, types, 'the generated client has no status constants to remove');
  writeFileSync(join(dir, 'wellbeing.d.ts'), lost);
  const c = run(join(TOOLS, 'tsc'), [...TSC, '--noEmit', 'journey.ts']);
  assert.notEqual(c.status, 0, 'the journey compiled without the status constants');
  assert.match(c.stdout, /received_at|never/);
});

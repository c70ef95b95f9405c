// The README's examples are true: every indented code block of README.md that holds a
// `$ curl` command is run, in order, one bash session for the whole file (so a variable
// set in one example is there in the next), against a server of its own on a fresh
// database, and each command's output is compared with the lines the README shows under
// it, with ids, keys, ETags and times (and counts of periods since today) masked.
//   - `$ cat FILE` of a file that does not exist yet is the README showing a file to make:
//     the lines shown are written to FILE (in a scratch folder, the commands' cwd).
//   - http://127.0.0.1:8080 in a command is the test's server; $ADMIN is an admin key.
//   - scripts/admin/... runs the repository's admin scripts against that server with
//     that key (WELLBEING_URL and WELLBEING_ADMIN_KEY set, as the README tells a reader).
//   - The server runs with WELLBEING_CORS_ORIGINS=http://localhost:5173, as the README's
//     CORS example says to start it.
// A new example needs nothing here: write the command and its real answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, startServer } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const README_URL = 'http://127.0.0.1:8080';
const DB = 'wellbeing_readme';

// Blocks of indented lines (four spaces) that hold at least one "$ curl" command, each as
// a list of {command, expected[], line}.
export function readmeExamples(text) {
  const lines = text.split('\n');
  const blocks = [];
  let block = null;
  lines.forEach((raw, i) => {
    const inBlock = raw.startsWith('    ') || (raw.trim() === '' && block);
    if (!inBlock) {
      if (block) blocks.push(block);
      block = null;
      return;
    }
    (block ??= []).push({ text: raw.slice(4), line: i + 1 });
  });
  if (block) blocks.push(block);
  const out = [];
  for (const b of blocks) {
    while (b.length && b[b.length - 1].text.trim() === '') b.pop();
    if (!b.some((l) => /^\$ curl /.test(l.text))) continue;
    const steps = [];
    for (let i = 0; i < b.length; i++) {
      const l = b[i];
      if (!l.text.startsWith('$ ')) {
        assert.ok(steps.length, `README.md:${l.line}: output before any command`);
        steps[steps.length - 1].expected.push(l.text);
        continue;
      }
      let command = l.text.slice(2);
      // A command goes on while the shell would ask for more (a quote or a backslash open).
      while (i + 1 < b.length && !complete(command)) command += '\n' + b[++i].text;
      assert.ok(complete(command), `README.md:${l.line}: the command never ends`);
      steps.push({ command, expected: [], line: l.line });
    }
    out.push(steps);
  }
  return out;
}

function complete(command) {
  if (/\\$/.test(command)) return false;
  return spawnSync('bash', ['-n', '-c', command], { encoding: 'utf8' }).status === 0;
}

// What may differ between runs: ids, keys, ETags, times, and counts made from today.
export function mask(line) {
  return line
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/wbk_(?:[0-9a-f]{16}_[A-Za-z0-9_-]{43}|…)/g, '<key>')
    .replace(/"v[0-9]+-[0-9a-f]{16}"/g, '<etag>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g, '<time>')
    .replace(/"(since|periods_since)":( ?)\d+/g, '"$1":$2<n>');
}

let srv;
let dir;
let admin;
let dbUrl;

before(async () => {
  const adminUrl = process.env.WELLBEING_DATABASE_URL.replace(/dbname=\S+/, 'dbname=postgres');
  execFileSync('psql', [adminUrl, '-XAtq', '-c', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`, '-c', `CREATE DATABASE ${DB}`]);
  const url = process.env.WELLBEING_DATABASE_URL.replace(/dbname=\S+/, `dbname=${DB}`);
  dbUrl = url;
  const env = { ...process.env, WELLBEING_DATABASE_URL: url };
  execFileSync(BIN, ['migrate'], { env, stdio: 'ignore' });
  admin = execFileSync(BIN, ['key', 'create', '--name', 'readme', '--scopes', 'read,submit,admin'],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  srv = await startServer({ WELLBEING_DATABASE_URL: url, WELLBEING_CORS_ORIGINS: 'http://localhost:5173', WELLBEING_ACCESS_LOG: '0' });
  dir = mkdtempSync(join(tmpdir(), 'readme-'));
  symlinkSync(join(ROOT, 'scripts'), join(dir, 'scripts'));
});

after(async () => {
  if (srv) assert.equal(await srv.stop(), 0);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the README parser finds commands, their continuations and their answers', () => {
  const md = [
    'Text', '', "    $ curl -s 'http://x/a' -d '{", `        "b": 1}' | jq .`, '    {', '      "a": 1', '    }',
    '    $ curl -s http://x/b \\', '        -H y', '    ok', '', 'More', '', '    $ make bench', '    fast', '',
  ].join('\n');
  const ex = readmeExamples(md);
  assert.equal(ex.length, 1, 'a block without curl is not run');
  assert.deepEqual(ex[0].map((s) => [s.command, s.expected]), [
    ["curl -s 'http://x/a' -d '{\n    \"b\": 1}' | jq .", ['{', '  "a": 1', '}']],
    ['curl -s http://x/b \\\n    -H y', ['ok']],
  ]);
  assert.equal(mask('{"id":"4d0d77de-e0b8-4024-96b6-503f6f998071","at":"2026-11-23T10:39:13.141294Z","key":"wbk_…"}'),
    '{"id":"<uuid>","at":"<time>","key":"<key>"}');
});

// Runs the steps in one bash session in the scratch folder; returns a line for each step
// whose output (masked) is not the one shown, or whose command failed.
function runSteps(steps) {
  // One script: each command, then a marker; a `cat` of a file not made yet makes it.
  const script = ['set -o pipefail', `cd ${JSON.stringify(dir)}`];
  steps.forEach((s, i) => {
    const cat = s.command.match(/^cat ([A-Za-z0-9._-]+)$/);
    if (cat && !existsSync(join(dir, cat[1]))) writeFileSync(join(dir, cat[1]), s.expected.join('\n') + '\n');
    // The marker starts a line of its own even after an answer with no final newline.
    script.push(s.command.replaceAll(README_URL, srv.base), `printf '\\n@@step ${i} rc=%d@@\\n' $?`);
  });
  const r = spawnSync('bash', ['-c', script.join('\n')], {
    // $WELLBEING_DATABASE_URL is the server's database, as it is for a reader running it.
    encoding: 'utf8',
    env: { ...process.env, ADMIN: admin, WELLBEING_URL: srv.base, WELLBEING_ADMIN_KEY: admin, WELLBEING_DATABASE_URL: dbUrl },
    timeout: 120000,
  });
  const outputs = [];
  let cur = [];
  for (const line of r.stdout.split('\n')) {
    const m = line.match(/^@@step (\d+) rc=(\d+)@@$/);
    if (m) {
      outputs[Number(m[1])] = { lines: cur, rc: Number(m[2]) };
      cur = [];
    } else {
      cur.push(line);
    }
  }
  const wrong = [];
  steps.forEach((s, i) => {
    const got = outputs[i];
    if (!got) {
      wrong.push(`README.md:${s.line}: never ran (${r.stderr.slice(0, 300)})`);
      return;
    }
    // A terminal shows CRLF (CSV, headers) as LF; blank lines between examples are layout.
    const trim = (ls) => { while (ls.length && ls[ls.length - 1].trim() === '') ls.pop(); return ls; };
    const want = trim([...s.expected]).map(mask);
    const have = trim(got.lines.map((l) => l.replace(/\r$/, ''))).map(mask);
    if (got.rc !== 0 || JSON.stringify(want) !== JSON.stringify(have)) {
      wrong.push(`README.md:${s.line}: $ ${s.command.split('\n')[0]}${got.rc ? ` (exit ${got.rc})` : ''}\n` +
        `  README:\n${want.map((l) => `    ${l}`).join('\n')}\n  real:\n${have.map((l) => `    ${l}`).join('\n')}`);
    }
  });
  return wrong;
}

test('a wrong answer, a failing command and a masked id are told apart', () => {
  const wrong = runSteps([
    { command: `curl -s ${README_URL}/healthz`, expected: ['{"status":"ok"}'], line: 1 },
    { command: `curl -s ${README_URL}/healthz`, expected: ['{"status":"fine"}'], line: 2 },
    { command: `curl -sf ${README_URL}/nowhere`, expected: [], line: 3 },
    { command: "echo '{\"id\":\"4d0d77de-e0b8-4024-96b6-503f6f998071\"}'", expected: ['{"id":"8618c37a-b4a8-4895-983d-f78b70bd3dcc"}'], line: 4 },
  ]);
  assert.deepEqual(wrong.map((w) => w.split(':')[1]), ['2', '3']);
  assert.match(wrong[1], /exit 22/);
});

test('every README curl example answers as the README shows, on a fresh database', () => {
  const steps = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8')).flat();
  assert.ok(steps.filter((s) => /^curl /.test(s.command)).length >= 30, `only ${steps.length} commands found`);
  const wrong = runSteps(steps);
  assert.equal(wrong.length, 0, `${wrong.length} of ${steps.length} README examples differ:\n${wrong.join('\n')}`);
});

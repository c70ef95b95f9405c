// The admin scripts (scripts/admin/*) run against the test server: what each prints,
// its exit code, and what it did, read back through the API. A failing call must exit
// non-zero and print the server's problem detail.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, api, BASE, get, sql, unique } from './lib.mjs';
import { cleanAdminFixtures, ensureAdminFixtures, PROGRAMME } from './admin_fixtures.mjs';

const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/admin');
const AREA_A = 'E99000021';
const AREA_B = 'E99000022';
const METRIC = `${PROGRAMME}.script_uploads`;
const partnerCode = () => unique('admintest').toLowerCase();
let work;

// Runs one script; returns {code, stdout, stderr}.
function run(name, args = [], env = {}) {
  const r = spawnSync(join(SCRIPTS, name), args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, WELLBEING_URL: BASE, WELLBEING_ADMIN_KEY: ADMIN, ...env },
    timeout: 20000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function csvFile(name, rows) {
  const path = join(work, name);
  writeFileSync(path, ['metric,area,period,value', ...rows].join('\n') + '\n');
  return path;
}

// What the scripts print for a problem answer: the detail, then one line per error.
function problemText(script, r) {
  const lines = [`${script}: failed: HTTP ${r.status}: ${r.body.detail}`];
  for (const e of r.body.errors ?? []) {
    const where = e.row !== undefined ? `row ${e.row}${e.field ? ` ${e.field}` : ''}` : (e.pointer ?? e.field ?? 'body');
    lines.push(`  ${where}: ${e.message} [${e.code}]`);
  }
  return lines.join('\n') + '\n';
}

before(async () => {
  cleanAdminFixtures();
  ensureAdminFixtures();
  work = mkdtempSync(join(tmpdir(), 'admin-scripts-'));
  const headers = { key: ADMIN };
  for (const [code, name] of [[AREA_A, 'Script test A'], [AREA_B, 'Script test B']]) {
    const r = await api('PUT', `/v1/admin/areas/${code}`, { ...headers, json: { name, type: 'unitary' } });
    assert.equal(r.status, 201, r.text);
  }
  const m = await api('PUT', `/v1/admin/metrics/${METRIC}`, {
    ...headers, json: { programme: PROGRAMME, name: 'Script uploads', unit: 'count', frequency: 'monthly', kind: 'stock' },
  });
  assert.equal(m.status, 201, m.text);
});

after(() => {
  cleanAdminFixtures();
  rmSync(work, { recursive: true, force: true });
});

describe('every script', () => {
  const usages = {
    'partner-create': 'partner-create CODE NAME',
    'partner-grant': 'partner-grant CODE (--programme P | --metric M) AREA...',
    'key-create': 'key-create NAME SCOPES [PARTNER]',
    'key-revoke': 'key-revoke ID',
    'lock-month': 'lock-month (--programme P | --metric M) PERIOD',
    'unlock-month': 'unlock-month LOCK_ID',
    'upload-csv': 'upload-csv [--key KEY] [--dry-run] [--reason TEXT] FILE',
    'late-returns': 'late-returns PERIOD',
    'schedule-add': 'schedule-add PARTNER METRIC [--due-day DAY] AREA...',
    'schedule-list': 'schedule-list PARTNER',
    'schedule-delete': 'schedule-delete PARTNER SCHEDULE_ID',
    'hand-over': 'hand-over METRIC AREA PARTNER REASON',
    'rule-add': 'rule-add NAME LEFT OP RIGHT SEVERITY',
    'rule-delete': 'rule-delete NAME',
    'snapshot-create': 'snapshot-create NAME [--as-of TIME] [--note TEXT]',
    'snapshot-changes': 'snapshot-changes NAME SINCE [--csv]',
    'returns-due': 'returns-due [--key KEY] [--csv]',
  };

  test('-h prints the usage line and exits 0', () => {
    for (const [name, line] of Object.entries(usages)) {
      const r = run(name, ['-h']);
      assert.equal(r.code, 0, name);
      assert.ok(r.stdout.startsWith(`usage: ${line} `), `${name}: ${r.stdout}`);
      assert.equal(r.stderr, '');
    }
  });

  test('wrong arguments print the usage on stderr and exit 2', () => {
    for (const name of Object.keys(usages)) {
      const r = run(name, []);
      assert.equal(r.code, 2, name);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`\\nusage: ${name} `), name);
    }
  });

  test('without WELLBEING_ADMIN_KEY an admin script says so and exits 2', () => {
    const r = run('key-revoke', ['00000000-0000-0000-0000-000000000000'], { WELLBEING_ADMIN_KEY: '' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^key-revoke: set WELLBEING_ADMIN_KEY to an API key with the admin scope\n/);
  });

  test('a server that cannot be reached is an exit 1 naming the address', () => {
    const r = run('unlock-month', ['1'], { WELLBEING_URL: 'http://127.0.0.1:9' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^unlock-month: cannot reach http:\/\/127\.0\.0\.1:9: \(7\) /);
  });

  test('a key without the admin scope gets the 403 detail and exit 1', () => {
    const made = run('key-create', ['admintest script reader', 'read']);
    assert.equal(made.code, 0, made.stderr);
    const r = run('partner-create', [partnerCode(), 'Refused'], { WELLBEING_ADMIN_KEY: made.stdout.trim() });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'partner-create: failed: HTTP 403: this key\'s scopes do not allow POST /v1/admin/partners; ask an admin for a key with the admin scope\n');
  });
});

describe('partners and grants', () => {
  const code = partnerCode();

  test('partner-create makes a partner and says so', async () => {
    const r = run('partner-create', [code, 'Script "quoted" partner']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `made partner ${code} (Script "quoted" partner)\n`);
    const list = await get('/v1/admin/partners', { key: ADMIN });
    assert.equal(list.body.items.find((p) => p.code === code).name, 'Script "quoted" partner');
  });

  test('partner-create of an existing code exits 1 with the 409 detail', () => {
    const r = run('partner-create', [code, 'Again']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `partner-create: failed: HTTP 409: partner ${code} exists already; GET /v1/admin/partners lists them\n`);
  });

  test('partner-create with a bad code and name prints each listed error', () => {
    const r = run('partner-create', ['Bad Code', '']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, [
      'partner-create: failed: HTTP 422: the partner was not saved: 2 problems, each listed in errors',
      '  /code: code "Bad Code" must be 2 to 64 characters of a-z, 0-9 and \'-\', starting with a letter or digit [bad_format]',
      '  /name: name must not be empty [empty]',
      '',
    ].join('\n'));
  });

  test('partner-grant grants, and granting again reports that nothing changed', async () => {
    const r = run('partner-grant', [code, '--programme', PROGRAMME, AREA_A, AREA_B]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `granted ${code} programme ${PROGRAMME} for ${AREA_A}, ${AREA_B}\n`);
    const again = run('partner-grant', [code, '--programme', PROGRAMME, AREA_A]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `${code} already had programme ${PROGRAMME} for ${AREA_A}; nothing changed\n`);
    const m = run('partner-grant', [code, '--metric', METRIC, AREA_B]);
    assert.equal(m.stdout, `granted ${code} metric ${METRIC} for ${AREA_B}\n`);
    const list = await get('/v1/admin/partners', { key: ADMIN });
    assert.deepEqual(list.body.items.find((p) => p.code === code).grants, [
      { programme: PROGRAMME, areas: [AREA_A, AREA_B] }, { metric: METRIC, areas: [AREA_B] },
    ]);
  });

  test('partner-grant of an unknown area exits 1 naming it', () => {
    const r = run('partner-grant', [code, '--metric', METRIC, AREA_A, 'E99999999']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, [
      'partner-grant: failed: HTTP 422: the grant was not saved: no area E99999999; GET /v1/areas lists them',
      '  /areas/1: no area E99999999; GET /v1/areas lists them [unknown_area]',
      '',
    ].join('\n'));
  });

  test('partner-grant without --programme or --metric is a usage error', () => {
    const r = run('partner-grant', [code, '--area', AREA_A, AREA_B]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^partner-grant: the second argument is --programme or --metric, not "--area"\n/);
  });
});

describe('keys', () => {
  test('key-create prints only the key on stdout; key-revoke makes it stop working', async () => {
    const code = partnerCode();
    assert.equal(run('partner-create', [code, 'Key script partner']).code, 0);
    const made = run('key-create', ['admintest script key', 'read,submit', code]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /^wbk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/);
    const key = made.stdout.trim();
    const m = made.stderr.match(/^made key ([0-9a-f-]{36}) \(admintest script key; scopes read,submit; partner (\S+)\); it is shown once, below\n$/);
    assert.ok(m, made.stderr);
    assert.equal(m[2], code);
    const id = m[1];
    assert.equal((await get('/v1/programmes', { key })).status, 200);
    const revoked = run('key-revoke', [id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `revoked key ${id}\n`);
    assert.equal((await get('/v1/programmes', { key })).status, 401);
  });

  test('key-create with an unknown scope exits 1 with the listed error', () => {
    const r = run('key-create', ['admintest script bad', 'read,write']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, [
      'key-create: failed: HTTP 422: the key was not saved: scopes[1] must be one of read, submit, admin',
      '  /scopes/1: scopes[1] must be one of read, submit, admin [not_allowed]',
      '',
    ].join('\n'));
  });

  test('key-revoke of an unknown id exits 1 with the 404 detail', () => {
    const r = run('key-revoke', ['6a1f3c2e-0000-4000-8000-000000000000']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'key-revoke: failed: HTTP 404: no key 6a1f3c2e-0000-4000-8000-000000000000; GET /v1/admin/keys lists them\n');
  });
});

describe('locks', () => {
  test('lock-month locks a metric month, which shows in the lock list; unlock-month removes it', async () => {
    const r = run('lock-month', ['--metric', METRIC, '2019-02']);
    assert.equal(r.code, 0, r.stderr);
    const m = r.stdout.match(/^locked metric admin_test\.script_uploads for 2019-02 \(lock (\d+)\)\n$/);
    assert.ok(m, r.stdout);
    const id = Number(m[1]);
    const list = await get(`/v1/admin/locks?metric=${METRIC}`, { key: ADMIN });
    assert.deepEqual(list.body.items.map((l) => [l.id, l.period]), [[id, '2019-02']]);
    const again = run('lock-month', ['--metric', METRIC, '2019-02']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, `lock-month: failed: HTTP 409: metric ${METRIC} is locked for 2019-02 already (lock ${id})\n`);
    const un = run('unlock-month', [String(id)]);
    assert.equal(un.code, 0, un.stderr);
    assert.equal(un.stdout, `removed lock ${id}\n`);
    assert.deepEqual((await get(`/v1/admin/locks?metric=${METRIC}`, { key: ADMIN })).body.items, []);
    const gone = run('unlock-month', [String(id)]);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, `unlock-month: failed: HTTP 404: no lock ${id}; GET /v1/admin/locks lists them\n`);
  });

  test('lock-month of a programme takes a month and refuses a financial year', () => {
    const ok = run('lock-month', ['--programme', PROGRAMME, '2019-03']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^locked programme admin_test for 2019-03 \(lock \d+\)\n$/);
    const r = run('lock-month', ['--programme', PROGRAMME, 'FY2019-20']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, [
      'lock-month: failed: HTTP 422: the lock was not saved: a programme lock names a month, like 2019-02; lock a quarterly or annual period per metric',
      '  /period: a programme lock names a month, like 2019-02; lock a quarterly or annual period per metric [bad_period]',
      '',
    ].join('\n'));
  });
});

describe('upload-csv (needs POST /v1/submissions)', () => {
  let partner, key;
  before(() => {
    partner = partnerCode();
    assert.equal(run('partner-create', [partner, 'Upload partner']).code, 0);
    assert.equal(run('partner-grant', [partner, '--metric', METRIC, AREA_A, AREA_B]).code, 0);
    const made = run('key-create', ['admintest uploader', 'submit', partner]);
    assert.equal(made.code, 0, made.stderr);
    key = made.stdout.trim();
  });

  test('upload-csv sends the file with WELLBEING_PARTNER_KEY and prints the counts', async () => {
    const file = csvFile('good.csv', [`${METRIC},${AREA_A},2019-01,5`, `${METRIC},${AREA_B},2019-01,7`]);
    const r = run('upload-csv', [file], { WELLBEING_ADMIN_KEY: '', WELLBEING_PARTNER_KEY: key });
    assert.equal(r.code, 0, r.stderr);
    const m = r.stdout.match(/^submission ([0-9a-f-]{36}) applied: created 2, updated 0, unchanged 0, deleted 0, rejected 0\n$/);
    assert.ok(m, r.stdout);
    const receipt = await get(`/v1/submissions/${m[1]}`, { key });
    assert.equal(receipt.status, 200);
    assert.equal(receipt.body.partner, partner);
    assert.deepEqual(sql(`SELECT area, value::text FROM observations WHERE metric = '${METRIC}' ORDER BY area`), [[AREA_A, '5'], [AREA_B, '7']]);
  });

  test('upload-csv --key --dry-run writes nothing and says dry_run', () => {
    const file = csvFile('dry.csv', [`${METRIC},${AREA_A},2019-02,6`]);
    const r = run('upload-csv', ['--key', key, '--dry-run', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^submission [0-9a-f-]{36} dry_run: created 1, updated 0, unchanged 0, deleted 0, rejected 0\n$/);
    assert.deepEqual(sql(`SELECT count(*) FROM observations WHERE metric = '${METRIC}' AND period_start = '2019-02-01'`), [['0']]);
  });

  test('a rejected upload exits 1 and prints the detail and every bad row as the server gave them', async () => {
    const rows = [`${METRIC},${AREA_A},2019-03,8`, `${METRIC},E99999999,2019-03,9`, `${METRIC},${AREA_B},2019-13,1`];
    const file = csvFile('bad.csv', rows);
    const r = run('upload-csv', ['--key', key, file]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const direct = await api('POST', '/v1/submissions', {
      key, body: ['metric,area,period,value', ...rows].join('\n') + '\n', headers: { 'Content-Type': 'text/csv' },
    });
    assert.equal(direct.status, 422);
    assert.ok(direct.body.errors.length >= 2, direct.text);
    assert.equal(r.stderr, problemText('upload-csv', direct));
    assert.deepEqual(sql(`SELECT count(*) FROM observations WHERE metric = '${METRIC}' AND period_start = '2019-03-01'`), [['0']]);
  });

  test('upload-csv without a partner key is a usage error', () => {
    const file = csvFile('nokey.csv', []);
    const r = run('upload-csv', [file], { WELLBEING_PARTNER_KEY: '' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^upload-csv: set WELLBEING_PARTNER_KEY or pass --key /);
  });
});

describe('late-returns (needs GET /v1/completeness)', () => {
  // Issue 10: late-returns reads schedules, not grants: a grant alone owes nothing.
  test('late-returns prints the summary and one line per late figure, as the server counts them', async () => {
    const partner = partnerCode();
    assert.equal(run('partner-create', [partner, 'Late partner']).code, 0);
    assert.equal(run('partner-grant', [partner, '--metric', METRIC, AREA_A]).code, 0);
    const before = await get('/v1/completeness?period=2018-06', { key: ADMIN });
    assert.ok(!before.body.items.some((i) => i.partner === partner), 'a grant alone owes nothing');
    const sched = run('schedule-add', [partner, METRIC, AREA_A]);
    assert.equal(sched.code, 0, sched.stderr);
    const r = run('late-returns', ['2018-06']);
    assert.equal(r.code, 0, r.stderr);
    const c = await get('/v1/completeness?period=2018-06', { key: ADMIN });
    assert.equal(c.status, 200);
    const late = c.body.items.filter((i) => i.late).map((i) => `late: ${i.partner} ${i.metric} ${i.area}`);
    assert.ok(late.includes(`late: ${partner} ${METRIC} ${AREA_A}`), 'a granted figure never sent is late');
    const s = c.body.summary;
    assert.equal(r.stdout, [`2018-06 (due 2018-07-15): expected ${s.expected}, received ${s.received}, late ${s.late}`, ...late, ''].join('\n'));
  });

  test('late-returns of a malformed period exits 1 with the server\'s detail', async () => {
    const r = run('late-returns', ['2018-13']);
    assert.equal(r.code, 1);
    const direct = await get('/v1/completeness?period=2018-13', { key: ADMIN });
    assert.equal(direct.status, 400);
    assert.equal(r.stderr, problemText('late-returns', direct));
  });
});

describe('stewardship scripts: schedules, hand-over, rules, snapshots, returns-due', () => {
  test('each prints what it did, as the server has it', async () => {
    const owner = partnerCode();
    const heir = partnerCode();
    for (const p of [owner, heir]) {
      assert.equal(run('partner-create', [p, 'Steward partner']).code, 0);
      assert.equal(run('partner-grant', [p, '--metric', METRIC, AREA_B]).code, 0);
    }
    const key = run('key-create', ['admintest steward', 'read,submit', owner]).stdout.trim();

    const add = run('schedule-add', [owner, METRIC, '--due-day', '12', AREA_B]);
    assert.equal(add.code, 0, add.stderr);
    const [sched] = (await get(`/v1/admin/partners/${owner}/returns`, { key: ADMIN })).body.items;
    assert.equal(add.stdout, `scheduled ${owner} ${METRIC} ${AREA_B}, due day 12 (schedule ${sched.id})\n`);
    assert.equal(run('schedule-list', [owner]).stdout, `${sched.id} ${METRIC} ${AREA_B} monthly, due day 12\n`);
    const bad = run('schedule-add', [owner, METRIC, '--due-day', 'soon', AREA_B]);
    assert.equal(bad.code, 2);

    const due = run('returns-due', ['--key', key, '--csv']);
    assert.equal(due.code, 0, due.stderr);
    const template = (await get('/v1/returns/due?format=csv', { key })).text;
    assert.equal(due.stdout, `${template}\n`);
    assert.match(due.stdout, new RegExp(`^${METRIC.replace('.', '\\.')},${AREA_B},\\d{4}-\\d{2},,,\r$`, 'm'));

    const snap1 = unique('admintest-board').toLowerCase();
    const snap2 = unique('admintest-board').toLowerCase();
    const s1 = run('snapshot-create', [snap1, '--note', 'first board']);
    assert.equal(s1.code, 0, s1.stderr);
    assert.match(s1.stdout, new RegExp(`^snapshot ${snap1} at \\d{4}-\\d{2}-\\d{2}T`));
    await new Promise((r) => setTimeout(r, 20));
    const csv = csvFile('steward.csv', [`${METRIC},${AREA_B},2018-05,40`]);
    const up = run('upload-csv', ['--key', key, '--reason', 'first return', csv]);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(run('snapshot-create', [snap2]).code, 0);
    assert.match(run('snapshot-list').stdout, new RegExp(`^${snap1} \\S+ first board\n(.*\n)*${snap2} \\S+\n`, 'm'));
    const changes = run('snapshot-changes', [snap2, snap1]);
    assert.equal(changes.code, 0, changes.stderr);
    const api2 = await get(`/v1/snapshots/${snap2}/changes?since=${snap1}`, { key: ADMIN });
    assert.equal(changes.stdout.split('\n')[0], `${api2.body.items.length} change(s) from ${snap1} (${api2.body.since_as_of}) to ${snap2} (${api2.body.as_of})`);
    assert.match(changes.stdout, new RegExp(`^added ${METRIC.replace('.', '\\.')} ${AREA_B} 2018-05: - -> 40 \\(- -> provisional\\) by ${owner}: first return$`, 'm'));
    const csvOut = run('snapshot-changes', [snap2, snap1, '--csv']);
    assert.equal(csvOut.stdout, `${(await get(`/v1/snapshots/${snap2}/changes?since=${snap1}&format=csv`, { key: ADMIN })).text}\n`);

    const handed = run('hand-over', [METRIC, AREA_B, heir, 'contract moved']);
    assert.equal(handed.code, 0, handed.stderr);
    assert.equal(handed.stdout, `${METRIC} ${AREA_B}: handed from ${owner} to ${heir} (schedule)\n`);
    assert.equal(run('schedule-list', [owner]).stdout, '');
    const del = run('schedule-delete', [heir, String(sched.id)]);
    assert.equal(del.stdout, `deleted schedule ${sched.id} of ${heir}\n`);
    const again = run('schedule-delete', [heir, String(sched.id)]);
    assert.equal(again.code, 1);

    const other = `${PROGRAMME}.script_uploads_b`;
    const m = await api('PUT', `/v1/admin/metrics/${other}`, {
      key: ADMIN, json: { programme: PROGRAMME, name: 'Script uploads B', unit: 'count', frequency: 'monthly', kind: 'stock' },
    });
    assert.equal(m.status, 201, m.text);
    const name = unique('admintest-rule').toLowerCase();
    const rule = run('rule-add', [name, METRIC, '<=', other, 'warning']);
    assert.equal(rule.stdout, `rule ${name}: ${METRIC} <= ${other} (warning)\n`);
    assert.match(run('rule-list').stdout, new RegExp(`^${name}: ${METRIC.replace('.', '\\.')} <= ${other.replace('.', '\\.')} \\(warning\\)$`, 'm'));
    const badRule = run('rule-add', [name, METRIC, '<', other, 'warning']);
    assert.equal(badRule.code, 1);
    assert.match(badRule.stderr, /op "<" is not one of .*\[not_allowed\]/);
    assert.equal(run('rule-delete', [name]).stdout, `deleted rule ${name}\n`);
  });
});

// The seed (sql/seed): programmes, metrics, areas, targets and the figures published in
// the board papers, read back through the API; and migrate run again changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { get, sql, BIN } from './lib.mjs';

const SEED_SUBMISSION = '5eed0000-0000-4000-8000-000000000001';
const WMCA = 'E47000007';
const METROPOLITAN = ['E08000025', 'E08000026', 'E08000027', 'E08000028', 'E08000029', 'E08000030', 'E08000031'];
const NON_CONSTITUENT = ['E06000020', 'E06000051', 'E07000192', 'E07000199', 'E07000218', 'E07000219',
  'E07000220', 'E07000221', 'E07000236', 'E10000031'];

// The headline metric codes, in the board's order (docs/design.md, "Metrics").
const HEADLINE = [
  ['mhfa.people_trained', 'count', 'stock', 'monthly'],
  ['mhfa.secondary_schools_pct', 'percent', 'rate', 'monthly'],
  ['thrive.ips_referrals', 'count', 'stock', 'monthly'],
  ['thrive.ips_job_starts', 'count', 'stock', 'monthly'],
  ['thrive.mhtr_orders', 'count', 'stock', 'monthly'],
  ['thrive.taw_organisations', 'count', 'stock', 'monthly'],
  ['thrive.taw_employees', 'count', 'stock', 'monthly'],
  ['thrive.this_is_me_organisations', 'count', 'stock', 'monthly'],
  ['on_the_move.active_adults_pct', 'percent', 'rate', 'monthly'],
  ['on_the_move.inactive_adults_pct', 'percent', 'rate', 'monthly'],
];

function migrate() {
  execFileSync(BIN, ['migrate'], { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
}

// What a re-run must not change: every seeded table, counted.
function seedState() {
  return sql(`SELECT (SELECT count(*) FROM programmes), (SELECT count(*) FROM dimension_categories),
                     (SELECT count(*) FROM metrics), (SELECT count(*) FROM metric_dimensions),
                     (SELECT count(*) FROM areas), (SELECT count(*) FROM area_memberships),
                     (SELECT count(*) FROM partners), (SELECT string_agg(id || ':' || metric, ',' ORDER BY id) FROM targets),
                     (SELECT count(*) FROM observations), (SELECT count(*) FROM observation_history),
                     (SELECT count(*) FROM submissions)`)[0];
}

async function observations(metric, area) {
  const r = await get(`/v1/observations?metric=${metric}&area=${area}`);
  assert.equal(r.status, 200);
  return r.body.items;
}

test('the three programmes are seeded with their names and descriptions', async () => {
  const r = await get('/v1/programmes');
  assert.equal(r.status, 200);
  const byCode = Object.fromEntries(r.body.items.map((p) => [p.code, p]));
  assert.equal(byCode.mhfa.name, 'Mental Health First Aid');
  assert.equal(byCode.thrive.name, 'Thrive West Midlands');
  assert.equal(byCode.on_the_move.name, 'West Midlands on the Move');
  for (const code of ['mhfa', 'thrive', 'on_the_move'])
    assert.ok(byCode[code].description.length > 100, `${code} has a description`);
  assert.deepEqual(r.body.items.map((p) => p.code), ['mhfa', 'thrive', 'on_the_move'], 'in sort order');
});

test('every headline metric is listed with its unit, kind and frequency, in the board\'s order', async () => {
  const r = await get('/v1/metrics');
  assert.equal(r.status, 200);
  const byCode = Object.fromEntries(r.body.items.map((m) => [m.code, m]));
  for (const [code, unit, kind, frequency] of HEADLINE) {
    assert.ok(byCode[code], `${code} is listed`);
    assert.deepEqual([byCode[code].unit, byCode[code].kind, byCode[code].frequency, byCode[code].headline],
      [unit, kind, frequency, true], code);
    assert.notEqual(byCode[code].description, '', `${code} has a description`);
    assert.notEqual(byCode[code].source, '', `${code} has a source`);
  }
  // Listed by programme then sort_order: the headline ones keep the board's order.
  const listedHeadline = r.body.items.filter((m) => m.headline).map((m) => m.code);
  for (const prefix of ['mhfa.', 'thrive.', 'on_the_move.'])
    assert.deepEqual(listedHeadline.filter((c) => c.startsWith(prefix)),
      HEADLINE.map(([c]) => c).filter((c) => c.startsWith(prefix)));
  const seeded = r.body.items.filter((m) => /^(mhfa|thrive|on_the_move)\./.test(m.code));
  assert.ok(seeded.length >= 30, `${seeded.length} programme metrics`);
});

test('rates that total over areas name their numerator and denominator; survey rates carry limits', async () => {
  const expect = {
    'mhfa.secondary_schools_pct': ['mhfa.secondary_schools_trained', 'mhfa.secondary_schools', false],
    'on_the_move.active_adults_pct': ['on_the_move.active_adults', 'on_the_move.adult_population', true],
    'on_the_move.inactive_adults_pct': ['on_the_move.inactive_adults', 'on_the_move.adult_population', true],
    'thrive.ips_referrals_target_pct': ['thrive.ips_referrals', 'thrive.ips_referral_target', false],
  };
  for (const [code, [numerator, denominator, limits]] of Object.entries(expect)) {
    const r = await get(`/v1/metrics/${code}`);
    assert.equal(r.status, 200, code);
    assert.deepEqual([r.body.numerator, r.body.denominator, r.body.confidence_limits], [numerator, denominator, limits], code);
    for (const part of [numerator, denominator]) {
      const p = await get(`/v1/metrics/${part}`);
      assert.deepEqual([p.status, p.body.unit], [200, 'count'], part);
    }
  }
  const inactive = await get('/v1/metrics/on_the_move.inactive_adults_pct');
  assert.equal(inactive.body.polarity, 'lower_is_better');
});

test('Thrive people counts accept sex, age band, ethnicity and disability', async () => {
  for (const code of ['thrive.ips_referrals', 'thrive.ips_job_starts', 'thrive.mhtr_orders', 'mhfa.people_trained']) {
    const r = await get(`/v1/metrics/${code}`);
    assert.deepEqual(r.body.dimensions, ['age_band', 'disability', 'ethnicity', 'sex'], code);
  }
  const organisations = await get('/v1/metrics/thrive.taw_organisations');
  assert.deepEqual(organisations.body.dimensions, []);
  const dims = await get('/v1/dimensions');
  const cats = Object.fromEntries(dims.body.items.map((d) => [d.code, d.categories.map((c) => c.code)]));
  assert.deepEqual(cats.sex, ['female', 'male']);
  assert.deepEqual(cats.age_band, ['16-24', '25-34', '35-49', '50-64', '65+']);
  assert.deepEqual(cats.ethnicity, ['asian', 'black', 'mixed', 'white', 'other']);
  assert.deepEqual(cats.disability, ['disabled', 'not_disabled']);
});

test('metropolitan districts are exactly the seven WMCA constituent members', async () => {
  const r = await get('/v1/areas?type=metropolitan_district');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((a) => a.code).sort(), METROPOLITAN);
});

test("Birmingham's parents are the WMCA as constituent and the region as container", async () => {
  const r = await get('/v1/areas/E08000025');
  assert.equal(r.status, 200);
  assert.equal(r.body.name, 'Birmingham');
  const parents = r.body.parents.map((p) => `${p.code}:${p.role}`).sort();
  assert.deepEqual(parents, ['E12000005:contains', 'E47000007:constituent']);
  assert.equal(r.body.parents.find((p) => p.code === WMCA).from, '2016-06-17');
});

test('the WMCA has 7 constituent and 10 non-constituent members and is not inside the region', async () => {
  const r = await get(`/v1/areas/${WMCA}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.type, 'combined_authority');
  const codes = (role) => r.body.members.filter((m) => m.role === role).map((m) => m.code).sort();
  assert.deepEqual(codes('constituent'), METROPOLITAN);
  assert.deepEqual(codes('non_constituent'), NON_CONSTITUENT);
  assert.deepEqual(r.body.parents, []);
  const region = await get('/v1/areas/E12000005');
  assert.deepEqual(region.body.members.map((m) => m.code).sort(),
    [...METROPOLITAN, 'E06000020', 'E06000051', 'E10000028', 'E10000031', 'E10000034'].sort());
});

test('counties contain their districts', async () => {
  const members = async (code) => (await get(`/v1/areas/${code}`)).body.members
    .filter((m) => m.role === 'contains').map((m) => m.code).sort();
  assert.deepEqual(await members('E10000031'), ['E07000218', 'E07000219', 'E07000220', 'E07000221', 'E07000222']);
  assert.deepEqual(await members('E10000028'), ['E07000192', 'E07000199']);
  assert.deepEqual(await members('E10000034'), ['E07000236']);
});

test('MHFA people trained is 12013 for the WMCA at 2018-12, final, with a note naming the paper', async () => {
  const items = await observations('mhfa.people_trained', WMCA);
  const row = items.find((o) => o.period === '2018-12');
  assert.ok(row, 'a 2018-12 figure');
  assert.equal(row.value, 12013);
  assert.equal(row.status, 'final');
  assert.deepEqual(row.breakdown, {});
  assert.match(row.note, /Wellbeing Board 18 Jan 2019, Thrive update para 8\.1/);
});

test('MHTR orders are 28 for Birmingham at 2018-10', async () => {
  const items = await observations('thrive.mhtr_orders', 'E08000025');
  const row = items.find((o) => o.period === '2018-10');
  assert.equal(row.value, 28);
  assert.match(row.note, /para 7\.1/);
});

test('the published IPS, Thrive at Work and budget figures are stored as published', async () => {
  const value = async (metric, area, period) =>
    (await observations(metric, area)).find((o) => o.period === period)?.value;
  assert.equal(await value('thrive.ips_referrals', WMCA, '2018-11'), 1822);
  assert.equal(await value('thrive.ips_job_starts', WMCA, '2018-10'), 52);
  assert.equal(await value('thrive.ips_job_starts', WMCA, '2018-11'), 86);
  assert.equal(await value('thrive.ips_gp_referrals', WMCA, '2018-11'), 9);
  assert.equal(await value('mhfa.secondary_schools_pct', WMCA, '2018-12'), 26);
  assert.equal(await value('thrive.taw_organisations', WMCA, '2019-01'), 191);
  assert.equal(await value('thrive.taw_employees', WMCA, '2019-01'), 70000);
  assert.equal(await value('thrive.mh_budget', WMCA, 'FY2018-19'), 435000);
  assert.equal(await value('thrive.mh_budget_resources', WMCA, 'FY2018-19'), 304300);
  // The total of Thrive at Work organisations is a sum the paper does not state.
  assert.deepEqual(sql(`SELECT derived, note ~ '^Derived: 121 \\+ 70\\.' FROM observations
                         WHERE metric = 'thrive.taw_organisations' AND area = '${WMCA}'
                           AND period_start = '2019-01-01'`), [['t', 't']]);
  assert.deepEqual(sql(`SELECT count(*) FROM observations WHERE derived AND submission_id = '${SEED_SUBMISSION}'`), [['1']]);
});

test('every seeded figure is final, from the board papers, with a note and one create in history', () => {
  const rows = sql(`SELECT count(*), count(*) FILTER (WHERE o.status = 'final' AND o.partner = 'board-papers'
                             AND o.note ~ 'Wellbeing Board \\d+ \\w+ 20\\d\\d'),
                           count(*) FILTER (WHERE (SELECT count(*) FROM observation_history h
                              WHERE h.metric = o.metric AND h.area = o.area AND h.period_start = o.period_start
                                AND h.breakdown_key = o.breakdown_key AND h.action = 'create') = 1)
                      FROM observations o WHERE o.submission_id = '${SEED_SUBMISSION}'`)[0];
  assert.deepEqual(rows, ['26', '26', '26']);
  const synthetic = sql(`SELECT synthetic, (SELECT count(*) FROM observations WHERE partner = 'synthetic')
                           FROM partners WHERE code = 'synthetic'`)[0];
  assert.deepEqual(synthetic, ['t', '0']);
});

test('the MHFA and This is Me targets are seeded as the papers state them', () => {
  const rows = sql(`SELECT metric, area, start_period, end_period, value, baseline, basis FROM targets
                     WHERE metric IN ('mhfa.people_trained', 'thrive.this_is_me_organisations') ORDER BY id`);
  assert.deepEqual(rows, [
    ['mhfa.people_trained', WMCA, '2017-01-01', '2026-12-01', '500000', '0', 'level'],
    ['thrive.this_is_me_organisations', WMCA, '2019-01-01', '2020-01-01', '50', '0', 'level'],
  ]);
});

test('running migrate a second time leaves the data version and the figures unchanged', () => {
  const version = sql('SELECT version FROM data_version')[0][0];
  const before = seedState();
  migrate();
  assert.equal(sql('SELECT version FROM data_version')[0][0], version);
  assert.deepEqual(seedState(), before);
});

test('a seed applied again over its own rows adds nothing and changes no figure', () => {
  const before = seedState();
  const values = sql(`SELECT metric, area, period_start, value, note FROM observations
                       WHERE submission_id = '${SEED_SUBMISSION}' ORDER BY 1, 2, 3`);
  const version = Number(sql('SELECT version FROM data_version')[0][0]);
  sql('DELETE FROM seed_state'); // as if the seed files had changed
  migrate();
  assert.deepEqual(seedState(), before);
  assert.deepEqual(sql(`SELECT metric, area, period_start, value, note FROM observations
                         WHERE submission_id = '${SEED_SUBMISSION}' ORDER BY 1, 2, 3`), values);
  assert.equal(Number(sql('SELECT version FROM data_version')[0][0]), version + 1, 'an applied seed bumps the version');
});

test("a new seed corrects a figure it still owns, with history, and leaves another writer's figure alone", () => {
  const cell = (metric, area, period) => `metric = '${metric}' AND area = '${area}' AND period_start = '${period}'`;
  const mhfa = cell('mhfa.people_trained', WMCA, '2018-12-01');
  const mhtr = cell('thrive.mhtr_orders', 'E08000025', '2018-10-01');
  // An older seed's figure, and a cell someone else has written since.
  sql(`UPDATE observations SET value = 12000 WHERE ${mhfa}`);
  sql(`UPDATE observations SET value = 29, submission_id = NULL, partner = NULL WHERE ${mhtr}`);
  try {
    sql('DELETE FROM seed_state');
    migrate();
    assert.deepEqual(sql(`SELECT value FROM observations WHERE ${mhfa}`), [['12013']]);
    assert.deepEqual(sql(`SELECT value, partner FROM observations WHERE ${mhtr}`), [['29', '']]);
    const history = sql(`SELECT action, old_value, new_value, old_status, submission_id, reason <> ''
                           FROM observation_history WHERE ${mhfa} ORDER BY id DESC LIMIT 1`);
    assert.deepEqual(history, [['update', '12000', '12013', 'final', SEED_SUBMISSION, 't']]);
  } finally {
    sql(`UPDATE observations SET value = 28, submission_id = '${SEED_SUBMISSION}', partner = 'board-papers' WHERE ${mhtr}`);
  }
});

// Issue 11's "Disclosure" list: history under the read rules of every other read, and
// complementary suppression on open reads, attacked by subtracting every set of visible
// cells from every margin, chained, on JSON pages, filtered reads and CSV exports.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, get, sql, makeKey, startServer, ADMIN } from './lib.mjs';

const TWO = 'thrive.t_disc_two';   // count by sex and age band
const ONE = 'thrive.t_disc_one';   // count by sex
const BHAM = 'E08000025';
const SEXES = ['female', 'male'];
const AGES = ['16-24', '25-34', '35-49', '50-64', '65+'];
let partnerKey, otherKey, readKey;

before(() => {
  sql(`INSERT INTO programmes (code, name) VALUES ('thrive','Thrive') ON CONFLICT DO NOTHING;
       INSERT INTO areas (code, name, type) VALUES ('${BHAM}','Birmingham','metropolitan_district') ON CONFLICT DO NOTHING;
       INSERT INTO dimensions (code, name) VALUES ('sex','Sex'),('age_band','Age band') ON CONFLICT DO NOTHING;
       INSERT INTO dimension_categories (dimension, code, name) VALUES ('sex','female','Female'),('sex','male','Male'),
         ('age_band','16-24','16-24'),('age_band','25-34','25-34'),('age_band','35-49','35-49'),('age_band','50-64','50-64'),('age_band','65+','65+') ON CONFLICT DO NOTHING;
       INSERT INTO metrics (code, programme, name, unit, frequency, kind) VALUES
         ('${TWO}','thrive','Disclosure test, two ways','count','monthly','flow'),
         ('${ONE}','thrive','Disclosure test, one way','count','monthly','flow') ON CONFLICT DO NOTHING;
       INSERT INTO metric_dimensions VALUES ('${TWO}','sex'),('${TWO}','age_band'),('${ONE}','sex') ON CONFLICT DO NOTHING;
       INSERT INTO partners (code, name) VALUES ('t-disc','Disclosure provider'),('t-disc-other','Another provider') ON CONFLICT DO NOTHING;
       INSERT INTO partner_grants (partner, programme, area) VALUES ('t-disc','thrive','${BHAM}') ON CONFLICT DO NOTHING;`);
  partnerKey = makeKey('t-disc-key', 'submit', 't-disc');
  otherKey = makeKey('t-disc-other-key', 'submit', 't-disc-other');
  readKey = makeKey('t-disc-reader', 'read');
});

const cell = (metric, period, value, breakdown) => ({ metric, area: BHAM, period, value, ...(breakdown ? { breakdown } : {}) });
const submit = async (rows, reason) => {
  const r = await api('POST', '/v1/submissions', { key: partnerKey, json: { observations: rows, ...(reason ? { reason } : {}) } });
  assert.equal(r.status, 201, r.text);
};

// A table as the reader sees it: key -> value (null when hidden).
const keyOf = (b) => Object.keys(b).sort().map((d) => `${d}=${b[d]}`).join(';');
function seen(items) {
  const t = new Map();
  for (const i of items) t.set(keyOf(i.breakdown), i.suppressed ? null : i.value);
  return t;
}

// Every relation of the table: a margin (fewer dimensions) and its cells one dimension
// below. The attacker knows the table's shape (the catalogue) and every visible value;
// it solves any relation with one unknown, again and again. Returns the hidden keys it
// could work out.
function attack(table, dims) {
  const known = new Map([...table].filter(([, v]) => v !== null));
  const keys = [...table.keys()];
  const parse = (k) => Object.fromEntries(k ? k.split(';').map((p) => p.split('=')) : []);
  let more = true;
  const found = [];
  while (more) {
    more = false;
    for (const m of keys) {
      const mb = parse(m);
      for (const d of Object.keys(dims)) {
        if (d in mb) continue;
        const kids = dims[d].map((c) => keyOf({ ...mb, [d]: c }));
        if (!kids.every((k) => table.has(k))) continue; // a missing cell is unknown for good
        const unknown = [m, ...kids].filter((k) => !known.has(k));
        if (unknown.length !== 1) continue;
        const sumKids = kids.reduce((s, k) => s + (known.get(k) ?? 0), 0);
        const u = unknown[0];
        known.set(u, u === m ? sumKids : known.get(m) - (sumKids - (known.get(u) ?? 0)));
        if (table.get(u) === null) found.push(u);
        more = true;
      }
    }
  }
  return found;
}

test('one small cell hides the next smallest too, in every form of the read', async () => {
  await submit([cell(ONE, '2020-01', 30), cell(ONE, '2020-01', 3, { sex: 'female' }), cell(ONE, '2020-01', 27, { sex: 'male' })]);
  const open = await get(`/v1/observations?metric=${ONE}&area=${BHAM}&from=2020-01&to=2020-01&breakdown=all`);
  assert.equal(open.status, 200);
  assert.deepEqual(Object.fromEntries(seen(open.body.items)), { '': 30, 'sex=female': null, 'sex=male': null });
  assert.deepEqual(attack(seen(open.body.items), { sex: SEXES }), []);
  const filtered = await get(`/v1/observations?metric=${ONE}&area=${BHAM}&from=2020-01&to=2020-01&breakdown=sex=male`);
  assert.deepEqual(filtered.body.items.map((i) => [i.value, i.suppressed]), [[null, true]], 'the filter does not change what is hidden');
  const csv = await get(`/v1/observations?metric=${ONE}&area=${BHAM}&from=2020-01&to=2020-01&breakdown=all&format=csv`);
  assert.equal(csv.status, 200);
  const lines = csv.text.trim().split('\r\n').slice(1).map((l) => l.split(','));
  assert.deepEqual(lines.map((l) => [l[3], l[4], l[8]]), [['', '30', ''], ['sex=female', '', 'true'], ['sex=male', '', 'true']]);
  const keyed = await get(`/v1/observations?metric=${ONE}&area=${BHAM}&from=2020-01&to=2020-01&breakdown=all`, { key: readKey });
  assert.deepEqual(Object.fromEntries(seen(keyed.body.items)), { '': 30, 'sex=female': 3, 'sex=male': 27 });
});

// The same cell must be hidden on every open read, or the total less the male cell of
// a series (or of an area comparison) gives the female one that /v1/observations hides.
test('a cell hidden to protect another is hidden on series and area comparisons too, and in totals made from it', async () => {
  await submit([cell(ONE, '2020-06', 30), cell(ONE, '2020-06', 3, { sex: 'female' }), cell(ONE, '2020-06', 27, { sex: 'male' })]);
  const point = (body) => body.points.find((p) => p.period === '2020-06');
  for (const sex of SEXES) {
    const s = await get(`/v1/metrics/${ONE}/series?area=${BHAM}&breakdown=sex=${sex}`);
    assert.equal(s.status, 200, s.text);
    assert.deepEqual([point(s.body).value, point(s.body).suppressed], [null, true], `series of ${sex}`);
    const csv = await get(`/v1/metrics/${ONE}/series?area=${BHAM}&breakdown=sex=${sex}&format=csv`);
    const row = csv.text.split('\r\n').find((l) => l.includes(',2020-06,'));
    assert.match(row, /,2020-06,,.*,true$/, `series CSV of ${sex}: ${row}`);
    const cum = await get(`/v1/metrics/${ONE}/series?area=${BHAM}&breakdown=sex=${sex}&cumulative=true`);
    assert.ok(cum.body.points.filter((p) => p.period >= '2020-06').every((p) => p.suppressed), `running sums of ${sex}`);
    const areas = await get(`/v1/metrics/${ONE}/areas?period=2020-06&breakdown=sex=${sex}`);
    assert.equal(areas.status, 200, areas.text);
    const withBham = areas.body.items.filter((i) => i.area === BHAM || (i.members || []).includes(BHAM));
    assert.ok(withBham.length >= 2, 'Birmingham and the totals made from it');
    for (const i of withBham) assert.deepEqual([i.area, i.value, i.suppressed], [i.area, null, true], `${i.area} by ${sex}`);
  }
  const total = await get(`/v1/metrics/${ONE}/series?area=${BHAM}`);
  assert.equal(point(total.body).value, 30, 'the total stays visible');
  const keyed = await get(`/v1/metrics/${ONE}/series?area=${BHAM}&breakdown=sex=male`, { key: readKey });
  assert.equal(point(keyed.body).value, 27, 'a read key sees the cell');
});

// A read of the past (asOf=, snapshot=) is judged on the tables as they stood: the male
// cell, visible now that the female one is no longer small, was what protected it then.
test('asOf reads hide what the tables of that moment needed hidden', async () => {
  const pause = () => new Promise((r) => setTimeout(r, 30));
  await submit([cell(ONE, '2020-08', 40), cell(ONE, '2020-08', 2, { sex: 'female' }), cell(ONE, '2020-08', 38, { sex: 'male' })]);
  await pause();
  const then = new Date().toISOString();
  await pause();
  await submit([cell(ONE, '2020-08', 20, { sex: 'female' }), cell(ONE, '2020-08', 20, { sex: 'male' })], 'recount');
  const at = `&asOf=${encodeURIComponent(then)}`;
  const past = await get(`/v1/observations?metric=${ONE}&area=${BHAM}&from=2020-08&to=2020-08&breakdown=all${at}`);
  assert.equal(past.status, 200, past.text);
  assert.deepEqual(Object.fromEntries(seen(past.body.items)), { '': 40, 'sex=female': null, 'sex=male': null });
  const csv = await get(`/v1/observations?metric=${ONE}&area=${BHAM}&from=2020-08&to=2020-08&breakdown=all&format=csv${at}`);
  assert.deepEqual(csv.text.trim().split('\r\n').slice(1).map((l) => l.split(',')).map((l) => [l[3], l[4]]), [['', '40'], ['sex=female', ''], ['sex=male', '']]);
  const series = await get(`/v1/metrics/${ONE}/series?area=${BHAM}&breakdown=sex=male${at}`);
  const p = series.body.points.find((x) => x.period === '2020-08');
  assert.deepEqual([p.value, p.suppressed], [null, true]);
  const now = await get(`/v1/observations?metric=${ONE}&area=${BHAM}&from=2020-08&to=2020-08&breakdown=all`);
  assert.deepEqual(Object.fromEntries(seen(now.body.items)), { '': 40, 'sex=female': 20, 'sex=male': 20 });
});

test('a category nobody reported is no subtraction: the other cell stays visible', async () => {
  await submit([cell(ONE, '2020-02', 30), cell(ONE, '2020-02', 2, { sex: 'female' })]);
  const open = await get(`/v1/observations?metric=${ONE}&area=${BHAM}&from=2020-02&to=2020-02&breakdown=all`);
  assert.deepEqual(Object.fromEntries(seen(open.body.items)), { '': 30, 'sex=female': null });
});

test('a two-way table withstands every chain of subtractions', async () => {
  // Small and zero cells scattered through a sex x age band table, every margin sent.
  const v = { female: [3, 40, 0, 12, 1], male: [25, 2, 33, 0, 18] };
  const rows = [];
  let total = 0;
  const byAge = AGES.map(() => 0);
  for (const s of SEXES) {
    let t = 0;
    AGES.forEach((a, i) => {
      rows.push(cell(TWO, '2020-01', v[s][i], { sex: s, age_band: a }));
      t += v[s][i];
      byAge[i] += v[s][i];
    });
    rows.push(cell(TWO, '2020-01', t, { sex: s }));
    total += t;
  }
  AGES.forEach((a, i) => rows.push(cell(TWO, '2020-01', byAge[i], { age_band: a })));
  rows.push(cell(TWO, '2020-01', total));
  await submit(rows);
  const open = await get(`/v1/observations?metric=${TWO}&area=${BHAM}&from=2020-01&to=2020-01&breakdown=all`);
  const table = seen(open.body.items);
  assert.equal(table.size, rows.length);
  for (const [k, value] of table) {
    const sent = rows.find((r) => keyOf(r.breakdown ?? {}) === k).value;
    if (k && sent >= 1 && sent <= 4) assert.equal(value, null, `${k} (${sent}) is a small count`);
    if (value !== null) assert.equal(value, sent);
  }
  assert.deepEqual(attack(table, { sex: SEXES, age_band: AGES }), [], 'no hidden cell follows by subtraction');
  assert.notEqual(table.get(''), null, 'the total stays');
  // Read one dimension at a time, as the dashboard does: the same cells are hidden.
  for (const d of ['sex', 'age_band']) {
    const part = await get(`/v1/observations?metric=${TWO}&area=${BHAM}&from=2020-01&to=2020-01&breakdown=${d}`);
    for (const [k, value] of seen(part.body.items)) assert.equal(value, table.get(k), `${k} read by ${d}`);
  }
});

test('history obeys the read rules: small counts hidden, and no partner names for an open caller', async () => {
  await submit([cell(ONE, '2020-03', 40), cell(ONE, '2020-03', 2, { sex: 'female' }), cell(ONE, '2020-03', 38, { sex: 'male' })]);
  await submit([cell(ONE, '2020-03', 3, { sex: 'female' }), cell(ONE, '2020-03', 37, { sex: 'male' })], 'recount');
  const q = `/v1/observations/history?metric=${ONE}&area=${BHAM}&period=2020-03&breakdown=sex=female`;
  for (const key of [undefined, otherKey]) {
    const h = await get(q, { key });
    assert.equal(h.status, 200, h.text);
    assert.deepEqual(h.body.items.map((i) => [i.action, i.old_value, i.new_value, i.suppressed, i.partner, i.submission_id, i.reason]),
      [['create', null, null, true, null, null, null], ['update', null, null, true, null, null, null]]);
  }
  // The male cell is hidden now to protect the female one: its past is hidden too.
  const male = await get(`/v1/observations/history?metric=${ONE}&area=${BHAM}&period=2020-03&breakdown=sex=male`);
  assert.ok(male.body.items.every((i) => i.suppressed && i.old_value === null && i.new_value === null));
  const own = await get(q, { key: partnerKey });
  assert.deepEqual(own.body.items.map((i) => [i.partner, i.reason]), [['t-disc', null], ['t-disc', 'recount']]);
  const full = await get(q, { key: readKey });
  assert.deepEqual(full.body.items.map((i) => [i.old_value, i.new_value, 'suppressed' in i]), [[null, 2, false], [2, 3, false]]);
  const csv = await get(`${q}&format=csv`);
  assert.match(csv.text, new RegExp('^metric,area,breakdown,period,action,old_value,new_value,old_status,new_status,old_note,new_note,partner,submission_id,changed_at,reason,lock_override,suppressed\\r\\n' +
    `${ONE.replace('.', '\\.')},${BHAM},sex=female,2020-03,create,,,,provisional,,,,,[^,]+,,false,true\\r\\n`));
});

test('the changes between two snapshots obey the same rules as history', async () => {
  const pause = () => new Promise((r) => setTimeout(r, 30));
  const names = [`disc-a-${Date.now()}`, `disc-b-${Date.now()}`];
  assert.equal((await api('POST', '/v1/admin/snapshots', { key: ADMIN, json: { name: names[0] } })).status, 201);
  await pause();
  await submit([cell(ONE, '2020-07', 40), cell(ONE, '2020-07', 2, { sex: 'female' }), cell(ONE, '2020-07', 38, { sex: 'male' })], 'july');
  await pause();
  assert.equal((await api('POST', '/v1/admin/snapshots', { key: ADMIN, json: { name: names[1] } })).status, 201);
  const q = `/v1/snapshots/${names[1]}/changes?since=${names[0]}`;
  const mine = (body) => Object.fromEntries(body.items.filter((i) => i.metric === ONE && i.period === '2020-07')
    .map((i) => [keyOf(i.breakdown), [i.new_value, i.suppressed === true, i.partners, i.reasons]]));
  for (const key of [undefined, otherKey]) {
    const r = await get(q, { key });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(mine(r.body), { '': [40, false, [], []], 'sex=female': [null, true, [], []], 'sex=male': [null, true, [], []] });
  }
  const own = await get(q, { key: partnerKey });
  assert.deepEqual(mine(own.body)[''], [40, false, ['t-disc'], ['july']], 'the partner sees its own');
  const full = await get(q, { key: readKey });
  assert.deepEqual(mine(full.body)['sex=female'], [2, false, ['t-disc'], ['july']]);
  const csv = await get(`${q}&format=csv`);
  assert.match(csv.text, /^change,.*,changed_at,suppressed\r\n/);
  assert.match(csv.text, new RegExp(`^added,${ONE.replace('.', '\\.')},${BHAM},2020-07,sex=female,,,.*,true$`, 'm'));
});

test('with WELLBEING_PUBLIC_READ=0 history needs a read key, like every other read', async () => {
  const srv = await startServer({ WELLBEING_PUBLIC_READ: '0' });
  try {
    const q = `/v1/observations/history?metric=${ONE}&area=${BHAM}&period=2020-03`;
    const none = await get(q, { base: srv.base });
    assert.equal(none.status, 401);
    assert.match(none.headers.get('content-type'), /^application\/problem\+json/);
    const submitOnly = await get(q, { base: srv.base, key: otherKey });
    assert.equal(submitOnly.status, 403);
    const reader = await get(q, { base: srv.base, key: readKey });
    assert.equal(reader.status, 200);
    const admin = await get(q, { base: srv.base, key: ADMIN });
    assert.equal(admin.status, 200);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

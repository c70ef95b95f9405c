// Stewardship of the record (issue 10), from outside: return schedules and what a
// partner owes, who may change a figure, corrections that keep what they leave out,
// rules across figures against the batch and what is stored, withdrawals in the feed,
// the record as it stood (asOf) and as each board saw it (snapshots and their diff).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, api, conforms, get, makeKey, post, sql, unique } from './lib.mjs';
import { A, cleanup, setupGeography, setupMetrics } from './reads_fixture.mjs';

const P = 'stw';
const PA = 'stw-partner-a';
const PB = 'stw-partner-b';
const REF = 'stw.referrals';
const STARTS = 'stw.starts';
const TRAINED = 'stw.schools_trained';
const SCHOOLS = 'stw.schools';
let keyA;
let keyB;

const submit = (key, observations, extra = {}) => post('/v1/submissions', { observations, ...extra }, { key });
const figure = async (metric, area, period, breakdown = 'total', q = '') => {
  const r = await get(`/v1/observations?metric=${metric}&area=${area}&from=${period}&to=${period}&breakdown=${breakdown}${q}`, { key: ADMIN });
  assert.equal(r.status, 200, r.text);
  return r.body.items;
};
const count = (where) => Number(sql(`SELECT count(*) FROM observations WHERE ${where}`)[0][0]);
const now = () => new Date().toISOString();
const pause = () => new Promise((r) => setTimeout(r, 30));

before(() => {
  setupGeography();
  setupMetrics(P, [
    [REF, 'flow', 'count', { dims: ['sex'] }],
    [STARTS, 'flow', 'count'],
    [TRAINED, 'stock', 'count'],
    [SCHOOLS, 'stock', 'count'],
    ['stw.schools_pct', 'rate', 'percent', { numerator: TRAINED, denominator: SCHOOLS }],
  ]);
  sql(`INSERT INTO partners (code, name) VALUES ('${PA}', 'Partner A'), ('${PB}', 'Partner B') ON CONFLICT DO NOTHING;
       INSERT INTO partner_grants (partner, programme, area) VALUES
         ('${PA}', '${P}', '${A.alpha}'), ('${PA}', '${P}', '${A.beta}'),
         ('${PB}', '${P}', '${A.alpha}'), ('${PB}', '${P}', '${A.beta}') ON CONFLICT DO NOTHING;`);
  keyA = makeKey(unique('stw-a'), 'read,submit', PA);
  keyB = makeKey(unique('stw-b'), 'read,submit', PB);
});

// The partners stay: history names them, and history is append-only.
after(() => {
  sql(`DELETE FROM validation_rules WHERE left_metric LIKE 'stw.%';
       DELETE FROM return_schedules WHERE partner IN ('${PA}', '${PB}');
       DELETE FROM figure_responsibility WHERE metric LIKE 'stw.%';
       DELETE FROM partner_grants WHERE partner IN ('${PA}', '${PB}')`);
  cleanup([P]);
});

describe('return schedules and what a partner owes', () => {
  test('an admin schedules a partner\'s returns; a grant is needed, and a figure has one scheduled partner', async () => {
    const r = await post(`/v1/admin/partners/${PA}/returns`, { metric: REF, areas: [A.alpha], due_day: 10 }, { key: ADMIN });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body.items.map((i) => [i.partner, i.metric, i.area, i.due_day, i.frequency]),
      [[PA, REF, A.alpha, 10, 'monthly']]);
    await conforms(r, 'POST', '/v1/admin/partners/{code}/returns');
    const list = await get(`/v1/admin/partners/${PA}/returns`, { key: ADMIN });
    assert.deepEqual(list.body.items.map((i) => i.area), [A.alpha]);
    await conforms(list, 'GET', '/v1/admin/partners/{code}/returns');

    const noGrant = await post(`/v1/admin/partners/${PA}/returns`, { metric: REF, areas: [A.gamma] }, { key: ADMIN });
    assert.equal(noGrant.status, 422);
    assert.match(noGrant.body.detail, new RegExp(`partner ${PA} has no grant for ${REF} in ${A.gamma}`));
    const taken = await post(`/v1/admin/partners/${PB}/returns`, { metric: REF, areas: [A.alpha] }, { key: ADMIN });
    assert.equal(taken.status, 409);
    assert.match(taken.body.detail, new RegExp(`scheduled for partner ${PA} already`));
    const noPartner = await post('/v1/admin/partners/stw-nobody/returns', { metric: REF, areas: [A.alpha] }, { key: ADMIN });
    assert.equal(noPartner.status, 404);
    const noList = await get('/v1/admin/partners/stw-nobody/returns', { key: ADMIN });
    assert.equal(noList.status, 404);
    assert.match(noList.body.detail, /no partner stw-nobody/);
    await conforms(noList, 'GET', '/v1/admin/partners/{code}/returns');
    assert.equal((await get('/v1/returns/due?partner=stw-nobody', { key: ADMIN })).status, 404);
    const bad = await post(`/v1/admin/partners/${PA}/returns`, { metric: REF, areas: ['X1'], due_day: 31 }, { key: ADMIN });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e) => e.pointer).sort(), ['/areas/0', '/due_day']);
    assert.equal((await post(`/v1/admin/partners/${PA}/returns`, { metric: REF, areas: [A.alpha] }, { key: keyA })).status, 403);
  });

  test('a partner sees what it owes, received or not, and a CSV template of what is still to send', async () => {
    const due = await get('/v1/returns/due?past=2&coming=1', { key: keyA });
    assert.equal(due.status, 200, due.text);
    await conforms(due, 'GET', '/v1/returns/due');
    assert.equal(due.body.partner, PA);
    assert.ok(due.body.items.length >= 4, JSON.stringify(due.body));
    assert.ok(due.body.items.every((i) => i.metric === REF && i.area === A.alpha));
    const past = due.body.items.filter((i) => i.past_due);
    assert.equal(past.length, 2);
    assert.ok(past.every((i) => !i.received && i.late && i.due_date.endsWith('-10')));
    assert.ok(due.body.items.some((i) => !i.open), 'a coming period that has not started');

    // Send the oldest one: it shows as received (and late, since it came after its date).
    const sent = await submit(keyA, [{ metric: REF, area: A.alpha, period: past[0].period, value: 40 }]);
    assert.equal(sent.status, 201, sent.text);
    const again = await get('/v1/returns/due?past=2&coming=1', { key: keyA });
    const item = again.body.items.find((i) => i.period === past[0].period);
    assert.equal(item.received, true);
    assert.equal(item.late, true);

    const csv = await get('/v1/returns/due?past=2&coming=1&format=csv', { key: keyA });
    assert.equal(csv.status, 200);
    await conforms(csv, 'GET', '/v1/returns/due');
    const open = again.body.items.filter((i) => i.open && !i.received).map((i) => `${REF},${A.alpha},${i.period},,,`);
    assert.equal(csv.text, ['metric,area,period,value,status,note', ...open, ''].join('\r\n'));
    // The template goes straight back as a submission once filled in.
    const filled = csv.text.replace(/,,,\r\n/g, ',7,provisional,from the template\r\n');
    const back = await api('POST', '/v1/submissions', { key: keyA, body: filled, headers: { 'Content-Type': 'text/csv' } });
    assert.equal(back.status, 201, back.text);
    assert.equal(back.body.counts.created, open.length);

    // Reckoned from another day: on 2026-12-01, with due day 10, October is past due
    // (2026-11-10), November open and not yet due, January 2027 coming.
    const onDay = await get('/v1/returns/due?past=1&coming=1&today=2026-12-01', { key: keyA });
    assert.equal(onDay.status, 200, onDay.text);
    assert.equal(onDay.body.today, '2026-12-01');
    assert.deepEqual(onDay.body.items.map((i) => [i.period, i.due_date, i.open, i.past_due]), [
      ['2026-10', '2026-11-10', true, true], ['2026-11', '2026-12-10', true, false],
      ['2026-12', '2027-01-10', true, false], ['2027-01', '2027-02-10', false, false]]);
    for (const bad of ['2026-02-30', '2026-12-1', 'tomorrow']) {
      const r = await get(`/v1/returns/due?today=${bad}`, { key: keyA });
      assert.equal(r.status, 400, bad);
      assert.match(r.body.detail, new RegExp(`today=${bad} is not a date`));
    }

    assert.equal((await get('/v1/returns/due', { key: ADMIN })).status, 400, 'an admin names the partner');
    assert.equal((await get(`/v1/returns/due?partner=${PA}`, { key: ADMIN })).status, 200);
    assert.equal((await get(`/v1/returns/due?partner=${PA}`, { key: keyB })).status, 403);
  });
});

describe('who may change a figure', () => {
  test('another partner\'s row for a scheduled figure is refused with 409 naming who is responsible; nothing is written', async () => {
    const before = count(`metric = '${REF}' AND area = '${A.alpha}'`);
    const r = await submit(keyB, [
      { metric: REF, area: A.alpha, period: '2019-03', value: 5 },
      { metric: REF, area: A.alpha, period: '2019-04', value: 6 },
    ]);
    assert.equal(r.status, 409, r.text);
    await conforms(r, 'POST', '/v1/submissions');
    assert.deepEqual(r.body.errors.map((e) => [e.row, e.field, e.code, e.responsible]),
      [[0, 'area', 'not_responsible', PA], [1, 'area', 'not_responsible', PA]]);
    assert.match(r.body.errors[0].message, new RegExp(`responsibility of partner ${PA} \\(its return schedule\\)`));
    assert.equal(r.body.errors[0].pointer, '/observations/0/area');
    assert.equal(count(`metric = '${REF}' AND area = '${A.alpha}'`), before);
    // An admin may.
    assert.equal((await submit(ADMIN, [{ metric: REF, area: A.alpha, period: '2019-03', value: 5 }])).status, 201);
  });

  test('an unscheduled figure belongs to the partner that first wrote it, until an admin hands it over', async () => {
    assert.equal((await submit(keyA, [{ metric: STARTS, area: A.beta, period: '2019-03', value: 3 }])).status, 201);
    const refused = await submit(keyB, [{ metric: STARTS, area: A.beta, period: '2019-04', value: 4 }]);
    assert.equal(refused.status, 409);
    assert.match(refused.body.errors[0].message, /it sent the first figure/);

    const h = await post('/v1/admin/responsibility', { metric: STARTS, area: A.beta, partner: PB, reason: 'contract moved' }, { key: ADMIN });
    assert.equal(h.status, 201, h.text);
    await conforms(h, 'POST', '/v1/admin/responsibility');
    assert.deepEqual([h.body.from, h.body.to, h.body.basis], [PA, PB, 'handed_over']);
    assert.equal((await submit(keyB, [{ metric: STARTS, area: A.beta, period: '2019-04', value: 4 }])).status, 201);
    assert.equal((await submit(keyA, [{ metric: STARTS, area: A.beta, period: '2019-05', value: 4 }])).status, 409);
    const who = await get(`/v1/admin/responsibility?metric=${STARTS}&area=${A.beta}`, { key: ADMIN });
    assert.deepEqual(who.body.items, [{ metric: STARTS, area: A.beta, partner: PB, basis: 'handed_over' }]);
    await conforms(who, 'GET', '/v1/admin/responsibility');
    const again = await post('/v1/admin/responsibility', { metric: STARTS, area: A.beta, partner: PB, reason: 'twice' }, { key: ADMIN });
    assert.equal(again.status, 409);
  });
});

describe('corrections keep what they do not mention', () => {
  test('a JSON correction without note or status keeps both; null clears the note; history records a note change with its reason', async () => {
    const cell = { metric: REF, area: A.alpha, period: '2019-06' };
    assert.equal((await submit(keyA, [{ ...cell, value: 100, status: 'final', note: 'June return', lower: 90, upper: 110 }])).status, 201);
    const fixed = await submit(keyA, [{ ...cell, value: 101 }], { reason: 'late referrals added' });
    assert.equal(fixed.status, 201, fixed.text);
    let [f] = await figure(REF, A.alpha, '2019-06');
    assert.deepEqual([f.value, f.status, f.note, f.lower, f.upper], [101, 'final', 'June return', 90, 110]);

    // A kept limit that no longer fits the new value is named, and nothing is written.
    const off = await submit(keyA, [{ ...cell, value: 120 }], { reason: 'recount' });
    assert.equal(off.status, 422);
    assert.deepEqual(off.body.errors.map((e) => [e.field, e.code]), [['upper', 'bad_interval']]);

    // A change of note alone is a change: history has it, old and new, who, why.
    const note = await submit(keyA, [{ ...cell, value: 101, note: 'June return, revised' }], { reason: 'wording' });
    assert.equal(note.body.counts.updated, 1);
    const h = await get(`/v1/observations/history?metric=${REF}&area=${A.alpha}&period=2019-06`, { key: keyA });
    const last = h.body.items.at(-1);
    assert.deepEqual([last.action, last.old_note, last.new_note, last.partner, last.reason, last.old_value, last.new_value],
      ['update', 'June return', 'June return, revised', PA, 'wording', 101, 101]);

    const cleared = await submit(keyA, [{ ...cell, value: 101, note: null, status: 'estimated', lower: null, upper: null }], { reason: 'modelled' });
    assert.equal(cleared.status, 201, cleared.text);
    [f] = await figure(REF, A.alpha, '2019-06');
    assert.deepEqual([f.status, f.note, f.lower, f.upper], ['estimated', null, null, null]);
    const series = await get(`/v1/metrics/${REF}/series?area=${A.alpha}&from=2019-06&to=2019-06`);
    assert.deepEqual(series.body.points.map((p) => p.status), ['estimated'], 'the third status reaches the charts');
  });

  test('a CSV without the note or status column keeps them; an empty cell clears', async () => {
    const csv = (text) => api('POST', '/v1/submissions?reason=recount', { key: keyA, body: text, headers: { 'Content-Type': 'text/csv' } });
    assert.equal((await csv(`metric,area,period,value,status,note\n${REF},${A.alpha},2019-07,50,final,July return\n`)).status, 201);
    const r = await csv(`metric,area,period,value\n${REF},${A.alpha},2019-07,52\n`);
    assert.equal(r.status, 201, r.text);
    let [f] = await figure(REF, A.alpha, '2019-07');
    assert.deepEqual([f.value, f.status, f.note], [52, 'final', 'July return']);
    assert.equal((await csv(`metric,area,period,value,note\n${REF},${A.alpha},2019-07,52,\n`)).status, 201);
    [f] = await figure(REF, A.alpha, '2019-07');
    assert.deepEqual([f.status, f.note], ['final', null]);
    // A quoted "" is an empty note, not none: a correction can set one.
    assert.equal((await csv(`metric,area,period,value,note\n${REF},${A.alpha},2019-07,52,""\n`)).status, 201);
    [f] = await figure(REF, A.alpha, '2019-07');
    assert.deepEqual([f.status, f.note], ['final', '']);
  });

  test('a JSON correction with note "" stores an empty note; one without a note keeps it', async () => {
    const cell = { metric: REF, area: A.alpha, period: '2019-05' };
    assert.equal((await submit(keyA, [{ ...cell, value: 9, note: 'May return' }])).status, 201);
    assert.equal((await submit(keyA, [{ ...cell, value: 9, note: '' }])).status, 201);
    let [f] = await figure(REF, A.alpha, '2019-05');
    assert.equal(f.note, '');
    assert.equal((await submit(keyA, [{ ...cell, value: 10 }])).status, 201);
    [f] = await figure(REF, A.alpha, '2019-05');
    assert.deepEqual([f.value, f.note], [10, '']);
  });
});

describe('rules across figures', () => {
  test('a numerator above its stored denominator and breakdown cells above their total are refused, naming row, field and rule', async () => {
    assert.equal((await submit(keyA, [{ metric: SCHOOLS, area: A.alpha, period: '2019-02', value: 100 }])).status, 201);
    const r = await submit(keyA, [
      { metric: TRAINED, area: A.alpha, period: '2019-02', value: 120 },
      { metric: REF, area: A.beta, period: '2019-02', value: 10 },
      { metric: REF, area: A.beta, period: '2019-02', value: 6, breakdown: { sex: 'female' } },
      { metric: REF, area: A.beta, period: '2019-02', value: 5, breakdown: { sex: 'male' } },
    ]);
    assert.equal(r.status, 422, r.text);
    await conforms(r, 'POST', '/v1/submissions');
    assert.deepEqual(r.body.errors.map((e) => [e.row, e.field, e.code]),
      [[0, 'value', 'exceeds_denominator'], [1, 'value', 'breakdown_exceeds_total']]);
    assert.match(r.body.errors[0].message, /stw\.schools_trained 120 is above its denominator stw\.schools 100 .*\(stored\)/);
    assert.equal(count(`metric = '${TRAINED}'`), 0, 'nothing of the refused batch is written');
    assert.equal(count(`metric = '${REF}' AND area = '${A.beta}' AND period_start = '2019-02-01'`), 0);
  });

  test('an admin rule holds against figures stored earlier: error refuses, warning accepts with a receipt warning', async () => {
    const name = unique('stw-rule').replace(/[^a-z0-9-]/g, '').toLowerCase();
    const rule = await post('/v1/admin/rules', { name, left: STARTS, op: '<=', right: REF, severity: 'error' }, { key: ADMIN });
    assert.equal(rule.status, 201, rule.text);
    await conforms(rule, 'POST', '/v1/admin/rules');
    // Referrals for alpha 2019-08 stored first, by partner A.
    assert.equal((await submit(keyA, [{ metric: REF, area: A.alpha, period: '2019-08', value: 20 }])).status, 201);
    const r = await submit(keyA, [{ metric: STARTS, area: A.alpha, period: '2019-08', value: 25 }]);
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.body.errors.map((e) => [e.row, e.field, e.code, e.rule]), [[0, 'value', 'rule_violated', name]]);
    assert.match(r.body.errors[0].message, new RegExp(`rule ${name} \\(${STARTS} <= ${REF}\\) does not hold for ${A.alpha} 2019-08: 25 against 20 \\(the right one stored\\)`));
    assert.equal(count(`metric = '${STARTS}' AND area = '${A.alpha}'`), 0);
    assert.equal((await submit(keyA, [{ metric: STARTS, area: A.alpha, period: '2019-08', value: 20 }])).status, 201, 'equal holds');

    const list = await get('/v1/admin/rules', { key: ADMIN });
    assert.ok(list.body.items.some((x) => x.name === name));
    await conforms(list, 'GET', '/v1/admin/rules');
    assert.equal((await post('/v1/admin/rules', { name, left: STARTS, op: '<=', right: REF, severity: 'error' }, { key: ADMIN })).status, 409);
    const bad = await post('/v1/admin/rules', { name: 'x', left: STARTS, op: '<', right: STARTS, severity: 'fatal' }, { key: ADMIN });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e) => e.pointer).sort(), ['/name', '/op', '/right', '/severity']);
    assert.equal((await post('/v1/admin/rules', { name: 'stw-unknown', left: 'stw.nothing', op: '<=', right: REF, severity: 'error' }, { key: ADMIN })).status, 422);
    assert.equal((await api('DELETE', `/v1/admin/rules/${name}`, { key: ADMIN })).status, 204);
    assert.equal((await api('DELETE', `/v1/admin/rules/${name}`, { key: ADMIN })).status, 404);

    const warn = unique('stw-warn').replace(/[^a-z0-9-]/g, '').toLowerCase();
    assert.equal((await post('/v1/admin/rules', { name: warn, left: STARTS, op: '<=', right: REF, severity: 'warning' }, { key: ADMIN })).status, 201);
    const w = await submit(keyA, [{ metric: STARTS, area: A.alpha, period: '2019-08', value: 30 }]);
    assert.equal(w.status, 201, w.text);
    assert.deepEqual(w.body.warnings.map((x) => [x.row, x.code, x.rule]), [[0, 'rule_violated', warn]]);
    const receipt = await get(`/v1/submissions/${w.body.id}`, { key: keyA });
    assert.equal(receipt.body.warnings[0].rule, warn);
    await api('DELETE', `/v1/admin/rules/${warn}`, { key: ADMIN });
  });
});

describe('withdrawals reach mirrors', () => {
  test('the updatedAfter feed carries a withdrawn figure as withdrawn: true with a null value, in JSON and CSV', async () => {
    const cell = { metric: REF, area: A.alpha, period: '2019-09' };
    assert.equal((await submit(keyA, [{ ...cell, value: 33 }])).status, 201);
    await pause();
    const since = now();
    await pause();
    const gone = await submit(keyA, [{ ...cell, delete: true }]);
    assert.equal(gone.body.counts.deleted, 1);
    const feed = await get(`/v1/observations?metric=${REF}&updatedAfter=${encodeURIComponent(since)}`);
    assert.equal(feed.status, 200);
    await conforms(feed, 'GET', '/v1/observations');
    const w = feed.body.items.find((i) => i.period === '2019-09' && i.area === A.alpha);
    assert.deepEqual([w.withdrawn, w.value, w.status], [true, null, null]);
    assert.ok(w.updated_at > since);
    const csv = await get(`/v1/observations?metric=${REF}&updatedAfter=${encodeURIComponent(since)}&format=csv`);
    assert.match(csv.text, new RegExp(`^${REF.replace('.', '\\.')},${A.alpha},2019-09,,,,,,,,[^,]+,true\r$`, 'm'));
    // Without updatedAfter a read shows what is there: no withdrawn rows.
    assert.ok(!(await get(`/v1/observations?metric=${REF}`)).body.items.some((i) => i.withdrawn));
  });
});

describe('the record as it stood, and as each board saw it', () => {
  const board1 = unique('stw-board1').toLowerCase();
  const board2 = unique('stw-board2').toLowerCase();
  let t0;

  test('asOf rebuilds observations, series, area comparisons and the board view from history', async () => {
    const cell = { metric: REF, area: A.beta, period: '2019-10' };
    assert.equal((await submit(keyA, [{ ...cell, value: 70, status: 'provisional' }])).status, 201);
    await pause();
    t0 = now();
    const s1 = await post('/v1/admin/snapshots', { name: board1, note: 'October board' }, { key: ADMIN });
    assert.equal(s1.status, 201, s1.text);
    await conforms(s1, 'POST', '/v1/admin/snapshots');
    await pause();
    const fix = await submit(keyA, [{ ...cell, value: 72, status: 'final' }], { reason: 'provider re-count' });
    assert.equal(fix.status, 201, fix.text);

    const [then] = await figure(REF, A.beta, '2019-10', 'total', `&asOf=${encodeURIComponent(t0)}`);
    assert.deepEqual([then.value, then.status], [70, 'provisional']);
    const [snap] = await figure(REF, A.beta, '2019-10', 'total', `&snapshot=${board1}`);
    assert.deepEqual([snap.value, snap.status], [70, 'provisional']);
    const [current] = await figure(REF, A.beta, '2019-10');
    assert.deepEqual([current.value, current.status], [72, 'final']);

    const series = await get(`/v1/metrics/${REF}/series?area=${A.beta}&from=2019-10&to=2019-10&snapshot=${board1}`);
    assert.equal(series.status, 200, series.text);
    assert.deepEqual(series.body.points.map((p) => [p.period, p.value, p.status]), [['2019-10', 70, 'provisional']]);
    const areas = await get(`/v1/metrics/${REF}/areas?period=2019-10&asOf=${encodeURIComponent(t0)}`);
    assert.equal(areas.body.items.find((i) => i.area === A.beta).value, 70);
    const areasNow = await get(`/v1/metrics/${REF}/areas?period=2019-10`);
    assert.equal(areasNow.body.items.find((i) => i.area === A.beta).value, 72);
    const board = await get(`/v1/dashboard?area=${A.beta}&snapshot=${board1}`);
    assert.equal(board.status, 200, board.text);
    await conforms(board, 'GET', '/v1/dashboard');
    // Before anything was written the record was empty.
    assert.deepEqual(await figure(REF, A.beta, '2019-10', 'total', '&asOf=2001-01-01T00:00:00Z'), []);
  });

  test('an asOf that does not parse is a 400 naming it; a snapshot that does not exist is a 404 naming it', async () => {
    for (const path of [`/v1/observations?metric=${REF}&asOf=yesterday`, `/v1/metrics/${REF}/series?area=${A.beta}&asOf=2019-02-30T00:00:00Z`,
      `/v1/dashboard?asOf=2019-02-01`, `/v1/metrics/${REF}/areas?asOf=epoch`]) {
      const r = await get(path);
      assert.equal(r.status, 400, path);
      assert.match(r.body.detail, /^asOf=\S+ is not an RFC 3339 time/, path);
    }
    for (const path of [`/v1/observations?snapshot=no-such-board`, `/v1/dashboard?snapshot=no-such-board`, `/v1/metrics/${REF}/series?area=${A.beta}&snapshot=no-such-board`]) {
      const r = await get(path);
      assert.equal(r.status, 404, path);
      assert.match(r.body.detail, /no snapshot no-such-board/);
    }
    assert.equal((await get(`/v1/observations?snapshot=${board1}&asOf=${encodeURIComponent(t0)}`)).status, 400);
    const late = await get(`/v1/observations?updatedAfter=${encodeURIComponent(now())}&asOf=${encodeURIComponent(t0)}`);
    assert.equal(late.status, 400);
    assert.match(late.body.detail, /later than the moment asked about/);
  });

  test('the changes between two board meetings: added, revised (old and new, who, why) and withdrawn, in JSON and CSV', async () => {
    assert.equal((await submit(keyA, [{ metric: REF, area: A.beta, period: '2019-11', value: 11 }])).status, 201);
    assert.equal((await submit(keyA, [{ metric: REF, area: A.alpha, period: '2019-08', delete: true }], { reason: 'sent twice' })).status, 201);
    await pause();
    const s2 = await post('/v1/admin/snapshots', { name: board2 }, { key: ADMIN });
    assert.equal(s2.status, 201);
    const list = await get('/v1/snapshots');
    assert.deepEqual(list.body.items.filter((s) => s.name.startsWith('stw-')).map((s) => s.name), [board1, board2]);
    await conforms(list, 'GET', '/v1/snapshots');

    const r = await get(`/v1/snapshots/${board2}/changes?since=${board1}`, { key: keyA });
    assert.equal(r.status, 200, r.text);
    await conforms(r, 'GET', '/v1/snapshots/{name}/changes');
    const mine = r.body.items.filter((i) => i.metric.startsWith('stw.'));
    const pick = (change, area, period) => mine.find((i) => i.change === change && i.area === area && i.period === period);
    const revised = pick('revised', A.beta, '2019-10');
    assert.deepEqual([revised.old_value, revised.new_value, revised.old_status, revised.new_status, revised.partners, revised.reasons],
      [70, 72, 'provisional', 'final', [PA], ['provider re-count']]);
    const added = pick('added', A.beta, '2019-11');
    assert.deepEqual([added.old_value, added.new_value], [null, 11]);
    const withdrawn = pick('withdrawn', A.alpha, '2019-08');
    assert.deepEqual([withdrawn.old_value, withdrawn.new_value, withdrawn.reasons], [20, null, ['sent twice']]);
    assert.equal(r.body.since, board1);

    const csv = await get(`/v1/snapshots/${board2}/changes?since=${board1}&format=csv`, { key: keyA });
    assert.equal(csv.status, 200);
    await conforms(csv, 'GET', '/v1/snapshots/{name}/changes');
    assert.match(csv.text, new RegExp(`^revised,${REF.replace('.', '\\.')},${A.beta},2019-10,,70,72,provisional,final,,,${PA},provider re-count,`, 'm'));

    assert.equal((await get(`/v1/snapshots/${board1}/changes?since=${board2}`, { key: keyA })).status, 400, 'since must be the earlier one');
    assert.equal((await get(`/v1/snapshots/${board2}/changes?since=nope`, { key: keyA })).status, 404);
    // Issue 11: the read rules of history and every other read. Open when reads are (as
    // here), without the partners and reasons a read key sees.
    const open = await get(`/v1/snapshots/${board2}/changes?since=${board1}`);
    assert.equal(open.status, 200, open.text);
    const openRevised = open.body.items.find((i) => i.change === 'revised' && i.area === A.beta && i.period === '2019-10');
    assert.deepEqual([openRevised.old_value, openRevised.new_value, openRevised.partners, openRevised.reasons], [70, 72, [], []]);
    assert.equal((await post('/v1/admin/snapshots', { name: board2 }, { key: ADMIN })).status, 409);
    const future = await post('/v1/admin/snapshots', { name: unique('stw-f').toLowerCase(), as_of: '2999-01-01T00:00:00Z' }, { key: ADMIN });
    assert.equal(future.status, 422);
    const badTime = await post('/v1/admin/snapshots', { name: unique('stw-g').toLowerCase(), as_of: 'last tuesday' }, { key: ADMIN });
    assert.deepEqual(badTime.body.errors.map((e) => [e.pointer, e.code]), [['/as_of', 'bad_time']]);
  });
});

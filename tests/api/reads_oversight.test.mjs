// Oversight and the browser: completeness of partners' returns (due, received, late),
// reads per metric per day, and CORS for the dashboard's origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, api, conforms, get, makeKey, sql } from './lib.mjs';
import { A, cleanup, row, setupGeography, setupMetrics, write } from './reads_fixture.mjs';

const P = 'rtc';
const PA = 'rtc-partner-a';
const PB = 'rtc-partner-b';

// Issue 10: completeness reads return schedules only (a grant says what a partner may
// send, a schedule what it owes), and credits a figure to the partner that sent it (its
// history), not to whoever else wrote the cell. History rows stand for the sends here.
const sent = (partner, metric, area, period, at) =>
  `INSERT INTO observation_history (metric, area, period_start, breakdown_key, action, new_value, new_status, partner, changed_at)
   VALUES ('${metric}', '${area}', '${period}-01', '', 'create', 1, 'provisional', '${partner}', '${at}');`;

before(async () => {
  setupGeography();
  setupMetrics(P, [
    ['rtc.alpha_count', 'flow', 'count', { dims: ['sex'] }],
    ['rtc.beta_count', 'flow', 'count'],
    ['rtc.q_count', 'flow', 'count', { frequency: 'quarterly' }],
    ['rtc.old_count', 'flow', 'count', { active: false }],
  ]);
  sql(`INSERT INTO partners (code, name) VALUES ('${PA}', 'Partner A'), ('${PB}', 'Partner B') ON CONFLICT DO NOTHING;
       INSERT INTO partner_grants (partner, programme, area) VALUES ('${PA}', '${P}', '${A.alpha}'), ('${PA}', '${P}', '${A.beta}')
         ON CONFLICT DO NOTHING;
       INSERT INTO partner_grants (partner, metric, area) VALUES ('${PB}', 'rtc.beta_count', '${A.gamma}'),
         ('${PB}', 'rtc.alpha_count', '${A.gamma}') ON CONFLICT DO NOTHING;
       INSERT INTO return_schedules (partner, metric, area) VALUES
         ('${PA}', 'rtc.alpha_count', '${A.alpha}'), ('${PA}', 'rtc.alpha_count', '${A.beta}'),
         ('${PA}', 'rtc.beta_count', '${A.alpha}'), ('${PA}', 'rtc.beta_count', '${A.beta}'),
         ('${PA}', 'rtc.q_count', '${A.alpha}'), ('${PA}', 'rtc.q_count', '${A.beta}'),
         ('${PB}', 'rtc.beta_count', '${A.gamma}');
       INSERT INTO return_schedules (partner, metric, area, due_day) VALUES ('${PB}', 'rtc.alpha_count', '${A.gamma}', 5);`);
  await write([
    // Due 2019-03-15: on time, late, on the due date itself late in the evening (UK time).
    row('rtc.alpha_count', A.alpha, '2019-02', 4, { created: '2019-03-10T09:00:00Z' }),
    row('rtc.beta_count', A.alpha, '2019-02', 6, { created: '2019-03-20T09:00:00Z' }),
    row('rtc.beta_count', A.gamma, '2019-02', 2, { created: '2019-03-15T23:30:00Z' }),
    // A breakdown cell alone is not the figure.
    row('rtc.alpha_count', A.beta, '2019-02', 1, { sex: 'female', created: '2019-03-01T09:00:00Z' }),
    row('rtc.q_count', A.alpha, '2019-01', 9, { created: '2019-04-02T09:00:00Z' }),
    // Sent by partner A although partner B owes it: not B's return.
    row('rtc.alpha_count', A.gamma, '2019-02', 3, { created: '2019-03-01T09:00:00Z' }),
  ], sent(PA, 'rtc.alpha_count', A.alpha, '2019-02', '2019-03-10T09:00:00Z') +
     sent(PA, 'rtc.beta_count', A.alpha, '2019-02', '2019-03-20T09:00:00Z') +
     sent(PB, 'rtc.beta_count', A.gamma, '2019-02', '2019-03-15T23:30:00Z') +
     sent(PA, 'rtc.q_count', A.alpha, '2019-01', '2019-04-02T09:00:00Z') +
     sent(PA, 'rtc.alpha_count', A.gamma, '2019-02', '2019-03-01T09:00:00Z'));
});

// The partners stay: history names them, and history is append-only.
after(() => {
  sql(`DELETE FROM return_schedules WHERE partner IN ('${PA}', '${PB}');
       DELETE FROM figure_responsibility WHERE partner IN ('${PA}', '${PB}');
       DELETE FROM partner_grants WHERE partner IN ('${PA}', '${PB}')`);
  cleanup([P]);
});

describe('completeness', () => {
  test('each scheduled metric and area is due, received or missing, and late when it came or is past due', async () => {
    const r = await get(`/v1/completeness?period=2019-02&partner=${PA}`, { key: ADMIN });
    assert.equal(r.status, 200);
    assert.equal(r.body.period, '2019-02');
    assert.equal(r.body.due_date, '2019-03-15');
    assert.deepEqual(r.body.items.map(({ received_at, ...i }) => i), [
      { partner: PA, metric: 'rtc.alpha_count', area: A.alpha, due_date: '2019-03-15', received: true, late: false },
      { partner: PA, metric: 'rtc.alpha_count', area: A.beta, due_date: '2019-03-15', received: false, late: true },
      { partner: PA, metric: 'rtc.beta_count', area: A.alpha, due_date: '2019-03-15', received: true, late: true },
      { partner: PA, metric: 'rtc.beta_count', area: A.beta, due_date: '2019-03-15', received: false, late: true },
    ]);
    assert.equal(r.body.items[0].received_at, '2019-03-10T09:00:00.000000Z');
    assert.equal(r.body.items[1].received_at, null);
    assert.deepEqual(r.body.summary, { expected: 4, received: 2, late: 3 });
  });

  test('a figure another partner sent is not the scheduled partner\'s return; a figure on the due date is on time; the due day is the schedule\'s', async () => {
    const r = await get(`/v1/completeness?period=2019-02&partner=${PB}`, { key: ADMIN });
    assert.deepEqual(r.body.items.map(({ received_at, ...i }) => i), [
      { partner: PB, metric: 'rtc.alpha_count', area: A.gamma, due_date: '2019-03-05', received: false, late: true },
      { partner: PB, metric: 'rtc.beta_count', area: A.gamma, due_date: '2019-03-15', received: true, late: false },
    ]);
    assert.deepEqual(r.body.summary, { expected: 2, received: 1, late: 1 });
  });

  test('a grant without a schedule owes nothing', async () => {
    sql(`DELETE FROM return_schedules WHERE partner = '${PB}' AND metric = 'rtc.beta_count'`);
    try {
      const r = await get(`/v1/completeness?period=2019-02&partner=${PB}`, { key: ADMIN });
      assert.deepEqual(r.body.items.map((i) => i.metric), ['rtc.alpha_count']);
    } finally {
      sql(`INSERT INTO return_schedules (partner, metric, area) VALUES ('${PB}', 'rtc.beta_count', '${A.gamma}')`);
    }
  });

  test('a quarter asks for the quarterly metrics, due the 15th after the quarter', async () => {
    const r = await get(`/v1/completeness?period=2019-Q1&partner=${PA}`, { key: ADMIN });
    assert.equal(r.body.due_date, '2019-04-15');
    assert.deepEqual(r.body.items.map((i) => [i.metric, i.area, i.received, i.late]),
      [['rtc.q_count', A.alpha, true, false], ['rtc.q_count', A.beta, false, true]]);
  });

  test('CSV, and admin only', async () => {
    const r = await get(`/v1/completeness?period=2019-02&partner=${PB}&format=csv`, { key: ADMIN });
    // Each row names its period and due date, so the file stands alone (issue 13); the
    // rows are the schedules' (issue 10), each with its own due day.
    assert.equal(r.text, 'period,due_date,partner,metric,area,received,late,received_at\r\n' +
      `2019-02,2019-03-05,${PB},rtc.alpha_count,${A.gamma},false,true,\r\n` +
      `2019-02,2019-03-15,${PB},rtc.beta_count,${A.gamma},true,false,2019-03-15T23:30:00.000000Z\r\n`);
    assert.equal((await get('/v1/completeness?period=2019-02')).status, 401);
    const reader = makeKey('rtc-reader', 'read');
    assert.equal((await get('/v1/completeness?period=2019-02', { key: reader })).status, 403);
    assert.equal((await get('/v1/completeness?period=2019-13', { key: ADMIN })).status, 400);
  });
});

describe('usage', () => {
  const today = new Date().toISOString().slice(0, 10);

  test('reads of each metric are counted per day, from every read route, 304s included', async () => {
    const before = await get('/v1/admin/usage?metric=rtc.alpha_count', { key: ADMIN });
    const had = before.body.totals.find((t) => t.metric === 'rtc.alpha_count')?.reads ?? 0;
    let etag;
    for (let i = 0; i < 3; i++) {
      const r = await get(`/v1/metrics/rtc.alpha_count/series?area=${A.alpha}`);
      assert.equal(r.status, 200);
      etag = r.headers.get('etag');
    }
    // A browser revalidating what it holds has read the metric too.
    const again = await get(`/v1/metrics/rtc.alpha_count/series?area=${A.alpha}`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal((await get('/v1/metrics/rtc.alpha_count/areas?period=2019-02')).status, 200);
    assert.equal((await get('/v1/observations?metric=rtc.alpha_count')).status, 200);
    assert.equal((await get('/v1/metrics/rtc.alpha_count/series?area=E99999999')).status, 404, 'a failed read is not a read');
    const r = await get('/v1/admin/usage?metric=rtc.alpha_count', { key: ADMIN });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items, [{ metric: 'rtc.alpha_count', day: today, reads: had + 6 }]);
    assert.deepEqual(r.body.totals, [{ metric: 'rtc.alpha_count', reads: had + 6 }]);
  });

  test('the board view counts a read of each metric it shows, from the cache too', async () => {
    await write([], "UPDATE metrics SET headline = true WHERE code = 'rtc.beta_count';");
    try {
      const total = async () => (await get('/v1/admin/usage?metric=rtc.beta_count', { key: ADMIN })).body.totals[0]?.reads ?? 0;
      const had = await total();
      let etag;
      for (let i = 0; i < 2; i++) {
        const r = await get(`/v1/dashboard?area=${A.gamma}`);
        assert.equal(r.status, 200);
        etag = r.headers.get('etag');
      }
      assert.equal((await get(`/v1/dashboard?area=${A.gamma}`, { headers: { 'If-None-Match': etag } })).status, 304);
      assert.equal(await total(), had + 3);
    } finally {
      await write([], "UPDATE metrics SET headline = false WHERE code = 'rtc.beta_count';");
    }
  });

  test('from and to bound the days', async () => {
    const tomorrow = new Date(Date.now() + 86400e3).toISOString().slice(0, 10);
    const none = await get(`/v1/admin/usage?from=${tomorrow}`, { key: ADMIN });
    assert.deepEqual([none.body.items, none.body.totals], [[], []]);
    const thisMonth = today.slice(0, 7);
    const r = await get(`/v1/admin/usage?from=${thisMonth}&to=${today}&metric=rtc.alpha_count`, { key: ADMIN });
    assert.equal(r.body.items.length, 1);
    const bad = await get('/v1/admin/usage?from=2019-02-30', { key: ADMIN });
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /from=2019-02-30/);
    const csv = await get(`/v1/admin/usage?metric=rtc.alpha_count&format=csv`, { key: ADMIN });
    assert.match(csv.text, new RegExp(`^metric,day,reads\\r\\nrtc\\.alpha_count,${today},\\d+\\r\\n$`));
  });

  test('usage is for admins', async () => {
    assert.equal((await get('/v1/admin/usage')).status, 401);
    const reader = makeKey('rtc-usage-reader', 'read');
    assert.equal((await get('/v1/admin/usage', { key: reader })).status, 403);
  });
});

describe('CORS', () => {
  const origin = 'http://localhost:5173';

  test('a preflight from the dashboard origin is answered with what it may send', async () => {
    const r = await api('OPTIONS', '/v1/dashboard', {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'if-none-match' },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), origin);
    assert.match(r.headers.get('access-control-allow-methods'), /\bGET\b/);
    assert.match(r.headers.get('access-control-allow-headers'), /If-None-Match/i);
    assert.match(r.headers.get('access-control-allow-headers'), /Authorization/i);
  });

  test('a read from the dashboard origin may see the ETag; another origin gets no CORS headers', async () => {
    const r = await get(`/v1/metrics/rtc.alpha_count/series?area=${A.alpha}`, { headers: { Origin: origin } });
    assert.equal(r.headers.get('access-control-allow-origin'), origin);
    assert.match(r.headers.get('access-control-expose-headers'), /ETag/);
    const other = await get('/v1/dashboard', { headers: { Origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const pre = await api('OPTIONS', '/v1/dashboard', {
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  });
});

test('completeness and usage answers are the ones the spec documents', async () => {
  const reader = makeKey('rtc-spec-reader', 'read');
  for (const [q, opts] of [['period=2019-02', { key: ADMIN }], ['period=2019-Q1&format=csv', { key: ADMIN }],
    ['period=2019-13', { key: ADMIN }], ['', {}], ['', { key: reader }], ['', { key: ADMIN }]]) {
    await conforms(await get(`/v1/completeness?${q}`, opts), 'GET', '/v1/completeness');
  }
  for (const [q, opts] of [['', { key: ADMIN }], ['metric=rtc.alpha_count&format=csv', { key: ADMIN }],
    ['from=2019-02-30', { key: ADMIN }], ['', {}], ['', { key: reader }]]) {
    await conforms(await get(`/v1/admin/usage?${q}`, opts), 'GET', '/v1/admin/usage');
  }
});

// Fixtures for the read tests: a made-up geography whose codes no real area uses, so
// the seed's West Midlands is untouched, and helpers that write figures straight into
// the database with the data version bumped in the same transaction (as every write
// must), then wait until the server has heard of the new version.
//
//   Reads Region E12900001 contains Alpha, Beta, Gamma (metropolitan districts),
//   Delta County E10900001 and Epsilon (a unitary); Delta County contains Delta North
//   and Delta South; the region also lists Delta North directly (a county's district
//   listed twice, which must still be counted once).
//   Reads Combined Authority E47900001: constituents Alpha, Beta, Gamma; Delta North
//   and Epsilon are non-constituent members (never in its totals).
import { get, sql } from './lib.mjs';

export const A = {
  region: 'E12900001',
  ca: 'E47900001',
  alpha: 'E08900001',
  beta: 'E08900002',
  gamma: 'E08900003',
  county: 'E10900001',
  north: 'E07900001',
  south: 'E07900002',
  epsilon: 'E06900001',
};

export function setupGeography() {
  sql(`
    INSERT INTO areas (code, name, type) VALUES
      ('${A.region}', 'Reads Region', 'region'),
      ('${A.ca}', 'Reads Combined Authority', 'combined_authority'),
      ('${A.alpha}', 'Alpha', 'metropolitan_district'),
      ('${A.beta}', 'Beta', 'metropolitan_district'),
      ('${A.gamma}', 'Gamma', 'metropolitan_district'),
      ('${A.county}', 'Delta County', 'county'),
      ('${A.north}', 'Delta "North"', 'non_metropolitan_district'),
      ('${A.south}', 'Delta South', 'non_metropolitan_district'),
      ('${A.epsilon}', 'Epsilon, upon Sea', 'unitary')
    ON CONFLICT (code) DO NOTHING;
    INSERT INTO area_memberships (child, parent, role, valid_from) VALUES
      ('${A.alpha}', '${A.ca}', 'constituent', '2016-06-17'),
      ('${A.beta}', '${A.ca}', 'constituent', '2016-06-17'),
      ('${A.gamma}', '${A.ca}', 'constituent', '2016-06-17'),
      ('${A.north}', '${A.ca}', 'non_constituent', '2016-06-17'),
      ('${A.epsilon}', '${A.ca}', 'non_constituent', '2016-06-17'),
      ('${A.alpha}', '${A.region}', 'contains', '1974-04-01'),
      ('${A.beta}', '${A.region}', 'contains', '1974-04-01'),
      ('${A.gamma}', '${A.region}', 'contains', '1974-04-01'),
      ('${A.county}', '${A.region}', 'contains', '1974-04-01'),
      ('${A.epsilon}', '${A.region}', 'contains', '1998-04-01'),
      ('${A.north}', '${A.region}', 'contains', '1974-04-01'),
      ('${A.north}', '${A.county}', 'contains', '1974-04-01'),
      ('${A.south}', '${A.county}', 'contains', '1974-04-01')
    ON CONFLICT DO NOTHING;
    INSERT INTO dimensions (code, name) VALUES ('sex', 'Sex') ON CONFLICT DO NOTHING;
    INSERT INTO dimension_categories (dimension, code, name) VALUES
      ('sex', 'female', 'Female'), ('sex', 'male', 'Male') ON CONFLICT DO NOTHING;
  `);
}

// Removes what setupGeography, setupMetrics and the tests wrote for these programmes
// and partners, so the files after ours see the catalogue as the seed left it.
export function cleanup(programmes, partners = []) {
  const progs = programmes.map((p) => `'${p}'`).join(',');
  const parts = partners.length ? partners.map((p) => `'${p}'`).join(',') : "''";
  const areas = Object.values(A).map((a) => `'${a}'`).join(',');
  const mine = `SELECT code FROM metrics WHERE programme IN (${progs})`;
  sql(`BEGIN;
    DELETE FROM observations WHERE metric IN (${mine});
    DELETE FROM target_milestones WHERE target_id IN (SELECT id FROM targets WHERE metric IN (${mine}));
    DELETE FROM targets WHERE metric IN (${mine});
    DELETE FROM partner_grants WHERE partner IN (${parts}) OR programme IN (${progs}) OR metric IN (${mine});
    DELETE FROM partners WHERE code IN (${parts});
    DELETE FROM metric_dimensions WHERE metric IN (${mine});
    UPDATE metrics SET numerator_metric = NULL, denominator_metric = NULL WHERE programme IN (${progs});
    DELETE FROM metrics WHERE programme IN (${progs});
    DELETE FROM programmes WHERE code IN (${progs});
    DELETE FROM area_memberships WHERE child IN (${areas}) OR parent IN (${areas});
    DELETE FROM areas WHERE code IN (${areas}) AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.area = areas.code);
    UPDATE data_version SET version = version + 1;
    COMMIT;`);
}

// A programme and its metrics: [code, kind, unit, extra columns as SQL].
export function setupMetrics(programme, metrics) {
  const rows = metrics.map(([code, kind, unit, o = {}]) =>
    `('${code}', '${programme}', '${o.name ?? code}', '${unit}', '${o.frequency ?? 'monthly'}', '${kind}', ` +
    `'${o.polarity ?? 'higher_is_better'}', ${o.decimals ?? 0}, ${o.headline ?? false}, ${o.sort ?? 0}, ` +
    `${o.active ?? true}, ${o.numerator ? `'${o.numerator}'` : 'NULL'}, ${o.denominator ? `'${o.denominator}'` : 'NULL'})`);
  // Parts first: a rate names metrics that must already exist.
  const parts = rows.filter((_, i) => !metrics[i][3]?.numerator);
  const rates = rows.filter((_, i) => metrics[i][3]?.numerator);
  const insert = (r) => r.length ? `INSERT INTO metrics (code, programme, name, unit, frequency, kind, polarity, decimals,
      headline, sort_order, active, numerator_metric, denominator_metric) VALUES ${r.join(',')}
      ON CONFLICT (code) DO NOTHING;` : '';
  const dims = metrics.flatMap(([code, , , o = {}]) => (o.dims ?? []).map((d) => `('${code}', '${d}')`));
  sql(`INSERT INTO programmes (code, name, sort_order) VALUES ('${programme}', 'Programme ${programme}', 90)
       ON CONFLICT DO NOTHING;
       ${insert(parts)} ${insert(rates)}
       ${dims.length ? `INSERT INTO metric_dimensions (metric, dimension) VALUES ${dims.join(',')} ON CONFLICT DO NOTHING;` : ''}`);
}

// One observation row as SQL VALUES: [metric, area, 'YYYY-MM', value, {status, sex,
// lower, upper, note, created, updated}].
export function row(metric, area, period, value, o = {}) {
  const key = o.sex ? `sex=${o.sex}` : '';
  const bd = o.sex ? `{"sex":"${o.sex}"}` : '{}';
  const q = (v) => (v === undefined || v === null ? 'NULL' : `'${String(v).replaceAll("'", "''")}'`);
  return `('${metric}', '${area}', '${period}-01', '${key}', '${bd}', ${value}, ${o.lower ?? 'NULL'}, ` +
    `${o.upper ?? 'NULL'}, '${o.status ?? 'provisional'}', ${q(o.note)}, ` +
    `${o.created ? q(o.created) : 'now()'}, ${o.updated ? q(o.updated) : 'now()'})`;
}

// Writes rows (and any extra SQL) in one transaction that bumps the data version,
// then waits until the server under test knows that version.
export async function write(rows, extra = '', base) {
  const insert = rows.length
    ? `INSERT INTO observations (metric, area, period_start, breakdown_key, breakdown, value, lower_ci,
         upper_ci, status, note, created_at, updated_at) VALUES ${rows.join(',')}
       ON CONFLICT (metric, area, period_start, breakdown_key) DO UPDATE SET value = excluded.value,
         status = excluded.status, updated_at = excluded.updated_at;`
    : '';
  const out = sql(`${insert} ${extra} UPDATE data_version SET version = version + 1 RETURNING version`);
  const version = Number(out[out.length - 1][0]);
  await waitForVersion(version, base);
  return version;
}

// The server learns of a new version through LISTEN; reads keyed by an older one
// would still be served from the cache until it does.
export async function waitForVersion(version, base) {
  for (let i = 0; i < 200; i++) {
    const r = await get('/metrics', base ? { base } : undefined);
    const m = r.text.match(/^wellbeing_db_data_version (\d+)$/m);
    if (m && Number(m[1]) >= version) return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`server did not see data version ${version}`);
}

// Inserts a target; returns its id. milestones: [['YYYY-MM', value], ...].
export function target(metric, area, start, end, value, o = {}) {
  const [[id]] = sql(`INSERT INTO targets (metric, area, start_period, end_period, value, baseline, basis, amber_within)
    VALUES ('${metric}', '${area}', '${start}-01', '${end}-01', ${value}, ${o.baseline ?? 0},
            '${o.basis ?? 'level'}', ${o.amber ?? 0.1})
    ON CONFLICT (metric, area, start_period, end_period) DO UPDATE SET value = excluded.value
    RETURNING id`);
  if (o.milestones?.length) {
    sql(`INSERT INTO target_milestones (target_id, period_start, value) VALUES
      ${o.milestones.map(([p, v]) => `(${id}, '${p}-01', ${v})`).join(',')} ON CONFLICT DO NOTHING`);
  }
  return Number(id);
}

// The number of whole periods from a month to this month (UTC), as the board counts.
export function monthsSince(period) {
  const [y, m] = period.split('-').map(Number);
  const now = new Date();
  return (now.getUTCFullYear() * 12 + now.getUTCMonth()) - (y * 12 + m - 1);
}

// A bounded wait for a promise: resolves to {done, value} or {done: false}.
export async function within(ms, promise) {
  let timer;
  const timeout = new Promise((res) => { timer = setTimeout(() => res({ done: false }), ms); });
  const r = await Promise.race([promise.then((value) => ({ done: true, value })), timeout]);
  clearTimeout(timer);
  return r;
}

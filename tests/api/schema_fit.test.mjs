// The schema's own fit check on observations (sql/migrations/067, 031 before it): a
// statement that writes any row the catalogue does not allow is refused whole, however
// many good rows it carries, on INSERT and on UPDATE, with 031's messages. The API
// checks every row before it writes; this is the guarantee under it, so SQL that skips
// the API (seeds, an operator's psql) cannot store what the API would refuse.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DBURL, sql } from './lib.mjs';

const P = 'sfit';
const COUNT = 'sfit.count_m', PCT = 'sfit.pct_m', QTR = 'sfit.count_q', YR = 'sfit.count_y';
const AREA = 'E47000007';

// Runs a statement and returns psql's error text ('' when it succeeded).
function attempt(statement) {
  try {
    execFileSync('psql', [DBURL, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', statement], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    return '';
  } catch (e) {
    return String(e.stderr);
  }
}

// 200 good monthly rows of COUNT, plus the given extra row(s), in one INSERT.
function insertWith(extra) {
  return `INSERT INTO observations (metric, area, period_start, breakdown_key, breakdown, value)
    SELECT '${COUNT}', '${AREA}', date '2001-01-01' + make_interval(months => g), ''::text, '{}'::jsonb, g::numeric
      FROM generate_series(0, 199) g
    UNION ALL ${extra}`;
}

const row = (metric, period, value, area = AREA, key = '', bd = '{}') =>
  `SELECT '${metric}', '${area}', date '${period}', '${key}', '${bd}'::jsonb, ${value}`;

describe('the schema refuses rows that do not fit the catalogue', () => {
  before(() => {
    sql(`INSERT INTO programmes (code, name, sort_order) VALUES ('${P}', 'Schema fit', 95) ON CONFLICT DO NOTHING;
      INSERT INTO metrics (code, programme, name, unit, frequency, kind) VALUES
        ('${COUNT}', '${P}', 'Count monthly', 'count', 'monthly', 'flow'),
        ('${PCT}', '${P}', 'Percent monthly', 'percent', 'monthly', 'rate'),
        ('${QTR}', '${P}', 'Count quarterly', 'count', 'quarterly', 'flow'),
        ('${YR}', '${P}', 'Count annual', 'count', 'annual', 'flow')
        ON CONFLICT DO NOTHING;
      INSERT INTO metric_dimensions (metric, dimension) VALUES ('${COUNT}', 'sex') ON CONFLICT DO NOTHING;`);
  });
  // Written straight into the tables, so taken out again: no other test sees them.
  after(() => {
    sql(`DELETE FROM observations WHERE metric LIKE 'sfit.%';
      DELETE FROM metric_dimensions WHERE metric LIKE 'sfit.%';
      DELETE FROM metrics WHERE programme = '${P}'; DELETE FROM programmes WHERE code = '${P}';`);
  });

  const cases = [
    ['a negative count', row(COUNT, '1990-01-01', -1), 'a count must be a whole number, not negative'],
    ['a fractional count', row(COUNT, '1990-01-01', 2.5), 'a count must be a whole number, not negative'],
    ['a percentage over 100', row(PCT, '1990-01-01', 100.5), 'a percentage must be within 0..100'],
    ['a negative percentage', row(PCT, '1990-01-01', -0.1), 'a percentage must be within 0..100'],
    ['a quarter starting in February', row(QTR, '1990-02-01', 1), 'a quarterly period starts in January, April, July or October'],
    ['a year starting in July', row(YR, '1990-07-01', 1), 'an annual period starts in January or April'],
    ['an unknown metric', row('sfit.nowhere', '1990-01-01', 1), 'metric sfit.nowhere does not exist'],
    ['an unknown area', row(COUNT, '1990-01-01', 1, 'E99999998'), 'area E99999998 does not exist'],
    ['a dimension the metric lacks', row(COUNT, '1990-01-01', 1, AREA, 'age_band=16-24', '{"age_band":"16-24"}'),
      'not among the metric\'s dimensions and categories'],
    ['an unknown category', row(COUNT, '1990-01-01', 1, AREA, 'sex=other', '{"sex":"other"}'),
      'not among the metric\'s dimensions and categories'],
  ];
  for (const [what, extra, message] of cases) {
    test(`an INSERT with ${what} among good rows writes nothing`, () => {
      const err = attempt(insertWith(extra));
      assert.match(err, /observation does not fit/);
      assert.ok(err.includes(message), err);
      assert.deepEqual(sql(`SELECT count(*) FROM observations WHERE metric LIKE 'sfit.%'`), [['0']]);
    });
  }

  test('unit and frequency are checked before the catalogue, as 031 did', () => {
    const err = attempt(insertWith(`${row(COUNT, '1990-01-01', -5)} UNION ALL ${row(COUNT, '1990-01-01', 1, 'E99999998')}`));
    assert.ok(err.includes('a count must be a whole number, not negative'), err);
  });

  test('the rows that fit are written, quarters and years on their months', () => {
    assert.equal(attempt(insertWith(`${row(QTR, '1990-10-01', 3)} UNION ALL ${row(YR, '1990-04-01', 4)}
      UNION ALL ${row(PCT, '1990-01-01', 100)} UNION ALL ${row(COUNT, '1990-01-01', 0, AREA, 'sex=female', '{"sex":"female"}')}`)), '');
    assert.deepEqual(sql(`SELECT count(*) FROM observations WHERE metric LIKE 'sfit.%'`), [['204']]);
  });

  test('an UPDATE that makes one of many rows unfit is refused whole', () => {
    const err = attempt(`UPDATE observations SET value = CASE WHEN period_start = date '2001-05-01' THEN -3 ELSE value + 1 END
      WHERE metric = '${COUNT}'`);
    assert.ok(err.includes(`${COUNT} ${AREA} 2001-05-01: a count must be a whole number, not negative`), err);
    assert.deepEqual(sql(`SELECT value FROM observations WHERE metric = '${COUNT}' AND period_start = '2001-05-01' AND breakdown_key = ''`), [['4']]);
    const moved = attempt(`UPDATE observations SET period_start = date '1990-03-01' WHERE metric = '${QTR}'`);
    assert.ok(moved.includes('a quarterly period starts in January, April, July or October'), moved);
    const partner = attempt(`UPDATE observations SET partner = 'no-such-partner' WHERE metric = '${YR}'`);
    assert.ok(partner.includes('partner no-such-partner does not exist'), partner);
    const submission = attempt(`UPDATE observations SET submission_id = '00000000-0000-4000-8000-000000000000' WHERE metric = '${YR}'`);
    assert.ok(submission.includes('submission 00000000-0000-4000-8000-000000000000 does not exist'), submission);
  });

});

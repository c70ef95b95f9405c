// Catalogue rows the admin tests build on, kept apart from the seeded catalogue: a
// programme "admin_test", a dimension "admin_test_dim", areas E99xxxxxx (no real GSS
// code starts E99) and partners "admintest-...". cleanAdminFixtures removes what the
// tests made, so later test files see the catalogue as the seed left it.
import { sql } from './lib.mjs';

export const PROGRAMME = 'admin_test';
export const DIMENSION = 'admin_test_dim';

export function ensureAdminFixtures() {
  sql(`INSERT INTO programmes (code, name, description) VALUES ('${PROGRAMME}', 'Admin tests', 'made by the admin tests') ON CONFLICT DO NOTHING`);
  sql(`INSERT INTO dimensions (code, name) VALUES ('${DIMENSION}', 'Admin test dimension') ON CONFLICT DO NOTHING`);
  sql(`INSERT INTO dimension_categories (dimension, code, name) VALUES ('${DIMENSION}', 'yes', 'Yes') ON CONFLICT DO NOTHING`);
}

// Deletes, children first, every row the admin tests made. Submissions and their
// history are append-only records, so a partner or key that a submission names stays.
export function cleanAdminFixtures() {
  const m = `(SELECT code FROM metrics WHERE programme = '${PROGRAMME}')`;
  const statements = [
    `DELETE FROM target_milestones WHERE target_id IN (SELECT id FROM targets WHERE metric IN ${m} OR area LIKE 'E99%')`,
    `DELETE FROM targets WHERE metric IN ${m} OR area LIKE 'E99%'`,
    `DELETE FROM period_locks WHERE programme = '${PROGRAMME}' OR metric IN ${m}`,
    `DELETE FROM partner_grants WHERE programme = '${PROGRAMME}' OR metric IN ${m} OR area LIKE 'E99%' OR partner LIKE 'admintest-%'`,
    `DELETE FROM observations WHERE metric IN ${m} OR area LIKE 'E99%'`,
    `DELETE FROM metric_reads WHERE metric IN ${m}`,
    `DELETE FROM metric_dimensions WHERE metric IN ${m}`,
    `UPDATE metrics SET numerator_metric = NULL, denominator_metric = NULL WHERE programme = '${PROGRAMME}'`,
    `DELETE FROM metrics WHERE programme = '${PROGRAMME}'`,
    `DELETE FROM area_memberships WHERE child LIKE 'E99%' OR parent LIKE 'E99%'`,
    `DELETE FROM areas WHERE code LIKE 'E99%'`,
    `DELETE FROM programmes WHERE code = '${PROGRAMME}'`,
    `DELETE FROM dimension_categories WHERE dimension = '${DIMENSION}'`,
    `DELETE FROM dimensions WHERE code = '${DIMENSION}'`,
    `DELETE FROM api_keys k WHERE (k.partner LIKE 'admintest-%' OR k.name LIKE 'admintest %') AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.api_key = k.id) AND NOT EXISTS (SELECT 1 FROM period_locks l WHERE l.created_by = k.id)`,
    `DELETE FROM partners p WHERE p.code LIKE 'admintest-%' AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.partner = p.code) AND NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.partner = p.code) AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.partner = p.code)`,
    // Caches are keyed by the data version: tell them the catalogue changed.
    'UPDATE data_version SET version = version + 1',
  ];
  sql(['BEGIN', ...statements, 'COMMIT'].join(';\n'));
}

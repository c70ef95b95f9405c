// A partner's journey written against the client openapi-typescript generates from the
// spec with its defaults (tests/api/client.test.mjs generates ./wellbeing.d.ts beside a
// copy of this file, compiles it under tsc --strict, then runs it against the server).
// What it leans on: the submission answers told apart by their `status` constants, the
// refused batch's row errors, flags typed as booleans, the receipt and the series.
import type { components, paths } from './wellbeing';

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

type Submit = paths['/v1/submissions']['post'];
type SubmissionBody = Submit['requestBody']['content']['application/json'];
type SubmitQuery = NonNullable<Submit['parameters']['query']>;
type Applied = Submit['responses'][201]['content']['application/json'];
type DryRunOrReplay = Submit['responses'][200]['content']['application/json'];
type Refused = Submit['responses'][422]['content']['application/problem+json'];
type Receipt = paths['/v1/submissions/{id}']['get']['responses'][200]['content']['application/json'];
type SeriesOp = paths['/v1/metrics/{code}/series']['get'];
type SeriesQuery = NonNullable<SeriesOp['parameters']['query']>;
type Series = SeriesOp['responses'][200]['content']['application/json'];
type PartnerCreate = paths['/v1/admin/partners']['post']['requestBody']['content']['application/json'];
type GrantCreate = paths['/v1/admin/partners/{code}/grants']['post']['requestBody']['content']['application/json'];
type KeyCreate = paths['/v1/admin/keys']['post']['requestBody']['content']['application/json'];
type KeyMade = paths['/v1/admin/keys']['post']['responses'][201]['content']['application/json'];
type Row = components['schemas']['SubmissionRow'];

const BASE = process.env.BASE ?? 'http://127.0.0.1:8080';
const ADMIN = process.env.ADMIN_KEY ?? '';
const RUN = process.env.JOURNEY_RUN ?? String(Date.now());

function query(q: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(q).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`journey: ${what}`);
}

// The 200 of a POST is a dry run or a replay; only the status constant tells them apart.
function describe200(r: DryRunOrReplay): string {
  switch (r.status) {
    case 'dry_run':
      return `dry run: would create ${r.counts.created}`;
    case 'applied':
      return `replay of ${r.id}, first received ${r.received_at}`;
    default: {
      const none: never = r;
      return none;
    }
  }
}

function rowErrors(p: Refused): string[] {
  if (!('errors' in p) || !('id' in p)) return [p.detail];
  return p.errors.map((e) => `row ${e.row ?? '?'} ${e.field ?? ''}: ${e.code}`);
}

async function main(): Promise<void> {
  const partner = `journey-${RUN}`;
  const make: PartnerCreate = { code: partner, name: 'Journey partner' };
  check((await call('POST', '/v1/admin/partners', ADMIN, make)).status === 201, 'partner made');
  const grant: GrantCreate = { programme: 'thrive', areas: ['E08000025'] };
  const granted = (await call('POST', `/v1/admin/partners/${partner}/grants`, ADMIN, grant)).status;
  check(granted === 200 || granted === 201, 'grant made');
  const keyReq: KeyCreate = { name: `${partner}-system`, scopes: ['read', 'submit'], partner };
  const made = await call('POST', '/v1/admin/keys', ADMIN, keyReq);
  check(made.status === 201, 'key made');
  const key = (made.json as KeyMade).key;

  const row: Row = { metric: 'thrive.ips_referrals', area: 'E08000025', period: '2019-05', value: 40, note: '' };
  const body: SubmissionBody = { observations: [row] };
  const dry: SubmitQuery = { dryRun: true };
  // @ts-expect-error dryRun is a boolean, not the string "true"
  const stringly: SubmitQuery = { dryRun: 'true' };
  void stringly;
  const tried = await call('POST', `/v1/submissions${query(dry)}`, key, body);
  check(tried.status === 200, `dry run answered ${tried.status}`);
  console.log(describe200(tried.json as DryRunOrReplay));

  const sent = await call('POST', '/v1/submissions', key, body);
  check(sent.status === 201, `submission answered ${sent.status}`);
  const applied = sent.json as Applied;
  check(applied.status === 'applied' && applied.counts.created + applied.counts.updated === 1, 'one row written');

  const bad: SubmissionBody = { observations: [{ ...row, period: 'May-19' }] };
  const refused = await call('POST', '/v1/submissions', key, bad);
  check(refused.status === 422, `bad row answered ${refused.status}`);
  console.log(rowErrors(refused.json as Refused).join('\n'));

  const receipt = (await call('GET', `/v1/submissions/${applied.id}`, key)).json as Receipt;
  check(receipt.id === applied.id && receipt.format === 'json' && receipt.row_count === 1, 'receipt');

  // A flow's running sums; the figure just sent is the latest of its own series.
  const q: SeriesQuery = { area: 'E47000007', cumulative: true };
  const flow = (await call('GET', `/v1/metrics/on_the_move.goodgym_launches/series${query(q)}`, key)).json as Series;
  check(flow.cumulative === true && flow.points.every((p) => p.derived === true || p.derived === false), 'cumulative series');
  const own: SeriesQuery = { area: 'E08000025' };
  const series = (await call('GET', `/v1/metrics/thrive.ips_referrals/series${query(own)}`, key)).json as Series;
  const last = series.points[series.points.length - 1];
  check(last !== undefined && last.period === '2019-05' && last.value === 40, 'the figure sent is in its series');
  console.log(`series: ${series.points.length} points, last ${last?.period} = ${last?.value}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});

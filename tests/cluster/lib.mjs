// Helpers for the cluster tests: the ports run.sh wrote to .cluster/env, requests to
// one API process or to HAProxy, the Prometheus counters, direct SQL on either
// database, the cluster's controls (scripts/cluster), and a bounded load.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;
export const ADMIN = env.ADMIN_KEY;
export const LB = `http://127.0.0.1:${env.LB_PORT}`;
export const API = [null, `http://127.0.0.1:${env.API1_PORT}`, `http://127.0.0.1:${env.API2_PORT}`];
const conninfo = (port) => `host=127.0.0.1 port=${port} dbname=wellbeing user=postgres`;
export const PRIMARY = conninfo(env.PRIMARY_PORT);
export const REPLICA = conninfo(env.REPLICA_PORT);
export const BOUNCER_ADMIN = `host=127.0.0.1 port=${env.BOUNCER_PORT} dbname=pgbouncer user=postgres`;

export async function api(base, method, path, { key, json, headers = {} } = {}) {
  const h = { ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  let body;
  if (json !== undefined) {
    body = JSON.stringify(json);
    h['Content-Type'] = 'application/json';
  }
  const res = await fetch(base + path, { method, headers: h, body, signal: AbortSignal.timeout(10000) });
  const text = await res.text();
  const type = res.headers.get('content-type') || '';
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: type.includes('json') && text ? JSON.parse(text) : undefined,
    version: Number(res.headers.get('data-version') || 0),
  };
}

export const get = (base, path, opts) => api(base, 'GET', path, opts);

// One submission through base, as the admin key; returns the answer (201 expected).
export function submit(base, observations) {
  return api(base, 'POST', '/v1/submissions', { key: ADMIN, json: { observations } });
}

export function sql(conn, statement) {
  const out = execFileSync('psql', [conn, '-XAtq', '-F', '\t', '-c', statement], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

export function cluster(...args) {
  execFileSync(join(ROOT, 'scripts/cluster'), args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

// The value of one Prometheus sample of a process (0 when absent).
export async function metric(base, name) {
  const text = (await get(base, '/metrics')).text;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = text.match(new RegExp(`^${esc} ([0-9.e+-]+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls fn until it returns a truthy value or ms pass; returns the value or undefined.
export async function until(ms, fn, every = 25) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return undefined;
    await sleep(every);
  }
}

// Reads through HAProxy from `workers` loops until stop() is called (and at most
// maxMs, at most maxRequests): a mix of cached board views and series, and figure
// queries that miss the cache and reach a database. Every answer is recorded; sent()
// counts the requests so far, so a test can wait for the load to be under way (on a
// loaded machine the loops go slower) rather than for a fixed time.
export function load({ workers = 6, maxMs = 15000, maxRequests = 20000 } = {}) {
  let stopping = false;
  let sent = 0;
  const failures = [];
  const statuses = new Map();
  const paths = (i) => [
    '/v1/dashboard',
    `/v1/metrics/mhfa.people_trained/series?area=E47000007`,
    `/v1/observations?metric=thrive.ips_referrals&limit=${1 + (i % 50)}`,
    `/v1/metrics/${['mhfa.people_trained', 'thrive.ips_referrals', 'thrive.mhtr_orders'][i % 3]}`,
  ];
  const started = Date.now();
  const loop = async (w) => {
    for (let i = w; !stopping && sent < maxRequests && Date.now() - started < maxMs; i += workers) {
      const list = paths(i);
      const path = list[i % list.length];
      sent++;
      try {
        const r = await fetch(LB + path, { signal: AbortSignal.timeout(10000) });
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
        if (r.status !== 200) failures.push(`${r.status} ${path}`);
      } catch (e) {
        failures.push(`${e.cause?.code || e.name} ${path}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));
  return {
    sent: () => sent,
    async stop() {
      stopping = true;
      await done;
      return { sent, failures, statuses: Object.fromEntries(statuses), ms: Date.now() - started };
    },
  };
}

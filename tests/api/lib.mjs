// Shared helpers for the API tests: requests against the server that run.sh started,
// direct SQL for reading back what a write did, and extra servers for tests that
// need other settings (closed reads, an outage).
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const BASE = process.env.BASE;
export const ADMIN = process.env.ADMIN_KEY;
export const DBURL = process.env.WELLBEING_DATABASE_URL;
export const BIN = process.env.WELLBEING_TEST_BIN;

// One request. Returns {status, headers, text, body} where body is parsed JSON when
// the answer is JSON (application/json or application/problem+json).
export async function api(method, path, { key, json, body, headers = {}, base = BASE } = {}) {
  const h = { ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  let payload = body;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    h['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(base + path, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, json, opts = {}) => api('POST', path, { ...opts, json });

// Runs SQL against the test database and returns the rows as arrays of strings.
export function sql(statement) {
  const out = execFileSync('psql', [DBURL, '-XAtq', '-F', '\t', '-c', statement], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

// Makes a key with the CLI; returns the key text.
export function makeKey(name, scopes, partner) {
  const args = ['key', 'create', '--name', name, '--scopes', scopes];
  if (partner) args.push('--partner', partner);
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// Starts another server with extra environment; returns {base, log(), stop()} where
// stop() sends SIGTERM and resolves to the exit code.
export async function startServer(env = {}) {
  const port = await freePort();
  const child = spawn(BIN, ['serve'], {
    env: { ...process.env, WELLBEING_LISTEN: `127.0.0.1:${port}`, WELLBEING_ACCESS_LOG: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    log: () => log,
    stop: async () => { child.kill('SIGTERM'); return exited; },
  };
}

// A value unique to this test run, for codes that must not collide across files.
export function unique(prefix) {
  return `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
}

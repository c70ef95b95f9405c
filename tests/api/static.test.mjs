// The dashboard's static files: types, caching headers, conditional requests, and
// refusals for every way out of the dashboard folder (.., encoded %2e%2e and %2f,
// absolute paths, symlinks that lead outside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, conforms, get, startServer } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DASH = join(ROOT, 'dashboard');
const CHART_VERSION = JSON.parse(readFileSync(join(DASH, 'package.json'), 'utf8')).dependencies['chart.js'];

// A request with the path sent exactly as written (fetch would tidy away the "..").
function raw(method, path, headers = {}, base = BASE) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// The shape conforms() reads, from a raw answer.
function asFetched(r) {
  const text = r.body.toString();
  const json = /json/.test(r.headers['content-type'] || '') && text ? JSON.parse(text) : undefined;
  return { status: r.status, headers: { get: (n) => r.headers[n.toLowerCase()] ?? null }, text, body: json };
}

test('GET / answers the board page as HTML that the browser revalidates', async () => {
  const r = await raw('GET', '/');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(r.headers['cache-control'], 'no-cache');
  assert.match(r.headers.etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
  assert.equal(r.headers['last-modified'], statSync(join(DASH, 'index.html')).mtime.toUTCString());
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.match(r.headers['content-security-policy'], /default-src 'self'; script-src 'self'; style-src 'self'/);
  assert.deepEqual(r.body, readFileSync(join(DASH, 'index.html')));
  await conforms(asFetched(r), 'GET', '/');
});

test('the query string of a shared link does not change what / serves', async () => {
  const r = await raw('GET', '/?area=E08000025&metric=mhfa.people_trained');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, readFileSync(join(DASH, 'index.html')));
});

test('the page script, styles and icon answer with their types and no-cache', async () => {
  const cases = [
    ['app.js', 'text/javascript; charset=utf-8'],
    ['styles.css', 'text/css; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
  ];
  for (const [name, type] of cases) {
    const r = await raw('GET', `/dashboard/${name}`);
    assert.equal(r.status, 200, name);
    assert.equal(r.headers['content-type'], type, name);
    assert.equal(r.headers['cache-control'], 'no-cache', name);
    assert.equal(r.headers['content-security-policy'], undefined, `${name}: the policy is the page's`);
    assert.deepEqual(r.body, readFileSync(join(DASH, name)), name);
    await conforms(asFetched(r), 'GET', '/dashboard/{file}');
  }
});

test('every file index.html names is served', async () => {
  const html = readFileSync(join(DASH, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(refs.sort(), [
    '/dashboard/app.js', '/dashboard/favicon.svg', '/dashboard/styles.css',
    `/dashboard/vendor/chart-${CHART_VERSION}.umd.min.js`,
  ].sort());
  for (const ref of refs) assert.equal((await raw('GET', ref)).status, 200, ref);
});

// The page script is an ES module: a browser runs it only if every module it imports,
// and theirs, comes back as JavaScript (a module with any other type is refused).
test('every module the page script imports is served as JavaScript, no-cache', async () => {
  const seen = new Set();
  const queue = ['app.js'];
  while (queue.length) {
    const name = queue.shift();
    if (seen.has(name)) continue;
    seen.add(name);
    const r = await raw('GET', `/dashboard/${name}`);
    assert.equal(r.status, 200, name);
    assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8', name);
    assert.equal(r.headers['cache-control'], 'no-cache', name);
    assert.deepEqual(r.body, readFileSync(join(DASH, name)), name);
    await conforms(asFetched(r), 'GET', '/dashboard/{file}');
    for (const m of r.body.toString('utf8').matchAll(/^import\s[^;]*?from\s+'\.\/([^'/]+)';/gm)) queue.push(m[1]);
  }
  assert.ok(seen.size > 1, `app.js imports modules (${[...seen].join(', ')})`);
});

test('the chart library is the pinned npm build, cached as immutable for a year', async () => {
  const installed = JSON.parse(readFileSync(join(DASH, 'node_modules/chart.js/package.json'), 'utf8')).version;
  assert.equal(installed, CHART_VERSION);
  const r = await raw('GET', `/dashboard/vendor/chart-${CHART_VERSION}.umd.min.js`);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.deepEqual(r.body, readFileSync(join(DASH, 'node_modules/chart.js/dist/chart.umd.min.js')));
  await conforms(asFetched(r), 'GET', '/dashboard/vendor/{file}');
  assert.match(r.body.subarray(0, 60).toString(), new RegExp(`Chart\\.js v${CHART_VERSION.replace(/\./g, '\\.')}`));
  const lic = await raw('GET', `/dashboard/vendor/chart-${CHART_VERSION}.LICENSE.txt`);
  assert.equal(lic.status, 200);
  assert.equal(lic.headers['content-type'], 'text/plain; charset=utf-8');
  assert.match(lic.body.toString(), /MIT License/);
});

test('If-None-Match with the ETag answers 304 with no body; another tag gets the file', async () => {
  const first = await raw('GET', '/dashboard/app.js');
  const again = await raw('GET', '/dashboard/app.js', { 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, first.headers.etag);
  assert.equal(again.headers['cache-control'], 'no-cache');
  await conforms(asFetched(again), 'GET', '/dashboard/{file}');
  const listed = await raw('GET', '/dashboard/app.js', { 'If-None-Match': `"0-0", ${first.headers.etag}` });
  assert.equal(listed.status, 304);
  const other = await raw('GET', '/dashboard/app.js', { 'If-None-Match': '"0-0"' });
  assert.equal(other.status, 200);
  assert.deepEqual(other.body, first.body);
});

test('If-Modified-Since answers 304 when the file is no newer, the file when it is', async () => {
  const first = await raw('GET', '/');
  const same = await raw('GET', '/', { 'If-Modified-Since': first.headers['last-modified'] });
  assert.equal(same.status, 304);
  assert.equal(same.body.length, 0);
  const older = new Date(Date.parse(first.headers['last-modified']) - 1000).toUTCString();
  const newer = await raw('GET', '/', { 'If-Modified-Since': older });
  assert.equal(newer.status, 200);
  // If-None-Match decides when both are sent (RFC 9110 13.2.2).
  const both = await raw('GET', '/', { 'If-None-Match': '"0-0"', 'If-Modified-Since': first.headers['last-modified'] });
  assert.equal(both.status, 200);
});

test('HEAD / answers the headers with no body', async () => {
  const r = await raw('HEAD', '/');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(Number(r.headers['content-length']), statSync(join(DASH, 'index.html')).size);
  assert.equal(r.body.length, 0);
});

test('paths that climb out of the dashboard folder are refused', async () => {
  const makefile = readFileSync(join(ROOT, 'Makefile'));
  const paths = [
    '/dashboard/../Makefile',
    '/dashboard/%2e%2e/Makefile',
    '/dashboard/%2E%2E%2FMakefile',
    '/dashboard/..%2fMakefile',
    '/dashboard/.%2e/Makefile',
    '/dashboard/..%5cMakefile',
    '/dashboard/vendor/..%2f..%2fMakefile',
    '/dashboard/vendor/%2e%2e%2f%2e%2e%2fserver%2fmain.c',
    '/dashboard/vendor/%2e%2e%2findex.html',
    '/dashboard/..',
    '/dashboard/%2e%2e',
    '/dashboard/vendor/..',
    '/../Makefile',
    '/%2e%2e/Makefile',
    '/dashboard/%2fetc%2fpasswd',
    '/dashboard//etc/passwd',
    '/dashboard/vendor/%2fetc%2fpasswd',
    '//etc/passwd',
    '/etc/passwd',
    '/dashboard/%00index.html',
    `${BASE}/etc/passwd`,
  ];
  for (const p of paths) {
    const r = await raw('GET', p);
    // Issue 11: an escaped control byte (%00) is refused before routing, as a 400.
    assert.equal(r.status, p.includes('%00') ? 400 : 404, p);
    assert.equal(r.headers['content-type'], 'application/problem+json', p);
    assert.equal(r.headers['cache-control'], 'no-store', p);
    const text = r.body.toString();
    assert.ok(!text.includes('root:') && !text.includes(makefile.subarray(0, 40).toString()), p);
    if (p.startsWith('/dashboard/vendor/') && !p.slice(18).includes('/')) await conforms(asFetched(r), 'GET', '/dashboard/vendor/{file}');
    else if (p.startsWith('/dashboard/') && !p.slice(11).includes('/')) await conforms(asFetched(r), 'GET', '/dashboard/{file}');
  }
});

test('files in the dashboard folder that are not part of the page are refused', async () => {
  for (const p of ['/dashboard/package.json', '/dashboard/package-lock.json', '/dashboard/node_modules',
    '/dashboard/vendor', '/dashboard/index', '/dashboard/.gitignore', '/dashboard/vendor/.keep']) {
    const r = await raw('GET', p);
    assert.equal(r.status, 404, p);
    assert.equal(r.headers['content-type'], 'application/problem+json', p);
  }
});

test('only GET and HEAD are answered on the page', async () => {
  const r = await raw('POST', '/');
  assert.equal(r.status, 405);
  assert.equal(r.headers.allow, 'GET, HEAD');
  const del = await raw('DELETE', '/dashboard/app.js');
  assert.equal(del.status, 405);
});

test('a symlink that leads out of the dashboard folder is refused; one inside is served', async () => {
  // A data dir of our own: dashboard/ beside a secret the server must never send.
  const dir = mkdtempSync(join(tmpdir(), 'wellbeing-static-'));
  try {
    mkdirSync(join(dir, 'dashboard', 'vendor'), { recursive: true });
    mkdirSync(join(dir, 'dashboard', 'folder.txt'));
    writeFileSync(join(dir, 'secret.txt'), 'not for the web');
    writeFileSync(join(dir, 'dashboard', 'index.html'), '<!doctype html><title>t</title>');
    symlinkSync('../secret.txt', join(dir, 'dashboard', 'escape.txt'));
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'dashboard', 'absolute.txt'));
    symlinkSync('../../secret.txt', join(dir, 'dashboard', 'vendor', 'lib-1.0.js'));
    symlinkSync('..', join(dir, 'dashboard', 'up.txt'));
    symlinkSync('index.html', join(dir, 'dashboard', 'alias.html'));
    const srv = await startServer({ WELLBEING_DATA_DIR: dir });
    try {
      for (const p of ['/dashboard/escape.txt', '/dashboard/absolute.txt', '/dashboard/vendor/lib-1.0.js',
        '/dashboard/up.txt', '/dashboard/folder.txt']) {
        const r = await raw('GET', p, {}, srv.base);
        assert.equal(r.status, 404, p);
        assert.ok(!r.body.toString().includes('not for the web'), p);
      }
      const ok = await raw('GET', '/dashboard/alias.html', {}, srv.base);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.toString(), '<!doctype html><title>t</title>');
      const page = await raw('GET', '/', {}, srv.base);
      assert.equal(page.status, 200);
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server without a dashboard folder answers / with a 404 problem, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wellbeing-nodash-'));
  const srv = await startServer({ WELLBEING_DATA_DIR: dir });
  try {
    const r = await get('/', { base: srv.base });
    assert.equal(r.status, 404);
    assert.equal(r.body.status, 404);
    assert.match(r.body.detail, /no dashboard file \//);
    await conforms(r, 'GET', '/');
  } finally {
    assert.equal(await srv.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

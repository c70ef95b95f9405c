// Shared helpers for the API tests: requests against the server that run.sh started,
// direct SQL for reading back what a write did, and extra servers for tests that
// need other settings (closed reads, an outage).
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

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

// ---- Conformance with the served OpenAPI document ----

// conforms(res, method, pattern): proves that an answer from api()/get()/post() (an object
// {status, headers, text, body}) is one that /openapi.json documents for the operation
// `method pattern`, with pattern spelled as in the route table and the spec
// ('/v1/metrics/{code}', not the path requested). It asserts that
//   - the operation exists (HEAD is checked against GET, as the server answers it);
//   - the status is listed in its responses (exactly, or by a range key such as '4XX';
//     'default' does not count, so every answer must be named);
//   - the Content-Type (without parameters) is one of that response's media types, and a
//     response documented without content (304, 204) came with an empty body;
//   - headers the response marks required are present, and every documented header
//     that is present matches its schema;
//   - the body validates against the media type's schema with JSON Schema 2020-12
//     (the parsed body for JSON types, the text for others, e.g. a CSV header pattern).
// Throws an AssertionError naming the first mismatch; returns the response object from
// the spec. Usage: const r = await get('/v1/metrics/x'); await conforms(r, 'GET', '/v1/metrics/{code}');
export async function conforms(res, method, pattern) {
  const spec = await servedSpec();
  const ops = spec.paths?.[pattern];
  assert.ok(ops, `the spec has no path ${pattern}`);
  const verb = method.toLowerCase();
  const op = ops[verb] ?? (verb === 'head' ? ops.get : undefined);
  assert.ok(op, `the spec has no ${method.toUpperCase()} ${pattern}`);
  const where = `${method.toUpperCase()} ${pattern} ${res.status}`;
  const statuses = Object.keys(op.responses ?? {});
  const key = statuses.find((s) => s === String(res.status)) ??
    statuses.find((s) => s === `${String(res.status)[0]}XX`);
  assert.ok(key, `${where}: status not documented (documented: ${statuses.join(', ')})`);
  const response = specResolve(spec, op.responses[key]);
  const v = specValidators(spec);

  for (const [name, ref] of Object.entries(response.headers ?? {})) {
    const h = specResolve(spec, ref);
    const value = res.headers.get(name);
    if (value === null) {
      assert.ok(!h.required, `${where}: required header ${name} is missing`);
      continue;
    }
    if (h.schema) v.check(h.schema, value, `${where}: header ${name}`, name);
  }

  const content = response.content ?? {};
  if (verb === 'head' || Object.keys(content).length === 0) {
    assert.equal(res.text, '', `${where}: documented without a body, but one came`);
    return response;
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const media = content[type];
  assert.ok(media, `${where}: Content-Type ${type || '(none)'} not documented ` +
    `(documented: ${Object.keys(content).join(', ')})`);
  if (media.schema) {
    const json = type === 'application/json' || type.endsWith('+json');
    v.check(media.schema, json ? res.body : res.text, `${where}: ${type} body`);
  }
  return response;
}

// The served document, fetched once per test file.
let specPromise;
export function servedSpec(base = BASE) {
  specPromise ??= fetch(`${base}/openapi.json`).then((r) => {
    assert.equal(r.status, 200, 'GET /openapi.json');
    return r.json();
  });
  return specPromise;
}

// Follows a local $ref ("#/components/responses/NotFound") to the object it names.
export function specResolve(spec, obj) {
  for (let hops = 0; obj && typeof obj.$ref === 'string' && hops < 16; hops++) {
    const parts = obj.$ref.replace(/^#\//, '').split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    obj = parts.reduce((o, p) => (o == null ? undefined : o[p]), spec);
    assert.ok(obj !== undefined, `$ref ${parts.join('/')} points nowhere`);
  }
  return obj;
}

// Ajv (JSON Schema 2020-12, strict, with formats) that knows the spec's component
// schemas. compile(schema) returns a validate function; check(schema, data, what)
// asserts. Strict schema mode turns a misspelt keyword in the spec into an error, not a
// no-op; strict types and required are off, as a $ref with an overlay ({"$ref": Problem,
// "properties": {"status": {"const": 404}}}) and if/then are normal OpenAPI 3.1.
const SPEC_ID = 'urn:wellbeing:openapi';
const validatorCache = new WeakMap();
export function specValidators(spec) {
  let v = validatorCache.get(spec);
  if (v) return v;
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, strictTuples: false, allErrors: true });
  addFormats(ajv);
  // OpenAPI's own annotations inside a Schema Object.
  ajv.addVocabulary(['example', 'xml', 'externalDocs']);
  ajv.addSchema({ $id: SPEC_ID, $defs: retarget(spec.components?.schemas ?? {}) });
  const compiled = new Map();
  const compile = (schema) => {
    const k = JSON.stringify(schema);
    if (!compiled.has(k)) compiled.set(k, ajv.compile(retarget(schema)));
    return compiled.get(k);
  };
  const check = (schema, data, what, dataVar = 'body') => {
    const validate = compile(schema);
    if (!validate(data)) {
      const shown = JSON.stringify(data)?.slice(0, 400);
      assert.fail(`${what} does not match the spec: ${ajv.errorsText(validate.errors, { dataVar })}\n` +
        `  got: ${shown}`);
    }
  };
  v = { ajv, compile, check };
  validatorCache.set(spec, v);
  return v;
}

// Points '#/components/schemas/X' refs at the copy of the schemas registered in Ajv.
function retarget(node) {
  if (Array.isArray(node)) return node.map(retarget);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, val] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof val === 'string' && val.startsWith('#/components/schemas/')
      ? `${SPEC_ID}#/$defs/${val.slice('#/components/schemas/'.length)}`
      : retarget(val);
  }
  return out;
}

// The Docker path, checked without an engine: docker-compose validates the compose
// file, the Dockerfile builds through make (not a compiler line of its own), its run
// stage carries every library the binary links, and `make install` lays out a tree
// the installed binary serves the dashboard from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMPOSE = join(ROOT, 'docker', 'compose.yaml');
const PREFIX = '/opt/wellbeing';

// docker-compose config, resolved and turned from YAML into an object (python3-yaml
// comes with docker-compose).
function composeConfig(env) {
  const yaml = execFileSync('docker-compose', ['-f', COMPOSE, 'config'], {
    cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const json = execFileSync('python3', ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
    { input: yaml, encoding: 'utf8' });
  return JSON.parse(json);
}

// The Dockerfile as stages of [instruction, argument] with continuation lines joined.
function dockerfileStages() {
  const text = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [, op, arg] = /^(\S+)\s+(.*)$/.exec(t);
    if (op.toUpperCase() === 'FROM') stages.push({ from: arg, steps: [] });
    else stages.at(-1).steps.push([op.toUpperCase(), arg.replace(/\s+/g, ' ')]);
  }
  return stages;
}

const runs = (stage) => stage.steps.filter(([op]) => op === 'RUN').map(([, a]) => a);

test('docker-compose validates the compose file: PostgreSQL 15, a one-shot migrate, the API', () => {
  const c = composeConfig({ POSTGRES_PASSWORD: 'checked-here' });
  assert.deepEqual(Object.keys(c.services).sort(), ['api', 'db', 'migrate']);
  const { db, migrate, api } = c.services;
  assert.match(db.image, /^postgres:15(\b|-)/);
  assert.deepEqual(db.volumes, ['pgdata:/var/lib/postgresql/data:rw']);
  assert.ok(c.volumes && 'pgdata' in c.volumes, 'pgdata is a named volume');
  assert.deepEqual(db.healthcheck.test, ['CMD-SHELL', 'pg_isready -U wellbeing -d wellbeing']);
  assert.equal(db.environment.POSTGRES_PASSWORD, 'checked-here');
  for (const s of [migrate, api]) {
    assert.equal(s.build.context, ROOT);
    assert.equal(s.build.dockerfile, 'docker/Dockerfile');
    assert.equal(s.image, migrate.image, 'one image for both');
    assert.equal(s.environment.WELLBEING_DATABASE_URL, 'host=db port=5432 dbname=wellbeing user=wellbeing');
    assert.equal(s.environment.PGPASSWORD, 'checked-here');
    assert.equal(s.depends_on.db.condition, 'service_healthy');
  }
  assert.deepEqual(migrate.command, ['migrate']);
  assert.equal(migrate.restart, 'no');
  assert.deepEqual(api.command, ['serve']);
  assert.equal(api.depends_on.migrate.condition, 'service_completed_successfully');
  assert.deepEqual(api.healthcheck.test, ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/readyz']);
  assert.deepEqual(api.ports, ['127.0.0.1:8080:8080/tcp'], 'published on the host loopback unless told otherwise');
  assert.equal(api.environment.WELLBEING_LISTEN, '0.0.0.0:8080');
});

test('docker-compose refuses the file without a database password, naming it', () => {
  assert.throws(() => composeConfig({}), (e) => /set POSTGRES_PASSWORD/.test(String(e.stderr)));
});

test('the image builds on Debian 12 with make and the Makefile\'s own package groups', () => {
  const [build, run] = dockerfileStages();
  assert.equal(build.from, 'debian:12 AS build');
  const cmds = runs(build).join(' && ');
  // Every step that compiles or installs packages goes through the project's scripts.
  assert.match(cmds, /scripts\/deps build page/);
  assert.match(cmds, /\bmake WELLBEING_DATABASE_URL= all\b/);
  assert.match(cmds, new RegExp(`\\bmake WELLBEING_DATABASE_URL= install DESTDIR=/out PREFIX=${PREFIX}\\b`));
  assert.doesNotMatch(cmds, /\b(cc|gcc|clang|npm|npx|apt-get)\b/, 'no compiler, npm or apt line of its own');
  // The package groups the Makefile's build asks scripts/deps for are the ones installed.
  const dry = execFileSync('make', ['-n', '-B', 'WELLBEING_DATABASE_URL=', 'all'], { cwd: ROOT, encoding: 'utf8' });
  const groups = new Set([...dry.matchAll(/scripts\/deps ([a-z ]+)/g)].flatMap((m) => m[1].trim().split(' ')));
  assert.deepEqual([...groups].sort(), ['build', 'page']);
  // Run stage: slim Debian 12, the installed tree, no root, health on /readyz.
  assert.equal(run.from, 'debian:12-slim AS run');
  const steps = Object.fromEntries(run.steps.map(([op, a]) => [op, a]));
  assert.equal(steps.COPY, `--from=build /out${PREFIX} ${PREFIX}`);
  assert.equal(steps.USER, 'wellbeing:wellbeing');
  assert.match(runs(run).join(' '), /useradd --system --uid 10001 /);
  assert.match(steps.HEALTHCHECK, /CMD curl -fsS -o \/dev\/null http:\/\/127\.0\.0\.1:8080\/readyz/);
  assert.equal(steps.ENTRYPOINT, `["${PREFIX}/bin/wellbeingd"]`);
  assert.equal(steps.CMD, '["serve"]');
});

test('the run stage installs the package of every library the binary links', () => {
  const [, run] = dockerfileStages();
  const install = runs(run).join(' ').match(/apt-get install -y --no-install-recommends ([^&]+)/)[1].trim().split(' ');
  const bin = join(ROOT, 'build', 'wellbeingd');
  const needed = [...execFileSync('readelf', ['-d', bin], { encoding: 'utf8' }).matchAll(/\(NEEDED\).*\[(.+)\]/g)].map((m) => m[1]);
  const ldd = execFileSync('ldd', [bin], { encoding: 'utf8' });
  // dpkg knows a file by the path its package ships, which on a merged-/usr system may
  // be the /lib or the /usr/lib spelling of what ldd found.
  const owner = (path) => {
    const real = execFileSync('readlink', ['-f', path], { encoding: 'utf8' }).trim();
    for (const p of new Set([path, real, real.replace(/^\/usr\//, '/'), path.replace(/^\/lib/, '/usr/lib')])) {
      try {
        return execFileSync('dpkg', ['-S', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(':')[0];
      } catch { /* try the next spelling */ }
    }
    throw new Error(`no Debian package owns ${path}`);
  };
  const packages = needed.map((lib) => owner(new RegExp(`${lib.replace(/\./g, '\\.')} => (\\S+)`).exec(ldd)[1]));
  assert.ok(packages.includes('libmicrohttpd12') && packages.includes('libpq5'), packages.join(' '));
  for (const p of packages) {
    if (p === 'libc6') continue; /* in every Debian image */
    assert.ok(install.includes(p), `${p} (linked by wellbeingd) is not installed in the run stage`);
  }
  assert.ok(install.includes('curl'), 'curl for the health check');
});

test('.dockerignore keeps build output, databases and node_modules out of the image', () => {
  const lines = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  for (const p of ['build', '.devdb', '**/node_modules', 'dashboard/vendor', 'tests/out']) assert.ok(lines.includes(p), p);
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

test('make install lays out a tree the installed binary serves the dashboard from', async () => {
  const dest = mkdtempSync(join(tmpdir(), 'wellbeing-install-'));
  try {
    execFileSync('make', ['-s', 'WELLBEING_DATABASE_URL=', 'install', `DESTDIR=${dest}`, `PREFIX=${PREFIX}`],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const top = join(dest, PREFIX);
    assert.ok(existsSync(join(top, 'sql', 'migrations', '001_schema.sql')));
    assert.ok(!existsSync(join(top, 'dashboard', 'node_modules')), 'no node_modules in the image');
    assert.ok(!existsSync(join(top, 'dashboard', 'package.json')));
    const port = await freePort();
    const child = spawn(join(top, 'bin', 'wellbeingd'), ['serve'], {
      env: { PATH: process.env.PATH, WELLBEING_LISTEN: `127.0.0.1:${port}`, WELLBEING_DATABASE_URL: 'host=/nonexistent dbname=none', WELLBEING_ACCESS_LOG: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let page;
      for (let i = 0; i < 100 && !page; i++) {
        try {
          page = await fetch(`http://127.0.0.1:${port}/`);
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      assert.equal(page.status, 200);
      assert.equal(await page.text(), readFileSync(join(ROOT, 'dashboard', 'index.html'), 'utf8'));
      const html = readFileSync(join(ROOT, 'dashboard', 'index.html'), 'utf8');
      for (const ref of [...html.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"/g)].map((m) => m[1])) {
        assert.equal((await fetch(`http://127.0.0.1:${port}${ref}`)).status, 200, ref);
      }
      // The page script is an ES module: the modules it imports must be installed too.
      const modules = ['app.js'];
      for (let i = 0; i < modules.length; i++) {
        const r = await fetch(`http://127.0.0.1:${port}/dashboard/${modules[i]}`);
        assert.equal(r.status, 200, modules[i]);
        for (const m of (await r.text()).matchAll(/^import\s[^;]*?from\s+'\.\/([^'/]+)';/gm))
          if (!modules.includes(m[1])) modules.push(m[1]);
      }
      assert.ok(modules.length > 1, `app.js imports modules (${modules.join(', ')})`);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});

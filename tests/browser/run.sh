#!/usr/bin/env bash
# The browser test: a fresh database in the private cluster, migrated and seeded with
# the published figures, build/wellbeingd (what `make run` serves) on a free loopback
# port, then node's test runner over tests/browser/*.test.mjs driving Debian's
# Chromium. Screenshots and the server log land in tests/out/browser/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BIN=${WELLBEING_BROWSER_BIN:-$ROOT/build/wellbeingd}
DB=${WELLBEING_BROWSER_DB:-wellbeing_browser}
OUT=$ROOT/tests/out/browser
rm -rf "$OUT"
mkdir -p "$OUT"
[ -x /usr/bin/chromium ] || { echo "browser test: /usr/bin/chromium is missing (scripts/deps browser)" >&2; exit 1; }
scripts/devdb start
ADMINURL=$(WELLBEING_DEVDB_NAME=postgres scripts/devdb url)
psql "$ADMINURL" -XAtq -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
export WELLBEING_DATABASE_URL=$(WELLBEING_DEVDB_NAME=$DB scripts/devdb url)
"$BIN" migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log"; exit 1; }
# An admin key for the tests that post figures (the judgements on posted series).
ADMIN_KEY=$("$BIN" key create --name browser-tests --scopes read,submit,admin 2>/dev/null)
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
# Open reads, as the public dashboard has them; no CORS origin: the page is same-origin.
export WELLBEING_LISTEN=127.0.0.1:$PORT WELLBEING_PUBLIC_READ=1 WELLBEING_CORS_ORIGINS=
"$BIN" serve >"$OUT/server.log" 2>&1 &
SRV=$!
trap 'kill -9 $SRV 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
export BASE=http://127.0.0.1:$PORT BROWSER_OUT=$OUT ADMIN_KEY
set +e
node --test --test-concurrency=1 --test-reporter=spec "$ROOT"/tests/browser/*.test.mjs
rc=$?
kill -TERM "$SRV" && wait "$SRV"
src=$?
set -e
[ "$src" = 0 ] || { echo "server exited $src on SIGTERM (want 0)"; exit 1; }
[ "$rc" = 0 ] && echo "screenshots: $(ls "$OUT"/*.png 2>/dev/null | tr '\n' ' ')"
exit $rc

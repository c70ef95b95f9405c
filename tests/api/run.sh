#!/usr/bin/env bash
# The API tests: a fresh database in the private cluster, the ASan+UBSan build of the
# server on a free loopback port, then node's test runner over tests/api/*.test.mjs,
# one file at a time (they share the database and its data version). The server must
# stop cleanly on SIGTERM and its log must hold no sanitizer report.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BIN=${WELLBEING_TEST_BIN:-$ROOT/build/asan/wellbeingd}
DB=${WELLBEING_TEST_DB:-wellbeing_test}
OUT=$ROOT/tests/out
mkdir -p "$OUT"
scripts/devdb start
ADMINURL=$(WELLBEING_DEVDB_NAME=postgres scripts/devdb url)
psql "$ADMINURL" -XAtq -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
export WELLBEING_DATABASE_URL=$(WELLBEING_DEVDB_NAME=$DB scripts/devdb url)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=97}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=98}
"$BIN" migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log"; exit 1; }
ADMIN_KEY=$("$BIN" key create --name api-tests --scopes read,submit,admin 2>/dev/null)
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
export WELLBEING_LISTEN=127.0.0.1:$PORT WELLBEING_PUBLIC_READ=1 WELLBEING_CORS_ORIGINS=http://localhost:5173
"$BIN" serve >"$OUT/server.log" 2>&1 &
SRV=$!
stop_server() {
  if kill -0 "$SRV" 2>/dev/null; then
    kill -TERM "$SRV"
    wait "$SRV"
  fi
}
trap 'kill -9 $SRV 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
export BASE=http://127.0.0.1:$PORT ADMIN_KEY WELLBEING_TEST_BIN=$BIN
set +e
# WELLBEING_TEST_FILES picks files (default: all of tests/api).
node --test --test-concurrency=1 --test-reporter=spec ${WELLBEING_TEST_FILES:-"$ROOT"/tests/api/*.test.mjs}
rc=$?
stop_server
src=$?
set -e
if grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$OUT/server.log" >/dev/null; then
  echo "sanitizer report in tests/out/server.log:"; grep -E -A12 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$OUT/server.log" | head -60
  exit 1
fi
[ "$src" = 0 ] || { echo "server exited $src on SIGTERM (want 0)"; exit 1; }
exit $rc

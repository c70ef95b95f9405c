#!/usr/bin/env bash
# The cluster test: scripts/cluster starts a primary, a pg_basebackup replica, PgBouncer,
# two wellbeingd processes (the ASan+UBSan build unless WELLBEING_CLUSTER_BIN says
# otherwise) and HAProxy on free loopback ports; node's test runner then proves the
# replica, read-your-writes, cache coherence and failover behaviour. Whatever happens,
# the trap stops everything; the processes' logs must hold no sanitizer report.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export WELLBEING_CLUSTER_BIN=${WELLBEING_CLUSTER_BIN:-$ROOT/build/asan/wellbeingd}
DIR=${WELLBEING_CLUSTER_DIR:-$ROOT/.cluster}
trap 'scripts/cluster down' EXIT
# Each run starts from nothing, so a test never meets an earlier run's data.
timeout 120 scripts/cluster up 2
set -a
# shellcheck disable=SC1091
. "$DIR/env"
set +a
set +e
timeout 240 node --test --test-concurrency=1 --test-reporter=spec "$ROOT"/tests/cluster/*.test.mjs
rc=$?
set -e
scripts/cluster down
trap - EXIT
if grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$DIR"/log/api*.log >/dev/null; then
  echo "sanitizer report in $DIR/log:"
  grep -E -A12 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$DIR"/log/api*.log | head -60
  exit 1
fi
exit $rc

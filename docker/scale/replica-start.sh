#!/usr/bin/env bash
# The replica container's start: on first start, a base backup of the primary (retried
# until the primary takes it) with -R, so PostgreSQL starts as a hot standby streaming
# from it; afterwards the data is there and PostgreSQL simply starts.
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -h "$PRIMARY_HOST" -U "$REPLICATION_USER" -D "$PGDATA" -R -X stream -c fast; do
    echo "replica: the primary did not take the base backup yet; again in 2 s" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on

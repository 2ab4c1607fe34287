#!/bin/bash
# PostgreSQL hot standby (entrypoint of the postgres:15 `postgres-replica` service).
#
# On the first start (empty data directory) it waits for the primary, clones it with
# `pg_basebackup -R` (which writes standby.signal and primary_conninfo) through the slot made by
# primary-init.sh, then hands over to the image's own entrypoint, which starts the server as the
# postgres user. Later starts go straight to the server, which resumes streaming.
set -euo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
: "${PRIMARY_HOST:=postgres-primary}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set}"
: "${REPLICATION_SLOT:=flipt_replica}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "replica: waiting for the primary at ${PRIMARY_HOST}:${PRIMARY_PORT}"
    until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER"; do
        sleep 1
    done

    echo "replica: cloning the primary with pg_basebackup"
    mkdir -p "$PGDATA"
    # An interrupted earlier attempt may have left files behind; PG_VERSION is absent, so the
    # directory holds no usable cluster.
    find "$PGDATA" -mindepth 1 -delete
    chown postgres:postgres "$PGDATA"
    chmod 0700 "$PGDATA"
    conninfo="host=${PRIMARY_HOST} port=${PRIMARY_PORT} user=${REPLICATION_USER} password=${REPLICATION_PASSWORD} application_name=postgres-replica"
    gosu postgres pg_basebackup \
        --dbname="$conninfo" \
        --pgdata="$PGDATA" \
        --write-recovery-conf \
        --wal-method=stream \
        --slot="$REPLICATION_SLOT" \
        --checkpoint=fast \
        --progress
    echo "replica: base backup done, starting as a hot standby"
fi

exec docker-entrypoint.sh postgres -c hot_standby=on "$@"

#!/bin/bash
# PostgreSQL primary, first start only (mounted into /docker-entrypoint-initdb.d/ of postgres:15):
# creates the streaming-replication role and a physical slot for the replica, and lets that role
# connect for replication. wal_level and the sender limits are set on the command line in
# docker-compose.yml.
set -euo pipefail

: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set}"
: "${REPLICATION_SLOT:=flipt_replica}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v user="$REPLICATION_USER" -v password="$REPLICATION_PASSWORD" -v slot="$REPLICATION_SLOT" <<'SQL'
CREATE ROLE :"user" WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot(:'slot');
SQL

# The image's pg_hba.conf ends with "host all all all scram-sha-256", which does not cover
# replication connections.
echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"

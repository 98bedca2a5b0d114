#!/bin/bash
# Creates renkei's own login role `renkei` (password RENKEI_DB_PASSWORD) and database `renkei`.
#
# Mounted into /docker-entrypoint-initdb.d of the postgres container, so it runs only on the FIRST start, when the
# data volume is empty. On an existing volume, run it by hand (it is idempotent):
#   docker compose exec postgresql bash /docker-entrypoint-initdb.d/10-create-renkei-db.sh
# The Temporal databases are not created here: temporal-admin-tools does that with temporal-sql-tool.
# The password is passed as a psql variable and quoted by PostgreSQL (format %L), never interpolated by the shell.
# No `exit` and no `set -u`: the postgres entrypoint may source this file instead of executing it.
set -eo pipefail

: "${RENKEI_DB_PASSWORD:?RENKEI_DB_PASSWORD must be set for the postgresql service}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
  --set=renkei_password="$RENKEI_DB_PASSWORD" <<'EOSQL'
SELECT format('CREATE ROLE renkei LOGIN PASSWORD %L', :'renkei_password')
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'renkei')
\gexec
SELECT 'CREATE DATABASE renkei OWNER renkei'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = 'renkei')
\gexec
EOSQL

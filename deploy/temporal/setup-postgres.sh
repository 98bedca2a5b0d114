#!/bin/sh
# Creates (if missing) and migrates the Temporal schemas in PostgreSQL: databases `temporal` (persistence) and
# `temporal_visibility` (SQL visibility).
#
# Run by the one-shot compose service `temporal-admin-tools` (image temporalio/admin-tools, which ships
# temporal-sql-tool and the schema files) after `postgresql` is healthy and before `temporal` starts. Idempotent:
# `create` skips an existing database, `setup-schema -v 0.0` keeps a newer version, and `update-schema` applies only
# the versions that are missing, so it is also the upgrade step after raising TEMPORAL_ADMINTOOLS_VERSION.
# The password comes from SQL_PASSWORD (read by temporal-sql-tool itself), never from the command line.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS must name the PostgreSQL host}"
: "${POSTGRES_USER:?POSTGRES_USER must be set}"
: "${SQL_PASSWORD:?SQL_PASSWORD must be set}"
DB_PORT="${DB_PORT:-5432}"
DBNAME="${DBNAME:-temporal}"
VISIBILITY_DBNAME="${VISIBILITY_DBNAME:-temporal_visibility}"
SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-60}"

log() {
  echo "setup-postgres: $*"
}

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" "$@"
}

log "waiting for PostgreSQL at $POSTGRES_SEEDS:$DB_PORT"
attempt=1
until nc -z -w 2 "$POSTGRES_SEEDS" "$DB_PORT"; do
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    log "giving up: PostgreSQL not reachable after $attempt attempts"
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

log "database $DBNAME"
sql_tool --db "$DBNAME" create
sql_tool --db "$DBNAME" setup-schema -v 0.0
sql_tool --db "$DBNAME" update-schema -d "$SCHEMA_DIR/temporal/versioned"

log "database $VISIBILITY_DBNAME"
sql_tool --db "$VISIBILITY_DBNAME" create
sql_tool --db "$VISIBILITY_DBNAME" setup-schema -v 0.0
sql_tool --db "$VISIBILITY_DBNAME" update-schema -d "$SCHEMA_DIR/visibility/versioned"

log "schema setup complete"

#!/bin/sh
# Creates renkei's Temporal namespace and registers its custom search attributes.
#
# Run by the one-shot compose service `temporal-create-namespace` (image temporalio/admin-tools, which ships the
# `temporal` CLI) after the `temporal` service is healthy. Every step is idempotent, so it runs again on each
# `docker compose up` without harm:
#   1. wait (bounded) until `temporal operator cluster health` answers SERVING;
#   2. create the namespace if `namespace describe` does not find it (retention only applies on creation);
#   3. register each search attribute that is not listed yet, then wait until the server lists all of them;
#   4. if anything was created, give the server's namespace caches time to refresh before exiting.
# Search attributes are per namespace; with SQL (PostgreSQL) visibility the v12 schema has 10 Keyword and 3 Datetime
# slots, all used by renkei's list.
set -eu

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
MAX_ATTEMPTS="${CREATE_NAMESPACE_MAX_ATTEMPTS:-60}"
SLEEP_SECONDS="${CREATE_NAMESPACE_SLEEP_SECONDS:-2}"
# After a change, wait this long before exiting: each server role caches namespaces (and with them the
# per-namespace search attribute aliases of SQL visibility) and refreshes that cache every
# system.namespaceCacheRefreshInterval (10s or less), and the worker and api start as soon as this job exits.
PROPAGATION_SECONDS="${CREATE_NAMESPACE_PROPAGATION_SECONDS:-15}"
# NAME:TYPE pairs: the file written from workflows/search-attributes.ts (mounted next to this script by compose),
# one a line, '#' comments; TEMPORAL_SEARCH_ATTRIBUTES (pairs separated by spaces) replaces it when set.
SEARCH_ATTRIBUTES_FILE="${SEARCH_ATTRIBUTES_FILE:-$(dirname "$0")/search-attributes.txt}"
if [ -n "${TEMPORAL_SEARCH_ATTRIBUTES:-}" ]; then
  SEARCH_ATTRIBUTES="$TEMPORAL_SEARCH_ATTRIBUTES"
elif [ -r "$SEARCH_ATTRIBUTES_FILE" ]; then
  SEARCH_ATTRIBUTES="$(grep -v '^[[:space:]]*#' "$SEARCH_ATTRIBUTES_FILE" | tr '\n' ' ')"
else
  echo "create-namespace: no search attribute list: $SEARCH_ATTRIBUTES_FILE is missing and TEMPORAL_SEARCH_ATTRIBUTES is not set"
  exit 1
fi

log() {
  echo "create-namespace: $*"
}

# retry WHAT COMMAND [ARGS...]: run COMMAND until it succeeds, at most MAX_ATTEMPTS times, SLEEP_SECONDS apart.
retry() {
  what="$1"
  shift
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      log "giving up: $what still failing after $attempt attempts"
      return 1
    fi
    log "$what: not yet (attempt $attempt/$MAX_ATTEMPTS), retrying in ${SLEEP_SECONDS}s"
    attempt=$((attempt + 1))
    sleep "$SLEEP_SECONDS"
  done
}

# Talk to the server by its IPv4 address when the name resolves to one, as the samples-server script does to work
# around a name resolution problem of the CLI in that image; otherwise keep the name as given.
resolve_address() {
  host="${ADDRESS%:*}"
  port="${ADDRESS##*:}"
  if [ "$host" != "$ADDRESS" ] && command -v getent >/dev/null 2>&1; then
    ip="$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 { print $1 }')" || ip=""
    if [ -n "$ip" ]; then
      ADDRESS="$ip:$port"
    fi
  fi
}

cluster_healthy() {
  temporal operator cluster health --address "$ADDRESS"
}

namespace_exists() {
  temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1
}

ensure_namespace() {
  if namespace_exists; then
    return 0
  fi
  log "creating namespace '$NAMESPACE' with retention $RETENTION"
  changed=1
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS"
}

list_search_attributes() {
  temporal operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS"
}

# search_attribute_listed NAME [TYPE]: true when the namespace's search attribute table (columns Name, Type) has a
# row for NAME (with type TYPE when given).
search_attribute_listed() {
  if [ "$#" -ge 2 ]; then
    pattern="(^|[[:space:]])$1[[:space:]]+$2([[:space:]]|\$)"
  else
    pattern="(^|[[:space:]])$1([[:space:]]|\$)"
  fi
  list_search_attributes 2>/dev/null | grep -Eq "$pattern"
}

# ensure_search_attribute NAME TYPE: register NAME unless it is listed with that type already. An attribute that
# exists with another type cannot be changed in place: stop and let a human decide.
ensure_search_attribute() {
  if search_attribute_listed "$1" "$2"; then
    return 0
  fi
  if search_attribute_listed "$1"; then
    log "search attribute $1 already exists in namespace '$NAMESPACE' with a type other than $2; not changing it"
    list_search_attributes | grep -E "(^|[[:space:]])$1([[:space:]]|\$)" || true
    exit 1
  fi
  log "registering search attribute $1 ($2) in namespace '$NAMESPACE'"
  changed=1
  temporal operator search-attribute create --namespace "$NAMESPACE" --name "$1" --type "$2" --address "$ADDRESS"
}

all_search_attributes_listed() {
  for sa_entry in $SEARCH_ATTRIBUTES; do
    search_attribute_listed "${sa_entry%%:*}" "${sa_entry#*:}" || return 1
  done
}

changed=0
resolve_address
log "Temporal server at $ADDRESS (from ${TEMPORAL_ADDRESS:-temporal:7233}), namespace '$NAMESPACE'"

retry "cluster health" cluster_healthy
retry "namespace '$NAMESPACE'" ensure_namespace
# A new namespace reaches the server's namespace registry after a short refresh delay.
retry "namespace '$NAMESPACE' visible" namespace_exists
log "namespace '$NAMESPACE' is ready"

for entry in $SEARCH_ATTRIBUTES; do
  sa_name="${entry%%:*}"
  sa_type="${entry#*:}"
  if [ -z "$sa_name" ] || [ "$sa_name" = "$entry" ] || [ -z "$sa_type" ]; then
    log "bad search attribute entry '$entry' (expected NAME:TYPE)"
    exit 1
  fi
  retry "search attribute $sa_name" ensure_search_attribute "$sa_name" "$sa_type"
done
retry "search attributes listed" all_search_attributes_listed

log "search attributes of namespace '$NAMESPACE':"
list_search_attributes
if [ "$changed" -eq 1 ]; then
  log "waiting ${PROPAGATION_SECONDS}s for the server's namespace caches to pick up the changes"
  sleep "$PROPAGATION_SECONDS"
fi
log "done"

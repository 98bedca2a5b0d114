#!/usr/bin/env bash
# The API's contract, checked against the running system: `npm start`'s whole stack (Temporal dev server, embedded
# PostgreSQL, sandbox, worker, API) on free ports with a throwaway data folder, then schemathesis (from PyPI, in a venv
# cached under .data/) runs every operation of /openapi.json with the bootstrap token. Fails on any server error (5xx),
# any answer that breaks its declared schema, and any status the operation does not declare.
#   bash scripts/contract-check.sh            # MAX_EXAMPLES=25 per operation by default, SCHEMATHESIS_SEED=1
#   bash scripts/contract-check.sh --include-path-regex /orders   # more arguments go to `schemathesis run`
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { echo "== contract: $*"; }
MAX_EXAMPLES=${MAX_EXAMPLES:-25}
SCHEMATHESIS_VERSION=4.32.5
VENV=${CONTRACT_VENV:-$ROOT/.data/contract-venv}
# Python 3.12 where there is one: on 3.11.7 schemathesis' regex strategies hit a CPython bug (SystemError: AST constructor
# recursion depth mismatch) on the codec's base64 pattern
if [ -z "${PYTHON:-}" ]; then
  pyenv_pythons=$(command -v pyenv >/dev/null && pyenv versions --bare 2>/dev/null | grep -E '^3\.1[23]' | sed "s#^#$(pyenv root)/versions/#; s#\$#/bin/python#" || true)
  for candidate in python3.12 python3.13 $pyenv_pythons python3; do
    if "$candidate" -c 'import venv' >/dev/null 2>&1; then PYTHON=$candidate; break; fi
  done
fi
[ -n "${PYTHON:-}" ] || { say "no working python3 found"; exit 1; }

# --- schemathesis, once per venv ---
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" "openapi-spec-validator==0.9.0"
fi

# --- the system on free ports ---
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export API_PORT=$(free_port) TEMPORAL_PORT=$(free_port) TEMPORAL_UI_PORT=$(free_port) SANDBOX_PORT=$(free_port) \
  SANDBOX_TLS_PORT=$(free_port) SMTP_PORT=$(free_port) PGLITE_PORT=$(free_port)
for p in "$API_PORT" "$TEMPORAL_PORT" "$TEMPORAL_UI_PORT" "$SANDBOX_PORT" "$SANDBOX_TLS_PORT" "$SMTP_PORT" "$PGLITE_PORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] || { say "could not pick free ports"; exit 1; }
done
export DATA_DIR=$(mktemp -d /tmp/renkei-contract.XXXXXX)
export API_TOKEN="contract-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(16))')"
export SHOP_ID=${SHOP_ID:-demo-shop}
unset DATABASE_URL
LOG="$DATA_DIR/system.log"
API="http://127.0.0.1:$API_PORT"

say "starting the system (API $API, data $DATA_DIR)"
setsid node --import tsx scripts/run-system.ts >"$LOG" 2>&1 &
SYSTEM_PID=$!
stop_system() {
  kill -TERM "$SYSTEM_PID" 2>/dev/null || true # it stops its children, last started first
  for _ in $(seq 1 60); do kill -0 "$SYSTEM_PID" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$SYSTEM_PID" 2>/dev/null || true
  rm -rf "$DATA_DIR"
}
trap stop_system EXIT

for i in $(seq 1 300); do
  grep -q 'renkei is running' "$LOG" && break
  if ! kill -0 "$SYSTEM_PID" 2>/dev/null; then say "the system did not start"; tail -40 "$LOG"; exit 1; fi
  [ "$i" = 300 ] && { say "the system did not start within 300 s"; tail -40 "$LOG"; exit 1; }
  sleep 1
done
say "system up"

# --- the document is valid OpenAPI 3.1, then every operation against it ---
curl -fsS "$API/openapi.json" -o "$DATA_DIR/openapi.json"
"$VENV/bin/openapi-spec-validator" "$DATA_DIR/openapi.json"

# one order in each process under one id, so the order routes reach their logic rather than only their 404
ORDER=CONTRACT-1
post() { curl -sS -o /dev/null -w "%{http_code} $1\n" -X POST "$API/shops/$SHOP_ID/$1" -H "Authorization: Bearer $API_TOKEN" -H 'content-type: application/json' -d "$2"; }
curl -sS -o /dev/null -w "%{http_code} shops\n" -X POST "$API/shops" -H "Authorization: Bearer $API_TOKEN" -H 'content-type: application/json' -d '{"id":"contract-spare","name":"spare"}'
post au-pay/shipments "{\"orderId\":\"$ORDER\",\"auPayOrderId\":\"1000001\",\"managementClass\":\"通常\",\"shipDate\":\"2026-11-30\",\"carrier\":\"1\",\"trackingNumber\":\"123456789012\"}"
post oplux/orders "{\"orderId\":\"$ORDER\",\"orderedAt\":\"2026-11-30T09:00:00+09:00\",\"amountJpy\":1200,\"paymentMethodId\":\"credit_card\",\"deviceInfo\":\"Mozilla/5.0\",\"ipAddress\":\"192.0.2.1\",\"buyer\":{\"lastName\":\"山田\",\"firstName\":\"太郎\"},\"items\":[{\"productId\":\"P-1\",\"name\":\"item\",\"priceJpy\":1200,\"quantity\":1}]}"
post amazon-pay/authorizations "{\"orderId\":\"$ORDER\",\"chargePermissionId\":\"S01-1234567-7654321\",\"amountJpy\":1200}"
post amazon-pay/recurring "{\"parentOrderId\":\"$ORDER\",\"chargePermissionId\":\"S01-7654321-1234567\",\"amountJpy\":1200,\"interval\":{\"unit\":\"Month\",\"value\":1},\"firstChargeAt\":\"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\"}"
post cancellations "{\"orderId\":\"$ORDER\",\"source\":\"shop-admin\",\"payment\":{\"method\":\"credit_card\"}}"
get_json() { curl -fsS "$API/shops/$SHOP_ID/$1" -H "Authorization: Bearer $API_TOKEN" | "$PYTHON" -c "import json,sys; d=json.load(sys.stdin); print($2)"; }
BULK_ID=$(curl -fsS -X POST "$API/shops/$SHOP_ID/bulk-actions" -H "Authorization: Bearer $API_TOKEN" -H 'content-type: application/json' \
  -d "{\"action\":\"oplux.relink\",\"orderIds\":[\"$ORDER\"]}" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
IMPORT_ID=$(curl -fsS -X POST "$API/shops/$SHOP_ID/shipment-imports" -H "Authorization: Bearer $API_TOKEN" -H 'content-type: application/json' \
  -d "{\"rows\":[{\"orderId\":\"$ORDER\",\"shipDate\":\"2026-11-30\",\"carrier\":\"yamato\",\"mall\":\"自社\",\"shipDateMode\":\"ship-date-only\"}]}" \
  | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
DELIVERY_ID=$(get_json order-out/deliveries "(d['deliveries'] or [{'id': '1'}])[0]['id']")

cat >"$DATA_DIR/schemathesis.toml" <<TOML
[parameters]
"path.shopId" = "$SHOP_ID"
"path.orderId" = "$ORDER"
"path.parentOrderId" = "$ORDER"

[[operations]]
include-path-regex = "/bulk-actions/"
parameters = { "path.shopId" = "$SHOP_ID", "path.id" = "$BULK_ID" }

[[operations]]
include-path-regex = "/shipment-imports/"
parameters = { "path.shopId" = "$SHOP_ID", "path.id" = "$IMPORT_ID" }

[[operations]]
include-path-regex = "/order-out/deliveries/"
parameters = { "path.shopId" = "$SHOP_ID", "path.id" = "$DELIVERY_ID" }

# a shop's change may disable it: that one runs on a spare shop, so the others keep theirs
[[operations]]
include-name = "PATCH /shops/{shopId}"
parameters = { "path.shopId" = "contract-spare" }
TOML

say "schemathesis: every operation, at most $MAX_EXAMPLES examples each"
set +e
"$VENV/bin/schemathesis" --config-file "$DATA_DIR/schemathesis.toml" run "$API/openapi.json" \
  -H "Authorization: Bearer $API_TOKEN" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance \
  --max-examples "$MAX_EXAMPLES" --phases examples,coverage,fuzzing --workers 2 --request-timeout 20 \
  --seed "${SCHEMATHESIS_SEED:-1}" --no-color "$@" 2>&1 | tee "$DATA_DIR/schemathesis.out"
status=${PIPESTATUS[0]}
set -e
if [ "$status" != 0 ]; then
  say "schemathesis found problems (above); the API's log:"; grep -E '"level":(50|"error")|request failed' "$LOG" | tail -20 | cut -c1-2000 || true
  exit "$status"
fi
say "passed"

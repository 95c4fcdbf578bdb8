#!/usr/bin/env bash
# schemathesis (PyPI) against the real server and its own document
# (/api/v1/openapi.json), every check: no 5xx, every response's status, content type,
# headers and body as documented, schema-violating requests refused, authentication
# enforced, deleted things gone.
#
# One check is left out: positive_data_acceptance ("every request the schema allows is
# accepted"). The document states every bound a schema can say (lengths, ranges,
# formats, integer types, closed objects), but some rules cannot be said in a schema
# and are not bugs when they refuse a schema-valid request: a password from the
# list of common ones, "exactly one of top_n_per_track and min_score", a judge named
# only when an organiser declares the conflict, a search of more than four distinct
# words, an If-Match that is not an ETag we gave out. Each of those answers a 422
# naming the field, which the checks above do verify.
# Runs the debug `juri` that the tests built, over a scratch data dir with the demo in
# it, signed in as the demo organiser. Bounded: a few examples per operation and a
# hard time limit, so the step stays under 3 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

LIMIT_SECS="${SCHEMATHESIS_SECONDS:-120}"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-8}"

if ! command -v schemathesis >/dev/null 2>&1; then
  python3 -m pip install --quiet 'schemathesis>=4,<5'
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
fi
command -v schemathesis >/dev/null || { echo "FAIL: schemathesis is not on PATH" >&2; exit 1; }

BIN=target/debug/juri
if [ ! -x "$BIN" ]; then
  cargo build -q -p juri
fi

DATA="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
export JURI_DATA_DIR="$DATA"
unset DATABASE_URL

# The demo: published and judging editions, entries, sheets — real objects to answer with.
"$BIN" demo > "$DATA/demo.txt"
ORGANISER="$(sed -n 's/^ *panitia \/ organiser *: *//p' "$DATA/demo.txt")"
PASSWORD="$(sed -n 's/^.*every demo account): *//p' "$DATA/demo.txt")"
[ -n "$ORGANISER" ] && [ -n "$PASSWORD" ] || { echo "FAIL: no demo organiser in:" >&2; cat "$DATA/demo.txt" >&2; exit 1; }

# The per-client limits raised, or schemathesis, one client, meets 429 on most of its
# sign-ups, refreshes and uploads and tests little else of them (the limits themselves
# have their own tests).
JURI_SIGN_UPS_PER_HOUR=1000000 JURI_REFRESHES_PER_MINUTE=1000000 JURI_UPLOADS_PER_MINUTE=1000000 \
  "$BIN" serve --bind "127.0.0.1:$PORT" > "$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$BASE/readyz" >/dev/null || { echo "FAIL: the server did not start" >&2; cat "$DATA/server.log" >&2; exit 1; }

TOKEN="$(curl -fsS -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d "$(python3 -c 'import json, sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' "$ORGANISER" "$PASSWORD")" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"

# Logout would revoke the token mid-run, and every later request would be a 401.
set +e
timeout --kill-after=10 "$LIMIT_SECS" schemathesis run "$BASE/api/v1/openapi.json" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --header "Authorization: Bearer $TOKEN" \
  --exclude-operation-id post_api_v1_auth_logout \
  --max-examples "$EXAMPLES" \
  --seed 20261129 \
  --generation-database none \
  --workers 2 \
  --request-timeout 20 \
  --max-time "$((LIMIT_SECS - 20))" \
  --no-color \
  --report junit --report-dir "$DATA/report"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "FAIL: schemathesis exited with $rc (124: over the time limit); server log tail:" >&2
  tail -n 40 "$DATA/server.log" >&2
  exit 1
fi
echo "schemathesis: passed"

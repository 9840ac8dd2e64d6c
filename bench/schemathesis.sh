#!/usr/bin/env bash
# Schema fuzzing of the HTTP API: schemathesis (PyPI, in a virtualenv)
# generates requests from the served OpenAPI document and checks that no
# response is a 5xx and every response matches the document (status code,
# content type, schema). Bounded: a fixed seed and number of examples per
# operation, so it takes seconds.
#
#   bench/schemathesis.sh [ZOPA_BINARY] [EXAMPLES]
#
# Needs python3 with venv; downloads schemathesis from PyPI on first use
# (into target/schemathesis-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
zopa="${1:-target/release/zopa}"
examples="${2:-30}"
venv="target/schemathesis-venv"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'schemathesis==4.32.5'
fi
data="$(mktemp -d)"
log="$data/serve.log"
"$zopa" serve --addr 127.0.0.1:0 --data "$data/data" 2> "$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  grep -q "serving http://" "$log" && break
  sleep 0.1
done
base="$(sed -n 's/^zopa: serving \(http:[^ ]*\).*/\1/p' "$log")"
[ -n "$base" ] || { cat "$log"; exit 1; }
echo "schemathesis against $base ($examples examples per operation)"
# Run from the temporary folder: schemathesis keeps state in its working directory.
hooks="$PWD/bench/schemathesis_hooks.py"
st="$PWD/$venv/bin/st"
(cd "$data" && PYTHONDONTWRITEBYTECODE=1 SCHEMATHESIS_HOOKS="$hooks" "$st" run "$base/api/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --seed 1 --generation-database none)
echo "responses by status:"
grep -o 'status=[0-9]*' "$log" | sort | uniq -c

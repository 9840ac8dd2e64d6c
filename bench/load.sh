#!/usr/bin/env bash
# Load benchmark of `zopa serve` (loopback only; bounded in count and time):
# 20,000 analyze requests of the default scenario at 64 concurrent
# connections with 1,000 malformed requests mixed in, then the same with the
# built-in analysed on every request (a query never seen before) and with
# the scenario uploaded (parsed, validated and analysed on every request).
# Prints requests/s, latency percentiles, errors and the server's memory.
#
#   bench/load.sh [REQUESTS] [CONNECTIONS] [SAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-20000}"
connections="${2:-64}"
samples="${3:-3}"
cargo build --release -q -p zopa
cargo build --release -q -p zopa-server --example load
for mode in builtin fresh upload; do
  for s in $(seq "$samples"); do
    log="$(mktemp)"
    # One load generator is one client: lift the per-client bound to its connections.
    RUST_LOG=warn target/release/zopa serve --addr 127.0.0.1:0 --max-per-client 1024 2> "$log" &
    pid=$!
    for _ in $(seq 100); do grep -q "serving http://" "$log" && break; sleep 0.1; done
    base="$(sed -n 's/^zopa: serving \(http:[^ ]*\).*/\1/p' "$log")"
    echo "== $mode, sample $s"
    extra=()
    [ "$mode" = upload ] && extra=(--upload)
    [ "$mode" = fresh ] && extra=(--fresh)
    target/release/examples/load --url "$base" --requests "$requests" --malformed $((requests / 20)) \
      --connections "$connections" --pid "$pid" "${extra[@]}" || status=$?
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -f "$log"
    [ "${status:-0}" = 0 ] || exit "$status"
  done
done

#!/usr/bin/env bash
# A tournament run whole and in 8 shards (one after another, each with every
# core), merged, and the rows compared: the overhead of sharding, measured.
#
#   bash bench/shards.sh [NEGOTIATIONS_IN_THOUSANDS]     (default 1000: 10^6)
#
# Needs target/release/zopa (cargo build --release -p zopa) and python3.
# The plan: the example supplier-contract domain (GENIUS), ten strategies,
# every ordered pairing (100), repeated to the size asked, 100 rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
zopa="${ZOPA:-target/release/zopa}"
k="${1:-1000}"
reps=$((k * 10))
out=target/bench-shards
rm -rf "$out"
mkdir -p "$out"
cat > "$out/t.toml" <<TOML
name = "shard benchmark"
seed = 1
repetitions = $reps
deadline = 100
domains = ["$PWD/examples/genius/supplier-contract"]
strategies = ["boulware", "linear", "conceder", "time:2", "aspiration", "hardliner", "random:0.6:1", "tft", "rtft", "micro"]
TOML
"$zopa" tournament "$out/t.toml" --dry-run
now() { date +%s.%N; }
t0=$(now)
"$zopa" tournament "$out/t.toml" --db "$out/whole.sqlite" > /dev/null
t1=$(now)
for s in 1 2 3 4 5 6 7 8; do
  "$zopa" tournament "$out/t.toml" --shard "$s/8" --out "$out/shards" > /dev/null
done
t2=$(now)
"$zopa" tournament merge "$out/shards" --db "$out/merged.sqlite" > /dev/null
t3=$(now)
python3 - "$out/whole.sqlite" "$out/merged.sqlite" <<'PY'
import sqlite3, sys
rows = [sqlite3.connect(p).execute("SELECT * FROM negotiations ORDER BY idx").fetchall() for p in sys.argv[1:]]
assert rows[0] == rows[1], "the merged rows differ from the whole run's"
print(f"rows identical: {len(rows[0])}")
PY
python3 - "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:])
whole, shards, merge = t1 - t0, t2 - t1, t3 - t2
print(f"whole run {whole:.1f} s; 8 shards one after another {shards:.1f} s; merge {merge:.1f} s; "
      f"sharded total {shards + merge:.1f} s = {100 * (shards + merge - whole) / whole:+.1f} % over the whole run")
PY

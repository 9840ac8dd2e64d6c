#!/usr/bin/env bash
# A tournament run into SQLite, then into the shared PostgreSQL store by two
# workers at once (each with one thread, as two machines' worth of workers
# on this 2-core machine would be), pulled back into SQLite, and the rows
# compared: what the shared store costs, measured.
#
#   bash bench/postgres.sh URL [NEGOTIATIONS_IN_THOUSANDS]    (default 100)
#
# URL names a PostgreSQL server without a database (.ci/postgres-up prints
# one); a database zopa_bench is created on it afresh. Needs
# target/release/zopa (cargo build --release -p zopa), python3 and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
zopa="${ZOPA:-target/release/zopa}"
server="${1:?usage: bash bench/postgres.sh URL [THOUSANDS]}"
k="${2:-100}"
reps=$((k * 10))
out=target/bench-postgres
rm -rf "$out"
mkdir -p "$out"
psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS zopa_bench" -c "CREATE DATABASE zopa_bench"
url="$server/zopa_bench"
cat > "$out/t.toml" <<TOML
name = "store benchmark"
seed = 1
repetitions = $reps
deadline = 100
domains = ["$PWD/examples/genius/supplier-contract"]
strategies = ["boulware", "linear", "conceder", "time:2", "aspiration", "hardliner", "random:0.6:1", "tft", "rtft", "micro"]
TOML
"$zopa" tournament "$out/t.toml" --dry-run
now() { date +%s.%N; }
t0=$(now)
"$zopa" tournament "$out/t.toml" --db "$out/whole.sqlite" --jobs 2 > /dev/null
t1=$(now)
"$zopa" tournament "$out/t.toml" --db "$url" --shards 16 --jobs 1 --worker w1 > "$out/w1.txt" &
"$zopa" tournament "$out/t.toml" --db "$url" --jobs 1 --worker w2 > "$out/w2.txt"
wait
t2=$(now)
"$zopa" tournament merge "$url" --db "$out/pulled.sqlite" > /dev/null
t3=$(now)
cat "$out/w1.txt" "$out/w2.txt"
python3 - "$out/whole.sqlite" "$out/pulled.sqlite" <<'PY'
import sqlite3, sys
rows = [sqlite3.connect(p).execute("SELECT * FROM negotiations ORDER BY idx").fetchall() for p in sys.argv[1:]]
assert rows[0] == rows[1], "the store's rows differ from the SQLite run's"
print(f"rows identical: {len(rows[0])}")
PY
python3 - "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:])
whole, workers, pull = t1 - t0, t2 - t1, t3 - t2
print(f"SQLite, one process, 2 threads {whole:.1f} s; PostgreSQL, two 1-thread workers {workers:.1f} s "
      f"({100 * (workers - whole) / whole:+.1f} %); pull into SQLite {pull:.1f} s")
PY

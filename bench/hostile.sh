#!/usr/bin/env bash
# Time and peak memory (GNU time) of the release binary on every hostile
# input of crates/cli/tests/hostile.rs (which generates them under
# target/tmp/hostile-*). Prints one Markdown table row per input, for
# docs/limits.md.
#
#   bash bench/hostile.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo test -q --locked -p zopa --test hostile >/dev/null
cargo build -q --locked --release -p zopa
zopa="$root/target/release/zopa"
tmp="$root/target/tmp"

row() { # label dir args...
  local label="$1" dir="$2"; shift 2
  local out
  out=$(cd "$dir" && { /usr/bin/time -f "%e s, %M KB" timeout 120 "$zopa" "$@" >/dev/null 2>/tmp/hostile-err; } 2>&1; tail -1 /tmp/hostile-err)
  local verdict
  verdict=$(grep -m1 -o "error: .*" /tmp/hostile-err | cut -c8-90 || true)
  printf '| %s | %s | %s |\n' "$label" "${verdict:-completed}" "$(tail -1 /tmp/hostile-err)"
}

echo "| input | result | time, peak RSS |"
echo "|---|---|---|"
row "simulate --deadline 10^12" . simulate --deadline 1000000000000
row "tournament, repetitions near u64::MAX" "$tmp/hostile-sim" tournament reps.toml --dry-run
row "tournament, 200 strategies, 3 parties, --dry-run" "$tmp/hostile-sim" tournament many.toml --dry-run
row "tournament --jobs 100000" "$tmp/hostile-sim" tournament many.toml --db x.sqlite --jobs 100000
row "GeniusWeb range issue of 10^7 values" "$tmp/hostile-gw" analyze range7-1
row "GeniusWeb, 4 range issues of 10^7 values" "$tmp/hostile-gw" analyze range7-4
row "GeniusWeb, 2 range issues of 10^5 values" "$tmp/hostile-gw" analyze range5-2
row "GeniusWeb, 10^5 duplicate values" "$tmp/hostile-gw" analyze dups
row "GeniusWeb issue of 20,000 values" "$tmp/hostile-gw" analyze wide --top 1
row "GENIUS issue of 50,000 items, analyze" "$tmp/hostile-genius" analyze g --top 1
row "GENIUS issue of 50,000 items, reference" "$tmp/hostile-genius" reference g
row "TOML, 10^5 duplicate options" "$tmp/hostile-scenario" validate dups.toml
row "JSON, 50,000 unknown keys on one line" "$tmp/hostile-scenario" validate keys.json
row "1,001 actors" "$tmp/hostile-scenario" validate actors.toml
row "power and salience 1e308" "$tmp/hostile-scenario" validate huge.toml
row "validate /dev/zero" . validate /dev/zero
row "10^6 packages with equal utilities" "$tmp/hostile-scenario" analyze ties.toml
row "10^12 packages, --limit 10^13" "$tmp/hostile-scenario" analyze wide.toml --limit 10000000000000
row "forecast --runs 10^9" . forecast --runs 1000000000
row "KTAB CSV with 1,000 actors" "$tmp/hostile-forecast" forecast --ktab-csv k.csv
row "scenario with 1,000 actors, forecast" "$tmp/hostile-forecast" forecast many.toml
row "200 actors x 4^10 packages (frontier memory)" "$tmp/hostile-scenario" analyze many-actors.toml
row "100 actors, forecast --runs 1" "$tmp/hostile-forecast" forecast hundred.toml --runs 1
row "analyze --top 0, 64,000 tied packages" "$tmp/listing" analyze tied.toml --top 0 --json
row "216,000 packages, 9 combinations" "$tmp/hostile-combinations" analyze c9.toml
row "216,000 packages, 100 combinations" "$tmp/hostile-combinations" analyze c100.toml
# Evidence on 4 MB of one line (the input bound is 4 MiB).
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
open(f"{d}/evidence-line.txt", "w").write(" ".join(f"The minister said that talks were productive and {i} more." for i in range(60000))[:4_000_000])
open(f"{d}/evidence-quotes.txt", "w").write(('"a" ' * 1_000_000)[:4_000_000])
PY
row "evidence, 4 MB of sentences on one line" "$tmp" evidence evidence-line.txt
row 'evidence, 4 MB of `"a" `' "$tmp" evidence evidence-quotes.txt

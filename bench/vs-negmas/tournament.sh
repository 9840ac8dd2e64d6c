#!/usr/bin/env bash
# The tournament race: NegMAS's and zopa's time-based negotiators on the same
# GENIUS domains (10^2 to 10^4 outcomes), every pairing of Boulware, Linear
# and Conceder, 1000 rounds, no discounting; negotiations per second, agreement
# rates and mean agreement utilities for both. Then 10^5 zopa negotiations on
# a 10^4-outcome domain.
#
#   bash bench/vs-negmas/tournament.sh
set -euo pipefail
source "$(dirname "$0")/setup.sh"
domains=(anac2010-ItexvsCypress anac2011-Amsterdam anac2012-CameraA anac2012-FitnessA anac2013-SmartPhone)

echo "== NegMAS (9 negotiations per domain)" >&2
"$venv/bin/python" "$here/negmas_tournament.py" 1000 $(for d in "${domains[@]}"; do echo "$corpus/$d"; done) > "$work/negmas_tournament.jsonl"

echo "== zopa" >&2
: > "$work/zopa_tournament.jsonl"
for d in "${domains[@]}"; do
  cat > "$work/t-$d.toml" <<TOML
name = "race $d"
seed = 1
repetitions = 200
deadline = 1000
domains = ["$corpus/$d"]
strategies = ["boulware", "linear", "conceder"]
TOML
  rm -f "$work/t-$d.sqlite"*
  "$zopa" tournament "$work/t-$d.toml" --db "$work/t-$d.sqlite" --jobs 2 > "$work/t-$d.out"
  "$zopa" report "$work/t-$d.sqlite" --json > "$work/t-$d.json"
  python3 - "$d" "$work" >> "$work/zopa_tournament.jsonl" <<'PY'
import json, re, sys, sqlite3
d, work = sys.argv[1], sys.argv[2]
out = open(f"{work}/t-{d}.out").read()
secs = float(re.search(r"in ([0-9.]+) s", out).group(1))
n = int(re.search(r"(\d+) completed now", out).group(1))
db = sqlite3.connect(f"{work}/t-{d}.sqlite")
rows = db.execute("SELECT utilities FROM negotiations").fetchall()
agreed = [json.loads(u) for (u,) in rows if u is not None]
mean = [sum(u[i] for u in agreed) / max(len(agreed), 1) for i in range(2)]
print(json.dumps({"domain": d, "negotiations": n, "seconds": secs, "per_second": n / secs,
                  "agreement_rate": len(agreed) / len(rows), "mean_utilities": mean}))
PY
done

echo "== zopa: 10^5 negotiations on anac2013-SmartPhone (12,000 outcomes)" >&2
cat > "$work/t-100k.toml" <<TOML
name = "100k"
seed = 1
repetitions = 11112
deadline = 1000
domains = ["$corpus/anac2013-SmartPhone"]
strategies = ["boulware", "linear", "conceder"]
TOML
rm -f "$work/t-100k.sqlite"*
"$zopa" tournament "$work/t-100k.toml" --db "$work/t-100k.sqlite" --jobs 2 | tee "$work/t-100k.out"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
neg = {r["domain"]: r for r in map(json.loads, open(f"{work}/negmas_tournament.jsonl"))}
zo = {r["domain"]: r for r in map(json.loads, open(f"{work}/zopa_tournament.jsonl"))}
print("| domain | outcomes | NegMAS negotiations/s | zopa negotiations/s | ratio | NegMAS agreement rate | zopa agreement rate | NegMAS mean utilities | zopa mean utilities |")
print("|---|---:|---:|---:|---:|---:|---:|---|---|")
for d, n in neg.items():
    z = zo[d]
    print(f"| {d} | {n['outcomes']:,} | {n['per_second']:.2f} | {z['per_second']:,.0f} | {z['per_second'] / n['per_second']:,.0f}× "
          f"| {n['agreement_rate']:.2f} | {z['agreement_rate']:.2f} "
          f"| {', '.join(f'{u:.3f}' for u in n['mean_utilities'])} | {', '.join(f'{u:.3f}' for u in z['mean_utilities'])} |")
PY

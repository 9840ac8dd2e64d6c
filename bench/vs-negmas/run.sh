#!/usr/bin/env bash
# The speed race: NegMAS (pinned 0.16.0, the version of the corpus references)
# and zopa side by side, in the same run, on the same GENIUS files.
#
#   bash bench/vs-negmas/run.sh            # all domains (about 10 minutes)
#   QUICK=1 bash bench/vs-negmas/run.sh    # skip the 5e6 synthetic spaces
#
# Prints one markdown table (times, ratios, peak memory) to stdout; the raw
# measurements go to target/vs-negmas/results.jsonl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="$root/../shared/corpus/genius"
work="$root/target/vs-negmas"
venv="$work/venv"
mkdir -p "$work"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "negmas==0.16.0"
fi
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
(cd "$root" && cargo build --release -q -p zopa)
zopa="$root/target/release/zopa"

# The five largest corpus domains.
domains=(anac2016-AgentHp2 other-AMPOvsCity anac2016-parsCat anac2011-Energy anac2010-Travel)
paths=()
for d in "${domains[@]}"; do paths+=("$corpus/$d"); done

# Synthetic additive spaces, written as GENIUS XML by zopa itself.
synth() { # name parties radices
  local dir="$work/synthetic/$1"
  if [ ! -d "$dir" ]; then
    python3 "$root/bench/synthetic.py" --actors "$2" --radices "$3" --seed 7 > "$work/$1.toml"
    "$zopa" convert "$work/$1.toml" "$dir" --to genius 2>/dev/null
  fi
  paths+=("$dir")
}
synth syn2-1e5 2 10,10,10,10,10
synth syn3-1e5 3 10,10,10,10,10
synth syn2-1e6 2 10,10,10,10,10,10
synth syn3-1e6 3 10,10,10,10,10,10
if [ -z "${QUICK:-}" ]; then
  synth syn2-5e6 2 10,10,10,10,10,10,5
  synth syn3-5e6 3 10,10,10,10,10,10,5
fi

results="$work/results.jsonl"
: > "$results"
for p in "${paths[@]}"; do
  name="$(basename "$p")"
  # NegMAS: in-process phase times, then the whole process (start, import, parse, compute).
  /usr/bin/time -f '%e %M' -o "$work/negmas.time" "$venv/bin/python" "$here/negmas_side.py" "$p" > "$work/negmas.json"
  # zopa: the same computation (zopa reference = load + utilities + frontier + solutions).
  /usr/bin/time -f '%e %M' -o "$work/zopa.time" "$zopa" reference "$p" --timings > "$work/zopa.json" 2> "$work/zopa.timings"
  python3 - "$name" "$work" >> "$results" <<'PY'
import json, sys
name, work = sys.argv[1], sys.argv[2]
neg = json.load(open(f"{work}/negmas.json"))
ref = json.load(open(f"{work}/zopa.json"))
zt = json.loads(open(f"{work}/zopa.timings").read().strip().splitlines()[-1])
ne, nm = open(f"{work}/negmas.time").read().split()[-2:]
ze, zm = open(f"{work}/zopa.time").read().split()[-2:]
same = ref["frontier"]["size"] == neg["frontier_size"]
print(json.dumps({
    "domain": name, "outcomes": ref["n_outcomes"], "parties": ref["n_parties"],
    "negmas_frontier_s": neg["frontier_s"], "negmas_nash_s": neg["nash_s"], "negmas_load_s": neg["load_s"],
    "negmas_wall_s": float(ne), "negmas_rss_kb": int(nm),
    "zopa_load_s": zt["load_s"], "zopa_analysis_s": zt["analysis_s"],
    "zopa_wall_s": float(ze), "zopa_rss_kb": int(zm),
    "frontier_size": ref["frontier"]["size"], "same_frontier_size": same,
}))
PY
  echo "done: $name" >&2
done

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| domain | parties | outcomes | frontier | NegMAS frontier+Nash s | zopa analysis s | ratio | NegMAS process s | zopa process s | ratio | NegMAS RSS MB | zopa RSS MB | RSS ratio |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    nf = r["negmas_frontier_s"] + r["negmas_nash_s"]
    za = max(r["zopa_analysis_s"], 1e-6)
    ok = "" if r["same_frontier_size"] else " (sizes differ!)"
    print(f"| {r['domain']} | {r['parties']} | {r['outcomes']} | {r['frontier_size']}{ok} | {nf:.3f} | {za:.6f} | {nf/za:,.0f}x "
          f"| {r['negmas_wall_s']:.2f} | {r['zopa_wall_s']:.2f} | {r['negmas_wall_s']/max(r['zopa_wall_s'],0.01):,.0f}x "
          f"| {r['negmas_rss_kb']/1024:.0f} | {r['zopa_rss_kb']/1024:.1f} | {r['negmas_rss_kb']/r['zopa_rss_kb']:.0f}x |")
PY

#!/usr/bin/env bash
# The speed race: NegMAS (pinned 0.16.0, the version zopa reference follows)
# and zopa side by side, in the same run, on the same GENIUS files.
#
#   bash bench/vs-negmas/run.sh            # all domains (about 30 minutes with 3 samples)
#   QUICK=1 bash bench/vs-negmas/run.sh    # skip the 5e6 synthetic spaces
#   ONLY_FOUR=1 bash bench/vs-negmas/run.sh  # only the four-party synthetic spaces
#   SAMPLES=5 bash bench/vs-negmas/run.sh  # samples per tool and domain (default 3)
#
# Prints one markdown table (median times, ratios, peak memory) to stdout;
# every sample goes to target/vs-negmas/results.jsonl. Each tool runs alone,
# the two taking turns: never run this while the machine is busy.
set -euo pipefail
source "$(dirname "$0")/setup.sh"

# The five largest ANAC domains (external data, see setup.sh).
domains=(anac2016-AgentHp2 other-AMPOvsCity anac2016-parsCat anac2011-Energy anac2010-Travel)
paths=()
for d in "${domains[@]}"; do paths+=("$corpus/$d"); done

# Synthetic additive spaces, written as GENIUS XML by zopa itself.
synth() { # name parties radices [synthetic.py flags]
  local dir="$work/synthetic/$1"
  if [ ! -d "$dir" ]; then
    python3 "$root/bench/synthetic.py" --actors "$2" --radices "$3" --seed 7 "${@:4}" > "$work/$1.toml"
    "$zopa" convert "$work/$1.toml" "$dir" --to genius 2>/dev/null
  fi
  paths+=("$dir")
}
synth syn2-1e5 2 10,10,10,10,10
synth syn3-1e5 3 10,10,10,10,10
synth syn2-1e6 2 10,10,10,10,10,10
synth syn3-1e6 3 10,10,10,10,10,10
# Four parties (issue 15): uniform, and anti-correlated (large frontiers).
synth syn4-1e5 4 10,10,10,10,10
synth syn4a-1e5 4 10,10,10,10,10 --anti-correlated --reservation 0
synth syn4-1e6 4 10,10,10,10,10,10
synth syn4a-1e6 4 10,10,10,10,10,10 --anti-correlated --reservation 0
if [ -n "${ONLY_FOUR:-}" ]; then paths=("${paths[@]: -4}"); fi
if [ -z "${QUICK:-}" ] && [ -z "${ONLY_FOUR:-}" ]; then
  synth syn2-5e6 2 10,10,10,10,10,10,5
  synth syn3-5e6 3 10,10,10,10,10,10,5
fi

"$venv/bin/python" "$here/race.py" "$venv/bin/python" "$zopa" "$work/results.jsonl" "${paths[@]}"

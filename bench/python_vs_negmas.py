#!/usr/bin/env python3
"""NegMAS's pareto_frontier and zopa.negmas.pareto_frontier side by side, in
one Python process, on the five largest ANAC domains of the GENIUS corpus
(external data: the folder corpus/genius of $ZOPA_EXTERNAL_DATA, default ../shared).

    pip install ./python "negmas==0.16.0"
    python bench/python_vs_negmas.py [SAMPLES]

zopa's time includes the conversion of NegMAS's utility functions (every
value function evaluated once per issue value) and the copy of the result
back into Python tuples. Each run loads the scenario afresh."""

import os
import pathlib
import statistics
import sys
import time
import warnings

warnings.filterwarnings("ignore")

from negmas.inout import Scenario  # noqa: E402
from negmas.preferences import ops  # noqa: E402

from zopa import negmas as zn  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT / os.environ.get("ZOPA_EXTERNAL_DATA", "../shared") / "corpus" / "genius"


def outcomes(d):
    scn = Scenario.load(d, ignore_discount=True, load_stats=False, load_info=False).remove_dummy_issues()
    return scn.outcome_space.cardinality


def timed(f, name, samples):
    times = []
    result = None
    for _ in range(samples):
        scn = Scenario.load(CORPUS / name, ignore_discount=True, load_stats=False, load_info=False).remove_dummy_issues()
        ufuns, issues = list(scn.ufuns), list(scn.outcome_space.issues)
        t = time.perf_counter()
        result = f(ufuns, issues=issues)
        times.append(time.perf_counter() - t)
    return times, result


def main():
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    domains = sorted((d for d in CORPUS.iterdir() if (d / "reference.json").exists()), key=outcomes)[-5:]
    print(f"| domain | outcomes | NegMAS s ({samples} samples, median) | zopa s (median) | ratio | frontier sizes |")
    print("|---|---|---|---|---|---|")
    for d in domains:
        n = outcomes(d)
        t_neg, (nu, _) = timed(ops.pareto_frontier, d.name, samples)
        t_zopa, (zu, _) = timed(zn.pareto_frontier, d.name, samples)
        mn, mz = statistics.median(t_neg), statistics.median(t_zopa)
        print(f"| {d.name} | {n:,} | {mn:.3f} | {mz:.5f} | {mn / mz:,.0f}× | {len(nu)} / {len(zu)} |", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Run NegMAS and zopa on the same GENIUS folders, one after the other, and
print a markdown table. Called by run.sh (which installs NegMAS and builds zopa).

usage: race.py PYTHON_WITH_NEGMAS ZOPA_BINARY RESULTS_JSONL FOLDER...
       race.py --table RESULTS_JSONL          (re-print the table)

Each tool runs SAMPLES times per domain (environment; default 3), the tools
taking turns; the table shows medians, and results.jsonl keeps every sample.
"""
import json
import os
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))


def run(cmd, keep_output=True):
    """(stdout, stderr, wall seconds) of one process; only the wall time when
    the output is not kept (it is then discarded, not buffered)."""
    t0 = time.perf_counter()
    if not keep_output:
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if p.returncode != 0:
            sys.exit(f"{cmd} failed")
        return time.perf_counter() - t0
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{cmd} failed: {err.decode()[:500]}")
    return out, err, wall


def max_rss(cmd):
    """Peak RSS (KiB) of one run of `cmd`, measured by GNU time in its own
    process (a fork of this interpreter would count the interpreter's pages)."""
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"{cmd} failed: {p.stderr.decode()[-500:]}")
    return int(p.stderr.decode().strip().splitlines()[-1])


def main():
    if sys.argv[1] == "--table":
        print_table([json.loads(line) for line in open(sys.argv[2])])
        return
    python, zopa, results = sys.argv[1:4]
    folders = sys.argv[4:]
    n_samples = int(os.environ.get("SAMPLES", "3"))
    if n_samples < 1:
        sys.exit(f"SAMPLES must be at least 1, not {n_samples}")
    rows = []
    with open(results, "w") as out:
        for f in folders:
            name = os.path.basename(f.rstrip("/"))
            neg_cmd = [python, os.path.join(here, "negmas_side.py"), f]
            ref_cmd = [zopa, "reference", f, "--timings"]
            ana_cmd = [zopa, "analyze", f, "--json", "--top", "0"]
            samples = {k: [] for k in ("negmas_frontier_nash_s", "negmas_wall_s", "zopa_analysis_s",
                                       "zopa_load_s", "zopa_wall_s", "zopa_analyze_wall_s")}
            for _ in range(n_samples):
                neg_out, _, neg_wall = run(neg_cmd)
                neg = json.loads(neg_out)
                ref_out, ref_err, ref_wall = run(ref_cmd)
                ref = json.loads(ref_out)
                zt = json.loads(ref_err.decode().strip().splitlines()[-1])
                samples["negmas_frontier_nash_s"].append(neg["frontier_s"] + neg["nash_s"])
                samples["negmas_wall_s"].append(neg_wall)
                samples["zopa_analysis_s"].append(zt["analysis_s"])
                samples["zopa_load_s"].append(zt["load_s"])
                samples["zopa_wall_s"].append(ref_wall)
                samples["zopa_analyze_wall_s"].append(run(ana_cmd, keep_output=False))
            row = {
                "domain": name,
                "parties": ref["n_parties"],
                "outcomes": ref["n_outcomes"],
                "frontier": ref["frontier"]["size"],
                "same_frontier_size": ref["frontier"]["size"] == neg["frontier_size"],
                "samples": n_samples,
                **{k: statistics.median(v) for k, v in samples.items()},
                "all_samples": samples,
                "negmas_rss_kb": max_rss(neg_cmd),
                "zopa_rss_kb": max_rss(ref_cmd),
                "zopa_analyze_rss_kb": max_rss(ana_cmd),
            }
            out.write(json.dumps(row) + "\n")
            out.flush()
            rows.append(row)
            print(f"done: {name}", file=sys.stderr)

    print_table(rows)


def print_table(rows):
    n = sorted({r.get("samples", 1) for r in rows})
    print(f"Times are medians of {', '.join(map(str, n))} sample(s) per tool (results.jsonl has each).\n")
    print("| domain | parties | outcomes | frontier | NegMAS frontier+Nash (s) | zopa frontier+solutions (s) | ratio | NegMAS process (s) | zopa process (s) | ratio | NegMAS max RSS (MB) | zopa max RSS (MB) | RSS ratio | zopa analyze process (s), max RSS (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        nf, za = r["negmas_frontier_nash_s"], max(r["zopa_analysis_s"], 1e-6)
        same = "" if r["same_frontier_size"] else " ≠"
        print(
            f"| {r['domain']} | {r['parties']} | {r['outcomes']:,} | {r['frontier']}{same} "
            f"| {nf:.3f} | {za:.6f} | {nf / za:,.0f}× "
            f"| {r['negmas_wall_s']:.2f} | {r['zopa_wall_s']:.3f} | {r['negmas_wall_s'] / r['zopa_wall_s']:,.0f}× "
            f"| {r['negmas_rss_kb'] / 1024:.0f} | {r['zopa_rss_kb'] / 1024:.1f} | {r['negmas_rss_kb'] / r['zopa_rss_kb']:.0f}× "
            f"| {r['zopa_analyze_wall_s']:.3f} s, {r['zopa_analyze_rss_kb'] / 1024:.0f} MB |"
        )

if __name__ == "__main__":
    main()

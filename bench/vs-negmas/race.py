#!/usr/bin/env python3
"""Run NegMAS and zopa on the same GENIUS folders, one after the other, and
print a markdown table. Called by run.sh (which installs NegMAS and builds zopa).

usage: race.py PYTHON_WITH_NEGMAS ZOPA_BINARY RESULTS_JSONL FOLDER...
       race.py --table RESULTS_JSONL          (re-print the table)
"""
import json
import os
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
    rows = []
    with open(results, "w") as out:
        for f in folders:
            name = os.path.basename(f.rstrip("/"))
            neg_cmd = [python, os.path.join(here, "negmas_side.py"), f]
            ref_cmd = [zopa, "reference", f, "--timings"]
            ana_cmd = [zopa, "analyze", f, "--json", "--top", "0"]
            neg_out, _, neg_wall = run(neg_cmd)
            neg = json.loads(neg_out)
            ref_out, ref_err, ref_wall = run(ref_cmd)
            ref = json.loads(ref_out)
            zt = json.loads(ref_err.decode().strip().splitlines()[-1])
            ana_wall = run(ana_cmd, keep_output=False)
            row = {
                "domain": name,
                "parties": ref["n_parties"],
                "outcomes": ref["n_outcomes"],
                "frontier": ref["frontier"]["size"],
                "same_frontier_size": ref["frontier"]["size"] == neg["frontier_size"],
                "negmas_frontier_nash_s": neg["frontier_s"] + neg["nash_s"],
                "negmas_wall_s": neg_wall,
                "negmas_rss_kb": max_rss(neg_cmd),
                "zopa_analysis_s": zt["analysis_s"],
                "zopa_load_s": zt["load_s"],
                "zopa_wall_s": ref_wall,
                "zopa_rss_kb": max_rss(ref_cmd),
                "zopa_analyze_wall_s": ana_wall,
                "zopa_analyze_rss_kb": max_rss(ana_cmd),
            }
            out.write(json.dumps(row) + "\n")
            out.flush()
            rows.append(row)
            print(f"done: {name}", file=sys.stderr)

    print_table(rows)


def print_table(rows):
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

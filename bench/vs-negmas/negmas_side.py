#!/usr/bin/env python3
"""Time NegMAS on one GENIUS domain folder: load, Pareto frontier (which
evaluates every outcome's utilities), Nash point. Prints one JSON line.

The calls are those behind NegMAS 0.16.0's reference values (docs/negmas-compatibility.md).
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
t_start = time.perf_counter()
from negmas.inout import Scenario  # noqa: E402
from negmas.preferences.ops import nash_points, pareto_frontier  # noqa: E402

t_import = time.perf_counter() - t_start

folder = sys.argv[1]
t0 = time.perf_counter()
scn = Scenario.load(folder, ignore_discount=True, load_stats=False, load_info=False)
scn = scn.remove_dummy_issues()
issues = list(scn.outcome_space.issues)
ufuns = list(scn.ufuns)
t_load = time.perf_counter() - t0

t1 = time.perf_counter()
f_utils, f_idx = pareto_frontier(ufuns, issues=issues)
t_frontier = time.perf_counter() - t1

t2 = time.perf_counter()
ranges = [u.minmax(issues=issues, above_reserve=False) for u in ufuns]
nash = nash_points(ufuns, f_utils, ranges=ranges)
t_nash = time.perf_counter() - t2

print(json.dumps({
    "import_s": t_import,
    "load_s": t_load,
    "frontier_s": t_frontier,
    "nash_s": t_nash,
    "frontier_size": len(f_utils),
    "nash": [list(map(float, u)) for u, _ in nash],
}))

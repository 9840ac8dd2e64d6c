#!/usr/bin/env python3
"""NegMAS side of the tournament race: every pairing of NegMAS's built-in
time-based negotiators (Boulware, Linear, Conceder: PolyAspiration exponents
4, 1, 0.25, deterministic offers) on GENIUS folders, SAOMechanism with
n_steps STEPS, no discounting. Prints one JSON line per domain.

usage: negmas_tournament.py STEPS FOLDER...
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
from negmas.inout import Scenario  # noqa: E402
from negmas.sao import (  # noqa: E402
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
    SAOMechanism,
)

AGENTS = [("boulware", BoulwareTBNegotiator), ("linear", LinearTBNegotiator), ("conceder", ConcederTBNegotiator)]


def main():
    steps = int(sys.argv[1])
    for folder in sys.argv[2:]:
        scn = Scenario.load(folder, ignore_discount=True, load_stats=False, load_info=False).remove_dummy_issues()
        scn = scn.normalize()
        ufuns = list(scn.ufuns)[:2]
        n, agreed, utils = 0, 0, [0.0, 0.0]
        t0 = time.perf_counter()
        for a_name, A in AGENTS:
            for b_name, B in AGENTS:
                m = SAOMechanism(outcome_space=scn.outcome_space, n_steps=steps)
                m.add(A(name="a"), ufun=ufuns[0])
                m.add(B(name="b"), ufun=ufuns[1])
                m.run()
                n += 1
                if m.agreement is not None:
                    agreed += 1
                    utils[0] += float(ufuns[0](m.agreement))
                    utils[1] += float(ufuns[1](m.agreement))
        secs = time.perf_counter() - t0
        print(json.dumps({
            "domain": folder.rstrip("/").split("/")[-1],
            "outcomes": int(scn.outcome_space.cardinality),
            "negotiations": n,
            "seconds": secs,
            "per_second": n / secs,
            "agreement_rate": agreed / n,
            "mean_utilities": [u / max(agreed, 1) for u in utils],
        }), flush=True)


if __name__ == "__main__":
    main()

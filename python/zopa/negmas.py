"""Drop-in replacements for NegMAS 0.16's outcome-space analysis.

``pareto_frontier``, ``nash_points``, ``kalai_points``, ``ks_points`` and
``max_welfare_points`` take the same arguments as the functions of
``negmas.preferences.ops`` and return what they return, computed by zopa's
engine (exact, hundreds of times faster on large domains)::

    from negmas.inout import Scenario
    from zopa.negmas import pareto_frontier, nash_points   # instead of negmas.preferences.ops

    scn = Scenario.load(folder, ignore_discount=True).remove_dummy_issues()
    frontier, indices = pareto_frontier(scn.ufuns, issues=scn.outcome_space.issues)
    nash = nash_points(scn.ufuns, frontier)

Outcomes of equal welfare may be listed in another order than NegMAS lists
them: NegMAS's order within a tie is NumPy's unstable ``argsort`` (it can
differ between machines); zopa's is the outcome index.

Supported utility functions: ``LinearAdditiveUtilityFunction`` (any value
functions: each is evaluated once per issue value) and
``LinearUtilityFunction``; anything else raises ``TypeError`` naming its
type. NegMAS is imported only to recognise those types.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence

from . import ZopaError, _native, _zopa

__all__ = [
    "from_negmas",
    "kalai_points",
    "ks_points",
    "max_welfare_points",
    "nash_points",
    "pareto_frontier",
]

EPS = 1e-12


def _issues(ufuns: Sequence[Any], issues=None, outcome_space=None) -> list:
    if issues is not None:
        return list(issues)
    if outcome_space is not None:
        return list(outcome_space.issues)
    for u in ufuns:
        os = getattr(u, "outcome_space", None)
        if os is not None and getattr(os, "issues", None) is not None:
            return list(os.issues)
    raise ValueError("pass issues= (or utility functions that know their outcome space)")


def _tables(ufuns: Sequence[Any], issues: list) -> tuple[list, list]:
    """Each party's weighted utility of each issue value, the bias folded
    into the first issue (so sums add in NegMAS's order), and reserved values."""
    from negmas.preferences import LinearAdditiveUtilityFunction, LinearUtilityFunction

    values = []
    for u in ufuns:
        if isinstance(u, LinearAdditiveUtilityFunction):
            per_issue = [
                [float(w * vf(v)) for v in issue.all] for w, vf, issue in zip(u.weights, u.values, issues)
            ]
        elif isinstance(u, LinearUtilityFunction):
            per_issue = [[float(w * v) for v in issue.all] for w, issue in zip(u.weights, issues)]
        else:
            raise TypeError(
                f"zopa.negmas handles LinearAdditiveUtilityFunction and LinearUtilityFunction, not {type(u).__name__}"
            )
        if len(per_issue) != len(issues):
            raise ValueError(f"a utility function has {len(per_issue)} issues, the outcome space {len(issues)}")
        bias = float(getattr(u, "_bias", 0.0) or 0.0)
        if bias and per_issue:
            per_issue[0] = [bias + x for x in per_issue[0]]
        values.append(per_issue)
    reserved = [_reserved(u) for u in ufuns]
    return values, reserved


def _reserved(u) -> float:
    r = u.reserved_value
    return float("nan") if r is None else float(r)


def _unsupported(name: str, value, default) -> None:
    if not (value == default or (isinstance(default, float) and math.isinf(default) and value == default)):
        raise NotImplementedError(f"zopa.negmas supports {name}={default!r} only, not {value!r}")


def pareto_frontier(
    ufuns: Sequence[Any],
    outcomes: Optional[Sequence[tuple]] = None,
    issues: Optional[Sequence[Any]] = None,
    n_discretization: Optional[int] = None,
    max_cardinality: float = math.inf,
    sort_by_welfare: bool = True,
    eps: float = EPS,
) -> tuple[tuple[tuple[float, ...], ...], tuple[int, ...]]:
    """The rational Pareto frontier: one outcome per distinct utility vector
    (the lowest index), as (utility vectors, outcome indices in
    ``itertools.product`` order over the issues), by welfare descending."""
    if outcomes is not None:
        raise NotImplementedError("zopa.negmas.pareto_frontier takes issues=, not an explicit list of outcomes")
    _unsupported("n_discretization", n_discretization, None)
    _unsupported("max_cardinality", max_cardinality, math.inf)
    _unsupported("eps", eps, EPS)
    values, reserved = _tables(ufuns, _issues(ufuns, issues))
    utils, idx = _native(_zopa.negmas_frontier, values, reserved)
    pairs = list(zip(utils, idx))
    if not sort_by_welfare:
        pairs.sort(key=lambda p: p[1])
    return tuple(tuple(u) for u, _ in pairs), tuple(int(i) for _, i in pairs)


def _points(kind: int, ufuns, frontier, ranges, outcome_space, issues):
    frontier = [tuple(float(x) for x in f) for f in frontier]
    if ranges is None:
        values, _ = _tables(ufuns, _issues(ufuns, issues, outcome_space))
        ranges = _native(_zopa.negmas_ranges, values)
    ranges = [(float(lo), float(hi)) for lo, hi in ranges]
    reserved = [_reserved(u) for u in ufuns]
    positions = _native(_zopa.negmas_points, [list(f) for f in frontier], ranges, reserved)[kind]
    return tuple((frontier[i], int(i)) for i in positions)


def nash_points(ufuns, frontier, ranges=None, outcome_space=None, issues=None, outcomes=None, eps=EPS):
    """The frontier points maximising the product of gains over the
    disagreement point: ((utilities, position in frontier), ...)."""
    _unsupported("outcomes", outcomes, None)
    _unsupported("eps", eps, EPS)
    return _points(0, ufuns, frontier, ranges, outcome_space, issues)


def kalai_points(
    ufuns, frontier, ranges=None, outcome_space=None, issues=None, outcomes=None, eps=EPS, subtract_reserved_value=True
):
    """The frontier points maximising the least gain (NegMAS's "Kalai")."""
    _unsupported("outcomes", outcomes, None)
    _unsupported("eps", eps, EPS)
    _unsupported("subtract_reserved_value", subtract_reserved_value, True)
    return _points(1, ufuns, frontier, ranges, outcome_space, issues)


def ks_points(
    ufuns,
    frontier,
    ranges=None,
    outcome_space=None,
    issues=None,
    outcomes=None,
    eps=EPS,
    subtract_reserved_value=True,
    exponent=math.inf,
):
    """The Kalai-Smorodinsky points: gains most nearly proportional to each
    party's best possible gain."""
    _unsupported("outcomes", outcomes, None)
    _unsupported("eps", eps, EPS)
    _unsupported("subtract_reserved_value", subtract_reserved_value, True)
    _unsupported("exponent", exponent, math.inf)
    return _points(2, ufuns, frontier, ranges, outcome_space, issues)


def max_welfare_points(ufuns, frontier, ranges=None, outcome_space=None, issues=None, outcomes=None, eps=EPS):
    """The frontier points of greatest total utility."""
    _unsupported("outcomes", outcomes, None)
    _unsupported("eps", eps, EPS)
    return _points(3, ufuns, frontier, ranges, outcome_space, issues)


def from_negmas(scenario_or_ufuns, outcome_space=None, name: str = "negmas"):
    """A zopa :class:`~zopa.Scenario` from a NegMAS scenario (``.ufuns`` and
    ``.outcome_space``) or from a list of ``LinearAdditiveUtilityFunction``
    with their outcome space, by GENIUS's semantics (zopa's own, applied by
    the same Rust code that reads GENIUS folders): a discrete issue's values
    (``TableFun``) divided by their maximum; a linear value function on an
    integer issue read as GENIUS's integer evaluator,
    ``clamp01(offset + slope * (v - lower))`` (NegMAS reads the file's
    evaluator as ``offset + slope * v``, so it is evaluated here at
    ``v - lower``); the reserved value as the reservation (clamped to
    [0, 1]); the weights as saliences. Every claim is marked as an
    assumption converted from NegMAS. Other value functions raise
    ``TypeError`` naming them. On the example GENIUS domains (and every ANAC
    domain, in the external conformance suite) this gives what
    ``zopa.load(folder)`` gives (tested)."""
    from negmas.preferences import LinearAdditiveUtilityFunction

    from . import Scenario

    if hasattr(scenario_or_ufuns, "ufuns"):
        ufuns = list(scenario_or_ufuns.ufuns)
        outcome_space = outcome_space or scenario_or_ufuns.outcome_space
    else:
        ufuns = list(scenario_or_ufuns)
    if outcome_space is None:
        raise ValueError("pass the outcome space of the utility functions")
    issues = list(outcome_space.issues)
    doc_issues = [(i.name, [str(v) for v in i.all]) for i in issues]
    parties = []
    for p, u in enumerate(ufuns):
        if not isinstance(u, LinearAdditiveUtilityFunction):
            raise TypeError(f"from_negmas converts LinearAdditiveUtilityFunction, not {type(u).__name__}")
        evaluations = []
        for issue, vf in zip(issues, u.values):
            raw_values = list(issue.all)
            if type(vf).__name__ == "TableFun":
                evaluations.append(("discrete", [float(vf(v)) for v in raw_values]))
            elif all(isinstance(v, int) for v in raw_values):
                lower = min(raw_values)
                evaluations.append(("linear", [float(vf(v - lower)) for v in raw_values]))
            else:
                raise TypeError(
                    f"from_negmas converts discrete value functions and linear ones on integer issues; issue "
                    f"{issue.name!r} of {u.name or p} has a {type(vf).__name__} on non-integer values"
                )
        r = u.reserved_value
        parties.append(
            (
                str(u.name or f"party{p}"),
                evaluations,
                [float(w) for w in u.weights],
                None if r is None else float(r),
            )
        )
    return Scenario(_native(_zopa.from_negmas, name, doc_issues, parties))


# Re-exported so that `except zopa.negmas.ZopaError` reads naturally.
ZopaError = ZopaError

"""zopa.negmas against NegMAS 0.16 itself, on every domain of the GENIUS
corpus: the same frontier (outcome indices and utility vectors, in the same
welfare order) and the same Nash, Kalai, Kalai-Smorodinsky and max-welfare
points, NegMAS's functions called in the same test on the same loaded
scenario."""

import pathlib
import warnings

import pytest

negmas = pytest.importorskip("negmas")
from negmas.inout import Scenario  # noqa: E402
from negmas.preferences import ops  # noqa: E402

import zopa  # noqa: E402
from zopa import negmas as zn  # noqa: E402

CORPUS = pathlib.Path(__file__).resolve().parents[2] / "corpus" / "genius"
DOMAINS = sorted(d.name for d in CORPUS.iterdir() if (d / "reference.json").exists())

warnings.filterwarnings("ignore")


def load(name):
    return Scenario.load(CORPUS / name, ignore_discount=True, load_stats=False, load_info=False).remove_dummy_issues()


def close(a, b, tol=1e-9):
    return len(a) == len(b) and all(abs(float(x) - float(y)) <= tol for x, y in zip(a, b))


def test_negmas_is_0_16():
    assert negmas.__version__ == "0.16.0"


@pytest.mark.parametrize("name", DOMAINS)
def test_the_bridge_returns_what_negmas_returns(name):
    scn = load(name)
    ufuns, issues = list(scn.ufuns), list(scn.outcome_space.issues)
    theirs_u, theirs_i = ops.pareto_frontier(ufuns, issues=issues)
    ours_u, ours_i = zn.pareto_frontier(ufuns, issues=issues)
    theirs_i = [int(i) for i in theirs_i]
    # The same utility vectors in the same welfare order. Among outcomes with
    # equal vectors NegMAS keeps the first in the order of NumPy's unstable
    # argsort (machine-dependent), zopa the lowest index; within a welfare tie
    # the order differs likewise. So vectors are compared, and each outcome
    # zopa names must have its vector.
    vec = lambda u: tuple(float(x) for x in u)  # noqa: E731
    assert sorted(map(vec, theirs_u)) == sorted(map(vec, ours_u)), name
    assert close([sum(u) for u in theirs_u], [sum(u) for u in ours_u]), name
    sample = {i: u for i, u in zip(ours_i, ours_u)}
    for i in list(sample)[:50]:
        outcome = tuple(_outcome(issues, i))
        assert vec(u(outcome) for u in ufuns) == vec(sample[i]), (name, i)
    ranges = [u.minmax(issues=issues, above_reserve=False) for u in ufuns]
    for fn in ("nash_points", "kalai_points", "ks_points", "max_welfare_points"):
        theirs = getattr(ops, fn)(ufuns, theirs_u, ranges=ranges)
        ours = getattr(zn, fn)(ufuns, ours_u, ranges=ranges)
        assert sorted(vec(u) for u, _ in theirs) == sorted(vec(u) for u, _ in ours), (name, fn)
    # Ranges computed by the bridge when not given are NegMAS's minmax.
    assert sorted(vec(u) for u, _ in zn.nash_points(ufuns, ours_u, issues=issues)) == sorted(
        vec(u) for u, _ in ops.nash_points(ufuns, theirs_u, ranges=ranges)
    )


def _outcome(issues, index):
    """The outcome at `index` in itertools.product order (last issue fastest)."""
    values = [list(i.all) for i in issues]
    digits = []
    for vals in reversed(values):
        digits.append(vals[index % len(vals)])
        index //= len(vals)
    return reversed(digits)


def test_from_negmas_gives_what_zopa_load_gives():
    """On every corpus domain: the converted scenario analyses as zopa's own
    GENIUS import does (discrete and integer issues alike)."""
    for name in DOMAINS:
        a = zn.from_negmas(load(name), name=name).analyze(limit=10**7)
        b = zopa.load(str(CORPUS / name)).analyze(limit=10**7)
        key = lambda x: (x.space_size, x.zopa_size, x.report["agreement_frontier"]["size"], x.nash and x.nash["utilities"])  # noqa: E731
        assert key(a) == key(b), name


def test_unsupported_input_is_named():
    scn = load("anac2011-Laptop")

    class Other:
        reserved_value = 0.0

    with pytest.raises(TypeError, match="not Other"):
        zn.pareto_frontier([Other()], issues=scn.outcome_space.issues)
    with pytest.raises(NotImplementedError, match="outcomes"):
        zn.pareto_frontier(scn.ufuns, outcomes=[("a",)])
    with pytest.raises(NotImplementedError, match="exponent"):
        zn.ks_points(scn.ufuns, [(0.5, 0.5)], exponent=2.0)
    with pytest.raises(zopa.ZopaError, match="disagree"):
        zn.nash_points(scn.ufuns, [(0.5, 0.5, 0.5)], ranges=[(0, 1), (0, 1)])

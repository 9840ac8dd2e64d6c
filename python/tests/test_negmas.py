"""zopa.negmas against NegMAS 0.16 itself, on the project's example GENIUS
domains and (external data, ``ZOPA_EXTERNAL_DATA``) every domain of the ANAC
corpus: the same frontier (outcome indices and utility vectors, in the same
welfare order) and the same Nash, Kalai, Kalai-Smorodinsky and max-welfare
points, NegMAS's functions called in the same test on the same loaded
scenario."""

import warnings

import pytest

negmas = pytest.importorskip("negmas")
from negmas.inout import Scenario  # noqa: E402
from negmas.preferences import ops  # noqa: E402

import zopa  # noqa: E402
from zopa import negmas as zn  # noqa: E402

from conftest import EXAMPLES, external, say  # noqa: E402

EXAMPLE_DOMAINS = [EXAMPLES / "genius" / "supplier-contract", EXAMPLES / "genius" / "harbour-expansion"]

warnings.filterwarnings("ignore")


def corpus_domains():
    corpus = external("corpus/genius", "zopa.negmas against NegMAS on the 47 ANAC domains")
    return sorted(d for d in corpus.iterdir() if (d / "reference.json").exists())


def load(folder):
    return Scenario.load(folder, ignore_discount=True, load_stats=False, load_info=False).remove_dummy_issues()


def close(a, b, tol=1e-9):
    return len(a) == len(b) and all(abs(float(x) - float(y)) <= tol for x, y in zip(a, b))


def test_negmas_is_0_16():
    assert negmas.__version__ == "0.16.0"


@pytest.mark.parametrize("folder", EXAMPLE_DOMAINS, ids=lambda p: p.name)
def test_the_bridge_returns_what_negmas_returns_on_the_examples(folder):
    same_as_negmas(folder)


def test_the_bridge_returns_what_negmas_returns_on_the_corpus():
    domains = corpus_domains()
    assert len(domains) == 47
    for folder in domains:
        same_as_negmas(folder)
    say(f"zopa.negmas equals NegMAS 0.16 on {len(domains)} ANAC domains")


def same_as_negmas(folder):
    name = folder.name
    scn = load(folder)
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


def from_negmas_is_zopa_load(folders):
    """Both paths give the same analysis, or the same refusal (anac2016-AgentHp2:
    its exact frontier, ties kept, has 924,385 packages, above the default
    bound on frontier candidates)."""

    def outcome(scenario):
        try:
            x = scenario.analyze(limit=10**7)
        except zopa.ZopaError as e:
            return ("refused", str(e))
        return (x.space_size, x.zopa_size, x.report["agreement_frontier"]["size"], x.nash and x.nash["utilities"])

    for folder in folders:
        a = outcome(zn.from_negmas(load(folder), name=folder.name))
        b = outcome(zopa.load(str(folder)))
        assert a == b, folder.name


def test_from_negmas_gives_what_zopa_load_gives():
    """The converted scenario analyses as zopa's own GENIUS import does
    (discrete and integer issues alike)."""
    from_negmas_is_zopa_load(EXAMPLE_DOMAINS)


def test_from_negmas_gives_what_zopa_load_gives_on_the_corpus():
    from_negmas_is_zopa_load(corpus_domains())


def test_unsupported_input_is_named():
    scn = load(EXAMPLES / "genius" / "supplier-contract")

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

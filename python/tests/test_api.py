"""The Python API against the CLI's documents and the repository's examples.

Run from the root of a clone after ``pip install ./python pytest``:
``python -m pytest python/tests``."""

import json
import pathlib

import numpy as np
import pytest

import zopa

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "crates" / "cli" / "tests" / "golden"


def test_the_default_analysis_is_the_clis_document():
    """analyze() is `zopa analyze --json` (the CLI's golden file): the same
    request, the same defaults, the same document."""
    a = zopa.load("builtin:security-guarantees").analyze()
    want = json.loads((GOLDEN / "security-guarantees.json").read_text())
    assert a.report == want
    assert (a.space_size, a.zopa_size) == (432, 63)
    assert a.nash["options"] == want["solutions"]["nash"]["options"]


def test_robustness_is_seeded_and_adds_up():
    """analyze(robustness=N, seed=S): the same seed gives the same study, the
    Nash packages' shares add up to the share of runs with a ZOPA."""
    s = zopa.load("security-guarantees")
    assert s.analyze(top=10).robustness is None
    r = s.analyze(top=10, robustness=200, seed=3).robustness
    assert r == s.analyze(top=10, robustness=200, seed=3).robustness
    assert r != s.analyze(top=10, robustness=200, seed=4).robustness
    assert r["runs"] == 200 and r["seed"] == 3
    assert abs(sum(n["share"] for n in r["nash"]) - r["zopa_nonempty"]) < 1e-9
    assert r["conclusions"][0]["text"] == "The ZOPA is not empty"
    with pytest.raises(zopa.ZopaError):
        s.analyze(robustness=10**6)


def test_what_the_conclusions_depend_on():
    """analyze() searches the critical assumptions by default; the budget
    turns it off and vary_quoted widens it (quoted red lines may go)."""
    s = zopa.load("security-guarantees")
    c = s.analyze().critical
    agreement = c["conclusions"][0]
    assert agreement["conclusion"] == "agreement" and agreement["found"] == 2
    assert all(r["agreement"] == 0 for r in agreement["reversed_by"])
    assert s.analyze(critical_budget=0).critical is None
    wide = s.analyze(vary_quoted=True).critical
    assert wide["vary_quoted"] and wide["considered"] > c["considered"]
    kinds = {
        x["kind"]
        for k in wide["conclusions"]
        for r in k["reversed_by"]
        for x in r["changes"]
        if x["quoted"]
    }
    assert kinds, "some reversal changes a quoted claim"


def test_readings_side_by_side():
    """analyze(compare=True): the scenario as written, its interpretation and
    the stress tests; under the interpretation no package passes."""
    s = zopa.load("security-guarantees")
    assert s.analyze(critical_budget=0).comparison is None
    readings = {r["id"]: r for r in s.analyze(compare=True, critical_budget=0).comparison["readings"]}
    assert readings["as_written"]["agreement"] == 63
    assert readings["kyiv-needs-western-troops"]["agreement"] == 0
    assert "The clash" in readings["kyiv-needs-western-troops"]["text"]


def test_the_brief_is_the_clis():
    """brief(): the same Markdown as `zopa brief` (its golden file); json
    gives every sentence with the claims it cites; a bad format is refused."""
    s = zopa.load("security-guarantees")
    assert s.brief() == (GOLDEN / "security-guarantees-brief.md").read_text()
    doc = s.brief(format="json")
    assert doc["schema"] == "zopa.brief/1" and doc["markdown"] == s.brief()
    assert s.brief(format="html").startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError):
        s.brief(format="pdf")


def test_the_namespace_is_the_api(monkeypatch):
    """dir(zopa) shows the API, not its imports; to_pandas() without pandas
    says what to install."""
    assert not {"Any", "Optional", "np", "json", "html"} & set(dir(zopa)), dir(zopa)
    a = zopa.load("security-guarantees").analyze(critical_budget=0)
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        a.to_pandas()


def test_packages_print_rounded_and_keep_their_exact_numbers():
    """The Nash package's utilities are binary sums (0.44000000000000006);
    they print rounded, and the dict keeps the document's exact values."""
    a = zopa.load("security-guarantees").analyze(critical_budget=0)
    exact = a.report["solutions"]["nash"]["utilities"]["ukraine"]
    assert exact != round(exact, 6), "the scenario still has an unrounded sum"
    nash = a.nash
    assert isinstance(nash, zopa.Package) and nash == a.report["solutions"]["nash"]
    assert nash["utilities"]["ukraine"] == exact
    shown = repr(nash)
    assert repr(exact) not in shown and f"'ukraine': {round(exact, 6)!r}" in shown, shown
    assert "0000000" not in repr(a.blocking[0])


def test_the_frontier_is_a_numpy_array_of_every_package():
    a = zopa.load("security-guarantees").analyze(top=0)  # every package
    f = a.frontier
    assert isinstance(f, np.ndarray) and f.dtype == float
    assert f.shape == (a.report["agreement_frontier"]["size"], len(a.actors))
    packages = a.frontier_packages
    assert len(packages) == f.shape[0] and set(packages[0]) == set(a.issues)
    assert packages[0] == a.report["agreement_frontier"]["packages"][0]["options"]
    labels = a.frontier_labels
    presence = {o["id"]: o["label"] for o in a.report["issues"][0]["options"]}
    assert labels[0]["presence"] == presence[packages[0]["presence"]]
    # Row k holds package k's utilities, actors in order.
    first = a.report["agreement_frontier"]["packages"][0]["utilities"]
    assert list(f[0]) == [first[x] for x in a.actors]
    # Nothing on the frontier is dominated by another frontier package.
    for i in range(len(f)):
        dominated = np.all(f >= f[i], axis=1) & np.any(f > f[i], axis=1)
        assert not dominated.any()


def test_genius_and_geniusweb_folders_load():
    g = zopa.load(str(ROOT / "examples" / "genius" / "harbour-expansion"))
    assert g.id == "harbour-expansion" and len(g.analyze().actors) == 3
    w = zopa.load(str(ROOT / "examples" / "geniusweb" / "job-offer"))
    assert w.analyze().space_size == 135


def test_scenario_text_and_located_errors():
    text = (ROOT / "examples" / "supplier-contract.toml").read_text()
    # Text has no folder for its sources: its quotes cannot be found.
    with pytest.raises(zopa.ZopaError) as e:
        zopa.load(text)
    assert any("minutes" in d["message"] for d in e.value.diagnostics)
    bad = ROOT / "crates" / "cli" / "tests" / "bad" / "nan-weight.toml"
    problems = zopa.validate(str(bad))
    errors = [d for d in problems if d["severity"] == "error"]
    assert errors and all(d["line"] and d["column"] for d in errors)
    with pytest.raises(zopa.ZopaError) as e:
        zopa.load(str(ROOT / "no" / "such" / "folder"))
    assert "no such file or folder" in str(e.value) and e.value.diagnostics == []
    # The example is valid; its one warning (a basis left unstated) is located.
    warnings = zopa.validate(str(ROOT / "examples" / "supplier-contract.toml"))
    assert warnings and all(d["severity"] == "warning" and d["line"] for d in warnings)


def test_simulation_is_seeded_with_a_trace_of_records():
    s = zopa.load("builtin:security-guarantees")
    one = s.simulate({"russia": "hardliner", "ukraine": "tft"}, deadline=60, seed=4)
    assert one == s.simulate({"russia": "hardliner", "ukraine": "tft"}, deadline=60, seed=4)
    offers = [e for e in one["trace"] if e["action"] == "offer"]
    assert offers and set(offers[0]["utilities"]) == {"russia", "ukraine", "us", "europe"}
    # The trace is returned whole, so its length is bounded before any play
    # (it once grew to 14 GB for deadline=10**6).
    with pytest.raises(zopa.ZopaError, match="above the limit of 10000") as refused:
        s.simulate(deadline=10**6)
    assert "--" not in str(refused.value)
    # A bound Python can raise is named by its keyword.
    with pytest.raises(zopa.ZopaError, match=r"\(raise it with limit=\)"):
        s.analyze(limit=10)
    # What is left out takes the defaults every surface shares.
    d = s.simulate()
    assert (d["protocol"], d["deadline"], d["seed"]) == ("saop", 100, 1)
    with pytest.raises(zopa.ZopaError):
        s.simulate({"nobody": "tft"})
    with pytest.raises(zopa.ZopaError):
        s.simulate(protocol="auction")


def test_forecast_is_seeded():
    s = zopa.load("builtin:security-guarantees")
    f = s.forecast(runs=30, seed=7)
    assert f["schema"] == "zopa.forecast/1" and f == s.forecast(runs=30, seed=7)
    assert [m["model"] for m in f["forecasts"]] == ["mean", "median", "nash", "eum", "smp"]


def test_tournament_and_report(tmp_path):
    laptop = ROOT / "examples" / "genius" / "supplier-contract"
    cfg = tmp_path / "t.toml"
    cfg.write_text(
        f'name = "py"\ndeadline = 50\ndomains = [{json.dumps(str(laptop))}]\nstrategies = ["boulware", "conceder"]\n'
    )
    run = zopa.tournament(str(cfg), str(tmp_path / "r.sqlite"), jobs=1)
    assert run["completed"] == run["planned"] > 0
    rep = zopa.report(str(tmp_path / "r.sqlite"))
    assert rep["negotiations_completed"] == run["planned"]
    assert {r["strategy"] for r in rep["strategies"]} == {"boulware", "conceder"}
    with pytest.raises(zopa.ZopaError):
        zopa.report(str(tmp_path / "missing.sqlite"))


def test_parquet_rows_read_in_pandas_equal_the_database(tmp_path):
    """export_parquet writes every stored negotiation; pandas (with pyarrow)
    reads it back equal to the rows Python's own sqlite3 reads from the
    database: lists per party, nulls without agreement."""
    import sqlite3

    pd = pytest.importorskip("pandas")
    pq = pytest.importorskip("pyarrow.parquet")
    domains = [str(ROOT / "examples" / "genius" / d) for d in ("supplier-contract", "harbour-expansion")]
    cfg = tmp_path / "t.toml"
    cfg.write_text(
        f'name = "rows"\ndeadline = 6\ndomains = {json.dumps(domains)}\nstrategies = ["boulware", "hardliner", "conceder"]\n'
    )
    db, out = tmp_path / "r.sqlite", tmp_path / "rows.parquet"
    run = zopa.tournament(str(cfg), str(db), jobs=1)
    doc = zopa.export_parquet(str(db), str(out))
    assert doc["schema"] == "zopa.tournament-export/1" and doc["rows"] == run["planned"]
    df = pd.read_parquet(out)
    con = sqlite3.connect(db)
    want = con.execute(
        "SELECT idx, domain, strategies, agreement, utilities, reservations, rounds, welfare FROM negotiations ORDER BY idx"
    ).fetchall()
    con.close()
    assert len(df) == len(want) == run["planned"]
    assert df["utilities"].isna().any() and df["utilities"].notna().any(), "rows with and without agreement"
    for got, (idx, domain, strategies, agreement, utilities, reservations, rounds, welfare) in zip(df.itertuples(), want):
        assert (got.idx, got.domain, got.rounds) == (idx, domain, rounds)
        assert list(got.strategies) == json.loads(strategies)
        assert list(got.reservations) == json.loads(reservations)
        if utilities is None:
            assert got.utilities is None and pd.isna(got.agreement) and pd.isna(got.welfare)
        else:
            assert list(got.utilities) == json.loads(utilities)
            assert (got.agreement, got.welfare) == (agreement, welfare)
    # docs/tournaments.md's recipe: per-party scores give the report's means.
    rows = df
    rows["scores"] = [r if u is None else u for u, r in zip(rows.utilities, rows.reservations)]
    per_party = rows.explode(["strategies", "scores"]).astype({"scores": float})
    means = per_party.groupby("strategies")["scores"].mean()
    rep = zopa.report(str(db))
    assert sorted(means.index) == sorted(s["strategy"] for s in rep["strategies"])
    for s in rep["strategies"]:
        assert means[s["strategy"]] == pytest.approx(s["mean_utility"], abs=1e-12)
    meta = pq.read_schema(out).metadata
    assert meta[b"zopa.schema"] == b"zopa.tournament-rows/1" and meta[b"zopa.tournament"] == b"rows"


def test_notebook_html_and_pandas():
    a = zopa.load("builtin:security-guarantees").analyze()
    h = a._repr_html_()
    assert "<table>" in h and "<svg" in h and "Security guarantees" in h
    pd = pytest.importorskip("pandas")
    df = a.to_pandas()
    assert isinstance(df, pd.DataFrame) and len(df) == len(a.frontier)


def test_builtins_are_listed():
    assert "security-guarantees" in [b["name"] for b in zopa.scenarios()]
    assert zopa.load("builtin:security-guarantees").to_toml().startswith("[scenario]")


def test_the_same_request_gives_the_clis_document():
    """forecast() and simulate() are `zopa forecast --json` and `zopa
    simulate --json` for the same request: one application entry answers
    both surfaces, with the same defaults."""
    import subprocess

    from conftest import zopa_binary

    def cli(*args):
        out = subprocess.run([zopa_binary(), *args, "--json"], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    s = zopa.load("builtin:security-guarantees")
    assert s.forecast(runs=40, seed=3) == cli("forecast", "--runs", "40", "--seed", "3")
    assert s.forecast(model="smp", runs=0) == cli("forecast", "--model", "smp", "--runs", "0")
    # Python's simulate() adds the trace the CLI writes to a file instead.
    sim = s.simulate()
    assert sim.pop("trace") and sim == cli("simulate")
    sim = s.simulate({"russia": "hardliner"}, protocol="veto", deadline=30, seed=5)
    want = cli("simulate", "--strategy", "russia=hardliner", "--protocol", "veto", "--deadline", "30", "--seed", "5")
    assert sim.pop("trace") and sim == want


def test_limits_are_the_clis():
    """The outcome-space limit is bounded as on the command line (1 to
    10^9), so a Python caller cannot ask for hours of counting."""
    s = zopa.load("builtin:security-guarantees")
    with pytest.raises(zopa.ZopaError, match="above the limit of 1000000000"):
        s.analyze(limit=10**18)
    with pytest.raises(zopa.ZopaError, match="at least 1"):
        zopa.load("builtin:security-guarantees", limit=0)


def test_a_deal_is_scored_as_the_cli_scores_it():
    """score() is `zopa score --json`; a dict, a list and the CLI's text
    name the same deal; a deal across red lines says who refuses and why."""
    s = zopa.load("security-guarantees")
    nash = ["monitors", "arms_aid", "backstop", "guarantor", "europe_led"]
    doc = s.score(nash)
    assert doc == s.score(",".join(nash))
    assert doc == s.score(dict(zip(s.analyze().issues, nash)))
    assert doc["passes"] and doc["pareto_optimal"] and doc["nash"]["distance"] == 0
    import subprocess

    from conftest import zopa_binary

    cli = subprocess.run(
        [zopa_binary(), "score", "--deal", ",".join(nash), "--json"], capture_output=True, text=True, check=True
    )
    assert doc == json.loads(cli.stdout)
    refused = s.score(["european_force", "political", "none", "consulted", "europe_led"])
    assert not refused["passes"]
    assert {p["actor"]: p["refuses_because"] for p in refused["parties"] if not p["accepts"]} == {
        "russia": ["russia (red line presence=european_force)"],
        "ukraine": ["ukraine (red line guarantee=political)"],
    }
    with pytest.raises(zopa.ZopaError, match="has no option `x`"):
        s.score(["x", "political", "none", "consulted", "europe_led"])


def test_a_deliberation_game_is_scored_by_its_own_rule():
    """An LLM-Deliberation game folder loads with its rule (at least n - 1
    parties, p1 and p2 among them); every deal is scored as a brute force on
    the integer scores decides it, and the agreement space is what passes."""
    import itertools

    game = ROOT / "examples" / "deliberation" / "harbour-board"
    rows = [line.split(",") for line in (game / "config.txt").read_text().splitlines() if line.strip()]
    parties = []
    for name, file, role, *_ in rows:
        lines = [x for x in (game / "scores_files" / f"{file}.txt").read_text().splitlines() if x.strip()]
        parties.append((file, role, [[int(v) for v in x.split(",")] for x in lines[:-1]], int(lines[-1])))
    s = zopa.load(str(game))
    radices = [len(issue) for issue in parties[0][2]]
    passing = 0
    for k, pkg in enumerate(itertools.product(*(range(r) for r in radices))):
        accepts = [sum(sc[i][o] for i, o in enumerate(pkg)) >= t for _, _, sc, t in parties]
        vetoes = all(a for (_, role, _, _), a in zip(parties, accepts) if role in ("p1", "p2"))
        passes = vetoes and sum(accepts) >= len(parties) - 1
        passing += passes
        if k % 7 == 0:  # a spread of deals through the binding
            deal = [f"{chr(65 + i)}{o + 1}" for i, o in enumerate(pkg)]
            doc = s.score(deal)
            assert doc["passes"] == passes, deal
            assert [p["accepts"] for p in doc["parties"]] == accepts, deal
    assert s.analyze().zopa_size == passing


def test_evidence_is_the_clis_document(tmp_path):
    """evidence() is `zopa evidence --json` for the same report, with and
    without a scenario; draft() gives a scenario that loads and analyzes."""
    import subprocess

    from conftest import zopa_binary

    article = ROOT / "scenarios" / "sources" / "security-guarantees-article.txt"
    text = article.read_text()

    def cli(*args):
        out = subprocess.run([zopa_binary(), "evidence", *args, "--json"], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    name = str(article)
    assert zopa.evidence(text, name=name) == cli(name)
    s = zopa.load("security-guarantees")
    with_scenario = zopa.evidence(text, scenario=s, name=name)
    assert with_scenario == cli(name, "--scenario", "security-guarantees")
    assert with_scenario == zopa.evidence(text, scenario="security-guarantees", name=name)
    assert with_scenario["coverage"]["source"] == "article"
    assert zopa.evidence(text)["statements"][0]["speaker"]["affiliation"] == "Russia"
    gold = (ROOT / "scenarios" / "sources" / "security-guarantees-statements.toml").read_text()
    assert zopa.evidence(text, scenario=s, gold=gold)["score"]["recall"] == 0.95
    # A draft cites the report by the path given; written beside it, it loads.
    (tmp_path / "report.txt").write_text(text)
    doc = zopa.draft({"report.txt": text})
    assert doc["schema"] == "zopa.evidence-draft/1"
    (tmp_path / "draft.toml").write_text(doc["draft"]["toml"])
    drafted = zopa.load(str(tmp_path / "draft.toml"))
    assert drafted.warnings == []
    assert drafted.analyze().space_size > 1
    with pytest.raises(zopa.ZopaError, match="not UTF-8|two parties"):
        zopa.draft([("x.txt", "Nothing happened.")])

"""zopa: negotiation analysis from Python.

Load a negotiation (a zopa scenario file, a GENIUS or GeniusWeb folder, a
built-in id such as ``"builtin:security-guarantees"``, or scenario text) and
analyse it: the zone of possible agreement (ZOPA), the exact Pareto
frontier, the Nash / Kalai-Smorodinsky / utilitarian / egalitarian packages,
what blocks agreement; forecast it with the political bargaining models;
simulate negotiations; run tournaments. Every result is the document
``zopa ... --json`` prints (docs/json-report.md), parsed into Python objects.

>>> import zopa
>>> a = zopa.load("builtin:security-guarantees").analyze()
>>> a.zopa_size
63
>>> a.nash["options"]["guarantee"]
'arms_aid'

The engines run in Rust with the GIL released; failures raise
:class:`ZopaError` carrying the located diagnostics (file, line, column).
"""

from __future__ import annotations

import html as _html
import json as _json
from typing import Any, Iterable, Optional, Union

import numpy as _np

from . import _zopa

__all__ = [
    "Analysis",
    "Package",
    "Scenario",
    "ZopaError",
    "draft",
    "evidence",
    "export_parquet",
    "load",
    "pull",
    "report",
    "scenarios",
    "tournament",
    "validate",
]
__version__ = _zopa.__version__


class ZopaError(Exception):
    """A zopa failure. ``diagnostics`` lists the located problems of an
    invalid input: dicts with ``file``, ``line``, ``column``, ``severity``,
    ``path`` and ``message`` (``line``/``column`` are ``None`` where the input
    has no positions)."""

    def __init__(self, message: str, diagnostics: Iterable[dict] = ()):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)

    def __str__(self) -> str:
        lines = [self.message]
        for d in self.diagnostics[:20]:
            where = d["file"] + (f":{d['line']}:{d['column']}" if d.get("line") else "")
            lines.append(f"  {where}: {d['severity']}: {d['message']}")
        return "\n".join(lines)


def _native(f, *args, **kwargs):
    try:
        return f(*args, **kwargs)
    except _zopa.NativeError as e:
        message, diagnostics = e.args
        raise ZopaError(message, _json.loads(diagnostics)) from None


CONCEPTS = ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian")


def _rounded(x: Any, digits: int = 6) -> Any:
    """``x`` with every float rounded to ``digits`` decimals (for display)."""
    if isinstance(x, float):
        return round(x, digits)
    if isinstance(x, dict):
        return {k: _rounded(v, digits) for k, v in x.items()}
    if isinstance(x, list):
        return [_rounded(v, digits) for v in x]
    return x


class Package(dict):
    """A package of the analysis as the JSON document has it (a ``dict``:
    ``options``, ``utilities``, ...). The numbers are exact binary floats
    (``0.44000000000000006`` where sums round); it prints them rounded to
    6 decimals."""

    def __repr__(self) -> str:
        return repr(_rounded(dict(self)))


class Analysis:
    """The analysis of a scenario (``zopa.analysis/1``).

    ``report`` is the whole document; the attributes below are views of it.
    Utilities are on each actor's 0-1 scale."""

    def __init__(self, report: dict, scenario: "Scenario"):
        self.report = report
        self._scenario = scenario

    @property
    def actors(self) -> list[str]:
        """Actor ids, in the columns' order."""
        return [a["id"] for a in self.report["actors"]]

    @property
    def issues(self) -> list[str]:
        """Issue ids."""
        return [i["id"] for i in self.report["issues"]]

    @property
    def robustness(self) -> Optional[dict]:
        """The robustness study (``None`` unless asked for): how often each
        package is in the ZOPA and is the Nash package, and which conclusions
        hold in at least 90% of runs (docs/json-report.md)."""
        return self.report.get("robustness")

    @property
    def critical(self) -> Optional[dict]:
        """What each headline conclusion depends on (``None`` when the
        search was turned off): per conclusion, in words, the smallest sets
        of changes to the assumptions that reverse it (docs/json-report.md,
        ``critical``)."""
        return self.report.get("critical")

    @property
    def comparison(self) -> Optional[dict]:
        """The scenario as written beside its interpretations and zopa's
        stress tests (``None`` unless ``analyze(compare=True)``)."""
        return self.report.get("comparison")

    @property
    def space_size(self) -> int:
        """Packages in the outcome space."""
        return self.report["space"]["size"]

    @property
    def zopa_size(self) -> int:
        """Packages in the agreement space: no red line violated, every
        reservation met."""
        return self.report["space"]["agreement"]

    @property
    def frontier(self) -> _np.ndarray:
        """The listed Pareto frontier of the agreement space: one row per
        package, one column per actor (``actors``' order)."""
        rows = [[p["utilities"][a] for a in self.actors] for p in self._frontier()]
        return _np.array(rows, dtype=float).reshape(len(rows), len(self.actors))

    @property
    def frontier_packages(self) -> list[dict[str, str]]:
        """The listed frontier's packages: issue id -> option id."""
        return [dict(p["options"]) for p in self._frontier()]

    @property
    def frontier_labels(self) -> list[dict[str, str]]:
        """The listed frontier's packages: issue id -> option label."""
        labels = {i["id"]: {o["id"]: o["label"] for o in i["options"]} for i in self.report["issues"]}
        return [{i: labels[i][o] for i, o in p.items()} for p in self.frontier_packages]

    def _frontier(self) -> list[dict]:
        return self.report["agreement_frontier"]["packages"]

    def _solution(self, concept: str) -> Optional[Package]:
        s = self.report["solutions"][concept]
        return None if s is None else Package(s)

    @property
    def nash(self) -> Optional[Package]:
        """The Nash bargaining package (``options``, ``utilities``, ``value``),
        or None when the agreement space is empty."""
        return self._solution("nash")

    @property
    def kalai_smorodinsky(self) -> Optional[Package]:
        """The Kalai-Smorodinsky package, or None."""
        return self._solution("kalai_smorodinsky")

    @property
    def utilitarian(self) -> Optional[Package]:
        """The package of greatest total utility, or None."""
        return self._solution("utilitarian")

    @property
    def egalitarian(self) -> Optional[Package]:
        """The package whose least-off actor is best off, or None."""
        return self._solution("egalitarian")

    @property
    def blocking(self) -> list[Package]:
        """Per red line: packages with it, what it alone removes, the ZOPA
        size and Nash package without it."""
        return [Package(b) for b in self.report["blocking"]]

    def to_pandas(self):
        """The listed frontier as a pandas DataFrame: one column per issue
        (option ids) and per actor (utilities). Needs pandas."""
        try:
            import pandas as pd  # optional dependency
        except ImportError:
            raise ImportError(
                "Analysis.to_pandas() needs pandas, an optional dependency: pip install pandas"
            ) from None

        rows = []
        for pkg, p in zip(self.frontier_packages, self._frontier()):
            row = dict(pkg)
            row.update({f"u_{a}": p["utilities"][a] for a in self.actors})
            rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        r = self.report
        head = "".join(f"<th>{_html.escape(x)}</th>" for x in ["solution", *self.issues, *self.actors])
        body = []
        for c in CONCEPTS:
            s = r["solutions"][c]
            if s is None:
                continue
            cells = [s["options"][i] for i in self.issues] + [f"{s['utilities'][a]:.2f}" for a in self.actors]
            body.append("<tr><th>" + c + "</th>" + "".join(f"<td>{_html.escape(str(x))}</td>" for x in cells) + "</tr>")
        facts = (
            f"<p><b>{_html.escape(r['scenario']['title'])}</b>: {r['space']['size']} packages, "
            f"{r['space']['no_red_line']} violate no red line, {r['space']['agreement']} in the ZOPA, "
            f"{r['agreement_frontier']['size']} on its Pareto frontier.</p>"
        )
        try:
            plot = self._scenario.svg()
        except ZopaError:
            plot = ""
        return facts + f"<table><tr>{head}</tr>{''.join(body)}</table>" + plot

    def __repr__(self) -> str:
        return f"<zopa.Analysis {self.report['scenario']['id']}: ZOPA {self.zopa_size} of {self.space_size}>"


class Scenario:
    """A checked negotiation scenario; build one with :func:`load`."""

    def __init__(self, native, source: Optional[tuple] = None):
        self._native = native
        self._validation = _json.loads(native.validation_json())
        # What load() was given: how an executor's worker loads it again.
        self._source = source

    @property
    def id(self) -> str:
        """The scenario's id."""
        return self._native.id

    @property
    def title(self) -> str:
        """The scenario's title."""
        return self._native.title

    @property
    def origin(self) -> str:
        """Where it came from: a path, ``builtin:NAME`` or ``<text>``."""
        return self._native.origin

    @property
    def warnings(self) -> list[dict]:
        """Located warnings found while loading it."""
        return self._validation["warnings"]

    def analyze(
        self,
        top: Optional[int] = None,
        limit: Optional[int] = None,
        robustness: Optional[int] = None,
        seed: Optional[int] = None,
        critical_budget: Optional[int] = None,
        vary_quoted: Optional[bool] = None,
        compare: Optional[bool] = None,
        executor: Any = None,
        shards: Optional[int] = None,
        workdir: Optional[str] = None,
    ) -> Analysis:
        """The analysis: ZOPA, exact Pareto frontier (``top`` packages listed,
        best total first; 0 = all, and ``Analysis.frontier`` holds the listed
        ones), solutions, blocking. Refuses counting work above ``limit``.
        With ``robustness`` runs, also the Monte Carlo study over every
        assumption, seeded by ``seed`` (``Analysis.robustness``). The search
        for critical assumptions (``Analysis.critical``: the smallest sets of
        changes to the assumptions that reverse each headline conclusion)
        walks at most ``critical_budget`` packages (0 turns it off) and
        varies quoted claims too with ``vary_quoted``. With ``compare``, the
        scenario as written beside its interpretations and zopa's stress
        tests (``Analysis.comparison``). Arguments left out
        take the defaults every zopa surface shares: ``top`` 10, ``limit``
        10^7, no study, ``seed`` 1, ``critical_budget`` 2·10^7, quoted
        claims held fixed.

        With ``executor`` (any :class:`concurrent.futures.Executor`: a
        process pool, a Dask ``Client(...).get_executor()``, Ray's,
        submitit's), the robustness study is cut into ``shards`` shards
        (default 8), one task each, writing into ``workdir`` (default: a new
        temporary folder; on a cluster, one every worker can reach); the
        analysis then merges them, and equals the unsharded one. The
        scenario must come from :func:`load` (the tasks load it again). A
        ``ProcessPoolExecutor`` must start its workers with ``spawn`` or
        ``forkserver`` (``mp_context=multiprocessing.get_context("spawn")``):
        a forked child inherits zopa's thread pool without its threads and
        can hang."""
        robustness_from = None
        if executor is not None:
            if robustness is None:
                raise ValueError("an executor shards the robustness study: give robustness=N")
            if self._source is None:
                raise ValueError("a scenario built in memory cannot be sent to an executor; save it and load() the file")
            n = 8 if shards is None else int(shards)
            if n < 1:
                raise ValueError(f"shards must be at least 1, not {n}")
            if workdir is None:
                import tempfile

                workdir = tempfile.mkdtemp(prefix="zopa-robustness-")
            source, load_limit = self._source
            tasks = [
                executor.submit(_robustness_shard, source, robustness, k, n, str(workdir), seed, load_limit)
                for k in range(1, n + 1)
            ]
            for t in tasks:
                t.result()
            robustness_from = [str(workdir)]
        elif shards is not None or workdir is not None:
            raise ValueError("shards and workdir need an executor")
        return Analysis(
            _json.loads(
                _native(
                    self._native.analyze_json,
                    top,
                    limit,
                    robustness,
                    seed,
                    critical_budget,
                    vary_quoted,
                    compare,
                    robustness_from,
                )
            ),
            self,
        )

    def brief(self, format: str = "md", limit: Optional[int] = None) -> Union[str, dict]:
        """The one-page brief a minister's office can read: the bottom line,
        the three findings that matter, what each depends on, what rests on
        what, who said what — in words, never ids. ``format`` is ``"md"``
        (Markdown), ``"html"`` (a standalone page) or ``"json"`` (a dict,
        ``zopa.brief/1``: every sentence with the claim ids it cites)."""
        text = _native(self._native.brief, format, limit)
        return _json.loads(text) if format == "json" else text

    def forecast(self, model: Optional[str] = None, runs: Optional[int] = None, seed: Optional[int] = None) -> dict:
        """Forecasts per issue by the political bargaining models (mean,
        median, nash, eum, smp; ``model`` for one), with ``runs`` Monte Carlo
        sensitivity runs drawn from ``seed`` (``zopa.forecast/1``). Left out:
        the defaults every surface shares (every model, 1000 runs, seed 1)."""
        return _json.loads(_native(self._native.forecast_json, model, runs, seed))

    def score(self, deal, limit: Optional[int] = None) -> dict:
        """Score one deal (``zopa.score/1``): each party's utility and whether
        it accepts (and why not), whether the deal passes under the
        scenario's decision rule (who is outvoted, who is pivotal), whether
        it is Pareto-optimal, and its distance to the Nash package. ``deal`` is a
        dict issue -> option, a list of option ids in issue order, or the
        CLI's ``"a,b,c"`` text."""
        if isinstance(deal, dict):
            deal = ",".join(f"{i}={o}" for i, o in deal.items())
        elif not isinstance(deal, str):
            deal = ",".join(deal)
        return _json.loads(_native(self._native.score_json, deal, limit))

    def simulate(
        self,
        strategies: Optional[dict[str, str]] = None,
        protocol: Optional[str] = None,
        deadline: Optional[int] = None,
        seed: Optional[int] = None,
        discount: Optional[float] = None,
    ) -> dict:
        """Play one negotiation (``zopa.simulation/1``): ``strategies`` maps
        actor id -> strategy (boulware by default); ``trace`` lists every event
        as a record, offers with every party's utility, so ``deadline`` is at
        most 10,000 rounds here (the CLI's ``--trace FILE`` streams longer
        ones). Left out: the defaults every surface shares (saop, 100 rounds,
        seed 1, no discount)."""
        specs = [f"{a}={s}" for a, s in (strategies or {}).items()]
        return _json.loads(_native(self._native.simulate_json, specs, protocol, deadline, seed, discount))

    def svg(self, x: Optional[str] = None, y: Optional[str] = None) -> str:
        """The agreement space in actors ``x`` and ``y``'s utilities, as SVG."""
        return _native(self._native.svg, x, y)

    def to_toml(self) -> str:
        """The scenario as zopa TOML."""
        return _native(self._native.text, "toml")

    def __repr__(self) -> str:
        return f"<zopa.Scenario {self.origin}>"


def load(source: str, limit: Optional[int] = None) -> Scenario:
    """Load and check a scenario: a zopa ``.toml``/``.json`` file, a GENIUS or
    GeniusWeb folder, a built-in id (``builtin:NAME`` or ``NAME``), or
    scenario text (anything spanning lines). ``limit`` bounds an imported
    folder's outcome space (default 10^7, as on every surface). Raises
    :class:`ZopaError` with the located diagnostics when it is invalid."""
    return Scenario(_native(_zopa.load, str(source), limit), (str(source), limit))


def validate(source: str) -> list[dict]:
    """Every located problem of a scenario (errors and warnings); empty when
    it is valid without warnings. Raises :class:`ZopaError` only when there
    is nothing to check (no such file, folder or built-in)."""
    try:
        return load(source).warnings
    except ZopaError as e:
        if e.diagnostics:
            return e.diagnostics
        raise


def tournament(
    config: str,
    db: str,
    jobs: Optional[int] = None,
    executor: Any = None,
    shards: Optional[int] = None,
    partition: str = "contiguous",
    workdir: Optional[str] = None,
    worker: Optional[str] = None,
) -> dict:
    """Run (or resume) the tournament file ``config`` into the SQLite
    database ``db`` (``zopa.tournament-run/1``).

    With a PostgreSQL URL as ``db`` (``postgresql://USER:PASSWORD@HOST/DB``),
    this call is one worker on the shared store: it registers the plan (cut
    into ``shards``, default 16, by ``partition``) if it is new, pulls shards
    until none is left to claim, and returns ``zopa.tournament-worker/1``
    (``worker`` names it in the store). Run as many as you like, anywhere —
    for example ``executor.submit(zopa.tournament, config, url)`` once per
    worker — then copy the result out with :func:`pull`
    (docs/tournaments.md).

    With ``executor`` — any :class:`concurrent.futures.Executor`: a local
    ``ProcessPoolExecutor``, a Dask ``distributed.Client(...).get_executor()``,
    Ray's or submitit's — the plan is cut into ``shards`` shards (default 8,
    dealt by ``partition``: ``contiguous`` or ``hash``), one task each, with
    ``jobs`` threads per task. Each writes into ``workdir`` (default
    ``db + ".shards"``; on a cluster, a folder every worker can reach); a
    shard already finished there is not run again. The finished shards are
    then merged into ``db``, which must not exist yet: its rows equal an
    unsharded run's. Returns ``zopa.tournament-merge/1`` with ``shard_runs``,
    each task's ``zopa.tournament-run/1``. A ``ProcessPoolExecutor`` should
    spawn its workers (``mp_context=multiprocessing.get_context("spawn")``),
    as Dask's do: a forked child of a process that has run zopa inherits its
    thread pool without the threads."""
    if str(db).startswith(("postgresql://", "postgres://")):
        if executor is not None or workdir is not None:
            raise ValueError(
                "with a PostgreSQL store this call is one worker: submit zopa.tournament(config, url) "
                "to your executor once per worker, then zopa.pull(url, db)"
            )
        return _json.loads(
            _native(_zopa.tournament_worker, str(config), str(db), shards, partition, jobs, worker)
        )
    if executor is None:
        if shards is not None or workdir is not None:
            raise ValueError("shards and workdir need an executor")
        return _json.loads(_native(_zopa.tournament, str(config), str(db), jobs))
    n = 8 if shards is None else int(shards)
    if n < 1:
        raise ValueError(f"shards must be at least 1, not {n}")
    out = str(workdir) if workdir is not None else str(db) + ".shards"
    tasks = [executor.submit(_run_shard, str(config), k, n, out, partition, jobs) for k in range(1, n + 1)]
    runs = [t.result() for t in tasks]
    merged = _json.loads(_native(_zopa.tournament_merge, [out], str(db)))
    merged["shard_runs"] = runs
    return merged


def pull(url: str, db: str, tournament: Optional[str] = None) -> dict:
    """Copy the finished tournament in the PostgreSQL store ``url`` into the
    new SQLite database ``db`` (what :func:`report` and :func:`export_parquet`
    read), after checking that every shard is done and every row intact;
    ``tournament`` (a prefix of its hash) picks one when the store holds
    several. Returns ``zopa.tournament-merge/1``."""
    return _json.loads(_native(_zopa.tournament_pull, str(url), str(db), tournament))


def _robustness_shard(source: str, runs: int, k: int, n: int, out: str, seed: Optional[int], limit: Optional[int]) -> str:
    """One robustness shard, as an executor's task runs it (picklable)."""
    return _native(_zopa.robustness_shard, source, runs, k, n, out, seed, limit)


def _run_shard(config: str, k: int, n: int, out: str, partition: str, jobs: Optional[int]) -> dict:
    """One shard, as an executor's task runs it (module-level: picklable)."""
    return _json.loads(_native(_zopa.tournament_shard, config, k, n, out, partition, jobs))


def report(db: str) -> dict:
    """Per-strategy results of a tournament database (``zopa.tournament-report/1``)."""
    return _json.loads(_native(_zopa.report, str(db)))


def export_parquet(db: str, path: str) -> dict:
    """Write every negotiation of the results database ``db`` to the Parquet
    file ``path`` (``zopa.tournament-rows/1``: one row per negotiation;
    ``strategies``, ``utilities`` and ``reservations`` as lists, one entry per
    party; ``utilities`` and the distances null without agreement), after
    verifying every row. Read it with ``pandas.read_parquet(path)`` or
    ``polars.read_parquet(path)``. Returns ``zopa.tournament-export/1``."""
    return _json.loads(_native(_zopa.export_parquet, str(db), str(path)))


def scenarios() -> list[dict[str, Any]]:
    """The built-in scenarios: ``name`` and ``summary``."""
    return _json.loads(_zopa.scenarios())["scenarios"]


def _scenario_native(scenario):
    if scenario is None:
        return None
    if isinstance(scenario, Scenario):
        return scenario._native
    return load(scenario)._native


def evidence(
    text: str,
    scenario: "Optional[Union[Scenario, str]]" = None,
    name: str = "article",
    gold: Optional[str] = None,
) -> dict:
    """The attributed statements of position in a news report ``text`` —
    speaker, the party the text ties them to, stance, verbatim span and its
    place — as ``zopa evidence --json`` gives them (``zopa.evidence/1``).
    With ``scenario`` (a :class:`Scenario`, or what :func:`load` takes),
    speakers resolve to its actors and the document says what the report
    changes in it; with ``gold`` (annotation text: zopa's TOML or the JSON
    list), it is scored."""
    return _json.loads(
        _native(_zopa.evidence, str(text), _scenario_native(scenario), str(name), gold)
    )


def draft(reports, scenario: "Optional[Union[Scenario, str]]" = None) -> dict:
    """A scenario drafted from news ``reports`` — a dict ``{path: text}`` or
    a list of ``(path, text)``, each path being how the scenario will cite
    the report — as ``zopa evidence --draft --json`` gives it
    (``zopa.evidence-draft/1``; the scenario's TOML is ``["draft"]["toml"]``).
    With ``scenario``, what the reports add to it instead
    (``zopa.evidence-update/1``)."""
    items = list(reports.items()) if isinstance(reports, dict) else list(reports)
    pairs = [(str(n), str(t)) for n, t in items]
    return _json.loads(_native(_zopa.draft, pairs, _scenario_native(scenario)))


# The typing names are for annotations (strings here): keep them out of
# dir(zopa).
del Any, Iterable, Optional, Union

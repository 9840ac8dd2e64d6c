"""Tournaments sharded over any concurrent.futures executor — a local
process pool and a real Dask cluster (a scheduler and worker processes) —
merge to the rows of an unsharded run."""

import json
import multiprocessing
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import zopa

ROOT = Path(__file__).resolve().parents[2]


def config(tmp_path: Path) -> str:
    ex = ROOT / "examples"
    domains = [str(ex / "genius" / "harbour-expansion"), str(ex / "supplier-contract.toml")]
    cfg = tmp_path / "t.toml"
    cfg.write_text(
        f'name = "executors"\nseed = 5\nrepetitions = 2\ndeadline = 60\n'
        f"domains = {json.dumps(domains)}\nstrategies = [\"boulware\", \"conceder\", \"tft\"]\n"
    )
    return str(cfg)


def rows(db: str) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT * FROM negotiations ORDER BY idx").fetchall()


def unsharded(tmp_path: Path, cfg: str) -> list[tuple]:
    db = str(tmp_path / "whole.sqlite")
    zopa.tournament(cfg, db, jobs=1)
    return rows(db)


def test_a_process_pool_runs_the_shards_and_the_merge_equals_one_run(tmp_path):
    cfg = config(tmp_path)
    want = unsharded(tmp_path, cfg)
    db = str(tmp_path / "pool.sqlite")
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        doc = zopa.tournament(cfg, db, executor=pool, shards=5, partition="hash", jobs=1)
    assert doc["schema"] == "zopa.tournament-merge/1"
    assert doc["shards"] == 5 and doc["negotiations"] == len(want) > 50
    assert sum(r["completed"] for r in doc["shard_runs"]) == len(want)
    assert rows(db) == want
    # Merging again into the same database is refused; shards and workdir
    # need an executor.
    with pytest.raises(zopa.ZopaError, match="exists"):
        zopa.tournament(cfg, db, executor=ProcessPoolExecutor(1), shards=5, partition="hash")
    with pytest.raises(ValueError, match="need an executor"):
        zopa.tournament(cfg, str(tmp_path / "x.sqlite"), shards=3)


def test_a_dask_cluster_runs_the_shards_and_the_merge_equals_one_run(tmp_path):
    distributed = pytest.importorskip("distributed")
    cfg = config(tmp_path)
    want = unsharded(tmp_path, cfg)
    db = str(tmp_path / "dask.sqlite")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            workers = client.scheduler_info()["workers"]
            assert len(workers) == 2
            doc = zopa.tournament(cfg, db, executor=client.get_executor(), shards=4, jobs=1)
    assert doc["shards"] == 4 and doc["negotiations"] == len(want)
    assert rows(db) == want


def test_a_sharded_robustness_study_equals_the_unsharded_one(tmp_path):
    s = zopa.load("security-guarantees")
    whole = s.analyze(robustness=120, seed=4, critical_budget=0)
    # A process pool must spawn its workers (as Dask does): a forked child
    # inherits zopa's thread pool without its threads.
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        sharded = s.analyze(robustness=120, seed=4, critical_budget=0, executor=pool, shards=3, workdir=str(tmp_path / "rs"))
    assert sharded.report == whole.report
    assert sorted(p.name for p in (tmp_path / "rs").iterdir()) == [f"robustness-{k}-of-3.json" for k in (1, 2, 3)]
    with pytest.raises(ValueError, match="give robustness"):
        s.analyze(executor=pool)


def test_a_dask_cluster_shards_a_robustness_study(tmp_path):
    distributed = pytest.importorskip("distributed")
    s = zopa.load("security-guarantees")
    whole = s.analyze(robustness=60, critical_budget=0)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            sharded = s.analyze(robustness=60, critical_budget=0, executor=client.get_executor(), shards=4, workdir=str(tmp_path / "rs"))
    assert sharded.report == whole.report


def test_workers_in_a_process_pool_share_a_postgresql_store(tmp_path):
    """With a PostgreSQL URL, zopa.tournament is one worker: two submitted to
    a process pool share the shards, and zopa.pull copies the finished
    tournament out equal to one SQLite run, row for row. Needs the server
    .ci/postgres-up starts (ZOPA_TEST_POSTGRES) and psql to create a
    database."""
    import os
    import shutil
    import subprocess

    server = os.environ.get("ZOPA_TEST_POSTGRES")
    if not server:
        pytest.skip("ZOPA_TEST_POSTGRES is unset (.ci/postgres-up starts a server)")
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed (Debian's postgresql-client)")
    server = server.rstrip("/")
    name = f"zopa_py_{os.getpid()}"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", "-q", f"{server}/postgres", "-c", sql], check=True)
    url = f"{server}/{name}"
    cfg = config(tmp_path)
    want = unsharded(tmp_path, cfg)
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        first = zopa.tournament(cfg, url, shards=6, jobs=1, worker="w0")
        assert first["schema"] == "zopa.tournament-worker/1" and first["shards"] == 6
        # The first worker finished everything; a fresh tournament (another
        # seed) is shared by two workers started together.
        cfg2 = Path(cfg).read_text().replace("seed = 5", "seed = 6")
        (tmp_path / "t2.toml").write_text(cfg2)
        tasks = [
            pool.submit(zopa.tournament, str(tmp_path / "t2.toml"), url, shards=6, jobs=1, worker=f"w{i}")
            for i in (1, 2)
        ]
        docs = [t.result() for t in tasks]
    assert sorted(k for d in docs for k in d["finished"]) == [1, 2, 3, 4, 5, 6]
    assert sum(d["completed"] for d in docs) == len(want)
    assert "zopa:" not in docs[0]["database"] or ":***@" in docs[0]["database"]
    with pytest.raises(zopa.ZopaError, match="several tournaments"):
        zopa.pull(url, str(tmp_path / "x.sqlite"))
    pulled = str(tmp_path / "pulled.sqlite")
    m = zopa.pull(url, pulled, tournament=first["tournament_hash"][:10])
    assert m["schema"] == "zopa.tournament-merge/1" and m["negotiations"] == len(want)
    assert rows(pulled) == want
    with pytest.raises(ValueError, match="one worker"):
        zopa.tournament(cfg, url, executor=ProcessPoolExecutor(1))

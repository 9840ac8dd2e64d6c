//! The shared PostgreSQL results store, with real processes on a real
//! server (Debian's PostgreSQL, started by `.ci/postgres-up`): workers pull
//! shards with `SELECT … FOR NO KEY UPDATE SKIP LOCKED`; a worker killed
//! mid-shard loses nothing that was committed and nothing runs twice; the
//! merged rows equal an unsharded SQLite run's; identity, coverage and
//! damage are checked as with SQLite.
//!
//! The server is named by `ZOPA_TEST_POSTGRES` (a URL without a database:
//! `postgresql://zopa:zopa@127.0.0.1:55432`; each test creates its own
//! database). Without it the tests say they skipped, unless
//! `ZOPA_REQUIRE_POSTGRES=1` (`.ci/run` sets it), when they fail.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo, results_meta, results_rows, tmp, zopa};
use postgres::{Client, NoTls};

/// A fresh database on the test server: its URL, or None (skipped).
fn database(name: &str) -> Option<String> {
    let Ok(server) = std::env::var("ZOPA_TEST_POSTGRES") else {
        assert!(
            std::env::var("ZOPA_REQUIRE_POSTGRES").is_err(),
            "ZOPA_REQUIRE_POSTGRES is set but ZOPA_TEST_POSTGRES is not (run .ci/postgres-up)"
        );
        zopa_testkit::say(&format!(
            "SKIPPED the PostgreSQL store test {name}: ZOPA_TEST_POSTGRES is unset (.ci/postgres-up starts a server)"
        ));
        return None;
    };
    let server = server.trim_end_matches('/');
    let db = format!("zopa_test_{name}_{}", std::process::id());
    let mut admin = Client::connect(&format!("{server}/postgres"), NoTls)
        .unwrap_or_else(|e| panic!("cannot reach ZOPA_TEST_POSTGRES={server}: {e}"));
    for sql in [
        format!("DROP DATABASE IF EXISTS {db}"),
        format!("CREATE DATABASE {db}"),
    ] {
        admin.batch_execute(&sql).unwrap();
    }
    Some(format!("{server}/{db}"))
}

/// A tournament of `reps` repetitions over the example domains (two- and
/// three-party, 324 negotiations per repetition).
fn config(dir: &Path, reps: usize) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let ex = repo("examples");
    let path = dir.join("t.toml");
    std::fs::write(
        &path,
        format!(
            "name = \"store\"\nseed = 5\nrepetitions = {reps}\ndeadline = 1000\ndomains = [{:?}, {:?}, {:?}, {:?}]\nstrategies = [\"boulware\", \"linear\", \"conceder\", \"hardliner\", \"tft\", \"micro\"]\n",
            ex.join("genius/supplier-contract").display().to_string(),
            ex.join("genius/harbour-expansion").display().to_string(),
            ex.join("geniusweb/job-offer").display().to_string(),
            ex.join("supplier-contract.toml").display().to_string(),
        ),
    )
    .unwrap();
    path.display().to_string()
}

fn json(o: &std::process::Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn count(client: &mut Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn workers_pull_shards_and_a_killed_worker_loses_nothing_and_runs_nothing_twice() {
    let Some(url) = database("kill") else { return };
    let dir = tmp("postgres-kill");
    let cfg = config(&dir, 12);
    let planned: i64 = 12 * 324;
    let mut pg = Client::connect(&url, NoTls).unwrap();

    // Worker a takes shard 1 (the lowest pending) and is killed once it has
    // committed a batch of it.
    let mut a = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args([
            "tournament",
            &cfg,
            "--db",
            &url,
            "--shards",
            "4",
            "--jobs",
            "1",
            "--worker",
            "a",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let shard1 = "SELECT count(*) FROM zopa_negotiations WHERE shard = 1";
    loop {
        let ready = count(
            &mut pg,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'zopa_negotiations'",
        ) == 1
            && count(&mut pg, shard1) >= 256;
        if ready {
            break;
        }
        assert!(
            a.try_wait().unwrap().is_none(),
            "worker a ended before it was killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "worker a stored nothing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    a.kill().unwrap();
    a.wait().unwrap();
    let left = count(&mut pg, shard1);
    let per_shard = planned / 4;
    assert!(
        left >= 256 && left < per_shard,
        "killed mid-shard: {left} of {per_shard} rows"
    );
    assert_eq!(
        count(
            &mut pg,
            "SELECT count(*) FROM zopa_shards WHERE state = 'done'"
        ),
        0,
        "nothing was done when a was killed"
    );

    // Workers b and c, started together, share the rest.
    let spawn = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args([
                "tournament",
                &cfg,
                "--db",
                &url,
                "--jobs",
                "1",
                "--worker",
                name,
                "--json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (b, c) = (spawn("b"), spawn("c"));
    let (b, c) = (
        json(&b.wait_with_output().unwrap()),
        json(&c.wait_with_output().unwrap()),
    );
    let mut finished: Vec<u64> = [&b, &c]
        .iter()
        .flat_map(|w| {
            w["finished"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_u64().unwrap())
        })
        .collect();
    finished.sort_unstable();
    assert_eq!(finished, [1, 2, 3, 4], "every shard done once: b {b} c {c}");
    let resumed = b["resumed"].as_i64().unwrap() + c["resumed"].as_i64().unwrap();
    let ran = b["completed"].as_i64().unwrap() + c["completed"].as_i64().unwrap();
    assert_eq!(
        resumed, left,
        "the killed worker's committed rows are kept, not rerun"
    );
    assert_eq!(ran + left, planned, "nothing runs twice");
    assert_eq!(b["schema"], "zopa.tournament-worker/1");
    assert!(
        !b["database"].as_str().unwrap().contains(":zopa@"),
        "password shown: {b}"
    );
    let by: String = pg
        .query_one("SELECT worker FROM zopa_shards WHERE k = 1", &[])
        .unwrap()
        .get(0);
    assert!(
        by == "b" || by == "c",
        "shard 1 was retried by a live worker, not {by}"
    );
    assert_eq!(
        count(&mut pg, "SELECT count(*) FROM zopa_negotiations"),
        planned
    );

    // The merged store equals one unsharded SQLite run, row for row.
    let pulled = dir.join("pulled.sqlite");
    let m = json(&zopa(&[
        "tournament",
        "merge",
        &url,
        "--db",
        pulled.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(
        (m["shards"].as_u64(), m["negotiations"].as_i64()),
        (Some(4), Some(planned))
    );
    let whole = dir.join("whole.sqlite");
    json(&zopa(&[
        "tournament",
        &cfg,
        "--db",
        whole.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(results_rows(&pulled), results_rows(&whole));
    assert_eq!(results_meta(&pulled), results_meta(&whole));
    // A last worker finds nothing to do.
    let d = json(&zopa(&["tournament", &cfg, "--db", &url, "--json"]));
    assert_eq!(
        (d["completed"].as_u64(), d["shards_done"].as_u64()),
        (Some(0), Some(4))
    );
}

#[test]
fn identity_coverage_and_damage_are_checked() {
    let Some(url) = database("checks") else {
        return;
    };
    let dir = tmp("postgres-checks");
    let cfg = config(&dir, 1);
    let mut pg = Client::connect(&url, NoTls).unwrap();
    let fail = |args: &[&str], want: &str| {
        let o = zopa(args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    };
    // A tournament in two shards, run by one worker.
    json(&zopa(&[
        "tournament",
        &cfg,
        "--db",
        &url,
        "--shards",
        "2",
        "--json",
    ]));
    // Another cut of the same tournament is refused, naming the stored one.
    fail(
        &["tournament", &cfg, "--db", &url, "--shards", "3"],
        "cut into 2 shards (contiguous)",
    );
    fail(
        &["tournament", &cfg, "--db", &url, "--partition", "hash"],
        "--shards 2 --partition contiguous",
    );
    // A merge with a shard not done names it.
    pg.execute("UPDATE zopa_shards SET state = 'pending' WHERE k = 2", &[])
        .unwrap();
    let out = dir.join("out.sqlite");
    fail(
        &["tournament", "merge", &url, "--db", out.to_str().unwrap()],
        "(2)",
    );
    assert!(!out.exists());
    // A worker resuming that shard verifies its stored rows: a changed value
    // is damage, and nothing is run on top of it.
    pg.execute(
        "UPDATE zopa_negotiations SET rounds = rounds + 1 WHERE idx = (SELECT max(idx) FROM zopa_negotiations)",
        &[],
    )
    .unwrap();
    fail(&["tournament", &cfg, "--db", &url], "the store is damaged");
    pg.execute(
        "UPDATE zopa_negotiations SET rounds = rounds - 1 WHERE idx = (SELECT max(idx) FROM zopa_negotiations)",
        &[],
    )
    .unwrap();
    let w = json(&zopa(&["tournament", &cfg, "--db", &url, "--json"]));
    assert_eq!(
        (w["finished"].clone(), w["completed"].as_u64()),
        (serde_json::json!([2]), Some(0))
    );
    // A changed value in a done shard is refused by the merge, and no file
    // is left.
    pg.execute(
        "UPDATE zopa_negotiations SET rep = rep + 1 WHERE idx = 3",
        &[],
    )
    .unwrap();
    fail(
        &["tournament", "merge", &url, "--db", out.to_str().unwrap()],
        "negotiation 3",
    );
    assert!(!out.exists() && !dir.join("out.merging").exists());
    pg.execute(
        "UPDATE zopa_negotiations SET rep = rep - 1 WHERE idx = 3",
        &[],
    )
    .unwrap();
    // A second tournament in the store: the merge asks which.
    let other = config(&dir.join("other"), 2);
    json(&zopa(&[
        "tournament",
        &other,
        "--db",
        &url,
        "--shards",
        "1",
        "--json",
    ]));
    fail(
        &["tournament", "merge", &url, "--db", out.to_str().unwrap()],
        "several tournaments",
    );
    let hash: String = pg
        .query_one("SELECT hash FROM zopa_tournaments WHERE shards = 2", &[])
        .unwrap()
        .get(0);
    let m = json(&zopa(&[
        "tournament",
        "merge",
        &url,
        "--db",
        out.to_str().unwrap(),
        "--tournament",
        &hash[..12],
        "--json",
    ]));
    assert_eq!(m["tournament_hash"], hash.as_str());
    // A store that does not answer is a clear error, not a panic.
    fail(
        &[
            "tournament",
            &cfg,
            "--db",
            "postgresql://zopa:secret@127.0.0.1:1/none",
        ],
        "cannot connect to postgresql://zopa:***@127.0.0.1:1/none",
    );
}

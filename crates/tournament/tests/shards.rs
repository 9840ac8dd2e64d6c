//! Sharded tournaments merge to the unsharded run row for row; a merge
//! names the shards it lacks or has twice, and refuses rows that are not
//! what their shard wrote.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rusqlite::Connection;
use zopa_tournament::run::{run, run_shard, Bounds, Plan};
use zopa_tournament::shard::{merge, Partition, Shard};
use zopa_tournament::TournamentError;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zopa-shards-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A small tournament over three example domains (two- and three-party).
fn plan(dir: &Path) -> Plan {
    let ex = examples();
    let toml = format!(
        "name = \"shards\"\nseed = 7\nrepetitions = 2\ndeadline = 60\ndomains = [{:?}, {:?}, {:?}]\nstrategies = [\"boulware\", \"conceder\", \"tft\"]\n",
        ex.join("genius/supplier-contract").display().to_string(),
        ex.join("genius/harbour-expansion").display().to_string(),
        ex.join("supplier-contract.toml").display().to_string(),
    );
    let file = dir.join("t.toml");
    std::fs::write(&file, toml).unwrap();
    Plan::from_file(&file, &Bounds::default()).unwrap()
}

/// Every stored value, row by row in number order.
fn rows(db: &Path) -> Vec<Vec<rusqlite::types::Value>> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT * FROM negotiations ORDER BY idx")
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn meta(db: &Path) -> Vec<(String, String)> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT key, value FROM meta WHERE key != 'shard' ORDER BY key")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn no_stop() -> AtomicBool {
    AtomicBool::new(false)
}

fn run_all(plan: &Plan, n: u64, partition: Partition, dir: &Path, jobs: usize) {
    for k in 1..=n {
        let s = Shard { k, n, partition };
        let (summary, manifest) =
            run_shard(plan, &s, dir, Some(jobs), &|_, _| {}, &no_stop()).unwrap();
        assert_eq!(summary.planned, s.planned(plan.total()));
        assert_eq!(manifest.unwrap().rows, summary.planned);
    }
}

#[test]
fn merged_shards_equal_the_unsharded_run() {
    let dir = scratch("equal");
    let plan = plan(&dir);
    assert!(plan.total() >= 90, "{}", plan.total());
    let whole = dir.join("whole.sqlite");
    run(&plan, &whole, Some(2), &|_, _| {}, &no_stop()).unwrap();
    let want = rows(&whole);
    assert_eq!(want.len() as u64, plan.total());
    for (partition, n, jobs) in [
        (Partition::Contiguous, 3, 1),
        (Partition::Hash, 4, 2),
        (Partition::Contiguous, 1, 2),
    ] {
        let out = dir.join(format!("{}-{n}", partition.name()));
        run_all(&plan, n, partition, &out, jobs);
        let merged = dir.join(format!("merged-{}-{n}.sqlite", partition.name()));
        let m = merge(std::slice::from_ref(&out), &merged).unwrap();
        assert_eq!((m.shards, m.rows), (n, plan.total()));
        assert_eq!(rows(&merged), want, "{partition:?} {n}");
        assert_eq!(meta(&merged), meta(&whole));
        // The merged database is a results database like any other, and
        // its report — statistics included — is the unsharded run's.
        let r = zopa_tournament::report::report(&merged).unwrap();
        assert_eq!(r.completed, plan.total());
        assert!(r.statistics.is_some());
        assert_eq!(r, zopa_tournament::report::report(&whole).unwrap());
    }
}

#[test]
fn a_merge_names_missing_and_duplicated_shards_and_refuses_changed_rows() {
    let dir = scratch("checks");
    let plan = plan(&dir);
    let out = dir.join("out");
    for k in [1, 3] {
        let s = Shard {
            k,
            n: 3,
            partition: Partition::Contiguous,
        };
        run_shard(&plan, &s, &out, Some(1), &|_, _| {}, &no_stop()).unwrap();
    }
    match merge(std::slice::from_ref(&out), &dir.join("m.sqlite")) {
        Err(TournamentError::Missing { shards, text }) => {
            assert_eq!(shards, vec![2]);
            assert!(text.contains("2/3") && text.contains("--array=2"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!dir.join("m.sqlite").exists(), "nothing written");
    // Shard 2, run in a second folder, completes the set; shard 3 copied
    // there too is a duplicate.
    let more = dir.join("more");
    let s2 = Shard {
        k: 2,
        n: 3,
        partition: Partition::Contiguous,
    };
    run_shard(&plan, &s2, &more, Some(1), &|_, _| {}, &no_stop()).unwrap();
    // A finished shard is one file: nothing beside it needs copying.
    assert!(!more.join("shard-2-of-3.sqlite-wal").exists());
    for f in ["shard-3-of-3.json", "shard-3-of-3.sqlite"] {
        std::fs::copy(out.join(f), more.join(f)).unwrap();
    }
    let e = merge(&[out.clone(), more.clone()], &dir.join("m.sqlite")).unwrap_err();
    assert!(e.to_string().contains("shards given twice: 3/3"), "{e}");
    std::fs::remove_file(more.join("shard-3-of-3.json")).unwrap();
    // A value changed after its shard wrote it is refused, and named.
    let conn = Connection::open(more.join("shard-2-of-3.sqlite")).unwrap();
    conn.execute("UPDATE negotiations SET rounds = rounds + 1 WHERE idx = (SELECT min(idx) FROM negotiations)", [])
        .unwrap();
    drop(conn);
    let e = merge(&[out.clone(), more.clone()], &dir.join("m.sqlite")).unwrap_err();
    assert!(
        e.to_string().contains("shard-2-of-3.sqlite is damaged"),
        "{e}"
    );
    // Run again, the shard's database is refused as damaged; a fresh run
    // of it merges.
    std::fs::remove_file(more.join("shard-2-of-3.sqlite")).unwrap();
    run_shard(&plan, &s2, &more, Some(1), &|_, _| {}, &no_stop()).unwrap();
    let m = merge(&[out, more], &dir.join("m.sqlite")).unwrap();
    assert_eq!(m.rows, plan.total());
    // A merge never overwrites a database.
    let e = merge(&[dir.join("out")], &dir.join("m.sqlite")).unwrap_err();
    assert!(e.to_string().contains("exists"), "{e}");
}

#[test]
fn a_shard_database_is_its_shards_alone() {
    let dir = scratch("own");
    let plan = plan(&dir);
    let out = dir.join("out");
    let s1 = Shard {
        k: 1,
        n: 2,
        partition: Partition::Hash,
    };
    run_shard(&plan, &s1, &out, Some(1), &|_, _| {}, &no_stop()).unwrap();
    // The same database, asked to hold another shard, is refused.
    std::fs::rename(
        out.join("shard-1-of-2.sqlite"),
        out.join("shard-2-of-2.sqlite"),
    )
    .unwrap();
    let s2 = Shard { k: 2, ..s1 };
    let e = run_shard(&plan, &s2, &out, Some(1), &|_, _| {}, &no_stop())
        .map(|_| ())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("holds shard 1/2 (hash) of this tournament, not shard 2/2 (hash)"),
        "{e}"
    );
    // And a whole run refuses a shard's database.
    let e = run(
        &plan,
        &out.join("shard-2-of-2.sqlite"),
        Some(1),
        &|_, _| {},
        &no_stop(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("not the whole plan"), "{e}");
}

#[test]
fn an_interrupted_shard_resumes_to_the_same_rows() {
    let dir = scratch("resume");
    let plan = plan(&dir);
    let s = Shard {
        k: 2,
        n: 2,
        partition: Partition::Contiguous,
    };
    let once = dir.join("once");
    run_shard(&plan, &s, &once, Some(2), &|_, _| {}, &no_stop()).unwrap();
    // Stopped before any batch: nothing stored, no manifest; then finished.
    let twice = dir.join("twice");
    let (summary, manifest) = run_shard(
        &plan,
        &s,
        &twice,
        Some(1),
        &|_, _| {},
        &AtomicBool::new(true),
    )
    .unwrap();
    assert!(summary.interrupted && manifest.is_none());
    assert!(!twice.join("shard-2-of-2.json").exists());
    run_shard(&plan, &s, &twice, Some(1), &|_, _| {}, &no_stop()).unwrap();
    assert_eq!(
        rows(&once.join("shard-2-of-2.sqlite")),
        rows(&twice.join("shard-2-of-2.sqlite"))
    );
    let a = std::fs::read_to_string(once.join("shard-2-of-2.json")).unwrap();
    let b = std::fs::read_to_string(twice.join("shard-2-of-2.json")).unwrap();
    assert_eq!(a, b);
}

//! A per-negotiation wall-clock limit stops a negotiation between two
//! moves, records it as timed out, and never hangs the run; a limit no
//! negotiation reaches changes no result.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use zopa_tournament::run::{run, Bounds, Plan};

fn plan(dir: &Path, limit: Option<&str>) -> Plan {
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = format!(
        "name = \"limits\"\nseed = 2\ndeadline = 400\ndomains = [{:?}]\nstrategies = [\"boulware\", \"hardliner\"]\n{}",
        ex.join("genius/harbour-expansion").display().to_string(),
        limit.map_or(String::new(), |l| format!("time_limit = {l}\n"))
    );
    let file = dir.join(format!("t-{}.toml", limit.unwrap_or("none")));
    std::fs::write(&file, toml).unwrap();
    Plan::from_file(&file, &Bounds::default()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zopa-limit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A row's agreement, utilities, rounds and time-out flag.
type Results = (Option<i64>, Option<String>, i64, Option<i64>);

/// Every stored row's results (not its configuration hash, which names the
/// limit) and its time-out flag.
fn results(db: &Path) -> Vec<Results> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut s = c
        .prepare("SELECT agreement, utilities, rounds, timed_out FROM negotiations ORDER BY idx")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_limit_that_passes_at_once_stops_every_negotiation_and_says_so() {
    let dir = scratch("zero");
    let p = plan(&dir, Some("1e-9"));
    let db = dir.join("r.sqlite");
    let summary = run(&p, &db, Some(2), &|_, _| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(summary.completed_now, p.total());
    let rows = results(&db);
    assert!(
        rows.iter().all(|r| r.3 == Some(1) && r.0.is_none()),
        "{rows:?}"
    );
    let report = zopa_tournament::report::report(&db).unwrap();
    assert_eq!(report.timed_out, p.total());
}

#[test]
fn a_limit_nobody_reaches_changes_no_result_but_the_identity() {
    let dir = scratch("generous");
    let (free, limited) = (plan(&dir, None), plan(&dir, Some("3600")));
    assert_ne!(free.hash, limited.hash, "the limit is part of the identity");
    let (a, b) = (dir.join("a.sqlite"), dir.join("b.sqlite"));
    run(&free, &a, Some(1), &|_, _| {}, &AtomicBool::new(false)).unwrap();
    run(&limited, &b, Some(1), &|_, _| {}, &AtomicBool::new(false)).unwrap();
    let (x, y) = (results(&a), results(&b));
    assert_eq!(x, y);
    assert!(x.iter().all(|r| r.3 == Some(0)));
}

#[test]
fn a_time_limit_is_checked() {
    let dir = scratch("bad");
    for bad in ["0", "-1", "1e9", "nan"] {
        let file = dir.join("bad.toml");
        std::fs::write(&file, format!("name = \"x\"\ndomains = [\"../nowhere\"]\nstrategies = [\"linear\"]\ntime_limit = {bad}\n")).unwrap();
        let e = Plan::from_file(&file, &Bounds::default())
            .map(|_| ())
            .unwrap_err();
        assert!(e.to_string().contains("time_limit"), "{bad}: {e}");
    }
}

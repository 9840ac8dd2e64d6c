//! Tournaments: dry run, a full run and its report, and resumption after a
//! SIGKILL with nothing lost or duplicated.

mod common;

use common::zopa;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// An example domain folder (`examples/KIND/NAME`), as an absolute path.
fn example(d: &str) -> String {
    common::repo(&format!("examples/{d}"))
        .canonicalize()
        .unwrap()
        .display()
        .to_string()
}

/// A tournament file in the test's temporary directory.
fn tournament(name: &str, repetitions: usize, deadline: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.toml");
    let domains: Vec<String> = [
        "genius/supplier-contract",
        "geniusweb/job-offer",
        "genius/harbour-expansion",
    ]
    .iter()
    .map(|d| format!("{:?}", example(d)))
    .collect();
    std::fs::write(
        &file,
        format!(
            "name = \"{name}\"\nseed = 3\nrepetitions = {repetitions}\ndeadline = {deadline}\ndomains = [{}]\nstrategies = [\"boulware\", \"conceder\", \"hardliner\", \"tft\", \"micro\", \"random:0.6:1\"]\n",
            domains.join(", ")
        ),
    )
    .unwrap();
    file
}

/// Start `zopa tournament FILE --db DB --jobs JOBS` in the background.
fn spawn(f: &Path, db: &Path, jobs: &str, output: fn() -> Stdio) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args([
            "tournament",
            f.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--jobs",
            jobs,
        ])
        .stdout(output())
        .stderr(output())
        .spawn()
        .unwrap()
}

/// Wait until a running tournament holds its database (the WAL file exists).
fn wait_until_writing(db: &Path) {
    let start = Instant::now();
    while !db.with_file_name("r.sqlite-wal").exists() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn report_json(db: &Path) -> serde_json::Value {
    let o = zopa(&["report", db.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn dry_run_counts_the_plan() {
    let f = tournament("dry", 2, 100);
    let o = zopa(&["tournament", f.to_str().unwrap(), "--dry-run"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Two 2-party domains (6^2 assignments) and one 3-party (6^3), twice.
    let planned = 2 * (2 * 36 + 216);
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("{planned} negotiations planned")));
}

#[test]
fn a_run_reports_every_strategy_and_reruns_do_nothing() {
    let f = tournament("full", 1, 200);
    let db = f.with_file_name("r.sqlite");
    let o = zopa(&[
        "tournament",
        f.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = report_json(&db);
    assert_eq!(r["negotiations_planned"], r["negotiations_completed"]);
    assert_eq!(r["strategies"].as_array().unwrap().len(), 6);
    // The statistics: every strategy with its interval around its mean (the
    // report's mean utility), 15 pairs, a 6 × 6 head-to-head table, and the
    // empirical game's equilibria, each a probability vector.
    let st = &r["statistics"];
    assert_eq!(st["bootstrap_samples"], 1000);
    for (row, x) in r["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .zip(st["strategies"].as_array().unwrap())
    {
        assert_eq!(row["strategy"], x["strategy"]);
        let (m, lo, hi) = (
            x["mean"].as_f64().unwrap(),
            x["ci_low"].as_f64().unwrap(),
            x["ci_high"].as_f64().unwrap(),
        );
        assert!((m - row["mean_utility"].as_f64().unwrap()).abs() < 1e-9);
        assert!(lo <= m && m <= hi, "{x}");
    }
    assert_eq!(st["pairwise"].as_array().unwrap().len(), 15);
    assert_eq!(st["head_to_head"].as_array().unwrap().len(), 6);
    let game = &st["empirical_game"];
    assert!(!game["equilibria"].as_array().unwrap().is_empty(), "{game}");
    for e in game["equilibria"].as_array().unwrap() {
        let total: f64 = e["probabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-9);
    }
    // Seeded: the same seed gives the same bytes, another seed other
    // intervals; no bootstrap, no statistics.
    let with = |extra: &[&str]| {
        let mut args = vec!["report", db.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        zopa(&args).stdout
    };
    assert_eq!(with(&["--seed", "5"]), with(&["--seed", "5"]));
    assert_ne!(with(&["--seed", "5"]), with(&["--seed", "6"]));
    let none: serde_json::Value = serde_json::from_slice(&with(&["--bootstrap", "0"])).unwrap();
    assert!(none.get("statistics").is_none());
    let o = zopa(&[
        "tournament",
        f.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("completed now 0")
            || String::from_utf8_lossy(&o.stdout).contains(", 0 completed now")
    );
    let csv = f.with_file_name("s.csv");
    let o = zopa(&[
        "report",
        db.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 7);
    // Another tournament may not write into this database.
    let other = tournament("other", 2, 200);
    let o = zopa(&[
        "tournament",
        other.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds results of another tournament"));
}

#[test]
fn a_killed_run_resumes_without_loss_or_duplicates() {
    let f = tournament("kill", 8, 1000);
    let db = f.with_file_name("r.sqlite");
    let mut child = spawn(&f, &db, "2", Stdio::null);
    // Wait until some results are stored, then SIGKILL (Child::kill on Unix).
    let start = Instant::now();
    let mut seen = 0;
    while start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(50));
        if db.is_file() {
            if let Ok(o) = Command::new(env!("CARGO_BIN_EXE_zopa"))
                .args(["report", db.to_str().unwrap(), "--json"])
                .output()
            {
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&o.stdout) {
                    seen = v["negotiations_completed"].as_u64().unwrap_or(0);
                    if seen > 0 {
                        break;
                    }
                }
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let r = report_json(&db);
    let planned = r["negotiations_planned"].as_u64().unwrap();
    let after_kill = r["negotiations_completed"].as_u64().unwrap();
    assert!(
        seen > 0 && after_kill >= seen,
        "results were being stored before the kill"
    );
    assert!(
        after_kill < planned,
        "the kill must interrupt the run ({after_kill} of {planned})"
    );
    let o = zopa(&[
        "tournament",
        f.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains(&format!("{after_kill} already done")), "{out}");
    let r = report_json(&db);
    assert_eq!(r["negotiations_completed"].as_u64().unwrap(), planned);
    assert_eq!(r["negotiations_planned"].as_u64().unwrap(), planned);
    // Every negotiation counted once per party slot.
    let slots: u64 = r["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slots"].as_u64().unwrap())
        .sum();
    assert_eq!(slots, 8 * (2 * 36 * 2 + 216 * 3));
}

#[test]
fn malformed_tournament_files_are_located() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-tournaments");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let laptop = format!("{:?}", example("genius/supplier-contract"));
    let cases = [
        ("syntax.toml", "name = \"x\nstrategies = []\n".to_string(), "syntax.toml:1:"),
        ("unknown-key.toml", format!("name = \"x\"\ndomains = [{laptop}]\nstrategies = [\"linear\"]\nrounds = 3\n"), "unknown field `rounds`"),
        ("strategy.toml", format!("name = \"x\"\ndomains = [{laptop}]\nstrategies = [\"genius\"]\n"), "unknown strategy `genius`"),
        ("nothing.toml", "name = \"x\"\ndomains = [\"no-such-*\"]\nstrategies = [\"linear\"]\n".to_string(), "matches nothing"),
        ("discount.toml", format!("name = \"x\"\ndomains = [{laptop}]\nstrategies = [\"linear\"]\ndiscount = 1.5\n"), "discount must be in (0, 1]"),
        ("protocol.toml", format!("name = \"x\"\ndomains = [{laptop}]\nstrategies = [\"linear\"]\nprotocol = \"auction\"\n"), "protocol must be saop, veto or hill"),
    ];
    for (file, text, want) in cases {
        let p = dir.join(file);
        std::fs::write(&p, text).unwrap();
        let o = zopa(&["tournament", p.to_str().unwrap(), "--dry-run"]);
        assert_eq!(o.status.code(), Some(2), "{file}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains(want), "{file}: want {want:?} in {e}");
    }
    let o = zopa(&["report", dir.join("missing.sqlite").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
}

fn run(f: &Path, db: &Path) -> std::process::Output {
    zopa(&[
        "tournament",
        f.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ])
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A damaged database is refused, never extended; so is one whose rows do
/// not belong to the plan, or that lost its identity row.
#[test]
fn damaged_or_foreign_databases_are_refused() {
    let f = tournament("damaged", 2, 50);
    let db = f.with_file_name("r.sqlite");
    assert!(run(&f, &db).status.success());
    let good = std::fs::read(&db).unwrap();

    // Bytes overwritten in the middle of the file.
    let mut bytes = good.clone();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 512].fill(0x5a);
    std::fs::write(&db, &bytes).unwrap();
    let o = run(&f, &db);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is damaged"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "a damaged database is left as it was"
    );

    // A row that is not in the plan, and a row of another configuration.
    for sql in [
        "UPDATE negotiations SET idx = -4952731513089173019 WHERE idx = 5",
        "UPDATE negotiations SET config_hash = '0123456789abcdef' WHERE idx = 7",
    ] {
        std::fs::write(&db, &good).unwrap();
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute(sql, []).unwrap();
        drop(c);
        let o = run(&f, &db);
        assert_eq!(o.status.code(), Some(2), "{sql}: {}", stderr(&o));
        assert!(stderr(&o).contains("is damaged"), "{}", stderr(&o));
    }

    // `report` validates every number it reads.
    for sql in [
        "UPDATE negotiations SET utilities = '[1e999, 0.5]' WHERE idx = 3 AND utilities IS NOT NULL",
        "UPDATE negotiations SET reservations = '[0.1]' WHERE idx = 3",
        "UPDATE negotiations SET rounds = -5 WHERE idx = 3",
        "UPDATE meta SET value = 'many' WHERE key = 'negotiations_planned'",
        // A row outside the plan (the report once counted it: 151 of 150).
        "INSERT INTO negotiations SELECT 1000000000, config_hash, domain, strategies, rep, agreement, utilities, reservations, rounds, welfare, pareto_distance, nash_distance, checksum, timed_out FROM negotiations WHERE idx = 3",
    ] {
        std::fs::write(&db, &good).unwrap();
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute(sql, []).unwrap();
        drop(c);
        let o = zopa(&["report", db.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{sql}");
        assert!(stderr(&o).contains("damaged"), "{sql}: {}", stderr(&o));
    }

    // The identity row deleted: another tournament's results are not adopted.
    std::fs::write(&db, &good).unwrap();
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute("DELETE FROM meta WHERE key = 'tournament_hash'", [])
        .unwrap();
    drop(c);
    let o = run(&f, &db);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no tournament identity"),
        "{}",
        stderr(&o)
    );
}

/// A flipped bit in a stored value (SQLite's integrity check does not see
/// it) is caught by the row's checksum, by `report` and by a resume; rows
/// of a database from before checksums are read and counted as unchecked,
/// and resuming it adds the column.
#[test]
fn changed_values_are_caught_by_their_checksum() {
    let f = tournament("checksums", 2, 50);
    let db = f.with_file_name("r.sqlite");
    assert!(run(&f, &db).status.success());
    let good = std::fs::read(&db).unwrap();
    let before = report_json(&db);
    assert!(before.get("negotiations_unchecked").is_none(), "{before}");

    let c = rusqlite::Connection::open(&db).unwrap();
    let (idx, welfare): (i64, f64) = c
        .query_row(
            "SELECT idx, welfare FROM negotiations WHERE welfare IS NOT NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let flipped = f64::from_bits(welfare.to_bits() ^ (1 << 40));
    c.execute(
        "UPDATE negotiations SET welfare = ?1 WHERE idx = ?2",
        rusqlite::params![flipped, idx],
    )
    .unwrap();
    let verdict: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok", "SQLite does not see the change");
    drop(c);
    let o = zopa(&["report", db.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "negotiation {idx}'s stored values do not match their checksum"
        )),
        "{}",
        stderr(&o)
    );
    let o = run(&f, &db);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is damaged"), "{}", stderr(&o));

    // An older database: no checksum column.
    std::fs::write(&db, &good).unwrap();
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("ALTER TABLE negotiations DROP COLUMN checksum")
        .unwrap();
    drop(c);
    let old = report_json(&db);
    let n = before["negotiations_completed"].as_u64().unwrap();
    assert_eq!(old["negotiations_unchecked"].as_u64(), Some(n), "{old}");
    assert_eq!(old["strategies"], before["strategies"]);
    let o = zopa(&["report", db.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("could not be verified"));
    assert!(run(&f, &db).status.success(), "an older database resumes");
    assert_eq!(report_json(&db)["negotiations_unchecked"].as_u64(), Some(n));

    // A database from before time limits: no timed_out column. Its rows
    // still verify, it reports the same, and it resumes (gaining the column).
    std::fs::write(&db, &good).unwrap();
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("ALTER TABLE negotiations DROP COLUMN timed_out")
        .unwrap();
    drop(c);
    let old = report_json(&db);
    assert!(old.get("negotiations_unchecked").is_none(), "{old}");
    assert_eq!(old["strategies"], before["strategies"]);
    assert!(run(&f, &db).status.success(), "an older database resumes");
}

/// The identity is what determines the results: the same tournament reached
/// by another spelling of its path resumes; another tournament is refused.
#[test]
fn identity_ignores_path_spelling_but_not_content() {
    let f = tournament("identity", 1, 40);
    let dir = f.parent().unwrap();
    let db = dir.join("r.sqlite");
    assert!(run(&f, &db).status.success());
    // Same file through another spelling, from another working directory.
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args([
            "tournament",
            "../identity/./t.toml",
            "--db",
            "r.sqlite",
            "--json",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["completed"], 0, "nothing redone: {v}");
    assert_eq!(v["skipped"], v["planned"]);
    // Another seed is another tournament.
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("seed = 3", "seed = 4");
    std::fs::write(&f, text).unwrap();
    let o = run(&f, &db);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("another tournament"), "{}", stderr(&o));
}

/// A second process on a database in use is refused at once; the first
/// finishes every negotiation.
#[test]
fn a_second_process_on_a_database_in_use_is_refused() {
    // About 4 s of work on one thread: still running when the second starts.
    let f = tournament("concurrent", 10, 1000);
    let db = f.with_file_name("r.sqlite");
    let mut first = spawn(&f, &db, "1", Stdio::null);
    wait_until_writing(&db);
    std::thread::sleep(Duration::from_millis(200));
    let second = run(&f, &db);
    let still_running = first.try_wait().unwrap().is_none();
    assert!(first.wait().unwrap().success());
    if still_running {
        assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
        assert!(
            stderr(&second).contains("in use by another process"),
            "{}",
            stderr(&second)
        );
    }
    let r = report_json(&db);
    assert_eq!(r["negotiations_completed"], r["negotiations_planned"]);
}

/// Sizes that used to exhaust memory are refused before anything is
/// allocated: repetitions near u64::MAX, a deadline of 10^12 rounds; 200
/// strategies on a three-party domain are planned lazily.
#[test]
fn oversized_plans_are_refused_or_lazy() {
    let f = tournament("oversized", 1, 10);
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        text.replace("repetitions = 1", "repetitions = 18446744073709551615"),
    )
    .unwrap();
    let o = zopa(&["tournament", f.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("above the limit of 100000000 (raise it with --max-negotiations)"),
        "{}",
        stderr(&o)
    );

    std::fs::write(
        &f,
        text.replace("deadline = 10", "deadline = 1000000000000"),
    )
    .unwrap();
    let o = zopa(&["tournament", f.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the deadline (rounds) is 1000000000000"),
        "{}",
        stderr(&o)
    );

    let many: Vec<String> = (1..=200).map(|e| format!("\"time:{e}\"")).collect();
    let atlas = example("genius/harbour-expansion");
    std::fs::write(
        &f,
        format!(
            "name = \"many\"\ndomains = [{atlas:?}]\nstrategies = [{}]\n",
            many.join(", ")
        ),
    )
    .unwrap();
    let o = zopa(&["tournament", f.to_str().unwrap(), "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["planned"], 8_000_000);
}

/// Ctrl-C (SIGINT) stops a run after the batch in flight: exit 130, what
/// finished is stored, and the same command finishes the rest.
#[test]
fn ctrl_c_stops_cleanly_and_the_rerun_finishes() {
    let f = tournament("interrupt", 10, 1000);
    let db = f.with_file_name("r.sqlite");
    let child = spawn(&f, &db, "1", Stdio::piped);
    wait_until_writing(&db);
    std::thread::sleep(Duration::from_millis(300));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(stderr(&o).contains("interrupted:"), "{}", stderr(&o));
    let r = report_json(&db);
    let stored = r["negotiations_completed"].as_u64().unwrap();
    assert!(stored > 0 && stored < r["negotiations_planned"].as_u64().unwrap());
    let o = run(&f, &db);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report_json(&db);
    assert_eq!(r["negotiations_completed"], r["negotiations_planned"]);
}

//! Helpers shared by the CLI's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run the `zopa` binary (without the caller's `COLUMNS`: text reports are
/// laid out for no width, as when piped).
pub fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .env_remove("COLUMNS")
        .output()
        .expect("run zopa")
}

/// Run the `zopa` binary with `COLUMNS` set.
pub fn zopa_columns(columns: usize, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .env("COLUMNS", columns.to_string())
        .output()
        .expect("run zopa")
}

/// `rel` in the repository (e.g. `examples/genius/supplier-contract`).
pub fn repo(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    assert!(p.exists(), "expected {} in the repository", p.display());
    p
}

/// A path in the tests' temporary directory, removed first.
pub fn tmp(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::remove_file(&d);
    d
}

/// Compare with a golden file; `UPDATE_GOLDEN=1 cargo test` rewrites it.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create)",
            path.display()
        )
    });
    if expected != actual {
        let diff_line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(run with UPDATE_GOLDEN=1 to accept)",
            diff_line + 1,
            expected.lines().nth(diff_line),
            actual.lines().nth(diff_line)
        );
    }
}

/// Every stored value of a tournament's results database, row by row in
/// number order (read with plain SQL, not through zopa's row code).
pub fn results_rows(db: &Path) -> Vec<Vec<rusqlite::types::Value>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT * FROM negotiations ORDER BY idx")
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A results database's `meta` table, by key.
pub fn results_meta(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT key, value FROM meta ORDER BY key")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

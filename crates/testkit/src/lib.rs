//! Test support shared by zopa's crates (a dev-dependency only; nothing in
//! the product depends on it).
//!
//! **External data.** Third-party test data — the ANAC/GENIUS corpus with
//! NegMAS's reference values, GeniusWeb examples, KTAB's reference runs,
//! news reports — is never part of the repository. Tests that need it read
//! it from the folder named by one environment variable,
//! [`ZOPA_EXTERNAL_DATA`](VAR), laid out as the project's `shared/` folder:
//!
//! ```text
//! corpus/genius/<domain>/…              GENIUS XML + NegMAS reference.json
//! corpus/geniusweb/<set>/…              GeniusWeb JSON
//! guides/bargaining-reference/…         KTAB inputs and smpc runs
//! evidence-reports/…                    news reports and annotations
//! ```
//!
//! A relative value is taken from the repository root (so `../shared` means
//! the folder beside the clone, whichever crate's test runs). When the
//! variable is unset, [`external`] writes one line to the terminal saying
//! what was skipped and why — past the test harness's output capture, so a
//! skip is never mistaken for a pass — and returns `None`. When it is set,
//! a missing folder is a test failure, never a skip.

pub mod exact;

use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable naming the external data folder.
pub const VAR: &str = "ZOPA_EXTERNAL_DATA";

/// The repository root (this crate lives in `crates/testkit`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The external data folder, if [`VAR`] is set (relative values are taken
/// from the repository root). Panics when it is set but names no folder.
pub fn external_root() -> Option<PathBuf> {
    let value = std::env::var_os(VAR).filter(|v| !v.is_empty())?;
    let path = PathBuf::from(&value);
    let path = if path.is_absolute() {
        path
    } else {
        repo_root().join(path)
    };
    assert!(
        path.is_dir(),
        "{VAR}={} is set but {} is not a folder (unset it to skip the external suite)",
        value.to_string_lossy(),
        path.display()
    );
    Some(path)
}

/// The external data's folder `rel` (e.g. `corpus/genius`), or `None`
/// after printing `what` was skipped because [`VAR`] is unset.
///
/// # Panics
///
/// When [`VAR`] is set but `rel` is not a folder under it: a test that was
/// asked to run against external data must not pass without it.
pub fn external(rel: &str, what: &str) -> Option<PathBuf> {
    let Some(root) = external_root() else {
        say(&format!(
            "SKIPPED {what}: {VAR} is not set (it names a folder laid out as shared/: {rel}/ …; `.ci/run` sets it to ../shared)"
        ));
        return None;
    };
    let dir = root.join(rel);
    assert!(
        dir.is_dir(),
        "{VAR} is set, but {} is missing: {what} cannot run",
        dir.display()
    );
    Some(dir)
}

/// Print one line to the terminal's standard error past the test harness's
/// capture: `external: LINE`. Tests use it to say what they checked against
/// external data (for example how many domains), and [`external`] to say
/// what they skipped.
///
/// The line goes out in one write and starts on a line of its own: the
/// harness writes `test NAME ... ` and `ok` to standard output separately,
/// and a log that merges both streams must still show `external:` at the
/// start of a line (`.ci/run` looks for it there).
pub fn say(line: &str) {
    let text = format!("\nexternal: {line}\n");
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The sub-folders of `dir`, sorted by name.
pub fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_root_holds_the_workspace() {
        assert!(repo_root().join("Cargo.toml").is_file());
        assert!(repo_root().join("crates/testkit").is_dir());
    }

    #[test]
    fn folders_are_sorted_and_exclude_files() {
        let names: Vec<String> = folders(&repo_root().join("crates"))
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(names.contains(&"testkit".to_string()));
        assert!(!names.iter().any(|n| n.ends_with(".toml")));
    }
}

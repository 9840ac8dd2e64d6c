//! Shared helpers for the interop tests (not a test itself).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `corpus/<sub>` at the repository root.
pub fn corpus(sub: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(sub);
    assert!(p.is_dir(), "corpus expected at {}", p.display());
    p
}

/// Every domain folder under a corpus directory, sorted.
pub fn folders(sub: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus(sub))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// A fresh empty temporary directory under the target dir.
pub fn tempdir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

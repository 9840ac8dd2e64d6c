//! Shared helpers for the interop tests (not a test itself).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `examples/<rel>` at the repository root: the project's own GENIUS and
/// GeniusWeb example domains.
pub fn example(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(rel);
    assert!(p.is_dir(), "example expected at {}", p.display());
    p
}

/// A fresh empty temporary directory under the target dir.
pub fn tempdir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

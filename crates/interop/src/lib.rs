//! # zopa-interop
//!
//! Readers and writers for the file formats of the automated-negotiation
//! community: GENIUS / ANAC XML ([`genius`]) and GeniusWeb JSON. Reading keeps
//! the files' numbers as written; [`semantics`] turns them into utilities the
//! way GENIUS does (for zopa's own analysis) or the way NegMAS does (for
//! conformance with NegMAS).
//!
//! Depends on `zopa-model` only; never on analysis, simulation or forecasting.

pub mod convert;
pub mod deliberation;
pub mod genius;
pub mod geniusweb;
pub mod lamen;
pub mod load;
pub mod scores;
pub mod semantics;
pub mod xml;

use std::path::PathBuf;

use zopa_model::Diagnostics;

/// Errors reading or writing interop files.
#[derive(Debug, thiserror::Error)]
pub enum InteropError {
    /// A file could not be read or written.
    #[error("cannot access {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is larger than zopa reads.
    #[error("cannot read {}", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The size and the bound.
        source: zopa_model::LimitError,
    },
    /// A file is malformed; every problem is located.
    #[error("{} is not valid ({} error(s)):\n{}", .0.origin, .0.error_count(), .0)]
    Invalid(Diagnostics),
    /// A folder does not hold what was expected.
    #[error("{0}")]
    Folder(String),
    /// The content cannot be represented (too large, unsupported).
    #[error("{0}")]
    Unsupported(String),
}

/// Read a whole input file, capped at `zopa_model::limits::MAX_INPUT_BYTES`.
pub(crate) fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, InteropError> {
    use zopa_model::limits::{read_file, ReadError};
    read_file(path).map_err(|e| match e {
        ReadError::Io(source) => InteropError::Io {
            path: path.to_path_buf(),
            source,
        },
        ReadError::TooLarge(source) => InteropError::TooLarge {
            path: path.to_path_buf(),
            source,
        },
    })
}

/// An input file's bytes as text, or a located error at the first byte that
/// is not UTF-8.
pub(crate) fn utf8(origin: &str, bytes: Vec<u8>) -> Result<String, InteropError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let mut d = Diagnostics::new(origin.to_string());
        d.push(zopa_model::Diagnostic::error(
            "",
            Some(at..at + 1),
            "file is not valid UTF-8",
        ));
        d.locate(&String::from_utf8_lossy(e.as_bytes()));
        InteropError::Invalid(d)
    })
}

/// One file of a folder held in memory (an upload): its name and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileBytes {
    /// File name, without any folder.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The files of `dir` whose names end with `ext`, read (each capped), in
/// sorted name order.
pub(crate) fn folder_files(
    dir: &std::path::Path,
    ext: &str,
) -> Result<Vec<FileBytes>, InteropError> {
    let rd = std::fs::read_dir(dir).map_err(|source| InteropError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(ext))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            Ok(FileBytes {
                name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes: read_bytes(&p)?,
            })
        })
        .collect()
}

/// A folder's domain file and profiles, or an error naming what is missing.
pub(crate) fn require_parts<T, P>(
    dir: &std::path::Path,
    domain: Option<T>,
    profiles: &[P],
    format: &str,
    domain_hint: &str,
    profile_hint: &str,
) -> Result<T, InteropError> {
    let Some(d) = domain else {
        return Err(InteropError::Folder(format!(
            "{} has no {format} domain file ({domain_hint})",
            dir.display()
        )));
    };
    if profiles.is_empty() {
        return Err(InteropError::Folder(format!(
            "{} has no {format} profile ({profile_hint})",
            dir.display()
        )));
    }
    Ok(d)
}

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
pub mod genius;
pub mod geniusweb;
pub mod load;
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

/// A folder's domain file and profiles, or an error naming what is missing.
pub(crate) fn require_parts<T>(
    dir: &std::path::Path,
    domain: Option<T>,
    profiles: &[T],
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

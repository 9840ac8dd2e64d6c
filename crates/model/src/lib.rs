//! # zopa-model
//!
//! The bottom of zopa: the negotiation scenario and everything needed to trust
//! it. It owns
//!
//! * the scenario file schema ([`doc`]), read from TOML or JSON into a spanned
//!   tree ([`tree`]) and decoded with every problem collected ([`decode`]);
//! * validation ([`validate`]) into the checked [`Scenario`], including the
//!   verbatim check of every evidence quote ([`evidence`]);
//! * diagnostics with file:line:column ([`diag`]);
//! * outcome-space indexing ([`space`]) and additive utility evaluation ([`utility`]).
//!
//! It knows nothing of analysis, simulation, forecasting, interop formats or
//! any user interface.

pub mod cancel;
pub mod claims;
pub mod decode;
pub mod diag;
pub mod doc;
pub mod evidence;
pub mod limits;
pub mod perturb;
pub mod scenario;
pub mod space;
pub mod tables;
pub mod tree;
pub mod utility;
pub mod validate;
mod write;

use std::path::{Path, PathBuf};

pub use cancel::Cancel;
pub use claims::{Claim, ClaimCounts, ClaimKind};
pub use diag::{Diagnostic, Diagnostics, LineCol, Severity};
pub use limits::{Knob, LimitError};
pub use scenario::*;
pub use space::{OutcomeSpace, SpaceError, DEFAULT_LIMIT};
pub use tables::{Synthetic, Tables};
pub use tree::Syntax;
pub use utility::{Term, UtilityModel};
pub use validate::{FsLoader, MapLoader, SourceLoader};

/// A checked scenario and the warnings found while checking it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// Warnings (never errors), located.
    pub warnings: Diagnostics,
}

/// Errors loading a scenario file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is larger than [`limits::MAX_INPUT_BYTES`].
    #[error("cannot read {}", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The size and the bound.
        source: LimitError,
    },
    /// The file was read but is not a valid scenario.
    #[error("{} is not a valid scenario ({} error(s)):\n{diags}", diags.origin, diags.error_count())]
    Invalid {
        /// Every problem found, located.
        diags: Diagnostics,
    },
}

/// The syntax implied by a file name: `.json` is JSON, anything else TOML.
pub fn syntax_for_path(path: &Path) -> Syntax {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("json") => Syntax::Json,
        _ => Syntax::Toml,
    }
}

/// Parse, decode and validate scenario text. `origin` names the input in
/// diagnostics. On failure every problem is returned, located and sorted.
pub fn load_str(
    text: &str,
    syntax: Syntax,
    origin: &str,
    loader: &dyn SourceLoader,
) -> Result<Loaded, Diagnostics> {
    let mut diags = Diagnostics::new(origin);
    let result = match tree::parse(text, syntax) {
        Err(errs) => {
            diags.items = errs;
            None
        }
        Ok(root) => {
            let doc = decode::decode(&root, &mut diags);
            validate::validate(&doc, loader, &mut diags)
        }
    };
    diags.locate(text);
    diags.sort();
    match result {
        Some(scenario) if !diags.has_errors() => Ok(Loaded {
            scenario,
            warnings: diags,
        }),
        _ => Err(diags),
    }
}

/// Read and check a scenario file; sources are resolved relative to its directory.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let bytes = limits::read_file(path).map_err(|e| match e {
        limits::ReadError::Io(source) => LoadError::Io {
            path: path.to_path_buf(),
            source,
        },
        limits::ReadError::TooLarge(source) => LoadError::TooLarge {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let origin = path.display().to_string();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let mut diags = Diagnostics::new(origin);
            diags.push(Diagnostic::error(
                "",
                Some(valid..valid + 1),
                "file is not valid UTF-8",
            ));
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            diags.locate(&lossy);
            return Err(LoadError::Invalid { diags });
        }
    };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    load_str(&text, syntax_for_path(path), &origin, &FsLoader { base })
        .map_err(|diags| LoadError::Invalid { diags })
}

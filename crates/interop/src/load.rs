//! Load a scenario from any supported source, chosen by what the path is:
//! a GENIUS folder, a GeniusWeb folder, or a zopa `.toml` / `.json` file.

use std::path::Path;

use zopa_model::{Diagnostics, LoadError, Scenario};

use crate::semantics::Warning;
use crate::{convert, genius, geniusweb, semantics, InteropError};

/// The format of a path: folders by content, files by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// zopa scenario (TOML or JSON by extension).
    Zopa,
    /// GENIUS / ANAC XML folder.
    Genius,
    /// GeniusWeb JSON folder.
    GeniusWeb,
}

/// What `path` is, or `None` for a folder holding neither format.
pub fn detect(path: &Path) -> Option<Source> {
    if path.is_dir() {
        if genius::is_genius_folder(path) {
            Some(Source::Genius)
        } else if geniusweb::is_geniusweb_folder(path) {
            Some(Source::GeniusWeb)
        } else {
            None
        }
    } else {
        Some(Source::Zopa)
    }
}

/// A scenario imported from a GENIUS or GeniusWeb folder.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The scenario, checked by zopa's validation.
    pub scenario: Scenario,
    /// What the conversion could not carry over exactly (no position).
    pub warnings: Vec<Warning>,
    /// Located warnings of the files read, one list per file.
    pub located: Vec<Diagnostics>,
}

/// Import a GENIUS (GENIUS semantics) or GeniusWeb folder, refusing outcome
/// spaces above `limit`.
pub fn import_folder(path: &Path, kind: Source, limit: u64) -> Result<Imported, InteropError> {
    match kind {
        Source::Genius => {
            let f = genius::read_folder(path)?;
            let (scenario, warnings) =
                semantics::to_scenario(&f, limit, semantics::DEFAULT_REAL_STEPS)?;
            let located = f
                .profiles
                .iter()
                .filter(|p| !p.warnings.items.is_empty())
                .map(|p| p.warnings.clone())
                .collect();
            Ok(Imported {
                scenario,
                warnings,
                located,
            })
        }
        Source::GeniusWeb => {
            let (scenario, warnings) =
                convert::geniusweb_to_scenario(&geniusweb::read_folder(path)?, limit)?;
            Ok(Imported {
                scenario,
                warnings,
                located: vec![],
            })
        }
        Source::Zopa => Err(InteropError::Folder(format!(
            "{} is a zopa scenario file, not a GENIUS or GeniusWeb folder",
            path.display()
        ))),
    }
}

/// Load a scenario (GENIUS semantics for GENIUS folders), with every warning
/// as a message.
pub fn load(path: &Path, limit: u64) -> Result<(Scenario, Vec<Warning>), InteropError> {
    match detect(path) {
        None => Err(InteropError::Folder(format!(
            "{} holds neither a GENIUS nor a GeniusWeb domain",
            path.display()
        ))),
        Some(Source::Zopa) => match zopa_model::load_file(path) {
            Ok(l) => Ok((
                l.scenario,
                l.warnings.items.iter().map(|d| d.message.clone()).collect(),
            )),
            Err(LoadError::Invalid { diags }) => Err(InteropError::Invalid(diags)),
            Err(LoadError::Io { path, source }) => Err(InteropError::Io { path, source }),
            Err(LoadError::TooLarge { path, source }) => {
                Err(InteropError::TooLarge { path, source })
            }
        },
        Some(kind) => {
            let i = import_folder(path, kind, limit)?;
            let mut warnings = i.warnings;
            warnings.extend(
                i.located
                    .iter()
                    .flat_map(|d| d.items.iter().map(|x| x.message.clone())),
            );
            Ok((i.scenario, warnings))
        }
    }
}

//! Load a scenario from any supported source, chosen by what the path is:
//! a GENIUS folder, a GeniusWeb folder, or a zopa `.toml` / `.json` file.

use std::path::Path;

use zopa_model::{LoadError, Scenario};

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

/// Load a scenario (GENIUS semantics for GENIUS folders), with conversion warnings.
pub fn load(path: &Path, limit: u64) -> Result<(Scenario, Vec<Warning>), InteropError> {
    match detect(path) {
        None => Err(InteropError::Folder(format!(
            "{} holds neither a GENIUS nor a GeniusWeb domain",
            path.display()
        ))),
        Some(Source::Genius) => {
            let f = genius::read_folder(path)?;
            semantics::to_scenario(&f, limit, semantics::DEFAULT_REAL_STEPS)
        }
        Some(Source::GeniusWeb) => {
            convert::geniusweb_to_scenario(&geniusweb::read_folder(path)?, limit)
        }
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
    }
}

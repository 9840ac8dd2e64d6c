//! Load a scenario from any supported source, chosen by what the path is:
//! a GENIUS folder, a GeniusWeb folder, an LLM-Deliberation game folder, or
//! a zopa `.toml` / `.json` file.

use std::path::Path;

use zopa_model::{Diagnostics, LoadError, Scenario};

use crate::semantics::Warning;
use crate::{convert, deliberation, genius, geniusweb, lamen, semantics, FileBytes, InteropError};

/// The format of a path: folders by content, files by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// zopa scenario (TOML or JSON by extension).
    Zopa,
    /// GENIUS / ANAC XML folder.
    Genius,
    /// GeniusWeb JSON folder.
    GeniusWeb,
    /// LLM-Deliberation game folder (`config.txt`, `scores_files/`).
    Deliberation,
    /// LAMEN game (a `.yaml` / `.yml` file).
    Lamen,
}

/// What `path` is, or `None` for a folder holding neither format.
pub fn detect(path: &Path) -> Option<Source> {
    if path.is_dir() {
        if genius::is_genius_folder(path) {
            Some(Source::Genius)
        } else if geniusweb::is_geniusweb_folder(path) {
            Some(Source::GeniusWeb)
        } else if deliberation::is_deliberation_folder(path) {
            Some(Source::Deliberation)
        } else {
            None
        }
    } else if lamen::is_lamen_file(path) {
        Some(Source::Lamen)
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

/// Import a GENIUS (GENIUS semantics), GeniusWeb or LLM-Deliberation
/// folder, refusing outcome spaces above `limit` (GENIUS, GeniusWeb).
pub fn import_folder(path: &Path, kind: Source, limit: u64) -> Result<Imported, InteropError> {
    match kind {
        Source::Genius => from_genius(&genius::read_folder(path)?, limit),
        Source::GeniusWeb => from_geniusweb(&geniusweb::read_folder(path)?, limit),
        Source::Lamen => {
            let (scenario, warnings) = lamen::read_file(path)?;
            Ok(Imported {
                scenario,
                warnings,
                located: vec![],
            })
        }
        Source::Deliberation => {
            let (scenario, warnings) =
                deliberation::to_scenario(&deliberation::read_folder(path)?)?;
            Ok(Imported {
                scenario,
                warnings,
                located: vec![],
            })
        }
        Source::Zopa => Err(InteropError::Folder(format!(
            "{} is a zopa scenario file, not a GENIUS, GeniusWeb or LLM-Deliberation folder",
            path.display()
        ))),
    }
}

/// The format of a folder's files held in memory, or `None` when they hold
/// neither a GENIUS nor a GeniusWeb domain.
pub fn detect_files(files: &[FileBytes]) -> Option<Source> {
    if genius::is_genius_files(files) {
        Some(Source::Genius)
    } else if geniusweb::is_geniusweb_files(files) {
        Some(Source::GeniusWeb)
    } else {
        None
    }
}

/// Import a GENIUS or GeniusWeb folder's files held in memory (an upload;
/// no file system involved), detected by content; `name` names the folder
/// in messages.
pub fn import_files(
    name: &str,
    files: Vec<FileBytes>,
    limit: u64,
) -> Result<Imported, InteropError> {
    let dir = Path::new(name);
    match detect_files(&files) {
        Some(Source::Genius) => from_genius(&genius::read_files(dir, files)?, limit),
        Some(Source::GeniusWeb) => from_geniusweb(&geniusweb::read_files(dir, files)?, limit),
        _ => Err(InteropError::Folder(format!(
            "the {} file(s) of {name} hold neither a GENIUS domain (.xml with <negotiation_template>) nor a GeniusWeb domain (.json with issuesValues)",
            files.len()
        ))),
    }
}

fn from_genius(f: &genius::GeniusFolder, limit: u64) -> Result<Imported, InteropError> {
    let (scenario, warnings) = semantics::to_scenario(f, limit, semantics::DEFAULT_REAL_STEPS)?;
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

fn from_geniusweb(set: &geniusweb::GwSet, limit: u64) -> Result<Imported, InteropError> {
    let (scenario, warnings) = convert::geniusweb_to_scenario(set, limit)?;
    Ok(Imported {
        scenario,
        warnings,
        located: vec![],
    })
}

/// Load a scenario (GENIUS semantics for GENIUS folders), with every warning
/// as a message.
pub fn load(path: &Path, limit: u64) -> Result<(Scenario, Vec<Warning>), InteropError> {
    match detect(path) {
        None => Err(InteropError::Folder(format!(
            "{} holds neither a GENIUS nor a GeniusWeb domain nor an LLM-Deliberation game",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The project's own example domains (`examples/` at the repository root).
    fn example(rel: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples")
            .join(rel)
    }

    fn files_of(dir: &Path) -> Vec<FileBytes> {
        let mut v: Vec<FileBytes> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| FileBytes {
                name: p.file_name().unwrap().to_string_lossy().into_owned(),
                bytes: std::fs::read(&p).unwrap(),
            })
            .collect();
        // Uploads arrive in any order.
        v.reverse();
        v
    }

    /// A folder's files uploaded in memory (under the folder's name) import to
    /// the same scenario and warnings as the folder read from disk, in either
    /// format.
    #[test]
    fn uploaded_files_import_like_the_folder() {
        for (rel, kind) in [
            ("genius/harbour-expansion", Source::Genius),
            ("geniusweb/job-offer", Source::GeniusWeb),
        ] {
            let dir = example(rel);
            let a = import_folder(&dir, kind, 1_000_000).unwrap();
            let files = files_of(&dir);
            assert_eq!(detect_files(&files), Some(kind));
            let name = rel.split('/').nth(1).unwrap();
            let b = import_files(name, files, 1_000_000).unwrap();
            assert_eq!(a.scenario, b.scenario, "{rel}");
            assert_eq!(a.warnings, b.warnings, "{rel}");
        }
    }

    /// Files holding no domain, or bytes that are not UTF-8, are refused with
    /// a message naming the upload.
    #[test]
    fn uploads_without_a_domain_are_refused() {
        let e = import_files(
            "upload",
            vec![FileBytes {
                name: "notes.txt".into(),
                bytes: b"hello".to_vec(),
            }],
            1000,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("the 1 file(s) of upload hold neither"),
            "{e}"
        );
        let mut files = files_of(&example("genius/supplier-contract"));
        files.push(FileBytes {
            name: "broken.xml".into(),
            bytes: vec![b'<', 0xff, b'>'],
        });
        match import_files("upload", files, 1000) {
            Err(InteropError::Invalid(d)) => assert_eq!(d.origin, "upload/broken.xml"),
            other => panic!("{other:?}"),
        }
    }
}

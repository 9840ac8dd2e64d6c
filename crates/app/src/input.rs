//! What a user names, resolved into a checked scenario: a built-in, a zopa
//! file (TOML or JSON), a GENIUS or GeniusWeb folder, or scenario text sent
//! with its source documents (no file system involved, for network clients).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use zopa_interop::load::{self as import, Source};
use zopa_interop::FileBytes;
use zopa_model::{Diagnostics, MapLoader, Scenario, Syntax};

use crate::builtin::{self, Builtin};
pub use crate::error::AppError;

/// Scenario formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// zopa scenario, TOML.
    Toml,
    /// zopa scenario, JSON.
    Json,
    /// GENIUS / ANAC XML folder: a domain file and one profile per party.
    Genius,
    /// GeniusWeb JSON folder: a domain file and LinearAdditiveUtilitySpace profiles.
    Geniusweb,
    /// LLM-Deliberation game folder: `config.txt` and `scores_files/` (read only).
    Deliberation,
    /// LAMEN game, a `.yaml` file (read only).
    Lamen,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Toml,
        Format::Json,
        Format::Genius,
        Format::Geniusweb,
        Format::Deliberation,
        Format::Lamen,
    ];

    /// Its name: `toml`, `json`, `genius`, `geniusweb`, `deliberation` or `lamen`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
            Format::Genius => "genius",
            Format::Geniusweb => "geniusweb",
            Format::Deliberation => "deliberation",
            Format::Lamen => "lamen",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                format!(
                    "format must be toml, json, genius, geniusweb, deliberation or lamen, not `{s}`"
                )
            })
    }
}

/// Where a scenario comes from.
#[derive(Debug, Clone)]
pub enum Input {
    /// Compiled into the binary.
    Builtin(&'static Builtin),
    /// A file or folder in a known format.
    Path(PathBuf, Format),
    /// Scenario text and the source documents its evidence cites (by the path
    /// the scenario gives), held in memory.
    Text {
        /// Name used in diagnostics.
        name: String,
        /// TOML or JSON.
        syntax: Syntax,
        /// The scenario.
        text: String,
        /// Cited path → document text.
        sources: HashMap<String, String>,
    },
    /// A GENIUS or GeniusWeb folder's files held in memory (an upload),
    /// detected by content.
    Files {
        /// The folder's name: the imported scenario's id, and the origin in
        /// messages.
        name: String,
        /// The files, in any order.
        files: Vec<FileBytes>,
    },
}

/// A checked scenario with its origin and every warning found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// File, folder, `builtin:NAME`, or the name given with the text.
    pub origin: String,
    /// Located validation warnings (zopa scenarios).
    pub diagnostics: Diagnostics,
    /// What an import could not carry over exactly (no position).
    pub warnings: Vec<String>,
    /// Located warnings of imported files, one list per file.
    pub located: Vec<Diagnostics>,
}

/// An outcome-space limit is 1 to [`zopa_model::limits::MAX_ENUMERATION`]
/// (the most any surface accepts: counting walks every package).
pub fn check_limit(limit: u64) -> Result<(), AppError> {
    if limit == 0 {
        return Err(AppError::Usage(
            "the outcome-space limit is at least 1".into(),
        ));
    }
    Ok(zopa_model::limits::check(
        "the outcome-space limit asked for",
        u128::from(limit),
        zopa_model::limits::MAX_ENUMERATION,
        None,
    )?)
}

/// The format of an existing path: folders by content, files by extension.
pub fn detect(path: &Path) -> Result<Format, AppError> {
    match import::detect(path) {
        Some(Source::Genius) => Ok(Format::Genius),
        Some(Source::GeniusWeb) => Ok(Format::Geniusweb),
        Some(Source::Deliberation) => Ok(Format::Deliberation),
        Some(Source::Lamen) => Ok(Format::Lamen),
        Some(Source::Zopa) => Ok(match zopa_model::syntax_for_path(path) {
            Syntax::Json => Format::Json,
            Syntax::Toml => Format::Toml,
        }),
        None => Err(AppError::NotFound(format!(
            "{} is a folder but holds neither a GENIUS domain (.xml with <negotiation_template>), a GeniusWeb domain (.json with issuesValues) nor an LLM-Deliberation game (config.txt and scores_files/)",
            path.display()
        ))),
    }
}

/// Resolve what the user named: nothing = the default built-in;
/// `builtin:NAME`, or a bare built-in name that is not a path; else a path
/// whose format is `from` or detected.
pub fn resolve(arg: Option<&str>, from: Option<Format>) -> Result<Input, AppError> {
    let Some(arg) = arg else {
        return Ok(Input::Builtin(
            builtin::find(builtin::DEFAULT).expect("the default is built in"),
        ));
    };
    if let Some(name) = arg.strip_prefix("builtin:") {
        return builtin::find(name).map(Input::Builtin).ok_or_else(|| {
            AppError::NotFound(format!(
                "no built-in scenario `{name}` (run `zopa scenarios` to list them)"
            ))
        });
    }
    let path = Path::new(arg);
    if !path.exists() {
        if let Some(b) = builtin::find(arg) {
            return Ok(Input::Builtin(b));
        }
        if from.is_none() {
            return Err(AppError::NotFound(not_found(arg)));
        }
    }
    let format = match from {
        Some(f) => f,
        None => detect(path)?,
    };
    Ok(Input::Path(path.to_path_buf(), format))
}

/// "No such file", with where to look: a file of that name under
/// `examples/`, the built-in scenarios, and how paths are read.
fn not_found(arg: &str) -> String {
    let mut msg = format!("cannot read {arg}: no such file or folder");
    let nearby = ["toml", "json", "yaml"]
        .iter()
        .map(|ext| format!("examples/{arg}.{ext}"))
        .chain(std::iter::once(format!("examples/{arg}")))
        .find(|p| Path::new(p).exists());
    match nearby {
        Some(p) => msg.push_str(&format!(" (did you mean {p}?)")),
        None => msg.push_str(
            " (paths are relative to the current folder; `zopa scenarios` lists the built-in scenarios, and the repository's examples/ folder holds example files)",
        ),
    }
    msg
}

/// Load and check the scenario; `limit` bounds the outcome space of imported
/// folders.
pub fn load(input: &Input, limit: u64) -> Result<Loaded, AppError> {
    check_limit(limit)?;
    let zopa = |l: zopa_model::Loaded, origin: String| Loaded {
        scenario: l.scenario,
        origin,
        diagnostics: l.warnings,
        warnings: vec![],
        located: vec![],
    };
    match input {
        Input::Builtin(b) => Ok(zopa(b.load().map_err(AppError::Invalid)?, b.origin())),
        Input::Text {
            name,
            syntax,
            text,
            sources,
        } => {
            let l = zopa_model::load_str(text, *syntax, name, &MapLoader(sources.clone()))
                .map_err(AppError::Invalid)?;
            Ok(zopa(l, name.clone()))
        }
        Input::Files { name, files } => {
            let i = import::import_files(name, files.clone(), limit)?;
            Ok(imported(i, name.clone()))
        }
        Input::Path(p, format) => {
            let origin = p.display().to_string();
            match format {
                Format::Toml | Format::Json => Ok(zopa(read_zopa(p, *format)?, origin)),
                Format::Genius | Format::Geniusweb | Format::Deliberation | Format::Lamen => {
                    let kind = match format {
                        Format::Genius => Source::Genius,
                        Format::Geniusweb => Source::GeniusWeb,
                        Format::Lamen => Source::Lamen,
                        _ => Source::Deliberation,
                    };
                    Ok(imported(import::import_folder(p, kind, limit)?, origin))
                }
            }
        }
    }
}

fn imported(i: import::Imported, origin: String) -> Loaded {
    Loaded {
        scenario: i.scenario,
        origin,
        diagnostics: Diagnostics::default(),
        warnings: i.warnings,
        located: i.located,
    }
}

/// A zopa scenario file in the syntax `format` names, whatever its extension.
fn read_zopa(p: &Path, format: Format) -> Result<zopa_model::Loaded, AppError> {
    let syntax = if format == Format::Json {
        Syntax::Json
    } else {
        Syntax::Toml
    };
    // load_file locates UTF-8 errors; use it when the extension agrees.
    if zopa_model::syntax_for_path(p) == syntax {
        return Ok(zopa_model::load_file(p)?);
    }
    let text = zopa_model::limits::read_text(p).map_err(AppError::NotFound)?;
    let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
    zopa_model::load_str(
        &text,
        syntax,
        &p.display().to_string(),
        &zopa_model::FsLoader { base },
    )
    .map_err(AppError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text sent with its sources loads exactly like the built-in it copies,
    /// with no file system involved.
    #[test]
    fn text_with_sources_loads_like_the_builtin() {
        let b = builtin::find(builtin::DEFAULT).unwrap();
        let text = Input::Text {
            name: "upload.toml".into(),
            syntax: Syntax::Toml,
            text: b.toml.to_string(),
            sources: b
                .sources
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        };
        let a = load(&text, 100).unwrap();
        let c = load(&Input::Builtin(b), 100).unwrap();
        assert_eq!(a.origin, "upload.toml");
        assert_eq!(a.scenario, c.scenario);
        // Without its sources, every quote is an error.
        let Input::Text {
            name, syntax, text, ..
        } = text
        else {
            unreachable!()
        };
        let bare = Input::Text {
            name,
            syntax,
            text,
            sources: HashMap::new(),
        };
        assert!(matches!(load(&bare, 100), Err(AppError::Invalid(d)) if d.error_count() > 0));
    }

    #[test]
    fn names_resolve_to_builtins_paths_or_a_clear_error() {
        assert!(matches!(resolve(None, None), Ok(Input::Builtin(_))));
        assert!(matches!(
            resolve(Some("security-guarantees"), None),
            Ok(Input::Builtin(_))
        ));
        let e = resolve(Some("builtin:nope"), None).unwrap_err();
        assert!(e.to_string().contains("no built-in scenario `nope`"));
        let e = resolve(Some("no/such/file.toml"), None).unwrap_err();
        assert!(e.to_string().contains("cannot read no/such/file.toml"));
        assert_eq!("geniusweb".parse::<Format>(), Ok(Format::Geniusweb));
        assert!("xml".parse::<Format>().is_err());
    }
}

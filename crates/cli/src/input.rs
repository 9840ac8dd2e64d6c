//! Resolving the scenario argument (a zopa file, a GENIUS or GeniusWeb folder,
//! or a built-in) and loading it into a checked scenario.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use zopa_interop::{convert, genius, geniusweb, semantics, InteropError};
use zopa_model::{Diagnostics, LoadError, Scenario};

use crate::builtin::{self, Builtin};
use crate::Failure;

/// Scenario file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// zopa scenario, TOML.
    Toml,
    /// zopa scenario, JSON.
    Json,
    /// GENIUS / ANAC XML folder: a domain file and one profile per party.
    Genius,
    /// GeniusWeb JSON folder: a domain file and LinearAdditiveUtilitySpace profiles.
    Geniusweb,
}

/// Where a scenario comes from.
pub enum Input {
    /// Compiled into the binary.
    Builtin(&'static Builtin),
    /// A file or folder in a known format.
    Path(PathBuf, Format),
}

/// The format of an existing path: folders by content, files by extension.
pub fn detect(path: &Path) -> Result<Format, Failure> {
    use zopa_interop::load::{self, Source};
    match load::detect(path) {
        Some(Source::Genius) => Ok(Format::Genius),
        Some(Source::GeniusWeb) => Ok(Format::Geniusweb),
        Some(Source::Zopa) => Ok(match zopa_model::syntax_for_path(path) {
            zopa_model::Syntax::Json => Format::Json,
            zopa_model::Syntax::Toml => Format::Toml,
        }),
        None => Err(anyhow::anyhow!(
            "{} is a folder but holds neither a GENIUS domain (.xml with <negotiation_template>) nor a GeniusWeb domain (.json with issuesValues)",
            path.display()
        )
        .into()),
    }
}

/// Resolve the scenario argument: none = the default built-in; `builtin:NAME`
/// or a bare built-in name that is not a path; else a path.
pub fn resolve(arg: Option<&str>, from: Option<Format>) -> Result<Input, Failure> {
    let Some(arg) = arg else {
        return Ok(Input::Builtin(
            builtin::find(builtin::DEFAULT).expect("the default is built in"),
        ));
    };
    if let Some(name) = arg.strip_prefix("builtin:") {
        return builtin::find(name).map(Input::Builtin).ok_or_else(|| {
            anyhow::anyhow!("no built-in scenario `{name}` (run `zopa scenarios` to list them)")
                .into()
        });
    }
    let path = Path::new(arg);
    if !path.exists() {
        if let Some(b) = builtin::find(arg) {
            return Ok(Input::Builtin(b));
        }
        if from.is_none() {
            return Err(anyhow::anyhow!("cannot read {arg}: no such file or folder").into());
        }
    }
    let format = match from {
        Some(f) => f,
        None => detect(path)?,
    };
    Ok(Input::Path(path.to_path_buf(), format))
}

/// A loaded scenario with its origin and the warnings to show.
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// File, folder, or `builtin:NAME`.
    pub origin: String,
    /// Located validation warnings (zopa files).
    pub diagnostics: Diagnostics,
    /// Conversion warnings (GENIUS / GeniusWeb).
    pub warnings: Vec<String>,
    /// Located warnings from imported files, one list per file.
    pub located: Vec<Diagnostics>,
}

impl Loaded {
    /// Number of warnings of every kind.
    pub fn warning_count(&self) -> usize {
        let located: usize = self.located.iter().map(|d| d.items.len()).sum();
        self.diagnostics.items.len() + located + self.warnings.len()
    }

    /// Print every warning to stderr.
    pub fn print_warnings(&self) {
        if !self.diagnostics.items.is_empty() {
            eprint!("{}", self.diagnostics);
        }
        for d in &self.located {
            eprint!("{d}");
        }
        for w in &self.warnings {
            eprintln!("zopa: warning: {w}");
        }
    }
}

fn invalid(diags: Diagnostics) -> Failure {
    Failure::invalid(diags)
}

/// Interop errors: malformed files exit 1, the rest 2.
pub fn interop_failure(e: InteropError) -> Failure {
    match e {
        InteropError::Invalid(d) => invalid(d),
        other => Failure::from(anyhow::Error::new(other)),
    }
}

/// Load and check a scenario. `limit` bounds the outcome space of imported domains.
pub fn load(input: &Input, limit: u64) -> Result<Loaded, Failure> {
    match input {
        Input::Builtin(b) => {
            let l = b.load().map_err(invalid)?;
            Ok(Loaded {
                scenario: l.scenario,
                origin: b.origin(),
                diagnostics: l.warnings,
                warnings: vec![],
                located: vec![],
            })
        }
        Input::Path(p, format) => {
            let origin = p.display().to_string();
            match format {
                Format::Toml | Format::Json => {
                    let l = read_zopa(p, *format)?;
                    Ok(Loaded {
                        scenario: l.scenario,
                        origin,
                        diagnostics: l.warnings,
                        warnings: vec![],
                        located: vec![],
                    })
                }
                Format::Genius => {
                    let folder = genius::read_folder(p).map_err(interop_failure)?;
                    let (scenario, warnings) =
                        semantics::to_scenario(&folder, limit, semantics::DEFAULT_REAL_STEPS)
                            .map_err(interop_failure)?;
                    let located = folder
                        .profiles
                        .iter()
                        .filter(|p| !p.warnings.items.is_empty())
                        .map(|p| p.warnings.clone())
                        .collect();
                    Ok(Loaded {
                        scenario,
                        origin,
                        diagnostics: Diagnostics::default(),
                        warnings,
                        located,
                    })
                }
                Format::Geniusweb => {
                    let set = geniusweb::read_folder(p).map_err(interop_failure)?;
                    let (scenario, warnings) =
                        convert::geniusweb_to_scenario(&set, limit).map_err(interop_failure)?;
                    Ok(Loaded {
                        scenario,
                        origin,
                        diagnostics: Diagnostics::default(),
                        warnings,
                        located: vec![],
                    })
                }
            }
        }
    }
}

fn read_zopa(p: &Path, format: Format) -> Result<zopa_model::Loaded, Failure> {
    let syntax = if format == Format::Json {
        zopa_model::Syntax::Json
    } else {
        zopa_model::Syntax::Toml
    };
    // load_file handles UTF-8 errors with positions; use it when the syntax
    // matches the extension, else decode here.
    if zopa_model::syntax_for_path(p) == syntax {
        return zopa_model::load_file(p).map_err(|e| match e {
            LoadError::Invalid { diags } => invalid(diags),
            e => anyhow::Error::new(e).into(),
        });
    }
    let text = zopa_model::limits::read_text(p).map_err(|e| anyhow::anyhow!(e))?;
    let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
    zopa_model::load_str(
        &text,
        syntax,
        &p.display().to_string(),
        &zopa_model::FsLoader { base },
    )
    .map_err(invalid)
}

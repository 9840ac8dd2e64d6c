//! The scenario argument, resolved and loaded by the application layer
//! (`zopa_app::input`); here only what the terminal needs: parsing
//! `--from`, mapping failures to exit codes, and printing warnings.

use zopa_app::input as app;
pub use zopa_app::input::{Format, Input, Loaded};
use zopa_app::AppError;
use zopa_model::Knob;

use crate::{Failure, EXIT_INVALID};

/// `--from` / `--to`: a format by name, the names listed in help.
pub fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::name))
        .map(|s| s.parse::<Format>().expect("one of the listed names"))
}

/// Application errors: invalid input exits 1 with its located problems,
/// anything else 2; a refusal names the flag that raises its bound.
pub fn failure(e: AppError) -> Failure {
    let Some(diagnostics) = e.diagnostics().cloned() else {
        return match e.knob() {
            Some(_) => anyhow::anyhow!(e.message(|k| Some(flag(k)))).into(),
            None => anyhow::Error::new(e).into(),
        };
    };
    Failure {
        code: EXIT_INVALID,
        error: anyhow::Error::new(e),
        diagnostics: Some(diagnostics),
    }
}

/// The command-line flag of a knob (`--max-frontier`).
pub fn flag(k: Knob) -> String {
    format!("--{}", k.name().replace('_', "-"))
}

/// Resolve the scenario argument (see `zopa_app::input::resolve`).
pub fn resolve(arg: Option<&str>, from: Option<Format>) -> Result<Input, Failure> {
    app::resolve(arg, from).map_err(failure)
}

/// Load and check the scenario; `limit` bounds imported folders' spaces.
pub fn load(input: &Input, limit: u64) -> Result<Loaded, Failure> {
    app::load(input, limit).map_err(failure)
}

/// Print every warning of a loaded scenario to stderr.
pub fn print_warnings(l: &Loaded) {
    use crate::visible;
    if !l.diagnostics.items.is_empty() {
        eprint!("{}", visible(&l.diagnostics.to_string()));
    }
    for d in &l.located {
        eprint!("{}", visible(&d.to_string()));
    }
    for w in &l.warnings {
        eprintln!("zopa: warning: {}", visible(w));
    }
}

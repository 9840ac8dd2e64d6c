//! The `zopa` command: parses arguments, loads the scenario, runs the engine,
//! renders the report and maps failures to exit codes. All the work is in the
//! library crates.

mod builtin;
mod pyrandom;
mod reference;
mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use zopa_model::{Diagnostics, LoadError, Loaded};

/// Exit code: the input scenario is invalid.
const EXIT_INVALID: u8 = 1;
/// Exit code: usage error, unreadable file, or a refused analysis.
const EXIT_FAILURE: u8 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  the scenario is invalid (every problem is listed on stderr as file:line:column)
  2  usage error, unreadable file, or analysis refused (e.g. outcome space too large)

Docs: docs/scenario-format.md (scenario files), docs/json-report.md (--json output).";

/// zopa — the zone of possible agreement. Negotiation analysis: agreement
/// space, Pareto frontier, bargaining solutions and blocking red lines.
#[derive(Parser, Debug)]
#[command(name = "zopa", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse a scenario: agreement space, Pareto frontier, Nash /
    /// Kalai–Smorodinsky / utilitarian / egalitarian packages, blocking red lines.
    #[command(after_help = "\
Examples:
  zopa analyze                              # the built-in default (security guarantees for Ukraine)
  zopa analyze my-negotiation.toml --top 5
  zopa analyze my-negotiation.json --json > report.json
  zopa analyze builtin:security-guarantees --top 0   # list every frontier package

Exit codes: 0 success, 1 invalid scenario, 2 usage error / unreadable file / space too large.")]
    Analyze(AnalyzeArgs),

    /// Check a scenario file and list every problem with file:line:column,
    /// including that each evidence quote occurs verbatim in its source.
    #[command(after_help = "\
Examples:
  zopa validate scenarios/security-guarantees.toml
  zopa validate my-negotiation.json

Exit codes: 0 valid (warnings may be printed), 1 invalid, 2 unreadable file.")]
    Validate {
        /// Scenario file (.toml or .json), or a built-in name.
        file: String,
    },

    /// List the built-in scenarios.
    #[command(after_help = "Example:\n  zopa scenarios")]
    Scenarios,

    /// Print NegMAS-compatible reference values for a GENIUS domain folder, in
    /// the schema of the corpus's reference.json (NegMAS 0.16 semantics: raw
    /// evaluations, exact rationality, equal utility vectors collapsed).
    #[command(after_help = "\
Examples:
  zopa reference ../shared/corpus/genius/anac2011-Laptop
  zopa reference my-domain-folder > reference.json

Exit codes: 0 success, 1 malformed files, 2 unreadable folder / usage error / space too large.
Semantics: docs/negmas-compatibility.md.")]
    Reference {
        /// GENIUS domain folder (one <negotiation_template> XML, one <utility_space> XML per party).
        dir: PathBuf,
        /// Refuse outcome spaces with more than N outcomes.
        #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT)]
        limit: u64,
    },
}

#[derive(Args, Debug)]
struct AnalyzeArgs {
    /// Scenario file (.toml or .json), or a built-in scenario name
    /// (`zopa scenarios` lists them). Default: the built-in security-guarantees.
    scenario: Option<String>,

    /// Print the report as JSON (schema in docs/json-report.md).
    #[arg(long)]
    json: bool,

    /// List at most N packages of each Pareto frontier (0 = all).
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,

    /// Refuse outcome spaces with more than N packages.
    #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT)]
    limit: u64,
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure {
            code: EXIT_FAILURE,
            error,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !is_broken_pipe(&f.error) {
                eprintln!("zopa: error: {:#}", f.error);
            }
            if is_broken_pipe(&f.error) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(f.code)
            }
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Analyze(args) => analyze(args),
        Command::Validate { file } => validate(&file),
        Command::Reference { dir, limit } => {
            let doc = reference::reference(&dir, limit).map_err(interop_failure)?;
            emit(&(serde_json::to_string_pretty(&doc).expect("plain JSON") + "\n"))
        }
        Command::Scenarios => {
            let mut out = String::new();
            for b in builtin::BUILTINS {
                let default = if b.name == builtin::DEFAULT {
                    " (default)"
                } else {
                    ""
                };
                out.push_str(&format!("{}{default}\n    {}\n", b.name, b.summary));
            }
            emit(&out)
        }
    }
}

/// Malformed input files exit 1; everything else 2.
fn interop_failure(e: anyhow::Error) -> Failure {
    let invalid = e
        .downcast_ref::<zopa_interop::InteropError>()
        .is_some_and(|e| matches!(e, zopa_interop::InteropError::Invalid(_)));
    Failure {
        code: if invalid { EXIT_INVALID } else { EXIT_FAILURE },
        error: e,
    }
}

fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")?;
    Ok(())
}

/// Where a scenario comes from.
enum Input {
    File(PathBuf),
    Builtin(&'static builtin::Builtin),
}

fn resolve(arg: Option<&str>) -> Result<Input, Failure> {
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
    }
    Ok(Input::File(path.to_path_buf()))
}

/// Load a scenario; an invalid one fails with exit code 1 and its diagnostics.
fn load(input: &Input) -> Result<(Loaded, String), Failure> {
    let invalid = |diags: Diagnostics| Failure {
        code: EXIT_INVALID,
        error: anyhow::anyhow!(
            "{} is not a valid scenario: {} error(s)\n{}",
            diags.origin,
            diags.error_count(),
            diags.to_string().trim_end()
        ),
    };
    match input {
        Input::Builtin(b) => Ok((b.load().map_err(invalid)?, b.origin())),
        Input::File(p) => match zopa_model::load_file(p) {
            Ok(l) => Ok((l, p.display().to_string())),
            Err(LoadError::Invalid { diags }) => Err(invalid(diags)),
            Err(e @ LoadError::Io { .. }) => Err(anyhow::Error::new(e).into()),
        },
    }
}

fn print_warnings(w: &Diagnostics) {
    if !w.items.is_empty() {
        eprint!("{w}");
    }
}

fn analyze(args: AnalyzeArgs) -> Result<(), Failure> {
    let input = resolve(args.scenario.as_deref())?;
    let (loaded, origin) = load(&input)?;
    print_warnings(&loaded.warnings);
    let opts = zopa_analysis::Options {
        limit: args.limit,
        ..Default::default()
    };
    let analysis = zopa_analysis::analyze(&loaded.scenario, &opts)
        .with_context(|| format!("cannot analyse {origin}"))?;
    let rep = report::Report {
        scenario: &loaded.scenario,
        origin: &origin,
        analysis: &analysis,
        top: args.top,
    };
    let text = if args.json {
        report::json::render(&rep)
    } else {
        report::text::render(&rep)
    };
    emit(&text)
}

fn validate(file: &str) -> Result<(), Failure> {
    let input = resolve(Some(file))?;
    let (loaded, origin) = load(&input)?;
    let s = &loaded.scenario;
    print_warnings(&loaded.warnings);
    let claims = s.claims();
    let assumptions = claims.iter().filter(|c| c.basis.is_assumption()).count();
    let quotes: usize = claims.iter().map(|c| c.basis.evidence.len()).sum();
    emit(&format!(
        "{origin}: valid — {} actors, {} issues, {} claims ({} analyst assumptions), {} evidence quotes found verbatim in their sources, {} warning(s)\n",
        s.actors.len(),
        s.issues.len(),
        claims.len(),
        assumptions,
        quotes,
        loaded.warnings.items.len()
    ))
}

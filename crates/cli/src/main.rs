//! The `zopa` command: parses arguments, loads the scenario, runs the engine,
//! renders the report and maps failures to exit codes. All the work is in the
//! library crates.

mod builtin;
mod convert;
mod forecast;
mod input;
mod pyrandom;
mod reference;
mod report;
mod simulate;
mod tournament;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

/// Exit code: the input scenario is invalid.
pub(crate) const EXIT_INVALID: u8 = 1;
/// Exit code: usage error, unreadable file, or a refused analysis.
pub(crate) const EXIT_FAILURE: u8 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  the scenario is invalid (every problem is listed on stderr as file:line:column)
  2  usage error, unreadable file, or analysis refused (e.g. outcome space too large)

Docs: docs/scenario-format.md (scenario files), docs/json-report.md (--json output),
docs/forecasting.md, docs/simulation.md, docs/negmas-compatibility.md.";

/// zopa — the zone of possible agreement. Negotiation analysis (agreement
/// space, Pareto frontier, bargaining solutions, blocking red lines),
/// forecasting, simulation and tournaments; reads and writes GENIUS and
/// GeniusWeb files.
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

    /// Convert a scenario between zopa TOML/JSON, GENIUS XML and GeniusWeb
    /// JSON. What the target cannot express is reported as a warning.
    #[command(after_help = "\\
Examples:
  zopa convert ../shared/corpus/genius/anac2011-Laptop laptop.toml
  zopa convert scenarios/security-guarantees.toml out/genius --to genius
  zopa convert out/genius out/gw --to geniusweb
  zopa convert my.json my.toml

Formats: toml, json (zopa scenarios; by extension), genius, geniusweb (folders; by content).
Writing a folder needs --to. Exit codes: 0 success, 1 invalid input, 2 usage/I/O error.")]
    Convert(convert::ConvertArgs),

    /// Forecast where the negotiation settles on each issue with five
    /// political-bargaining models, and how much that depends on the
    /// analyst's assumptions (Monte Carlo sensitivity).
    #[command(after_help = "\\
Examples:
  zopa forecast                                  # all models on the default scenario, 1000 sensitivity runs
  zopa forecast --model smp --runs 10000 --seed 7
  zopa forecast my-negotiation.toml --json
  zopa forecast --ktab-csv ../shared/guides/bargaining-reference/ktab_dummyData_3Dim.input.csv

Models: mean (compromise), median, nash (asymmetric Nash bargaining), eum (Bueno de Mesquita,
Scholz et al. reconstruction), smp (KTAB Spatial Model of Politics). Docs: docs/forecasting.md.
Exit codes: 0 success, 1 invalid input, 2 usage/I/O error.")]
    Forecast(forecast::ForecastArgs),

    /// Play one negotiation round by round (stacked alternating offers or a
    /// mediated single text) and place the agreement in the agreement space.
    #[command(after_help = "\\
Examples:
  zopa simulate                                           # four parties, Boulware each
  zopa simulate --strategy russia=hardliner --strategy ukraine=tft --deadline 200
  zopa simulate --protocol veto --seed 3 --trace run.jsonl
  zopa simulate ../shared/corpus/genius/anac2011-Laptop --strategy laptop_buyer_utility=micro

Exit codes: 0 success, 1 invalid input, 2 usage/I/O error.")]
    Simulate(simulate::SimulateArgs),

    /// Run (or resume) a tournament: every assignment of strategies to every
    /// domain's parties, in parallel, each result stored in SQLite as it finishes.
    #[command(after_help = "\\
Examples:
  zopa tournament examples/tournament.toml --dry-run
  zopa tournament examples/tournament.toml --db results.sqlite --jobs 2
  zopa report results.sqlite

Killing the run at any moment and running the same command again finishes the
remaining negotiations; nothing is lost or duplicated.
Exit codes: 0 success, 2 invalid tournament file, unreadable domain or database error.")]
    Tournament(tournament::TournamentArgs),

    /// Per-strategy results of a tournament database (table, JSON or CSV).
    #[command(after_help = "\\
Examples:
  zopa report results.sqlite
  zopa report results.sqlite --json
  zopa report results.sqlite --csv strategies.csv")]
    Report(tournament::ReportArgs),

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
        /// Print the seconds spent loading and analysing to stderr, as JSON.
        #[arg(long)]
        timings: bool,
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

    /// Input format (default: folders by content, files by extension).
    #[arg(long, value_enum)]
    from: Option<input::Format>,
}

/// A failure with its exit code.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) error: anyhow::Error,
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
        Command::Convert(args) => convert::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Tournament(args) => tournament::tournament(args),
        Command::Report(args) => tournament::report_cmd(args),
        Command::Reference {
            dir,
            limit,
            timings,
        } => {
            let mut t = reference::Timings::default();
            let doc = reference::reference(&dir, limit, &mut t)?;
            if timings {
                eprintln!(
                    "{}",
                    serde_json::json!({"load_s": t.load, "analysis_s": t.analysis})
                );
            }
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

pub(crate) fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")?;
    Ok(())
}

fn analyze(args: AnalyzeArgs) -> Result<(), Failure> {
    let input = input::resolve(args.scenario.as_deref(), args.from)?;
    let loaded = input::load(&input, args.limit)?;
    loaded.print_warnings();
    let opts = zopa_analysis::Options {
        limit: args.limit,
        ..Default::default()
    };
    let analysis = zopa_analysis::analyze(&loaded.scenario, &opts)
        .with_context(|| format!("cannot analyse {}", loaded.origin))?;
    let rep = report::Report {
        scenario: &loaded.scenario,
        origin: &loaded.origin,
        analysis: &analysis,
        top: args.top,
    };
    if args.json {
        // Streamed: a large frontier is written as it is serialised.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        report::json::write(&rep, &mut out)
            .and_then(|()| out.flush())
            .context("cannot write to standard output")?;
        return Ok(());
    }
    emit(&report::text::render(&rep))
}

fn validate(file: &str) -> Result<(), Failure> {
    let input = input::resolve(Some(file), None)?;
    let loaded = input::load(&input, zopa_model::DEFAULT_LIMIT)?;
    let s = &loaded.scenario;
    loaded.print_warnings();
    let claims = s.claims();
    let assumptions = claims.iter().filter(|c| c.basis.is_assumption()).count();
    let quotes: usize = claims.iter().map(|c| c.basis.evidence.len()).sum();
    emit(&format!(
        "{}: valid — {} actors, {} issues, {} claims ({} analyst assumptions), {} evidence quotes found verbatim in their sources, {} warning(s)\n",
        loaded.origin,
        s.actors.len(),
        s.issues.len(),
        claims.len(),
        assumptions,
        quotes,
        loaded.diagnostics.items.len() + loaded.warnings.len()
    ))
}

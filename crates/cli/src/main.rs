//! The `zopa` command: parses arguments, loads the scenario, runs the engine,
//! renders the report and maps failures to exit codes. All the work is in the
//! library crates.

mod brief;
mod claims;
mod convert;
mod docs;
mod evidence;
mod forecast;
mod input;
mod jsonout;
mod report;
mod score;
mod simulate;
mod table;
mod tournament;
mod width;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use zopa_app::analyze::{AnalyzeRequest, Progress};
use zopa_app::builtin;
use zopa_app::documents::{self, ErrorDoc};

/// Exit code: the input scenario is invalid.
pub(crate) const EXIT_INVALID: u8 = 1;
/// Exit code: usage error, unreadable file, or a refused analysis.
pub(crate) const EXIT_FAILURE: u8 = 2;

const AFTER_HELP: &str = "\
Examples (from the root of the zopa repository):
  zopa analyze                                   # the built-in default scenario
  zopa analyze examples/supplier-contract.toml
  zopa validate examples/supplier-contract.toml
  zopa docs scenario-format                      # how to write a scenario

Exit codes:
  0  success
  1  the input is invalid (every problem on stderr as file:line:column)
  2  usage error, unreadable file, or work refused (e.g. space too large)

Every input size that drives time or memory has a bound, named with the flag
that raises it when exceeded: `zopa docs limits`.

Documentation is built in: `zopa docs` lists it, `zopa docs NAME` prints one
document (the same files are under docs/ in the repository).";

/// zopa — the zone of possible agreement. Negotiation analysis (agreement
/// space, Pareto frontier, bargaining solutions, blocking red lines),
/// forecasting, simulation and tournaments; reads and writes GENIUS and
/// GeniusWeb files.
#[derive(Parser, Debug)]
#[command(name = "zopa", version, after_help = AFTER_HELP)]
struct Cli {
    /// Print the result as JSON on standard output (every command; the shapes
    /// are in `zopa docs json-report`). A failure then prints one JSON error
    /// object instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Do not wrap text reports to the terminal's width (`COLUMNS=N` sets
    /// another width; output to a file or a pipe is never wrapped).
    #[arg(long, global = true)]
    wide: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse a scenario: agreement space, Pareto frontier, Nash /
    /// Kalai–Smorodinsky / utilitarian / egalitarian packages, blocking red lines.
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  zopa analyze                                 # the built-in default scenario
  zopa analyze examples/supplier-contract.toml --top 5
  zopa analyze examples/supplier-contract.json --json > report.json
  zopa analyze examples/genius/harbour-expansion   # a GENIUS domain folder
  # a built-in; every frontier package
  zopa analyze security-guarantees --top 0
  # the agreement space, plotted
  zopa analyze --svg space.svg --axes us,europe
  # one self-contained report to mail
  zopa analyze --html report.html
  # how much survives the assumptions
  zopa analyze --robustness 10000 --seed 1
  # a study in shards (run anywhere), then merged: the same document
  zopa analyze --robustness 1000 --shard 1/2 --out rs
  zopa analyze --robustness 1000 --shard 2/2 --out rs
  zopa analyze --robustness 1000 --robustness-from rs

Exit codes: 0 success, 1 invalid scenario, 2 usage error / unreadable file /
space too large. The report's JSON schema: `zopa docs json-report`.")]
    Analyze(AnalyzeArgs),

    /// Check a scenario file and list every problem with file:line:column,
    /// including that each evidence quote occurs verbatim in its source.
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  zopa validate examples/supplier-contract.toml
  zopa validate examples/supplier-contract.json --json

Exit codes: 0 valid (warnings may be printed), 1 invalid, 2 unreadable file.
The format: `zopa docs scenario-format`.")]
    Validate {
        /// Scenario file (.toml or .json; a LAMEN .yaml game), GENIUS, GeniusWeb or LLM-Deliberation folder, or a built-in name.
        file: String,
    },
    /// Start a new scenario: write DIR/scenario.toml (a small, complete,
    /// commented example that validates without warnings) and the source
    /// its quotes come from, DIR/sources/notes.txt, to edit into your own.
    #[command(after_help = "\
Examples:
  # then: zopa validate my-negotiation/scenario.toml
  zopa init my-negotiation
  zopa init                         # in the current folder

Existing files are never overwritten unless --force is given.
The format: `zopa docs scenario-format`.")]
    Init {
        /// The folder to write into (created if missing).
        #[arg(default_value = ".")]
        dir: std::path::PathBuf,
        /// Overwrite scenario.toml and sources/notes.txt if they exist.
        #[arg(long)]
        force: bool,
    },

    /// List every claim of a scenario — values, orders, red lines, saliences,
    /// reservations, powers, the status quo — with the quote that states it
    /// (source:line) or the assumption's note and author.
    Claims(claims::ClaimsArgs),

    /// Write a one-page brief a minister's office can read: the bottom line
    /// first, the three findings that matter, what each depends on, what
    /// rests on what, and who said what — in words, never ids.
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  # the built-in default scenario, Markdown
  zopa brief
  zopa brief --format html --out brief.html    # a standalone page to mail
  zopa brief examples/supplier-contract.toml
  # every sentence with the claim ids it rests on
  zopa brief --json

Exit codes: 0 written, 1 invalid scenario, 2 usage error / unreadable file /
space too large.")]
    Brief(brief::BriefArgs),

    /// Score one deal: each party's utility and whether it accepts (and why
    /// not), whether the deal passes, whether it is Pareto-optimal, and its
    /// distance to the Nash package.
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  zopa score --deal monitors,arms_aid,backstop,guarantor,europe_led
  # one option per issue, in the scenario's issue order
  zopa score security-guarantees \\
      --deal european_force,political,none,consulted,europe_led
  zopa score examples/supplier-contract.toml --deal p100,fast --json

A deal passes when every party accepts it (no red line crossed, no combination
it rejects together, utility at least its reservation). Exit codes: 0 scored
(whether or not the deal passes), 1 invalid scenario, 2 usage error (an
unknown option: the message lists the issue's options) or space too large.")]
    Score(score::ScoreArgs),

    /// Find every attributed statement of position in a plain-text news
    /// article — speaker, party, stance, issue and option, with the verbatim
    /// span and its line and column — and, with --scenario, what it changes:
    /// statements already used, unused ones about modelled issues,
    /// contradictions, and speakers or issues the scenario lacks.
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  zopa evidence scenarios/sources/security-guarantees-article.txt --scenario \\
      security-guarantees
  zopa evidence scenarios/sources/security-guarantees-article.txt -s \\
      security-guarantees --toml
  zopa evidence scenarios/sources/security-guarantees-article.txt --json

Speakers resolve to parties through each actor's name and `aliases`; topics
come from issue and option `keywords` (zopa docs scenario-format). --gold FILE
scores the statements against hand-made annotations. The rules and their
measured quality: zopa docs evidence.")]
    Evidence(evidence::EvidenceArgs),

    /// List the built-in scenarios.
    #[command(after_help = "Examples:\n  zopa scenarios\n  zopa scenarios --json")]
    Scenarios,

    /// Print the built-in documentation: `zopa docs` lists the documents,
    /// `zopa docs NAME` prints one (Markdown).
    #[command(after_help = "Examples:\n  zopa docs\n  zopa docs scenario-format")]
    Docs {
        /// Document name (as listed by `zopa docs`).
        name: Option<String>,
    },

    /// Convert a scenario between zopa TOML/JSON, GENIUS XML and GeniusWeb
    /// JSON. What the target cannot express is reported as a warning; the
    /// sources a zopa scenario cites are copied beside it.
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  zopa convert examples/genius/supplier-contract supplier.toml
  # a built-in, with its sources
  zopa convert security-guarantees out/sg.toml
  zopa convert scenarios/security-guarantees.toml out/genius --to genius
  zopa convert out/genius out/gw --to geniusweb
  zopa convert examples/supplier-contract.json out/supplier.toml

Formats: toml, json (zopa scenarios; by extension), genius, geniusweb
(folders; by content); deliberation (LLM-Deliberation game folders), lamen
(LAMEN .yaml games); both read only. Writing a folder needs --to. Exit codes:
0 success, 1 invalid input, 2 usage/I/O error.")]
    Convert(convert::ConvertArgs),

    /// Forecast where the negotiation settles on each issue with five
    /// political-bargaining models, and how much that depends on the
    /// analyst's assumptions (Monte Carlo sensitivity).
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  zopa forecast                        # every model, 1000 sensitivity runs
  zopa forecast --model smp --runs 10000 --seed 7
  zopa forecast examples/supplier-contract.toml --json
  zopa forecast --ktab-csv examples/ktab/water-council.csv
  # forecasts with their bands, plotted
  zopa forecast --runs 200 --svg forecast.svg

Models: mean (compromise), median, nash (asymmetric Nash bargaining), eum
(Bueno de Mesquita, Scholz et al. reconstruction), smp (KTAB Spatial Model of
Politics); `zopa docs forecasting`. Exit codes: 0 success, 1 invalid input, 2
usage/I/O error.")]
    Forecast(forecast::ForecastArgs),

    /// Play one negotiation round by round (stacked alternating offers or a
    /// mediated single text) and place the agreement in the agreement space.
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  # four parties, Boulware each
  zopa simulate
  zopa simulate --strategy russia=hardliner --strategy ukraine=tft \\
      --deadline 200
  zopa simulate --protocol veto --seed 3 --trace run.jsonl
  zopa simulate examples/genius/supplier-contract --strategy \\
      supplier-contract_buyer=micro
  zopa simulate --strategy russia=conceder --svg simulation.svg

Strategies and protocols: `zopa docs simulation`.
Exit codes: 0 success, 1 invalid input, 2 usage/I/O error.")]
    Simulate(simulate::SimulateArgs),

    /// Run (or resume) a tournament: every assignment of strategies to every
    /// domain's parties, in parallel, each result stored in SQLite (or a
    /// shared PostgreSQL store) as it finishes.
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  zopa tournament examples/tournament.toml --dry-run
  zopa tournament examples/tournament.toml --db results.sqlite --jobs 2
  zopa report results.sqlite
  zopa tournament examples/tournament.toml --shard 1/2 --out shards
  zopa tournament examples/tournament.toml --shard 2/2 --out shards
  zopa tournament merge shards --db merged.sqlite
  zopa tournament examples/tournament.toml --slurm 8 --out shards > run.sbatch

Shards (--shard K/N) run anywhere and merge into the database one run would
write (`zopa docs tournaments`). With --db postgresql://USER:PASS@HOST/DB,
every machine runs the same command as a worker pulling shards from the shared
store (--shards N cuts a new tournament); `zopa tournament merge URL --db
results.sqlite` copies the finished tournament out. Ctrl-C stops after the
negotiations in flight (exit 130); killing the run at any moment loses only
those. Running the same command again finishes the rest; nothing is lost or
duplicated. The tournament file: `zopa docs simulation`; bounds and database
checks: `zopa docs limits`.
Exit codes: 0 success, 2 invalid tournament file, unreadable domain, damaged or
foreign database, or a database in use; 130 interrupted.")]
    Tournament(tournament::TournamentArgs),

    /// Per-strategy results of a tournament database (table, JSON or CSV).
    #[command(after_help = "\
Examples:
  zopa report results.sqlite
  zopa report results.sqlite --json
  zopa report results.sqlite --csv strategies.csv
  zopa report results.sqlite --svg strategies.svg
  zopa report results.sqlite --bootstrap 10000 --seed 7
  zopa report results.sqlite --parquet rows.parquet

Beside the means: bootstrap intervals, ranks and their stability, pairwise
tests (Welch, Holm-corrected), head to head and the empirical game's
symmetric Nash equilibria (`zopa docs tournaments`).")]
    Report(tournament::ReportArgs),

    /// Serve the HTTP API (JSON documents as with --json; errors as RFC 9457
    /// problem+json; OpenAPI 3.1 at /api/v1/openapi.json) and the browser
    /// workbench (at /) on a loopback address until Ctrl-C or SIGTERM.
    #[command(after_help = "\
Examples:
  # the workbench and the API on 127.0.0.1:7878
  zopa serve
  # tournaments started over HTTP kept in a folder
  zopa serve --data zopa-data
  # your scenario in the workbench and the API, beside the built-ins
  zopa serve examples/supplier-contract.toml

Then open the workbench at http://127.0.0.1:7878/ in a browser, or, from
another terminal (the README's API section has one example per route):
  curl -s http://127.0.0.1:7878/healthz
  curl -s -X POST \\
      'http://127.0.0.1:7878/api/v1/analyze?scenario=security-guarantees&top=3'
  curl -s -X POST -H 'Content-Type: application/toml' --data-binary \\
      @examples/supplier-contract.toml http://127.0.0.1:7878/api/v1/validate

One log line per request goes to stderr (RUST_LOG=warn quiets them). On Ctrl-C
or SIGTERM requests in flight get --shutdown-timeout to finish, then their
work is cancelled; a running tournament stores its batch in flight and resumes
when the server starts again on the same --data. Limits: `zopa docs limits`.")]
    Serve(ServeArgs),

    /// Print NegMAS-compatible reference values for a GENIUS domain folder
    /// (NegMAS 0.16 semantics: raw evaluations, exact rationality, equal
    /// utility vectors collapsed; the schema is in `zopa docs negmas-compatibility`).
    #[command(after_help = "\
Examples (from the root of the zopa repository):
  zopa reference examples/genius/supplier-contract
  zopa reference examples/genius/harbour-expansion > harbour.json

Always prints JSON. Exit codes: 0 success, 1 malformed files, 2 unreadable
folder / usage error / space too large. Semantics: `zopa docs
negmas-compatibility`.")]
    Reference {
        /// GENIUS domain folder (one <negotiation_template> XML, one <utility_space> XML per party).
        dir: PathBuf,
        /// Refuse outcome spaces with more than N outcomes.
        #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_ENUMERATION))]
        limit: u64,
        /// Refuse when more than N Pareto frontier candidates survive.
        #[arg(long, value_name = "N", default_value_t = zopa_model::limits::MAX_FRONTIER)]
        max_frontier: u64,
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

    /// List at most N packages of each Pareto frontier (0 = all).
    #[arg(long, value_name = "N", default_value_t = zopa_app::analyze::DEFAULT_TOP)]
    top: usize,

    /// Bound the work of counting: the packages walked (about 12 ns each),
    /// or, for additive scenarios of two or three actors, the partial
    /// packages meet-in-the-middle counting enumerates (about 44 bytes
    /// each; at most 10^8 whatever the limit). At most 10^9.
    #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_ENUMERATION))]
    limit: u64,

    /// Refuse when more than N Pareto frontier candidates survive (ties put
    /// every tied package on the frontier; each costs about 300 bytes).
    #[arg(long, value_name = "N", default_value_t = zopa_model::limits::MAX_FRONTIER)]
    max_frontier: u64,

    /// Input format: toml, json, genius, geniusweb, deliberation or lamen (default: folders by
    /// content, files by extension).
    #[arg(long, value_name = "FORMAT", value_parser = input::format_parser())]
    from: Option<input::Format>,

    /// Also draw the agreement space (packages, ZOPA, frontier, solutions,
    /// reservations) to this standalone SVG file.
    #[arg(long, value_name = "FILE")]
    svg: Option<std::path::PathBuf>,

    /// The plot's axes: two actor ids, `X,Y` (default: the first two actors).
    #[arg(long, value_name = "X,Y")]
    axes: Option<String>,

    /// Write `--svg`/`--html` even when the file name ends in another
    /// format's extension (`--svg plot.png` is refused without it).
    #[arg(long)]
    force: bool,

    /// Also study robustness: N Monte Carlo runs perturbing every
    /// assumption (assumed option values ±0.2, saliences ×U(0.5,1.5),
    /// reservations ±0.1, assumed red lines dropped with p 0.25); how often
    /// each package is in the ZOPA and is the Nash package, and which
    /// conclusions hold in ≥ 90% of runs.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_RUNS))]
    robustness: Option<u64>,
    /// Seed of the robustness study (same seed, same result, any thread count).
    #[arg(long, value_name = "S", default_value_t = zopa_app::DEFAULT_SEED, requires = "robustness")]
    seed: u64,
    /// Run only shard K of M of the robustness study (its runs ⌊(K−1)·N/M⌋
    /// to ⌊K·N/M⌋ − 1) and write what they found into --out, instead of
    /// the analysis; merge with --robustness-from (`zopa docs tournaments`).
    #[arg(long, value_name = "K/M", requires_all = ["robustness", "out"], conflicts_with = "robustness_from")]
    shard: Option<String>,
    /// Folder for the shard's file (robustness-K-of-M.json).
    #[arg(long, value_name = "DIR", requires = "shard")]
    out: Option<std::path::PathBuf>,
    /// Merge the robustness study from the shards in these folders instead
    /// of running it: the document is the unsharded one, byte for byte.
    #[arg(long, value_name = "DIR", num_args = 1.., requires = "robustness")]
    robustness_from: Vec<std::path::PathBuf>,
    /// Also write a self-contained HTML report (summary, plot, solutions,
    /// blocking, every claim with its grounds) to this file.
    #[arg(long, value_name = "FILE")]
    html: Option<std::path::PathBuf>,
    /// Packages the search for critical assumptions may walk in all (the
    /// smallest sets of changes to the assumptions that reverse a
    /// conclusion); 0 turns the search off.
    #[arg(long, value_name = "N", default_value_t = zopa_app::analyze::DEFAULT_CRITICAL_BUDGET)]
    critical_budget: u64,
    /// Let the search for critical assumptions vary quoted claims too
    /// (drop quoted red lines, move quoted values, change a quoted rule).
    #[arg(long)]
    vary_quoted: bool,
    /// Also compare the scenario as written with each of its
    /// interpretations ([[interpretations]]) and zopa's stress tests (stated
    /// demands as red lines, stated worst options refused, walk-away points
    /// at the top of their bands, every assumed red line dropped), side by
    /// side.
    #[arg(long)]
    compare: bool,
}

/// Whether `path` ends in `.ext` (`.htm` counts as `.html`).
fn named_as(path: &std::path::Path, ext: &str) -> bool {
    let given = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    given.eq_ignore_ascii_case(ext) || (ext == "html" && given.eq_ignore_ascii_case("htm"))
}

/// Refuse, before any work, an output whose name promises another format
/// than the one written (`--svg space.png`), unless `force`.
fn check_named(
    path: Option<&std::path::Path>,
    ext: &str,
    what: &str,
    force: bool,
) -> Result<(), Failure> {
    match path {
        Some(p) if !force && !named_as(p, ext) => Err(input::failure(zopa_app::AppError::Usage(format!(
            "{} does not end in .{ext}, but it would hold {what}: name it *.{ext}, or add --force to write it anyway",
            p.display()
        )))),
        _ => Ok(()),
    }
}

/// `zopa init DIR`: write the template's files, refusing to overwrite any.
fn init(dir: &std::path::Path, force: bool, json: bool) -> Result<(), Failure> {
    let files = zopa_app::init::FILES;
    if !force {
        if let Some((p, _)) = files.iter().find(|(p, _)| dir.join(p).exists()) {
            return Err(input::failure(zopa_app::AppError::Usage(format!(
                "{} exists: zopa init never overwrites a file (use --force, or another folder)",
                dir.join(p).display()
            ))));
        }
    }
    for (p, text) in files {
        let path = dir.join(p);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        write_output(&path, text)?;
        eprintln!("zopa: wrote {}", path.display());
    }
    let scenario = dir.join(files[0].0);
    if json {
        let written: Vec<String> = files
            .iter()
            .map(|(p, _)| dir.join(p).display().to_string())
            .collect();
        return emit(&jsonout::pretty(&serde_json::json!({
            "schema": "zopa.init/1",
            "scenario": scenario.display().to_string(),
            "files": written,
        })));
    }
    eprintln!(
        "Next: edit {0} into your negotiation, then
  zopa validate {0}
  zopa analyze {0}",
        scenario.display()
    );
    Ok(())
}

/// Write a file the user asked for, with its name in any error.
pub(crate) fn write_output(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text)
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(Failure::from)
}

/// Write `what` to `path` and say so on stderr; warn first when the name's
/// extension is not `ext` (an SVG written to `plot.png` opens as nothing).
fn write_named(path: &std::path::Path, text: &str, what: &str, ext: &str) -> Result<(), Failure> {
    warn_unless_named(path, what, ext);
    write_output(path, text)?;
    eprintln!("zopa: wrote {what} to {}", path.display());
    Ok(())
}

/// Warn when `path`'s extension is not `ext` although it will hold `what`.
pub(crate) fn warn_unless_named(path: &std::path::Path, what: &str, ext: &str) {
    if !named_as(path, ext) {
        eprintln!(
            "zopa: warning: {} does not end in .{ext}, but it holds {what}",
            path.display()
        );
    }
}

/// `--axes X,Y` as two ids.
fn parse_axes(axes: Option<&str>) -> Result<Option<(&str, &str)>, Failure> {
    match axes {
        None => Ok(None),
        Some(a) => a
            .split_once(',')
            .map(|(x, y)| Some((x.trim(), y.trim())))
            .ok_or_else(|| anyhow::anyhow!("--axes takes two actor ids, `X,Y`, not `{a}`").into()),
    }
}

/// A failure with its exit code and, for invalid input, the located problems.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) error: anyhow::Error,
    /// The problems of an invalid input, for `--json` error objects.
    pub(crate) diagnostics: Option<zopa_model::Diagnostics>,
}

impl Failure {
    /// The same failure, its message prefixed by what was being done.
    fn context(self, what: String) -> Self {
        Failure {
            error: self.error.context(what),
            ..self
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure {
            code: EXIT_FAILURE,
            error,
            diagnostics: None,
        }
    }
}

/// `text` safe for a terminal: control characters other than newline and
/// tab, and the bidirectional overrides that reorder what is shown, are
/// written as `\u{…}` escapes, so a scenario's title or a name cannot
/// clear the screen, recolour it or disguise the text around it. In JSON
/// output such characters only occur inside strings, where `\uXXXX` is the
/// same character.
pub(crate) fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let json = cli.json;
    width::init(cli.wide);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if is_broken_pipe(&f.error) => ExitCode::SUCCESS,
        Err(f) => {
            if json {
                let doc = ErrorDoc::new(&format!("{:#}", f.error), f.code, f.diagnostics.as_ref());
                let _ = emit(&jsonout::pretty(&doc));
            } else {
                eprintln!("zopa: error: {}", visible(&format!("{:#}", f.error)));
                if let Some(d) = &f.diagnostics {
                    eprint!("{}", visible(&d.to_string()));
                }
            }
            ExitCode::from(f.code)
        }
    }
}

/// Help and version go out as clap prints them; a usage error becomes a JSON
/// error object when `--json` is among the arguments.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let wants_json = std::env::args_os().skip(1).any(|a| a == "--json");
    let informative = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !wants_json || informative {
        e.exit()
    }
    let message = e.render().to_string();
    let doc = ErrorDoc::new(message.trim_end(), EXIT_FAILURE, None);
    let _ = emit(&jsonout::pretty(&doc));
    ExitCode::from(EXIT_FAILURE)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<(), Failure> {
    let json = cli.json;
    match cli.command {
        Command::Analyze(args) => analyze(args, json),
        Command::Validate { file } => validate(&file, json),
        Command::Claims(args) => claims::run(args, json),
        Command::Brief(args) => brief::run(args, json),
        Command::Init { dir, force } => init(&dir, force, json),
        Command::Score(args) => score::run(args, json),
        Command::Evidence(args) => evidence::run(args, json),
        Command::Convert(args) => convert::run(args, json),
        Command::Forecast(args) => forecast::run(args, json),
        Command::Simulate(args) => simulate::run(args, json),
        Command::Tournament(args) => tournament::tournament(args, json),
        Command::Report(args) => tournament::report_cmd(args, json),
        Command::Reference {
            dir,
            limit,
            max_frontier,
            timings,
        } => {
            let mut t = zopa_app::negmas::Timings::default();
            let doc =
                zopa_app::negmas::reference(&dir, limit, max_frontier, &mut t, &Default::default())
                    .map_err(input::failure)?;
            if timings {
                eprintln!(
                    "{}",
                    serde_json::json!({"load_s": t.load, "analysis_s": t.analysis})
                );
            }
            emit(&jsonout::pretty(&doc))
        }
        Command::Scenarios => scenarios(json),
        Command::Serve(args) => serve(args),
        Command::Docs { name } => show_docs(name.as_deref(), json),
    }
}

fn show_docs(name: Option<&str>, json: bool) -> Result<(), Failure> {
    let Some(name) = name else {
        if json {
            return emit(&jsonout::pretty(&serde_json::json!({
                "schema": "zopa.docs/1",
                "documents": docs::DOCS.iter().map(|(n, s, _)| serde_json::json!({"name": n, "summary": s})).collect::<Vec<_>>(),
            })));
        }
        return emit(&docs::index());
    };
    let text = docs::find(name)
        .ok_or_else(|| anyhow::anyhow!("no document `{name}`\n{}", docs::index().trim_end()))?;
    if json {
        return emit(&jsonout::pretty(
            &serde_json::json!({"schema": "zopa.docs/1", "name": name, "markdown": text}),
        ));
    }
    emit(text)
}

/// Arguments of `zopa serve`.
#[derive(clap::Args, Debug)]
struct ServeArgs {
    /// zopa TOML scenario files to open in the workbench and the API beside
    /// the built-ins, each under its scenario id (checked at start; their
    /// sources are read then).
    #[arg(value_name = "SCENARIO")]
    scenarios: Vec<std::path::PathBuf>,
    /// Address to listen on (loopback by default; another address exposes the API).
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: std::net::SocketAddr,
    /// Largest request body, in bytes (413 above it).
    #[arg(long, value_name = "BYTES", default_value_t = zopa_server::DEFAULT_MAX_BODY as u64,
          value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_INPUT_BYTES as u64 * 16))]
    max_body: u64,
    /// Longest a request may wait for a worker and compute, in seconds (503 if
    /// no worker came free in time, 422 if its work outlasts it).
    #[arg(long, value_name = "SECONDS", default_value_t = zopa_server::DEFAULT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    timeout: u64,
    /// Requests computing at once (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    max_heavy: Option<u64>,
    /// Requests waiting for a computing slot; more are answered 503 at once.
    #[arg(long, value_name = "N", default_value_t = zopa_server::DEFAULT_MAX_QUEUED as u64,
          value_parser = clap::value_parser!(u64).range(0..=65_536))]
    max_queued: u64,
    /// Let browser pages from this origin call the API (CORS); none by default.
    #[arg(long, value_name = "ORIGIN")]
    cors: Option<String>,
    /// Keep tournaments (POST /api/v1/tournaments) in this folder; unfinished
    /// ones resume when the server starts. Without it, tournaments are off.
    #[arg(long, value_name = "DIR")]
    data: Option<std::path::PathBuf>,
    /// Worker threads of a running tournament (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_JOBS))]
    jobs: Option<u64>,
    /// Refuse tournaments planning more than N negotiations.
    #[arg(long, value_name = "N", default_value_t = zopa_server::DEFAULT_MAX_NEGOTIATIONS,
          value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_NEGOTIATIONS))]
    max_negotiations: u64,
    /// Keep at most N tournaments in the data folder (finished ones
    /// included; DELETE /api/v1/tournaments/{id} removes one); more are
    /// refused (422).
    #[arg(long, value_name = "N", default_value_t = zopa_server::DEFAULT_MAX_JOBS as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_jobs: u64,
    /// Bytes the tournaments in the data folder may take (uploads, plans,
    /// results); a submission that would pass it is refused (422).
    #[arg(long, value_name = "BYTES", default_value_t = zopa_server::DEFAULT_MAX_DATA,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_data: u64,
    /// Remove finished tournaments unchanged for this many days (when the
    /// server starts and at each submission); 0 keeps them.
    #[arg(long, value_name = "DAYS", default_value_t = zopa_server::DEFAULT_EXPIRE_DAYS,
          value_parser = clap::value_parser!(u64).range(0..=36_500))]
    expire_days: u64,
    /// Heavy requests (analyses, forecasts, simulations, conversions,
    /// tournament submissions) one client address may have in flight; more
    /// are answered 429 at once.
    #[arg(long, value_name = "N", default_value_t = zopa_server::DEFAULT_MAX_PER_CLIENT as u64,
          value_parser = clap::value_parser!(u64).range(1..=65_536))]
    max_per_client: u64,
    /// Connections open at once; more are closed at once.
    #[arg(long, value_name = "N", default_value_t = zopa_server::DEFAULT_MAX_CONNECTIONS as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: u64,
    /// Longest wait for a request's headers, and for the next request on an
    /// idle connection, in seconds (the connection is closed after it).
    #[arg(long, value_name = "SECONDS", default_value_t = zopa_server::DEFAULT_HEADER_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3_600))]
    header_timeout: u64,
    /// Longest wait for a request's whole body once its headers arrived, in
    /// seconds (408 after it).
    #[arg(long, value_name = "SECONDS", default_value_t = zopa_server::DEFAULT_BODY_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3_600))]
    body_timeout: u64,
    /// On Ctrl-C or SIGTERM, how long requests in flight get to finish, in
    /// seconds; then their work is cancelled (503) and the server exits.
    #[arg(long, value_name = "SECONDS", default_value_t = zopa_server::DEFAULT_SHUTDOWN_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(0..=3_600))]
    shutdown_timeout: u64,
}

fn serve(args: ServeArgs) -> Result<(), Failure> {
    if !args.scenarios.is_empty() {
        let names = zopa_app::builtin::open_files(&args.scenarios).map_err(input::failure)?;
        for (name, path) in names.iter().zip(&args.scenarios) {
            eprintln!("zopa: opened {} as `{name}`", path.display());
        }
    }
    let d = zopa_server::Config::default();
    let cors = match &args.cors {
        Some(o) => Some(
            axum_origin(o)
                .with_context(|| format!("--cors {o} is not an origin like https://example.org"))?,
        ),
        None => None,
    };
    let cfg = zopa_server::Config {
        max_body: args.max_body as usize,
        max_heavy: args.max_heavy.map_or(d.max_heavy, |n| n as usize),
        max_queued: args.max_queued as usize,
        timeout: std::time::Duration::from_secs(args.timeout),
        cors,
        data: args.data,
        tournament_threads: args.jobs.map(|n| n as usize),
        max_negotiations: args.max_negotiations,
        max_jobs: args.max_jobs as usize,
        max_per_client: args.max_per_client as usize,
        max_data: args.max_data,
        expire_after: (args.expire_days > 0)
            .then(|| std::time::Duration::from_secs(args.expire_days * 86_400)),
        connections: zopa_server::conn::Limits {
            header_timeout: std::time::Duration::from_secs(args.header_timeout),
            body_timeout: std::time::Duration::from_secs(args.body_timeout),
            max_connections: args.max_connections as usize,
            shutdown_timeout: std::time::Duration::from_secs(args.shutdown_timeout),
        },
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let rt = tokio::runtime::Runtime::new().context("cannot start the server's runtime")?;
    rt.block_on(async {
        let server = zopa_server::Server::new(&cfg).context("cannot open the data directory")?;
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let at = listener.local_addr().context("no local address")?;
        eprintln!("zopa: serving http://{at} (the workbench at http://{at}/; Ctrl-C to stop)");
        if !at.ip().is_loopback() {
            eprintln!(
                "zopa: warning: {at} is not a loopback address: the API and the workbench are open to the network, without authentication — anyone who can reach it can run analyses and tournaments"
            );
        }
        server
            .serve(listener, shutdown_signal())
            .await
            .context("the server stopped")?;
        Ok::<(), anyhow::Error>(())
    })?;
    // Work that ignores its cancellation is not waited for: the process ends.
    rt.shutdown_timeout(std::time::Duration::from_millis(100));
    Ok(())
}

/// An origin (`scheme://host[:port]`) as a header value.
fn axum_origin(o: &str) -> anyhow::Result<zopa_server::HeaderValue> {
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"));
    anyhow::ensure!(
        rest.is_some_and(|r| !r.is_empty() && !r.contains(['/', ' ', '?', '#'])),
        "not an origin"
    );
    Ok(zopa_server::HeaderValue::from_str(o)?)
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("install a SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

fn scenarios(json: bool) -> Result<(), Failure> {
    if json {
        return emit(&jsonout::pretty(&documents::scenarios()));
    }
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

/// [`emit`] a human-readable report, wrapped to the terminal's width
/// ([`width`]).
pub(crate) fn emit_report(text: &str) -> Result<(), Failure> {
    emit(&width::wrap(text))
}

pub(crate) fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(visible(text).as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")?;
    Ok(())
}

fn analyze(args: AnalyzeArgs, json: bool) -> Result<(), Failure> {
    check_named(args.svg.as_deref(), "svg", "an SVG plot", args.force)?;
    check_named(args.html.as_deref(), "html", "an HTML report", args.force)?;
    let input = input::resolve(args.scenario.as_deref(), args.from)?;
    let loaded = input::load(&input, args.limit)?;
    input::print_warnings(&loaded);
    announce_walk(&loaded.scenario, args.limit);
    let on = zopa_app::plots::axes(&loaded, parse_axes(args.axes.as_deref())?)
        .map_err(input::failure)?;
    if let (Some(text), Some(dir), Some(runs)) = (&args.shard, &args.out, args.robustness) {
        return robustness_shard(&loaded, text, dir, runs as usize, &args, json);
    }
    let req = AnalyzeRequest {
        top: args.top,
        limit: args.limit,
        max_frontier: args.max_frontier,
        robustness: args.robustness.map(|runs| runs as usize),
        seed: args.seed,
        robustness_from: args.robustness_from.clone(),
        critical_budget: args.critical_budget,
        vary_quoted: args.vary_quoted,
        compare: args.compare,
        ..Default::default()
    };
    let doc = with_walk_progress(|walked| {
        with_run_progress(req.robustness, |run| {
            zopa_app::analyze::analyze(&loaded, &req, Progress { walked, run })
        })
    })
    .map_err(|e| input::failure(e).context(format!("cannot analyse {}", loaded.origin)))?;
    if args.svg.is_some() || args.html.is_some() {
        // The report value and the plot, built once for both files.
        let drawn = zopa_app::plots::draw(&loaded, &doc.analysis, on).map_err(input::failure)?;
        if let Some(path) = &args.svg {
            write_named(path, &drawn.svg, "the agreement-space plot (SVG)", "svg")?;
        }
        if let Some(path) = &args.html {
            write_named(
                path,
                &zopa_app::html::analysis_html(&drawn, &loaded.scenario),
                "the HTML report",
                "html",
            )?;
        }
    }
    if json {
        // Streamed: a large frontier is written as it is serialised.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        doc.write_json(&loaded, &mut out)
            .and_then(|()| out.flush())
            .context("cannot write to standard output")?;
        return Ok(());
    }
    emit_report(&report::text::render(&doc.report(&loaded)))
}

/// `zopa analyze --robustness N --shard K/M --out DIR`: one shard of the
/// study, written for a later merge.
fn robustness_shard(
    loaded: &zopa_app::input::Loaded,
    text: &str,
    dir: &std::path::Path,
    runs: usize,
    args: &AnalyzeArgs,
    json: bool,
) -> Result<(), Failure> {
    let (k, n) = zopa_app::robust_shard::parse_shard(text).map_err(input::failure)?;
    let req = zopa_app::robust_shard::ShardRequest {
        runs,
        seed: args.seed,
        k,
        n,
        limit: args.limit,
    };
    let share = zopa_app::robust_shard::range(runs, k, n).count();
    let path = with_run_progress(Some(share), |run| {
        zopa_app::robust_shard::run_shard(loaded, &req, dir, run, &Default::default())
    })
    .map_err(input::failure)?;
    if json {
        return emit(&format!(
            "{{\"schema\": \"zopa.robustness-shard-written/1\", \"path\": {}, \"k\": {k}, \"n\": {n}, \"runs\": {share}}}\n",
            serde_json::to_string(&path.display().to_string()).expect("a string")
        ));
    }
    emit(&format!(
        "wrote {} (robustness shard {k}/{n}: {share} of {runs} runs); when all {n} are done: zopa analyze … --robustness {runs} --seed {} --robustness-from {}\n",
        path.display(),
        args.seed,
        dir.display()
    ))
}

/// Run `f` with a per-run callback that draws a progress bar of `runs` on a
/// terminal (nothing when no runs are asked for).
fn with_run_progress<T>(runs: Option<usize>, f: impl FnOnce(&(dyn Fn() + Sync)) -> T) -> T {
    match runs {
        Some(runs) => runs_bar("robustness", runs, 256, f),
        None => f(&|| {}),
    }
}

/// Run `f` with a per-run callback (called from worker threads) that moves a
/// progress bar `label` of `runs` runs on a terminal, every `every` runs.
pub(crate) fn runs_bar<T>(
    label: &str,
    runs: usize,
    every: u64,
    f: impl FnOnce(&(dyn Fn() + Sync)) -> T,
) -> T {
    let bar = indicatif::ProgressBar::new(runs as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{label} {{bar:30}} {{pos}}/{{len}} runs  {{per_sec}}  eta {{eta}}"
        ))
        .expect("valid template"),
    );
    let done = AtomicU64::new(0);
    let tick = || {
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        if d.is_multiple_of(every) || d == runs as u64 {
            bar.set_position(d);
        }
    };
    let r = f(&tick);
    bar.finish_and_clear();
    r
}

/// Run `f`, showing on a terminal how many packages it has walked once that
/// takes more than a moment (indicatif draws nothing when stderr is not a
/// terminal).
fn with_walk_progress<T>(f: impl FnOnce(&AtomicU64) -> T) -> T {
    let walked = AtomicU64::new(0);
    // Dropping the sender wakes the display at once when `f` returns.
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let walked_ref = &walked;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {human_pos} packages walked in {elapsed}",
                )
                .expect("valid template"),
            );
            let start = std::time::Instant::now();
            let tick = std::time::Duration::from_millis(100);
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(tick)
            {
                if start.elapsed().as_millis() > 500 {
                    bar.set_position(walked_ref.load(Ordering::Relaxed));
                    bar.tick();
                }
            }
            bar.finish_and_clear();
        });
        let out = f(&walked);
        drop(done);
        out
    })
}

/// Above the default limit, say how much work counting will do and roughly
/// how long that takes, before starting.
fn announce_walk(s: &zopa_model::Scenario, limit: u64) {
    let Ok(method) = zopa_analysis::Method::of(s) else {
        return; // analyze refuses it with the reason
    };
    let work = method.work();
    if work <= u128::from(zopa_model::DEFAULT_LIMIT) || work > u128::from(method.work_bound(limit))
    {
        return; // nothing unusual, or refused with the reason
    }
    match method {
        zopa_analysis::Method::Enumeration { packages } => eprintln!(
            "zopa: walking {packages} packages (above the default limit of {}); counting takes roughly {:.0} s at about 12 ns a package, more with red lines",
            zopa_model::DEFAULT_LIMIT,
            packages as f64 * 12e-9
        ),
        zopa_analysis::Method::MeetInTheMiddle { .. } => eprintln!(
            "zopa: counting by meet in the middle enumerates {work} partial packages (above the default limit of {}); each count takes roughly {:.0} s and keeps about {} MB",
            zopa_model::DEFAULT_LIMIT,
            work as f64 * 250e-9,
            work * u128::from(zopa_model::limits::HALF_BYTES) / 1_000_000
        ),
    }
}

fn validate(file: &str, json: bool) -> Result<(), Failure> {
    let input = input::resolve(Some(file), None)?;
    let loaded = input::load(&input, zopa_model::DEFAULT_LIMIT)?;
    let v = documents::validation(&loaded);
    if json {
        return emit(&jsonout::pretty(&v));
    }
    input::print_warnings(&loaded);
    emit(&format!(
        "{}: valid — {} actors, {} issues, {} claims ({} analyst assumptions), {} evidence quotes found verbatim in their sources, {} warning(s)\n",
        v.origin,
        v.actors,
        v.issues,
        v.claims,
        v.assumptions,
        v.evidence_quotes,
        v.warnings.len()
    ))
}

#[cfg(test)]
mod help_tests {
    use clap::CommandFactory;

    /// Every command's closing text (examples, exit codes) fits in 80
    /// columns as written, so clap never has to break a command in two.
    #[test]
    fn after_help_lines_fit_in_80_columns() {
        let cli = super::Cli::command();
        let mut long = Vec::new();
        let mut check = |name: &str, text: Option<String>| {
            for line in text.unwrap_or_default().lines() {
                if line.chars().count() > 80 {
                    long.push(format!("{name}: {line}"));
                }
            }
        };
        check("zopa", cli.get_after_help().map(|t| t.to_string()));
        for sub in cli.get_subcommands() {
            check(sub.get_name(), sub.get_after_help().map(|t| t.to_string()));
        }
        assert!(long.is_empty(), "{long:#?}");
    }
}

//! `zopa tournament` and `zopa report`.

use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;
use zopa_app::tournament as docs;
use zopa_tournament::run::Bounds;

use crate::input;
use crate::{emit, jsonout, Failure};

/// Arguments of `zopa tournament`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct TournamentArgs {
    /// `merge`: merge finished shards into one results database.
    #[command(subcommand)]
    action: Option<Action>,
    /// Tournament file (TOML).
    #[arg(required = true)]
    file: Option<PathBuf>,
    /// Results database: a SQLite file (created if missing, resumed if
    /// present), or a PostgreSQL URL (postgresql://USER:PASSWORD@HOST/DB)
    /// shared by workers on several machines, each running this command.
    #[arg(long, value_name = "FILE|URL", required_unless_present_any = ["dry_run", "shard", "slurm"], conflicts_with_all = ["shard", "slurm"])]
    db: Option<PathBuf>,
    /// With a PostgreSQL --db: the shards a new tournament is cut into
    /// (default 16); workers pull them one at a time. A tournament already
    /// in the store keeps its own count.
    #[arg(long, value_name = "N", requires = "db", value_parser = clap::value_parser!(u64).range(1..=zopa_tournament::shard::MAX_SHARDS))]
    shards: Option<u64>,
    /// With a PostgreSQL --db: this worker's name in the store (default
    /// HOST:PID).
    #[arg(long, value_name = "NAME", requires = "db")]
    worker: Option<String>,
    /// Run only shard K of N (K from 1), into --out: the plan's numbers are
    /// dealt to N shards by --partition; merge the finished shards with
    /// `zopa tournament merge`.
    #[arg(long, value_name = "K/N", requires = "out")]
    shard: Option<String>,
    /// How numbers are dealt to shards: contiguous ranges, or by a hash of
    /// the number (every shard samples every domain).
    #[arg(long, value_name = "HOW", default_value = "contiguous", value_parser = ["contiguous", "hash"])]
    partition: String,
    /// Folder of the shard's results (shard-K-of-N.sqlite and, once
    /// complete, its manifest shard-K-of-N.json).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print a Slurm batch script that runs every one of N shards as one
    /// job array into --out (pipe it to `sbatch`).
    #[arg(long, value_name = "N", requires = "out", conflicts_with = "shard", value_parser = clap::value_parser!(u64).range(1..=zopa_tournament::shard::MAX_SHARDS))]
    slurm: Option<u64>,
    /// Worker threads (default: all cores; at most 256).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_JOBS))]
    jobs: Option<u64>,
    /// Refuse a deadline above N rounds.
    #[arg(long, value_name = "N", default_value_t = zopa_model::limits::MAX_ROUNDS)]
    max_rounds: u64,
    /// Refuse a plan of more than N negotiations.
    #[arg(long, value_name = "N", default_value_t = zopa_model::limits::MAX_NEGOTIATIONS)]
    max_negotiations: u64,
    /// Only print the number of negotiations planned.
    #[arg(long)]
    dry_run: bool,
}

/// Subcommands of `zopa tournament`.
#[derive(clap::Subcommand, Debug)]
enum Action {
    /// Merge finished shards (their manifests and databases, in one or more
    /// folders) into a new results database, after checking that they are
    /// every shard of one tournament, each once, with every row intact.
    #[command(after_help = "\
Examples:
  zopa tournament merge shards/ --db results.sqlite
  zopa tournament merge node1/ node2/ --db results.sqlite

A missing or duplicated shard is named (with the sbatch --array that reruns
the missing ones); nothing is written until every check passes. The merged
database equals an unsharded run's, row for row. From a shared PostgreSQL
store (`zopa tournament merge postgresql://USER:PASS@HOST/DB --db FILE`), the
tournament's shards must all be done (those that are not are named), and
--tournament HASH picks one when the store holds several. Exit codes: 0
success, 2 missing, duplicated, foreign or damaged shards, or an existing --db.")]
    Merge(MergeArgs),
}

/// Arguments of `zopa tournament merge`.
#[derive(Args, Debug)]
struct MergeArgs {
    /// Folders holding finished shards, or the PostgreSQL URL of a shared
    /// store whose shards are all done.
    #[arg(required = true, value_name = "DIR|URL")]
    dirs: Vec<PathBuf>,
    /// With a PostgreSQL store holding several tournaments: the one whose
    /// hash starts with this.
    #[arg(long, value_name = "HASH")]
    tournament: Option<String>,
    /// The merged results database (must not exist yet).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
}

/// Arguments of `zopa report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Results database written by `zopa tournament`.
    db: PathBuf,
    /// Also write the per-strategy table as CSV to this file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Also draw each strategy's mean utility with its 95 % confidence
    /// interval, and its agreement rate, to this standalone SVG file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Also write every negotiation's row (strategies, utilities,
    /// reservations, rounds, distances) to this Parquet file, for pandas,
    /// polars or DuckDB (`zopa docs tournaments`).
    #[arg(long, value_name = "FILE")]
    parquet: Option<PathBuf>,
    /// Bootstrap replicates of the statistics (0: no statistics).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=zopa_tournament::report::MAX_BOOTSTRAP as u64))]
    bootstrap: u64,
    /// Seed of the bootstrap (same seed, same statistics).
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
}

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

/// Merge finished shards.
fn merge(args: MergeArgs, json: bool) -> Result<(), Failure> {
    let urls: Vec<&str> = args
        .dirs
        .iter()
        .filter_map(|d| d.to_str().filter(|d| zopa_tournament::pg::is_url(d)))
        .collect();
    let m = match (urls.as_slice(), args.dirs.len()) {
        ([url], 1) => docs::pull_postgres(url, args.tournament.as_deref(), &args.db),
        ([], _) if args.tournament.is_some() => {
            return Err(anyhow::anyhow!("--tournament picks a tournament in a PostgreSQL store; folders of shards hold one each").into())
        }
        ([], _) => docs::merge(&args.dirs, &args.db),
        _ => {
            return Err(anyhow::anyhow!("merge one PostgreSQL store, or folders of shards, not both").into())
        }
    }
    .map_err(input::failure)?;
    if json {
        return emit(&jsonout::pretty(&m));
    }
    emit(&format!(
        "{}: merged {} shards, {} negotiations, into {} (zopa report {} reads it)\n",
        m.name, m.shards, m.negotiations, m.database, m.database
    ))
}

/// Run (or resume) a tournament.
pub fn tournament(args: TournamentArgs, json: bool) -> Result<(), Failure> {
    if let Some(Action::Merge(m)) = args.action {
        return merge(m, json);
    }
    let file = args
        .file
        .clone()
        .expect("clap requires the tournament file");
    let partition: zopa_tournament::shard::Partition = args
        .partition
        .parse()
        .map_err(|e: String| anyhow::anyhow!(e))?;
    let req = docs::RunRequest {
        jobs: args.jobs.map(|j| j as usize),
        bounds: Bounds {
            max_rounds: args.max_rounds,
            max_negotiations: args.max_negotiations,
        },
    };
    if let Some(n) = args.slurm {
        let dir = args.out.as_deref().expect("clap requires --out");
        // Slurm writes each task's output there: it must exist first.
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        let jobs = args.jobs.map_or(1, |j| j as usize);
        let script = docs::slurm_script(&file, n, partition, dir, jobs, &req.bounds)
            .map_err(input::failure)?;
        return emit(&script);
    }
    let shard = args
        .shard
        .as_deref()
        .map(|t| zopa_tournament::shard::Shard::parse(t, partition))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--shard {e}"))?;
    if args.dry_run {
        let plan = docs::plan_file(&file, &req.bounds).map_err(input::failure)?;
        if json {
            return emit(&jsonout::pretty(&plan));
        }
        let mut o = format!("{}: {} negotiations planned\n", plan.name, plan.planned);
        for d in &plan.domains {
            let _ = writeln!(
                o,
                "  {:<32} {} parties  {:>8}",
                d.domain, d.parties, d.negotiations
            );
        }
        return emit(&o);
    }
    if let Some(url) = args
        .db
        .as_deref()
        .and_then(|d| d.to_str())
        .filter(|d| zopa_tournament::pg::is_url(d))
    {
        return work_postgres(&args, &file, url, partition, &req, json);
    }
    if args.shards.is_some() || args.worker.is_some() {
        return Err(anyhow::anyhow!(
            "--shards and --worker go with a PostgreSQL --db (postgresql://…); a SQLite file is one worker's: cut it with --shard K/N --out DIR"
        )
        .into());
    }
    let db = match (&shard, &args.out) {
        (Some(s), Some(dir)) => dir.join(format!("{}.sqlite", s.stem())),
        _ => args
            .db
            .clone()
            .expect("clap requires --db without --dry-run"),
    };
    let bar = progress_bar();
    // Ctrl-C stops after the batch in flight; everything finished is stored.
    let stop = ctrl_c_flag();
    let progress = |done, planned| {
        bar.set_length(planned);
        bar.set_position(done);
    };
    let out = match (&shard, &args.out) {
        (Some(s), Some(dir)) => docs::run_shard_file(&file, s, dir, &req, &progress, &stop),
        _ => docs::run_file_with(&file, &db, &req, &progress, &stop),
    }
    .map_err(input::failure)?;
    bar.finish_and_clear();
    let r = out.doc;
    if out.interrupted {
        return Err(Failure {
            code: EXIT_INTERRUPTED,
            error: anyhow::anyhow!(
                "interrupted: {} of {} negotiations are stored in {}; run the same command again to finish",
                r.skipped + r.completed,
                r.planned,
                db.display()
            ),
            diagnostics: None,
        });
    }
    if json {
        return emit(&jsonout::pretty(&r));
    }
    let what = r
        .shard
        .as_ref()
        .map_or(String::new(), |s| format!(" (shard {s})"));
    let mut o = format!(
        "{}{what}: {} planned, {} already done, {} completed now in {:.2} s ({:.0} negotiations/s); results in {}\n",
        r.name,
        r.planned,
        r.skipped,
        r.completed,
        r.elapsed_s,
        r.completed as f64 / r.elapsed_s.max(1e-9),
        db.display()
    );
    if let (Some(s), Some(dir)) = (&shard, &args.out) {
        let _ = writeln!(
            o,
            "manifest {}; when all {} shards are done: zopa tournament merge {} --db results.sqlite",
            dir.join(format!("{}.json", s.stem())).display(),
            s.n,
            dir.display()
        );
    }
    emit(&o)
}

/// A progress bar of negotiations.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} negotiations  {per_sec}  eta {eta}",
        )
        .expect("valid template"),
    );
    bar
}

/// A flag that Ctrl-C sets: runs stop after the negotiations in flight.
fn ctrl_c_flag() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed));
    stop
}

/// Work on a tournament in a shared PostgreSQL store until no shard is
/// left to claim.
fn work_postgres(
    args: &TournamentArgs,
    file: &std::path::Path,
    url: &str,
    partition: zopa_tournament::shard::Partition,
    req: &docs::RunRequest,
    json: bool,
) -> Result<(), Failure> {
    let host = hostname();
    let worker = args
        .worker
        .clone()
        .unwrap_or_else(|| format!("{host}:{}", std::process::id()));
    let bar = progress_bar();
    let stop = ctrl_c_flag();
    let progress = |done, planned| {
        bar.set_length(planned);
        bar.set_position(done);
    };
    let w = docs::work_postgres(
        file,
        url,
        args.shards,
        partition,
        &worker,
        req,
        &progress,
        &stop,
    )
    .map_err(input::failure)?;
    bar.finish_and_clear();
    if w.interrupted {
        return Err(Failure {
            code: EXIT_INTERRUPTED,
            error: anyhow::anyhow!(
                "interrupted: the shard in hand is released with its stored negotiations kept; {} of {} shards are done; run the same command again to go on",
                w.shards_done,
                w.shards
            ),
            diagnostics: None,
        });
    }
    if json {
        return emit(&jsonout::pretty(&w));
    }
    let list: Vec<String> = w.finished.iter().map(u64::to_string).collect();
    let mut o = format!(
        "{}: worker {} finished {} of {} shards ({}) in {:.2} s: {} negotiations run, {} resumed from a stopped worker\n",
        w.name,
        w.worker,
        w.finished.len(),
        w.shards,
        if list.is_empty() { "none left to claim".to_string() } else { list.join(", ") },
        w.elapsed_s,
        w.completed,
        w.resumed,
    );
    if w.shards_done == w.shards {
        let _ = writeln!(
            o,
            "all {} shards are done: zopa tournament merge '{}' --db results.sqlite (with the URL's password)",
            w.shards, w.database
        );
    } else {
        let _ = writeln!(
            o,
            "{} of {} shards done, {} held by other workers; merge when they finish (a worker that dies releases its shard: start another)",
            w.shards_done, w.shards, w.shards_running
        );
    }
    emit(&o)
}

/// This machine's name, for a worker's default name.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

/// Print a tournament's per-strategy results.
pub fn report_cmd(args: ReportArgs, json: bool) -> Result<(), Failure> {
    let opts = docs::StatsOptions {
        samples: args.bootstrap as usize,
        seed: args.seed,
    };
    let r = docs::report_file_with(&args.db, &opts).map_err(input::failure)?;
    if let Some(path) = &args.csv {
        let mut csv = String::from("strategy,slots,agreement_rate,mean_utility,mean_welfare,mean_rounds,mean_pareto_distance,mean_nash_distance\n");
        for row in &r.strategies {
            let f = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{},{},{}",
                row.strategy,
                row.slots,
                row.agreement_rate,
                row.mean_utility,
                f(row.mean_welfare),
                row.mean_rounds,
                f(row.mean_pareto_distance),
                f(row.mean_nash_distance)
            );
        }
        std::fs::write(path, csv)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    if let Some(path) = &args.parquet {
        crate::warn_unless_named(path, "Parquet rows", "parquet");
        let e = docs::export_parquet(&args.db, path).map_err(input::failure)?;
        eprintln!(
            "zopa: wrote {} rows ({}) to {}",
            e.rows,
            e.rows_schema,
            path.display()
        );
    }
    if let Some(path) = &args.svg {
        let svg = zopa_app::plots::tournament(&r).map_err(input::failure)?;
        crate::write_output(path, &svg)?;
    }
    if json {
        return emit(&jsonout::pretty(&r));
    }
    let mut o = format!(
        "{}: {} of {} negotiations completed\n",
        r.name, r.negotiations_completed, r.negotiations_planned
    );
    if r.negotiations_unchecked > 0 {
        let _ = writeln!(
            o,
            "note: {} of them were stored by a zopa from before row checksums; their values could not be verified",
            r.negotiations_unchecked
        );
    }
    if r.negotiations_timed_out > 0 {
        let _ = writeln!(
            o,
            "note: {} of them were stopped by the tournament's time_limit (recorded as they stood; such rows depend on the machine's speed)",
            r.negotiations_timed_out
        );
    }
    o.push('\n');
    let _ = writeln!(
        o,
        "  {:<22} {:>7} {:>10} {:>9} {:>9} {:>8} {:>11} {:>9}",
        "strategy", "slots", "agreement", "utility", "welfare", "rounds", "to Pareto", "to Nash"
    );
    for row in &r.strategies {
        let _ = writeln!(
            o,
            "  {:<22} {:>7} {:>9.1}% {:>9.3} {:>9} {:>8.1} {:>11} {:>9}",
            row.strategy,
            row.slots,
            100.0 * row.agreement_rate,
            row.mean_utility,
            opt(row.mean_welfare),
            row.mean_rounds,
            opt(row.mean_pareto_distance),
            opt(row.mean_nash_distance)
        );
    }
    let _ = writeln!(o, "\nutility: the agreement's, or the party's reservation without one; welfare and distances: over agreements.");
    if let Some(s) = &r.statistics {
        statistics_text(&mut o, s);
    }
    emit(&o)
}

/// The statistics as text: intervals and ranks, significant pairs, the
/// head-to-head table and the empirical game's equilibria.
fn statistics_text(o: &mut String, s: &docs::StatisticsDoc) {
    let _ = writeln!(
        o,
        "\nMean utility with its bootstrap 95 % interval ({} samples, seed {}), rank and its stability:",
        s.bootstrap_samples, s.seed
    );
    for x in &s.strategies {
        let _ = writeln!(
            o,
            "  {:<22} {:.3} [{:.3}, {:.3}]  rank {} (in {:.0} % of samples; 95 %: {}-{})",
            x.strategy,
            x.mean,
            x.ci_low,
            x.ci_high,
            x.rank,
            100.0 * x.rank_stability,
            x.rank_range[0],
            x.rank_range[1]
        );
    }
    let significant: Vec<&docs::PairDoc> = s.pairwise.iter().filter(|p| p.significant).collect();
    let _ = writeln!(
        o,
        "\nPairwise differences (Welch's t-test, Holm-corrected over {} pairs): {} significant at 5 %",
        s.pairwise.len(),
        significant.len()
    );
    for p in &significant {
        let _ = writeln!(
            o,
            "  {:<22} {:+.3} vs {:<22} p = {:.2e}",
            p.a, p.difference, p.b, p.p_holm
        );
    }
    let _ = writeln!(
        o,
        "\nHead to head (row's mean utility when column is among the other parties):"
    );
    let width = s
        .head_to_head_strategies
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(0)
        .max(6);
    let mut head = format!("  {:<width$}", "");
    for name in &s.head_to_head_strategies {
        head.push_str(&format!(" {name:>width$}"));
    }
    let _ = writeln!(o, "{head}");
    for (name, row) in s.head_to_head_strategies.iter().zip(&s.head_to_head) {
        let mut line = format!("  {name:<width$}");
        for x in row {
            line.push_str(&format!(
                " {:>width$}",
                x.map_or("-".into(), |v| format!("{v:.3}"))
            ));
        }
        let _ = writeln!(o, "{line}");
    }
    let g = &s.empirical_game;
    match &g.skipped {
        Some(why) => {
            let _ = writeln!(
                o,
                "\nEmpirical game of two-party negotiations: not computed ({why})."
            );
        }
        None => {
            let _ = writeln!(
                o,
                "\nEmpirical game of two-party negotiations: {} symmetric Nash equilibri{} (support enumeration):",
                g.equilibria.len(),
                if g.equilibria.len() == 1 { "um" } else { "a" }
            );
            for e in &g.equilibria {
                let mix: Vec<String> = g
                    .strategies
                    .iter()
                    .zip(&e.probabilities)
                    .filter(|(_, p)| **p > 1e-9)
                    .map(|(n, p)| format!("{n} {:.3}", p))
                    .collect();
                let _ = writeln!(o, "  {}  (payoff {:.3})", mix.join(", "), e.payoff);
            }
        }
    }
}

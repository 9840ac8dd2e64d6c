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
pub struct TournamentArgs {
    /// Tournament file (TOML).
    file: PathBuf,
    /// Results database (SQLite); created if missing, resumed if present.
    #[arg(long, value_name = "FILE", required_unless_present = "dry_run")]
    db: Option<PathBuf>,
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
}

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

/// Run (or resume) a tournament.
pub fn tournament(args: TournamentArgs, json: bool) -> Result<(), Failure> {
    let req = docs::RunRequest {
        jobs: args.jobs.map(|j| j as usize),
        bounds: Bounds {
            max_rounds: args.max_rounds,
            max_negotiations: args.max_negotiations,
        },
    };
    if args.dry_run {
        let plan = docs::plan_file(&args.file, &req.bounds).map_err(input::failure)?;
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
    let db = args.db.expect("clap requires --db without --dry-run");
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} negotiations  {per_sec}  eta {eta}",
        )
        .expect("valid template"),
    );
    // Ctrl-C stops after the batch in flight; everything finished is stored.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed));
    let progress = |done, planned| {
        bar.set_length(planned);
        bar.set_position(done);
    };
    let out =
        docs::run_file_with(&args.file, &db, &req, &progress, &stop).map_err(input::failure)?;
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
    emit(&format!(
        "{}: {} planned, {} already done, {} completed now in {:.2} s ({:.0} negotiations/s); results in {}\n",
        r.name,
        r.planned,
        r.skipped,
        r.completed,
        r.elapsed_s,
        r.completed as f64 / r.elapsed_s.max(1e-9),
        db.display()
    ))
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

/// Print a tournament's per-strategy results.
pub fn report_cmd(args: ReportArgs, json: bool) -> Result<(), Failure> {
    let r = docs::report_file(&args.db).map_err(input::failure)?;
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
    emit(&o)
}

//! `zopa tournament` and `zopa report`.

use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;
use zopa_app::tournament as docs;
use zopa_tournament::{report, run};

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

fn fail(e: zopa_tournament::TournamentError) -> Failure {
    crate::input::failure(zopa_app::tournament::app_error(e, None))
}

/// Run (or resume) a tournament.
pub fn tournament(args: TournamentArgs, json: bool) -> Result<(), Failure> {
    let bounds = run::Bounds {
        max_rounds: args.max_rounds,
        max_negotiations: args.max_negotiations,
    };
    let plan = run::Plan::from_file(&args.file, &bounds).map_err(fail)?;
    if args.dry_run {
        if json {
            return emit(&jsonout::pretty(&docs::plan(&plan)));
        }
        let mut o = format!(
            "{}: {} negotiations planned\n",
            plan.file.name,
            plan.total()
        );
        for (name, parties, n) in plan.per_domain() {
            let _ = writeln!(o, "  {name:<32} {parties} parties  {n:>8}");
        }
        return emit(&o);
    }
    let db = args.db.expect("clap requires --db without --dry-run");
    let bar = indicatif::ProgressBar::new(plan.total());
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} negotiations  {per_sec}  eta {eta}",
        )
        .expect("valid template"),
    );
    let started = std::time::Instant::now();
    // Ctrl-C stops after the batch in flight; everything finished is stored.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed));
    let summary = run::run(
        &plan,
        &db,
        args.jobs.map(|j| j as usize),
        &|done, _| bar.set_position(done),
        &stop,
    )
    .map_err(fail)?;
    bar.finish_and_clear();
    if summary.interrupted {
        return Err(Failure {
            code: EXIT_INTERRUPTED,
            error: anyhow::anyhow!(
                "interrupted: {} of {} negotiations are stored in {}; run the same command again to finish",
                summary.already_done + summary.completed_now,
                summary.planned,
                db.display()
            ),
            diagnostics: None,
        });
    }
    let secs = started.elapsed().as_secs_f64();
    if json {
        return emit(&jsonout::pretty(&docs::run(
            &plan,
            &summary,
            secs,
            &db.display().to_string(),
        )));
    }
    emit(&format!(
        "{}: {} planned, {} already done, {} completed now in {:.2} s ({:.0} negotiations/s); results in {}\n",
        plan.file.name,
        summary.planned,
        summary.already_done,
        summary.completed_now,
        secs,
        summary.completed_now as f64 / secs.max(1e-9),
        db.display()
    ))
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

/// Print a tournament's per-strategy results.
pub fn report_cmd(args: ReportArgs, json: bool) -> Result<(), Failure> {
    let r = report::report(&args.db).map_err(fail)?;
    if let Some(path) = &args.csv {
        let mut csv = String::from("strategy,slots,agreement_rate,mean_utility,mean_welfare,mean_rounds,mean_pareto_distance,mean_nash_distance\n");
        for row in &r.rows {
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
        let svg = zopa_app::plots::tournament(&docs::report(&r)).map_err(crate::input::failure)?;
        crate::write_output(path, &svg)?;
    }
    if json {
        return emit(&jsonout::pretty(&docs::report(&r)));
    }
    let mut o = format!(
        "{}: {} of {} negotiations completed\n\n",
        r.name, r.completed, r.planned
    );
    let _ = writeln!(
        o,
        "  {:<22} {:>7} {:>10} {:>9} {:>9} {:>8} {:>11} {:>9}",
        "strategy", "slots", "agreement", "utility", "welfare", "rounds", "to Pareto", "to Nash"
    );
    for row in &r.rows {
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

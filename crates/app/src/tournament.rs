//! Tournament documents for every surface: the plan
//! (`zopa.tournament-plan/1`), a run's summary (`zopa.tournament-run/1`) and
//! the per-strategy report (`zopa.tournament-report/1`), as `serde` types.

use std::path::Path;

use serde::Serialize;
pub use zopa_tournament::report::StatsOptions;
use zopa_tournament::report::{Report, StrategyRow};
use zopa_tournament::run::{Bounds, Plan, RunSummary};
pub use zopa_tournament::shard::{Partition, Shard};
use zopa_tournament::stats::{Game, Statistics};
use zopa_tournament::TournamentError;

use crate::AppError;

/// What a tournament run is asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRequest {
    /// Worker threads (default: one per core), 1 to
    /// [`zopa_model::limits::MAX_JOBS`].
    pub jobs: Option<usize>,
    /// Bounds on the plan (rounds, negotiations), from [`zopa_model::limits`].
    pub bounds: Bounds,
}

/// The plan of the tournament file `config` (`zopa tournament --dry-run`).
pub fn plan_file(config: &Path, bounds: &Bounds) -> Result<PlanDoc, AppError> {
    let plan = Plan::from_file(config, bounds).map_err(|e| app_error(e, None))?;
    Ok(self::plan(&plan))
}

/// Plan the tournament file `config` and run (or resume) it into the
/// results database `db` (see [`run_file_with`]).
pub fn run_file(config: &Path, db: &Path, req: &RunRequest) -> Result<RunDoc, AppError> {
    let stop = std::sync::atomic::AtomicBool::new(false);
    Ok(run_file_with(config, db, req, &|_, _| {}, &stop)?.doc)
}

/// A run that may have been stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// What the run did.
    pub doc: RunDoc,
    /// `stop` ended it early; every finished negotiation is stored, and
    /// running it again finishes the rest.
    pub interrupted: bool,
}

/// Plan the tournament file `config` and run (or resume) it into the
/// results database `db`: `progress(done, planned)` after each batch;
/// setting `stop` (Ctrl-C) ends the run after the batch in flight.
pub fn run_file_with(
    config: &Path,
    db: &Path,
    req: &RunRequest,
    progress: &dyn Fn(u64, u64),
    stop: &std::sync::atomic::AtomicBool,
) -> Result<RunOutcome, AppError> {
    let plan = Plan::from_file(config, &req.bounds).map_err(|e| app_error(e, None))?;
    let started = std::time::Instant::now();
    let summary = zopa_tournament::run::run(&plan, db, req.jobs, progress, stop)
        .map_err(|e| app_error(e, None))?;
    Ok(RunOutcome {
        doc: run(
            &plan,
            &summary,
            started.elapsed().as_secs_f64(),
            &db.display().to_string(),
        ),
        interrupted: summary.interrupted,
    })
}

/// Plan the tournament file `config` and run (or resume) one shard of it
/// into the folder `dir` (`dir/shard-K-of-N.sqlite`, and its manifest
/// `dir/shard-K-of-N.json` once it is complete): see
/// [`zopa_tournament::shard`].
pub fn run_shard_file(
    config: &Path,
    shard: &Shard,
    dir: &Path,
    req: &RunRequest,
    progress: &dyn Fn(u64, u64),
    stop: &std::sync::atomic::AtomicBool,
) -> Result<RunOutcome, AppError> {
    let plan = Plan::from_file(config, &req.bounds).map_err(|e| app_error(e, None))?;
    let started = std::time::Instant::now();
    let (summary, _) = zopa_tournament::run::run_shard(&plan, shard, dir, req.jobs, progress, stop)
        .map_err(|e| app_error(e, None))?;
    let db = dir.join(format!("{}.sqlite", shard.stem()));
    let mut doc = run(
        &plan,
        &summary,
        started.elapsed().as_secs_f64(),
        &db.display().to_string(),
    );
    doc.shard = Some(shard.label());
    Ok(RunOutcome {
        doc,
        interrupted: summary.interrupted,
    })
}

/// `zopa.tournament-merge/1`: what a merge wrote.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Merge)]
pub struct MergeDoc {
    /// `zopa.tournament-merge/1`.
    pub schema: &'static str,
    /// Tournament name.
    pub name: String,
    /// The plan's identity (SHA-256).
    pub tournament_hash: String,
    /// Shards merged.
    pub shards: u64,
    /// Negotiations written.
    pub negotiations: u64,
    /// The merged results database.
    pub database: String,
}

/// `zopa.tournament-worker/1`: what one worker on a PostgreSQL results
/// store did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Worker)]
pub struct WorkerDoc {
    /// `zopa.tournament-worker/1`.
    pub schema: &'static str,
    /// Tournament name.
    pub name: String,
    /// The plan's identity (SHA-256).
    pub tournament_hash: String,
    /// Negotiations planned.
    pub planned: u64,
    /// Shards of the plan, and how they are dealt.
    pub shards: u64,
    /// `contiguous` or `hash`.
    pub partition: String,
    /// This worker's name, as the store records it.
    pub worker: String,
    /// The shards this worker finished.
    pub finished: Vec<u64>,
    /// Rows of those shards found stored by a worker that died, not rerun.
    pub resumed: u64,
    /// Negotiations this worker ran.
    pub completed: u64,
    /// Shards done, by any worker.
    pub shards_done: u64,
    /// Shards still held by other workers.
    pub shards_running: u64,
    /// Seconds this worker took.
    pub elapsed_s: f64,
    /// The store, without its password.
    pub database: String,
    /// Stopped early (Ctrl-C): its shard in hand is released, its stored
    /// batches kept.
    pub interrupted: bool,
}

/// Plan the tournament file `config` and work on it in the PostgreSQL
/// store at `url` until no shard is left to claim: see
/// [`zopa_tournament::pg`]. `shards` cuts a new tournament (an existing
/// one keeps its own); `worker` names this worker in the store.
#[allow(clippy::too_many_arguments)]
pub fn work_postgres(
    config: &Path,
    url: &str,
    shards: Option<u64>,
    partition: Partition,
    worker: &str,
    req: &RunRequest,
    progress: &dyn Fn(u64, u64),
    stop: &std::sync::atomic::AtomicBool,
) -> Result<WorkerDoc, AppError> {
    let plan = Plan::from_file(config, &req.bounds).map_err(|e| app_error(e, None))?;
    let started = std::time::Instant::now();
    let cut = zopa_tournament::pg::Cut { shards, partition };
    let s = zopa_tournament::pg::work(&plan, url, cut, req.jobs, worker, progress, stop)
        .map_err(|e| app_error(e, None))?;
    Ok(WorkerDoc {
        schema: "zopa.tournament-worker/1",
        name: plan.file.name.clone(),
        tournament_hash: plan.hash.clone(),
        planned: s.planned,
        shards: s.shards,
        partition: s.partition.name().to_string(),
        worker: worker.to_string(),
        finished: s.finished,
        resumed: s.resumed,
        completed: s.completed_now,
        shards_done: s.shards_done,
        shards_running: s.shards_running,
        elapsed_s: started.elapsed().as_secs_f64(),
        database: zopa_tournament::pg::redact(url),
        interrupted: s.interrupted,
    })
}

/// Copy the finished tournament in the PostgreSQL store at `url` (the one
/// whose hash starts with `tournament`, when it holds several) into the new
/// SQLite results database `db`.
pub fn pull_postgres(url: &str, tournament: Option<&str>, db: &Path) -> Result<MergeDoc, AppError> {
    let p = zopa_tournament::pg::pull(url, tournament, db).map_err(|e| app_error(e, None))?;
    Ok(MergeDoc {
        schema: "zopa.tournament-merge/1",
        name: p.name,
        tournament_hash: p.tournament_hash,
        shards: p.shards,
        negotiations: p.rows,
        database: db.display().to_string(),
    })
}

/// `zopa.tournament-export/1`: what a Parquet export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Export)]
pub struct ExportDoc {
    /// `zopa.tournament-export/1`.
    pub schema: &'static str,
    /// The rows' layout in the file (`zopa.tournament-rows/1`, in its
    /// key-value metadata under `zopa.schema`).
    pub rows_schema: &'static str,
    /// Rows (negotiations) written.
    pub rows: u64,
    /// Row groups written.
    pub row_groups: u64,
    /// The Parquet file.
    pub file: String,
}

/// Write the rows of the results database `db` to the Parquet file `out`
/// (docs/tournaments.md, "Rows for pandas and polars").
pub fn export_parquet(db: &Path, out: &Path) -> Result<ExportDoc, AppError> {
    let e = zopa_tournament::export::parquet(db, out).map_err(|e| app_error(e, None))?;
    Ok(ExportDoc {
        schema: "zopa.tournament-export/1",
        rows_schema: zopa_tournament::export::ROWS_SCHEMA,
        rows: e.rows,
        row_groups: e.row_groups,
        file: out.display().to_string(),
    })
}

/// Merge the finished shards found in `dirs` into the new results
/// database `db`, after checking identity, coverage and every row.
pub fn merge(dirs: &[std::path::PathBuf], db: &Path) -> Result<MergeDoc, AppError> {
    let m = zopa_tournament::shard::merge(dirs, db).map_err(|e| app_error(e, None))?;
    Ok(MergeDoc {
        schema: "zopa.tournament-merge/1",
        name: m.name,
        tournament_hash: m.tournament_hash,
        shards: m.shards,
        negotiations: m.rows,
        database: db.display().to_string(),
    })
}

/// A Slurm batch script that runs every shard of the tournament file
/// `config` as one job array (one task per shard), each task writing into
/// `dir`; `jobs` worker threads per task. Piped to `sbatch`, it submits.
pub fn slurm_script(
    config: &Path,
    n: u64,
    partition: Partition,
    dir: &Path,
    jobs: usize,
    bounds: &Bounds,
) -> Result<String, AppError> {
    let plan = Plan::from_file(config, bounds).map_err(|e| app_error(e, None))?;
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let quote = |p: &Path| format!("'{}'", abs(p).display().to_string().replace('\'', "'\\''"));
    let exe = std::env::current_exe().map_or_else(|_| "zopa".into(), |p| quote(&p));
    let name: String = plan
        .file
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    Ok(format!(
        "#!/bin/sh
# zopa tournament \"{title}\": {total} negotiations in {n} shards ({partition}),
# one Slurm array task per shard. Submit with sbatch; when every task has
# finished, merge (missing shards are named, with the --array to resubmit):
#   {exe} tournament merge {dir} --db results.sqlite
#SBATCH --job-name=zopa-{name}
#SBATCH --array=1-{n}
#SBATCH --cpus-per-task={jobs}
#SBATCH --output={dir_raw}/slurm-%A_%a.out
exec {exe} tournament {config} --shard \"$SLURM_ARRAY_TASK_ID/{n}\" --partition {partition} --out {dir} --jobs \"${{SLURM_CPUS_PER_TASK:-{jobs}}}\"
",
        title = plan.file.name.replace('\n', " "),
        total = plan.total(),
        partition = partition.name(),
        dir = quote(dir),
        dir_raw = abs(dir).display(),
        config = quote(config),
    ))
}

/// The per-strategy report of the results database `db`, with the
/// default statistics (1,000 bootstrap samples, seed 1).
pub fn report_file(db: &Path) -> Result<ReportDoc, AppError> {
    report_file_with(db, &StatsOptions::default())
}

/// The per-strategy report of the results database `db`, its statistics
/// computed as `opts` says.
pub fn report_file_with(db: &Path, opts: &StatsOptions) -> Result<ReportDoc, AppError> {
    let r = zopa_tournament::report::report_with(db, opts).map_err(|e| app_error(e, None))?;
    Ok(report(&r))
}

/// A tournament error as the application's: a domain that cannot be played
/// is the engine's refusal, everything else the request's (the database's
/// own error is kept in the text). `hide` is a folder left out of the
/// message (a server's data directory).
pub fn app_error(e: TournamentError, hide: Option<&Path>) -> AppError {
    let mut text = match &e {
        TournamentError::Db(inner) => format!("{e}: {inner}"),
        TournamentError::Postgres { source, .. } => format!("{e}: {source}"),
        _ => e.to_string(),
    };
    if let Some(dir) = hide {
        text = text.replace(&format!("{}/", dir.display()), "");
    }
    match e {
        TournamentError::Refused(l) => AppError::Refused(l),
        TournamentError::Domain(_) => AppError::Engine(text),
        _ => AppError::Usage(text),
    }
}

/// One domain of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::PlannedDomain)]
pub struct PlannedDomain {
    /// Domain name (file or folder name).
    pub domain: String,
    /// Parties.
    pub parties: usize,
    /// Negotiations planned on it.
    pub negotiations: u64,
}

/// `zopa.tournament-plan/1`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Plan)]
pub struct PlanDoc {
    /// `zopa.tournament-plan/1`.
    pub schema: &'static str,
    /// Tournament name.
    pub name: String,
    /// Negotiations planned.
    pub planned: u64,
    /// Per domain.
    pub domains: Vec<PlannedDomain>,
}

/// The plan of a tournament.
pub fn plan(p: &Plan) -> PlanDoc {
    PlanDoc {
        schema: "zopa.tournament-plan/1",
        name: p.file.name.clone(),
        planned: p.total(),
        domains: p
            .per_domain()
            .into_iter()
            .map(|(domain, parties, negotiations)| PlannedDomain {
                domain,
                parties,
                negotiations,
            })
            .collect(),
    }
}

/// `zopa.tournament-run/1`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Run)]
pub struct RunDoc {
    /// `zopa.tournament-run/1`.
    pub schema: &'static str,
    /// Tournament name.
    pub name: String,
    /// Negotiations planned.
    pub planned: u64,
    /// Completed by an earlier run, not played again.
    pub skipped: u64,
    /// Played by this run.
    pub completed: u64,
    /// Seconds this run took.
    pub elapsed_s: f64,
    /// The results database, as given.
    pub database: String,
    /// The shard run (`K/N (partition)`), when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub shard: Option<String>,
}

/// What a finished run did.
pub fn run(p: &Plan, s: &RunSummary, elapsed_s: f64, database: &str) -> RunDoc {
    RunDoc {
        schema: "zopa.tournament-run/1",
        name: p.file.name.clone(),
        planned: s.planned,
        skipped: s.already_done,
        completed: s.completed_now,
        elapsed_s,
        database: database.to_string(),
        shard: None,
    }
}

/// `zopa.tournament-report/1`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Report)]
pub struct ReportDoc {
    /// `zopa.tournament-report/1`.
    pub schema: &'static str,
    /// Tournament name.
    pub name: String,
    /// Negotiations planned.
    pub negotiations_planned: u64,
    /// Negotiations in the database.
    pub negotiations_completed: u64,
    /// Negotiations stored by a zopa from before row checksums, whose
    /// values could not be verified (absent when every row was verified).
    #[serde(skip_serializing_if = "is_zero")]
    #[schema(required = false)]
    pub negotiations_unchecked: u64,
    /// Negotiations the tournament's `time_limit` stopped (absent when
    /// none was).
    #[serde(skip_serializing_if = "is_zero")]
    #[schema(required = false)]
    pub negotiations_timed_out: u64,
    /// One row per strategy, by name.
    pub strategies: Vec<StrategyRowDoc>,
    /// Bootstrap intervals, pairwise tests, head-to-head, rank stability
    /// and the empirical game (docs/json-report.md; absent with 0 bootstrap
    /// samples).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub statistics: Option<StatisticsDoc>,
}

/// The statistics of a tournament (`docs/tournaments.md` says how each is
/// computed).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Statistics)]
pub struct StatisticsDoc {
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Bootstrap replicates.
    pub bootstrap_samples: usize,
    /// Per strategy, by name.
    pub strategies: Vec<StrategyStatsDoc>,
    /// Welch's test of every pair, Holm-corrected.
    pub pairwise: Vec<PairDoc>,
    /// Strategy names of the head-to-head table's rows and columns.
    pub head_to_head_strategies: Vec<String>,
    /// Mean score of the row strategy when the column strategy is among the
    /// other parties (`null`: they never met).
    pub head_to_head: Vec<Vec<Option<f64>>>,
    /// The empirical game of two-party negotiations.
    pub empirical_game: GameDoc,
}

/// A strategy's bootstrap statistics.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::StrategyStats)]
pub struct StrategyStatsDoc {
    /// Strategy spec.
    pub strategy: String,
    /// Mean score.
    pub mean: f64,
    /// Bootstrap 95 % interval of the mean: lower end.
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// Rank by mean score (1: best).
    pub rank: usize,
    /// Share of bootstrap replicates giving it that rank.
    pub rank_stability: f64,
    /// 95 % range of its rank over the replicates.
    pub rank_range: [usize; 2],
}

/// One pair's test.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Pair)]
pub struct PairDoc {
    /// First strategy.
    pub a: String,
    /// Second strategy.
    pub b: String,
    /// Mean score of a minus b's.
    pub difference: f64,
    /// Two-sided p-value of Welch's t-test (1 when a strategy has fewer
    /// than two scores).
    pub p: f64,
    /// Holm-adjusted p-value.
    pub p_holm: f64,
    /// `p_holm` below 0.05.
    pub significant: bool,
}

/// The empirical game.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Game)]
pub struct GameDoc {
    /// Strategies (rows and columns); empty when skipped.
    pub strategies: Vec<String>,
    /// Mean score of row against column, two-party negotiations.
    pub payoffs: Vec<Vec<f64>>,
    /// Symmetric Nash equilibria: each strategy's probability and the
    /// expected payoff.
    pub equilibria: Vec<EquilibriumDoc>,
    /// Why it was not computed, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub skipped: Option<String>,
}

/// A symmetric equilibrium.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::Equilibrium)]
pub struct EquilibriumDoc {
    /// Probability of each strategy, in the game's order.
    pub probabilities: Vec<f64>,
    /// Each player's expected payoff.
    pub payoff: f64,
}

fn statistics(s: &Statistics) -> StatisticsDoc {
    StatisticsDoc {
        seed: s.seed,
        bootstrap_samples: s.samples,
        strategies: s
            .strategies
            .iter()
            .map(|x| StrategyStatsDoc {
                strategy: x.strategy.clone(),
                mean: x.mean,
                ci_low: x.ci_low,
                ci_high: x.ci_high,
                rank: x.rank,
                rank_stability: x.rank_stability,
                rank_range: [x.rank_range.0, x.rank_range.1],
            })
            .collect(),
        pairwise: s
            .pairwise
            .iter()
            .map(|p| PairDoc {
                a: p.a.clone(),
                b: p.b.clone(),
                difference: p.difference,
                p: p.p,
                p_holm: p.p_holm,
                significant: p.significant,
            })
            .collect(),
        head_to_head_strategies: s.strategies.iter().map(|x| x.strategy.clone()).collect(),
        head_to_head: s.head_to_head.clone(),
        empirical_game: match &s.game {
            Game::Solved {
                strategies,
                payoffs,
                equilibria,
            } => GameDoc {
                strategies: strategies.clone(),
                payoffs: payoffs.clone(),
                equilibria: equilibria
                    .iter()
                    .map(|e| EquilibriumDoc {
                        probabilities: e.probabilities.clone(),
                        payoff: e.payoff,
                    })
                    .collect(),
                skipped: None,
            },
            Game::Skipped(why) => GameDoc {
                strategies: vec![],
                payoffs: vec![],
                equilibria: vec![],
                skipped: Some(why.clone()),
            },
        },
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Aggregates for one strategy, over every party slot it played.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = tournament::StrategyRow)]
pub struct StrategyRowDoc {
    /// Strategy spec.
    pub strategy: String,
    /// Party slots played.
    pub slots: u64,
    /// Share of those negotiations that reached agreement.
    pub agreement_rate: f64,
    /// Mean utility: the agreement's, or the reservation without one.
    pub mean_utility: f64,
    /// Half-width of the 95 % confidence interval of `mean_utility`.
    pub utility_ci95: f64,
    /// Mean welfare (sum of utilities) of its agreements.
    pub mean_welfare: Option<f64>,
    /// Mean rounds used.
    pub mean_rounds: f64,
    /// Mean distance of its agreements to the Pareto frontier.
    pub mean_pareto_distance: Option<f64>,
    /// Mean distance of its agreements to the Nash package.
    pub mean_nash_distance: Option<f64>,
}

impl From<&StrategyRow> for StrategyRowDoc {
    fn from(r: &StrategyRow) -> Self {
        StrategyRowDoc {
            strategy: r.strategy.clone(),
            slots: r.slots,
            agreement_rate: r.agreement_rate,
            mean_utility: r.mean_utility,
            utility_ci95: r.utility_ci95,
            mean_welfare: r.mean_welfare,
            mean_rounds: r.mean_rounds,
            mean_pareto_distance: r.mean_pareto_distance,
            mean_nash_distance: r.mean_nash_distance,
        }
    }
}

/// The per-strategy report of a results database.
pub fn report(r: &Report) -> ReportDoc {
    ReportDoc {
        schema: "zopa.tournament-report/1",
        name: r.name.clone(),
        negotiations_planned: r.planned,
        negotiations_completed: r.completed,
        negotiations_unchecked: r.unchecked,
        negotiations_timed_out: r.timed_out,
        strategies: r.rows.iter().map(StrategyRowDoc::from).collect(),
        statistics: r.statistics.as_ref().map(statistics),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run from a file answers its document, a second run finds every
    /// negotiation done, the report counts them, and a missing database is
    /// the request's error.
    #[test]
    fn run_and_report_from_files() {
        let dir = std::env::temp_dir().join(format!("zopa-app-tournament-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let domain = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/genius/supplier-contract")
            .canonicalize()
            .unwrap();
        let config = dir.join("t.toml");
        std::fs::write(
            &config,
            format!(
                "name = \"app\"\ndeadline = 20\ndomains = [{:?}]\nstrategies = [\"boulware\", \"conceder\"]\n",
                domain.display().to_string()
            ),
        )
        .unwrap();
        let db = dir.join("r.sqlite");
        let req = RunRequest {
            jobs: Some(1),
            ..Default::default()
        };
        let first = run_file(&config, &db, &req).unwrap();
        assert_eq!((first.planned, first.completed, first.skipped), (4, 4, 0));
        let again = run_file(&config, &db, &req).unwrap();
        assert_eq!((again.completed, again.skipped), (0, 4));
        let r = report_file(&db).unwrap();
        assert_eq!((r.negotiations_planned, r.negotiations_completed), (4, 4));
        assert!(matches!(
            report_file(&dir.join("missing.sqlite")),
            Err(AppError::Usage(m)) if m.contains("does not exist")
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

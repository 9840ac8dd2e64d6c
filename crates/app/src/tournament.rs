//! Tournament documents for every surface: the plan
//! (`zopa.tournament-plan/1`), a run's summary (`zopa.tournament-run/1`) and
//! the per-strategy report (`zopa.tournament-report/1`), as `serde` types.

use serde::Serialize;
use zopa_tournament::report::{Report, StrategyRow};
use zopa_tournament::run::{Plan, RunSummary};

/// One domain of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedDomain {
    /// Domain name (file or folder name).
    pub domain: String,
    /// Parties.
    pub parties: usize,
    /// Negotiations planned on it.
    pub negotiations: u64,
}

/// `zopa.tournament-plan/1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    }
}

/// One strategy's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyDoc {
    /// Strategy spec.
    pub strategy: String,
    /// Party slots played.
    pub slots: u64,
    /// Share of those negotiations that reached agreement.
    pub agreement_rate: f64,
    /// Mean utility: the agreement's, or the reservation without one.
    pub mean_utility: f64,
    /// Mean welfare of its agreements.
    pub mean_welfare: Option<f64>,
    /// Mean rounds used.
    pub mean_rounds: f64,
    /// Mean distance of its agreements to the Pareto frontier.
    pub mean_pareto_distance: Option<f64>,
    /// Mean distance of its agreements to the Nash package.
    pub mean_nash_distance: Option<f64>,
}

/// `zopa.tournament-report/1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDoc {
    /// `zopa.tournament-report/1`.
    pub schema: &'static str,
    /// Tournament name.
    pub name: String,
    /// Negotiations planned.
    pub negotiations_planned: u64,
    /// Negotiations in the database.
    pub negotiations_completed: u64,
    /// One row per strategy, by name.
    pub strategies: Vec<StrategyDoc>,
}

/// The per-strategy report of a results database.
pub fn report(r: &Report) -> ReportDoc {
    let row = |s: &StrategyRow| StrategyDoc {
        strategy: s.strategy.clone(),
        slots: s.slots,
        agreement_rate: s.agreement_rate,
        mean_utility: s.mean_utility,
        mean_welfare: s.mean_welfare,
        mean_rounds: s.mean_rounds,
        mean_pareto_distance: s.mean_pareto_distance,
        mean_nash_distance: s.mean_nash_distance,
    };
    ReportDoc {
        schema: "zopa.tournament-report/1",
        name: r.name.clone(),
        negotiations_planned: r.planned,
        negotiations_completed: r.completed,
        strategies: r.rows.iter().map(row).collect(),
    }
}

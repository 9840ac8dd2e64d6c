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
    pub strategies: Vec<StrategyRow>,
}

/// The per-strategy report of a results database.
pub fn report(r: &Report) -> ReportDoc {
    ReportDoc {
        schema: "zopa.tournament-report/1",
        name: r.name.clone(),
        negotiations_planned: r.planned,
        negotiations_completed: r.completed,
        strategies: r.rows.clone(),
    }
}

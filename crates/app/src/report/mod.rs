//! The report of an analysis: what it shows ([`Report`]) and its JSON wire
//! types ([`json`], schema `zopa.analysis/1`). Surfaces render their own
//! forms (the CLI's text report) from the same [`Report`], so every form
//! says the same thing.

pub mod json;

use std::sync::atomic::AtomicU64;

use zopa_analysis::Analysis;
use zopa_model::Scenario;

use crate::{AppError, Loaded};

/// Analyse a loaded scenario, refusing outcome spaces above `limit` and
/// frontiers above `max_frontier`; `walked` counts the packages walked (for
/// a surface's progress).
pub fn analyze(
    loaded: &Loaded,
    limit: u64,
    max_frontier: u64,
    walked: &AtomicU64,
) -> Result<Analysis, AppError> {
    let opts = zopa_analysis::Options {
        limit,
        max_frontier,
        ..Default::default()
    };
    Ok(zopa_analysis::analyze_with_progress(
        &loaded.scenario,
        &opts,
        walked,
    )?)
}

/// Everything a report shows.
pub struct Report<'a> {
    /// The scenario analysed.
    pub scenario: &'a Scenario,
    /// Where it came from (file path or `builtin:NAME`).
    pub origin: &'a str,
    /// The analysis.
    pub analysis: &'a Analysis,
    /// How many frontier packages to list (0 = all).
    pub top: usize,
}

impl Report<'_> {
    /// Claims counted by basis (see [`zopa_model::claims`]).
    pub fn evidence(&self) -> zopa_model::ClaimCounts {
        self.scenario.claim_counts()
    }

    /// How many of `n` items to list.
    pub fn listed(&self, n: usize) -> usize {
        if self.top == 0 {
            n
        } else {
            n.min(self.top)
        }
    }
}

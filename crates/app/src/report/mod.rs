//! The report of an analysis: what it shows ([`Report`]) and its JSON wire
//! types ([`json`], schema `zopa.analysis/1`). Surfaces render their own
//! forms (the CLI's text report) from the same [`Report`], so every form
//! says the same thing.

pub mod critical;
pub mod flags;
pub mod json;
pub mod robust;
pub mod summary;

use zopa_analysis::Analysis;
use zopa_model::Scenario;

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
    /// The robustness study, when one was asked for.
    pub robustness: Option<&'a zopa_analysis::robustness::Robustness>,
    /// What the headline conclusions depend on, when searched.
    pub critical: Option<&'a critical::CriticalDoc>,
    /// The readings side by side, when asked for.
    pub comparison: Option<&'a critical::ComparisonDoc>,
}

/// The status quo as the report shows it.
pub struct StatusQuoView {
    /// The package (its `index` is 0: it is not needed).
    pub point: zopa_analysis::Point,
    /// Actors who would refuse it as a deal: a red line crossed or the
    /// reservation not met (actor indices).
    pub refused_by: Vec<usize>,
    /// Whether it passes under the decision rule (every actor accepts it,
    /// under unanimity).
    pub passes: bool,
}

impl Report<'_> {
    /// The scenario's status quo with every actor's utility, when declared.
    pub fn status_quo(&self) -> Option<StatusQuoView> {
        let sq = self.scenario.status_quo()?;
        let utilities = zopa_model::UtilityModel::new(self.scenario).utilities_of(&sq.options);
        let refused_by = self
            .scenario
            .actors()
            .iter()
            .zip(&utilities)
            .enumerate()
            .filter(|(_, (a, &u))| !a.accepts(&sq.options, u))
            .map(|(k, _)| k)
            .collect();
        let passes = self.scenario.passes(&sq.options, &utilities);
        Some(StatusQuoView {
            point: zopa_analysis::Point {
                index: 0,
                options: sq.options.clone(),
                utilities,
            },
            refused_by,
            passes,
        })
    }

    /// Claims counted by basis (see [`zopa_model::claims`]).
    pub fn evidence(&self) -> zopa_model::ClaimCounts {
        self.scenario.claim_counts()
    }

    /// How many of `n` items to list: `top` (0: all), at most
    /// [`zopa_model::limits::MAX_LISTED`].
    pub fn listed(&self, n: usize) -> usize {
        let asked = if self.top == 0 { n } else { n.min(self.top) };
        asked.min(zopa_model::limits::MAX_LISTED as usize)
    }
}

/// `A`, `A and B`, `A, B and C`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `A`, `A or B`, `A, B or C`.
pub(crate) fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// `text` with its first letter upper-cased.
pub(crate) fn capitalised(text: &str) -> String {
    let mut cs = text.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

//! Per-strategy results of a tournament database.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::TournamentError;

/// Aggregates for one strategy (over every party slot it played). Not
/// serialisable on purpose: `zopa.tournament-report/1` writes
/// `zopa_app::tournament::StrategyRowDoc` (docs/json-report.md).
#[derive(Debug, Clone, PartialEq)]
pub struct StrategyRow {
    /// Strategy spec.
    pub strategy: String,
    /// Party slots played.
    pub slots: u64,
    /// Share of those negotiations that reached agreement.
    pub agreement_rate: f64,
    /// Mean utility: the agreement's, or the reservation without one.
    pub mean_utility: f64,
    /// Half-width of the 95 % confidence interval of `mean_utility`
    /// (1.96 · sample standard deviation / √slots; 0 for one slot).
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

/// A tournament's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Tournament name.
    pub name: String,
    /// Negotiations planned.
    pub planned: u64,
    /// Negotiations in the database.
    pub completed: u64,
    /// One row per strategy, by name.
    pub rows: Vec<StrategyRow>,
    /// Negotiations stored without a checksum (by a zopa from before row
    /// checksums): their values could not be verified.
    pub unchecked: u64,
    /// Negotiations the tournament's time limit stopped.
    pub timed_out: u64,
    /// Bootstrap intervals, pairwise tests, head-to-head, rank stability and
    /// the empirical game (`None` when asked for no bootstrap samples).
    pub statistics: Option<crate::stats::Statistics>,
}

/// How [`report_with`] computes its statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsOptions {
    /// Bootstrap replicates (0: no statistics), at most [`MAX_BOOTSTRAP`].
    pub samples: usize,
    /// Seed of the bootstrap (and of its reservoir samples).
    pub seed: u64,
}

/// Most bootstrap replicates.
pub const MAX_BOOTSTRAP: usize = 100_000;

impl Default for StatsOptions {
    fn default() -> Self {
        StatsOptions {
            samples: 1000,
            seed: 1,
        }
    }
}

#[derive(Default)]
struct Acc {
    slots: u64,
    agreements: u64,
    utility: f64,
    utility_sq: f64,
    welfare: f64,
    rounds: f64,
    pareto: (f64, u64),
    nash: (f64, u64),
}

/// 1.96 · s / √n from a sum and a sum of squares (0 below two values).
fn ci95(sum: f64, sum_sq: f64, n: u64) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let n = n as f64;
    let var = ((sum_sq - sum * sum / n) / (n - 1.0)).max(0.0);
    1.96 * (var / n).sqrt()
}

fn mean(sum: f64, n: u64) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

/// How many negotiations a results database holds (read-only): a count,
/// without aggregating them as [`report`] does — for progress polling.
pub fn completed(db: &Path) -> Result<u64, TournamentError> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM negotiations", [], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Read the report of a results database (read-only), with the default
/// statistics.
pub fn report(db: &Path) -> Result<Report, TournamentError> {
    report_with(db, &StatsOptions::default())
}

/// Read the report of a results database (read-only).
pub fn report_with(db: &Path, opts: &StatsOptions) -> Result<Report, TournamentError> {
    if opts.samples > MAX_BOOTSTRAP {
        return Err(TournamentError::Config(format!(
            "{} bootstrap samples is above the limit of {MAX_BOOTSTRAP}",
            opts.samples
        )));
    }
    let results = crate::stored::ResultsDb::open(db)?;
    let conn = &results.conn;
    let meta = |k: &str| results.meta(k);
    let planned: u64 = meta("negotiations_planned")?.parse().map_err(|_| {
        TournamentError::Config(format!(
            "{}: the number of negotiations planned is not a number; the database is damaged",
            db.display()
        ))
    })?;
    let name = meta("name")?;
    let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
    let mut gather = crate::stats::Gather::new(opts.seed);
    let mut completed = 0;
    let mut unchecked = 0;
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM negotiations ORDER BY idx",
        crate::stored::columns(conn)?
    ))?;
    let mut timed_out = 0;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        completed += 1;
        let row = crate::stored::StoredRow::read(r)?;
        timed_out += u64::from(row.timed_out.is_some_and(|t| t != 0));
        let idx = row.idx;
        match row.verify() {
            Ok(crate::stored::Verdict::Intact) => {}
            Ok(crate::stored::Verdict::Unchecked) => unchecked += 1,
            Err(why) => {
                return Err(TournamentError::Config(format!(
                    "{}: {why}; the database is damaged",
                    db.display()
                )))
            }
        }
        let bad = |what: &str| {
            TournamentError::Config(format!(
                "{}: negotiation {idx} holds an invalid {what}; the database is damaged",
                db.display()
            ))
        };
        // The same check as resuming: a row outside the plan is damage
        // (it once made a report say 151 of 150 negotiations completed).
        if u64::try_from(idx).map_or(true, |i| i >= planned) {
            return Err(TournamentError::Config(format!(
                "{}: it holds negotiation number {idx}, outside the plan's 0..{planned}; the database is damaged",
                db.display()
            )));
        }
        let strategies: Vec<String> =
            serde_json::from_str(&row.strategies).map_err(|_| bad("list of strategies"))?;
        let numbers = |text: &str, what: &str| -> Result<Vec<f64>, TournamentError> {
            let v: Vec<f64> = serde_json::from_str(text).map_err(|_| bad(what))?;
            if v.len() != strategies.len() || !v.iter().all(|x| x.is_finite()) {
                return Err(bad(what));
            }
            Ok(v)
        };
        let utilities = match &row.utilities {
            Some(t) => Some(numbers(t, "list of utilities")?),
            None => None,
        };
        let reservations = numbers(&row.reservations, "list of reservations")?;
        let rounds = row.rounds;
        if rounds < 0 {
            return Err(bad("number of rounds"));
        }
        let finite = |x: Option<f64>, what: &str| match x {
            Some(v) if !v.is_finite() || v < 0.0 && what != "welfare" => Err(bad(what)),
            _ => Ok(x),
        };
        let welfare: Option<f64> = finite(row.welfare, "welfare")?;
        let pareto: Option<f64> = finite(row.pareto_distance, "distance to the Pareto frontier")?;
        let nash: Option<f64> = finite(row.nash_distance, "distance to the Nash package")?;
        let slots: Vec<usize> = strategies.iter().map(|s| gather.slot(s)).collect();
        gather.add(&slots, utilities.as_deref().unwrap_or(&reservations));
        for (p, s) in strategies.iter().enumerate() {
            let a = acc.entry(s.clone()).or_default();
            a.slots += 1;
            a.rounds += rounds as f64;
            match &utilities {
                Some(u) => {
                    a.agreements += 1;
                    a.utility += u[p];
                    a.utility_sq += u[p] * u[p];
                    a.welfare += welfare.unwrap_or(0.0);
                    if let Some(d) = pareto {
                        a.pareto.0 += d;
                        a.pareto.1 += 1;
                    }
                    if let Some(d) = nash {
                        a.nash.0 += d;
                        a.nash.1 += 1;
                    }
                }
                None => {
                    a.utility += reservations[p];
                    a.utility_sq += reservations[p] * reservations[p];
                }
            }
        }
    }
    Ok(Report {
        name,
        planned,
        completed,
        unchecked,
        timed_out,
        statistics: (opts.samples > 0).then(|| gather.finish(opts.samples, opts.seed)),
        rows: acc
            .into_iter()
            .map(|(strategy, a)| StrategyRow {
                strategy,
                slots: a.slots,
                agreement_rate: a.agreements as f64 / a.slots.max(1) as f64,
                mean_utility: a.utility / a.slots.max(1) as f64,
                utility_ci95: ci95(a.utility, a.utility_sq, a.slots),
                mean_welfare: mean(a.welfare, a.agreements),
                mean_rounds: a.rounds / a.slots.max(1) as f64,
                mean_pareto_distance: mean(a.pareto.0, a.pareto.1),
                mean_nash_distance: mean(a.nash.0, a.nash.1),
            })
            .collect(),
    })
}

#[cfg(test)]
mod ci_tests {
    /// Against the textbook formula on a small sample.
    #[test]
    fn ci95_is_the_normal_interval_of_the_mean() {
        let xs = [0.2f64, 0.4, 0.6, 0.9];
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let s = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let want = 1.96 * s / n.sqrt();
        let got = super::ci95(xs.iter().sum(), xs.iter().map(|x| x * x).sum(), 4);
        assert!((got - want).abs() < 1e-12, "{got} {want}");
        assert_eq!(super::ci95(0.5, 0.25, 1), 0.0);
    }
}

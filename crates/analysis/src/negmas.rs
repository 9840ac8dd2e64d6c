//! NegMAS-compatible analysis of a raw additive space, for conformance with
//! NegMAS 0.16 (`negmas.preferences.ops`): utilities are whatever the model
//! gives (not necessarily in [0, 1]), "rational" means `u ≥ reserved`
//! exactly, the frontier collapses equal utility vectors, and the solution
//! concepts follow NegMAS's definitions, ties within `eps = 1e-12` included.
//! `docs/negmas-compatibility.md` lists where this differs from [`crate::analyze`].

use std::sync::atomic::AtomicU64;

use zopa_model::{OutcomeSpace, UtilityModel};

use crate::space::Ctx;
use crate::Frontier;

/// NegMAS's tie tolerance.
pub const EPS: f64 = 1e-12;

/// What NegMAS computes for a domain.
#[derive(Debug, Clone, PartialEq)]
pub struct NegmasAnalysis {
    /// `(min, max)` utility per party over the whole space.
    pub ranges: Vec<(f64, f64)>,
    /// Effective disagreement point: the reserved value, or the minimum when
    /// the reserved value is not finite or below it.
    pub disagreement: Vec<f64>,
    /// One package per distinct rational non-dominated utility vector (the
    /// lowest-index one), sorted by welfare (descending), then index.
    pub frontier: Frontier,
    /// Packages whose utility vector equals a frontier vector.
    pub n_with_frontier_vector: u64,
    /// Positions in `frontier` of the Nash points.
    pub nash: Vec<usize>,
    /// Positions of NegMAS's "Kalai" (egalitarian) points.
    pub kalai: Vec<usize>,
    /// Positions of the Kalai–Smorodinsky points.
    pub ks: Vec<usize>,
    /// Positions of the maximum-welfare points.
    pub max_welfare: Vec<usize>,
}

/// Per-party `(min, max)` over the whole space of an additive model.
pub fn ranges(model: &UtilityModel, space: &OutcomeSpace) -> Vec<(f64, f64)> {
    let m = model.n_actors();
    let (mut lo, mut hi) = (vec![0.0; m], vec![0.0; m]);
    for (i, &r) in space.radices().iter().enumerate() {
        for a in 0..m {
            let vals = (0..r).map(|o| model.contribution(i, o)[a]);
            lo[a] += vals.clone().fold(f64::INFINITY, f64::min);
            hi[a] += vals.fold(f64::NEG_INFINITY, f64::max);
        }
    }
    lo.into_iter().zip(hi).collect()
}

/// Analyse like NegMAS. `reserved` is each party's reserved value; more than
/// `max_frontier` frontier candidates are refused; a cancelled `cancel`
/// stops the frontier within a step ([`crate::AnalysisError::Cancelled`]).
pub fn analyze(
    model: &UtilityModel,
    space: &OutcomeSpace,
    reserved: &[f64],
    max_frontier: u64,
    cancel: &zopa_model::Cancel,
) -> Result<NegmasAnalysis, crate::AnalysisError> {
    let ranges = ranges(model, space);
    let ctx = Ctx {
        combinations: &[],
        model,
        space,
        reservations: reserved.to_vec(),
        tolerance: 0.0,
        grid: false,
        max_frontier,
        walked: &AtomicU64::new(0),
        cancel,
        counter: &crate::count::Counter::new(space.radices()),
        rule: None,
    };
    let all = ctx.frontier(&space.all_choices())?;
    if cancel.is_cancelled() {
        return Err(crate::AnalysisError::Cancelled);
    }
    let n_with_frontier_vector = all.len() as u64;
    // Collapse equal vectors, keeping the lowest index: equal vectors have
    // equal sums, so frontier order (sum, then index) meets it first. Bit
    // patterns: exact equality (utilities are finite, and -0.0 = 0.0 is
    // normalised by adding 0.0).
    let mut seen = std::collections::HashSet::new();
    let frontier = all.filter(|p| {
        let key: Vec<u64> = p.utilities.iter().map(|u| (u + 0.0).to_bits()).collect();
        seen.insert(key)
    });
    let utilities: Vec<Vec<f64>> = frontier.iter().map(|p| p.utilities.to_vec()).collect();
    let Points {
        disagreement,
        nash,
        kalai,
        ks,
        max_welfare,
    } = points(&utilities, &ranges, reserved);
    Ok(NegmasAnalysis {
        ranges,
        disagreement,
        frontier,
        n_with_frontier_vector,
        nash,
        kalai,
        ks,
        max_welfare,
    })
}

/// The solution points NegMAS finds on a frontier, by position in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    /// Effective disagreement point (see [`NegmasAnalysis::disagreement`]).
    pub disagreement: Vec<f64>,
    /// Nash points.
    pub nash: Vec<usize>,
    /// NegMAS's "Kalai" (egalitarian) points.
    pub kalai: Vec<usize>,
    /// Kalai–Smorodinsky points.
    pub ks: Vec<usize>,
    /// Maximum-welfare points.
    pub max_welfare: Vec<usize>,
}

/// NegMAS's `nash_points`, `kalai_points`, `ks_points` and
/// `max_welfare_points` on the utility vectors `frontier`, with each party's
/// `(min, max)` in `ranges` and reserved value in `reserved` (ties within
/// [`EPS`]).
pub fn points(frontier: &[Vec<f64>], ranges: &[(f64, f64)], reserved: &[f64]) -> Points {
    let disagreement: Vec<f64> = reserved
        .iter()
        .zip(ranges)
        .map(|(&r, &(lo, _))| if !r.is_finite() || r < lo { lo } else { r })
        .collect();
    let reserved_or_neg_inf: Vec<f64> = reserved
        .iter()
        .map(|r| if r.is_nan() { f64::NEG_INFINITY } else { *r })
        .collect();
    // NegMAS returns every frontier point when some (ideal − disagreement) is tiny.
    let tiny = ranges
        .iter()
        .zip(&disagreement)
        .any(|(&(_, hi), d)| hi - d <= EPS);
    let everything: Vec<usize> = (0..frontier.len()).collect();
    let best = |vals: &[f64], maximise: bool| -> Vec<usize> {
        let opt = if maximise {
            vals.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        } else {
            vals.iter().copied().fold(f64::INFINITY, f64::min)
        };
        if !opt.is_finite() && frontier.is_empty() {
            return vec![];
        }
        (0..vals.len())
            .filter(|&k| {
                if maximise {
                    vals[k] >= opt - EPS
                } else {
                    vals[k] <= opt + EPS
                }
            })
            .collect()
    };
    let irrational = |u: &[f64]| u.iter().zip(&reserved_or_neg_inf).any(|(u, r)| u < r);

    let (nash, kalai, ks) = if tiny {
        (everything.clone(), everything.clone(), everything.clone())
    } else {
        let nash_vals: Vec<f64> = frontier
            .iter()
            .map(|p| {
                p.iter()
                    .zip(&disagreement)
                    .fold(1.0, |acc, (u, d)| acc * (u - d))
            })
            .collect();
        let kalai_vals: Vec<f64> = frontier
            .iter()
            .map(|p| {
                if irrational(p) {
                    f64::NEG_INFINITY
                } else {
                    p.iter()
                        .zip(&disagreement)
                        .map(|(u, d)| u - d)
                        .fold(f64::INFINITY, f64::min)
                }
            })
            .collect();
        let ks_vals: Vec<f64> = frontier
            .iter()
            .map(|p| {
                if irrational(p) {
                    return f64::INFINITY;
                }
                let adv: Vec<f64> = p
                    .iter()
                    .zip(&disagreement)
                    .zip(ranges)
                    .map(|((u, d), (_, hi))| {
                        if hi - d != 0.0 {
                            (u - d) / (hi - d)
                        } else {
                            u - d
                        }
                    })
                    .collect();
                adv.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    - adv.iter().copied().fold(f64::INFINITY, f64::min)
            })
            .collect();
        (
            best(&nash_vals, true),
            best(&kalai_vals, true),
            best(&ks_vals, false),
        )
    };
    let max_welfare = if ranges.iter().any(|(lo, hi)| hi - lo <= EPS) {
        everything
    } else {
        let w: Vec<f64> = frontier.iter().map(|p| p.iter().sum()).collect();
        best(&w, true)
    };
    Points {
        disagreement,
        nash,
        kalai,
        ks,
        max_welfare,
    }
}

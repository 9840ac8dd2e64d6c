//! Bargaining solutions over a set of Pareto-optimal packages.
//!
//! All four are computed over the agreement frontier `F` with disagreement
//! point `r` (the actors' reservation utilities):
//!
//! * **Nash**: maximise Π_i (u_i − r_i).
//! * **Kalai–Smorodinsky**: maximise min_i (u_i − r_i) / (I_i − r_i), where the
//!   ideal `I_i` is actor i's best utility in the agreement space (an actor with
//!   `I_i = r_i` has no room to gain and counts as fully satisfied: ratio 1).
//!   For a continuous convex set this is the classic KS point; on a finite set
//!   it is its standard discrete analogue.
//! * **Utilitarian**: maximise Σ_i u_i.
//! * **Egalitarian**: maximise min_i u_i.
//!
//! Solutions are chosen among the **Pareto-optimal** packages of the
//! agreement space. **Ties** (values within 1e-12 × max(1, |best|) of the best)
//! are broken by the larger utility sum (compared on the utility grid, so
//! exactly equal sums tie whatever their float rounding), then by the
//! smaller package index.
//! (Over the whole agreement space the same rule could pick a package that
//! another beats by one unit in the last place while their float sums are
//! equal; restricting to the frontier excludes it.)

use crate::{Frontier, Point};

/// Relative tolerance under which two objective values tie.
pub const TIE_TOLERANCE: f64 = 1e-12;

/// Which solution concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Concept {
    /// Nash bargaining solution.
    Nash,
    /// Kalai–Smorodinsky solution.
    KalaiSmorodinsky,
    /// Utilitarian (maximum welfare).
    Utilitarian,
    /// Egalitarian (maximin utility).
    Egalitarian,
}

impl Concept {
    /// All four, in report order.
    pub const ALL: [Concept; 4] = [
        Concept::Nash,
        Concept::KalaiSmorodinsky,
        Concept::Utilitarian,
        Concept::Egalitarian,
    ];

    /// Stable machine name.
    pub fn key(self) -> &'static str {
        match self {
            Concept::Nash => "nash",
            Concept::KalaiSmorodinsky => "kalai_smorodinsky",
            Concept::Utilitarian => "utilitarian",
            Concept::Egalitarian => "egalitarian",
        }
    }

    /// Human name.
    pub fn name(self) -> &'static str {
        match self {
            Concept::Nash => "Nash",
            Concept::KalaiSmorodinsky => "Kalai–Smorodinsky",
            Concept::Utilitarian => "Utilitarian",
            Concept::Egalitarian => "Egalitarian",
        }
    }
}

/// A solution: the chosen package and its objective value.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Which concept.
    pub concept: Concept,
    /// The package.
    pub point: Point,
    /// The maximised objective.
    pub value: f64,
}

/// Each actor's best utility among `points` (the ideal point).
pub fn ideal(points: &Frontier) -> Vec<f64> {
    (0..points.actors())
        .map(|a| {
            points
                .iter()
                .map(|p| p.utilities[a])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect()
}

/// The objective of `concept` at utilities `u`.
pub fn objective(concept: Concept, u: &[f64], reservations: &[f64], ideal: &[f64]) -> f64 {
    match concept {
        Concept::Nash => u
            .iter()
            .zip(reservations)
            .map(|(u, r)| (u - r).max(0.0))
            .product(),
        Concept::KalaiSmorodinsky => u
            .iter()
            .zip(reservations)
            .zip(ideal)
            .map(|((u, r), i)| {
                let room = i - r;
                if room <= TIE_TOLERANCE {
                    1.0
                } else {
                    ((u - r) / room).max(0.0)
                }
            })
            .fold(f64::INFINITY, f64::min),
        Concept::Utilitarian => u.iter().sum(),
        Concept::Egalitarian => u.iter().copied().fold(f64::INFINITY, f64::min),
    }
}

/// A package's utility sum on the utility grid ([`zopa_model::UTILITY_GRID`]),
/// so that two packages whose exact sums are equal tie on it.
fn grid_sum(u: &[f64]) -> f64 {
    zopa_model::on_utility_grid(u.iter().sum())
}

/// The solution of `concept` among `points` (none when `points` is empty).
pub fn solve(concept: Concept, points: &Frontier, reservations: &[f64]) -> Option<Solution> {
    let ideal = ideal(points);
    let values: Vec<f64> = points
        .iter()
        .map(|p| objective(concept, p.utilities, reservations, &ideal))
        .collect();
    let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let tol = TIE_TOLERANCE * best.abs().max(1.0);
    let (k, _) = points
        .iter()
        .enumerate()
        .filter(|(k, _)| values[*k] >= best - tol)
        .max_by(|(_, a), (_, b)| {
            let (sa, sb) = (grid_sum(a.utilities), grid_sum(b.utilities));
            sa.total_cmp(&sb).then(b.index.cmp(&a.index))
        })?;
    Some(Solution {
        concept,
        point: points.get(k)?.to_point(),
        value: values[k],
    })
}

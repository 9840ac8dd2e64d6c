//! A scenario's numbers with some of its claims changed, and how such a
//! variant is judged: its agreement space and its Nash package, computed the
//! way [`crate::analyze`] computes them. A robustness run draws one variant
//! at random ([`crate::robustness`]); a critical-assumption search applies
//! chosen changes to one ([`crate::critical`]). Both evaluate it here, so
//! "the agreement space of a what-if" means one thing.

use std::sync::atomic::AtomicU64;

use zopa_model::{Combination, Decision, OutcomeSpace, Scenario, Term, UtilityModel};

use crate::solutions::{self, Concept};
use crate::space::Ctx;
use crate::{pareto, Frontier, RESERVATION_TOLERANCE};

/// The numbers an evaluation uses, each editable.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    /// `values[a][i][o]`: actor a's value of option o of issue i.
    pub values: Vec<Vec<Vec<f64>>>,
    /// `weights[a][i]`: actor a's normalised salience of issue i.
    pub weights: Vec<Vec<f64>>,
    /// Interaction terms (actor, then file order).
    pub terms: Vec<Term>,
    /// The status quo's option per issue (empty: none declared).
    pub status_quo: Vec<usize>,
    /// Each actor's reservation; `None`: its utility of the status quo.
    pub reservations: Vec<Option<f64>>,
    /// `rejected_by[a][i][o]`: actor a rejects option o of issue i.
    pub rejected_by: Vec<Vec<Vec<bool>>>,
    /// `kept[a][k]`: actor a's k-th combination rejected together applies.
    pub kept: Vec<Vec<bool>>,
    /// How a deal passes.
    pub rule: Decision,
}

/// What an evaluation finds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judged {
    /// The packages that pass, by index, ascending.
    pub members: Vec<u64>,
    /// The Nash package's index (none when nothing passes).
    pub nash: Option<u64>,
}

impl Variant {
    /// The scenario's own numbers.
    pub fn of(s: &Scenario) -> Variant {
        let actors = s.actors();
        Variant {
            values: actors
                .iter()
                .map(|a| a.positions.iter().map(|p| p.values.clone()).collect())
                .collect(),
            weights: actors.iter().map(|a| a.weights.clone()).collect(),
            terms: UtilityModel::new(s).terms().to_vec(),
            status_quo: s
                .status_quo()
                .map(|q| q.options.clone())
                .unwrap_or_default(),
            reservations: actors
                .iter()
                .map(|a| (!a.reservation_is_status_quo).then_some(a.reservation))
                .collect(),
            rejected_by: actors
                .iter()
                .map(|a| {
                    s.issues()
                        .iter()
                        .zip(&a.positions)
                        .map(|(i, p)| (0..i.options.len()).map(|o| p.rejects(o)).collect())
                        .collect()
                })
                .collect(),
            kept: actors
                .iter()
                .map(|a| vec![true; a.combinations.len()])
                .collect(),
            rule: s.decision().clone(),
        }
    }

    /// The utility model of these values, weights and terms (summed in the
    /// same order as [`UtilityModel::new`], so unchanged numbers give
    /// identical floats).
    pub fn model(&self) -> UtilityModel {
        let m = self.values.len();
        let table: Vec<Vec<Vec<f64>>> = (0..self.weights.first().map_or(0, Vec::len))
            .map(|i| {
                (0..self.values[0][i].len())
                    .map(|o| {
                        (0..m)
                            .map(|a| self.weights[a][i] * self.values[a][i][o])
                            .collect()
                    })
                    .collect()
            })
            .collect();
        UtilityModel::from_table(m, &table).with_terms(self.terms.clone())
    }

    /// Each actor's reservation under `model`: its number, or its utility
    /// of the status quo (clamped to [0, 1]).
    pub fn reservations(&self, model: &UtilityModel) -> Vec<f64> {
        let sq = (!self.status_quo.is_empty()).then(|| model.utilities_of(&self.status_quo));
        self.reservations
            .iter()
            .enumerate()
            .map(|(a, r)| match (r, &sq) {
                (Some(r), _) => *r,
                (None, Some(u)) => u[a].clamp(0.0, 1.0),
                // Validation requires a status quo for such a reservation.
                (None, None) => 0.0,
            })
            .collect()
    }

    /// Options no actor rejects, per issue.
    pub fn choices(&self) -> Vec<Vec<usize>> {
        let k = self.rejected_by.first().map_or(0, Vec::len);
        (0..k)
            .map(|i| {
                let n = self.rejected_by[0][i].len();
                (0..n)
                    .filter(|&o| !self.rejected_by.iter().any(|a| a[i][o]))
                    .collect()
            })
            .collect()
    }

    /// Packages an evaluation walks: those no actor rejects under
    /// unanimity, every package under another rule.
    pub fn packages(&self, space: &OutcomeSpace) -> u128 {
        if self.rule.is_unanimity() {
            self.choices().iter().map(|c| c.len() as u128).product()
        } else {
            u128::from(space.size())
        }
    }

    /// The agreement space and its Nash package, with the analysis's own
    /// test of acceptability ([`Ctx::acceptable`]) under unanimity, or the
    /// rule's ([`Variant::passes`]).
    pub fn judge(&self, s: &Scenario, space: &OutcomeSpace, cancel: &zopa_model::Cancel) -> Judged {
        let model = self.model();
        let reservations = self.reservations(&model);
        let (combinations, owners) = self.combinations(s);
        let m = reservations.len();
        let walked = AtomicU64::new(0);
        let ctx = Ctx {
            model: &model,
            space,
            combinations: &combinations,
            reservations: reservations.clone(),
            tolerance: RESERVATION_TOLERANCE,
            grid: true,
            max_frontier: u64::MAX,
            walked: &walked,
            cancel,
            counter: &crate::count::Counter::new(space.radices()),
            rule: None,
        };
        let mut members = Vec::new();
        let mut utils = Vec::new();
        let unanimity = self.rule.is_unanimity();
        let choices = if unanimity {
            self.choices()
        } else {
            space.all_choices()
        };
        space.for_each(&model, &choices, |index, options, u| {
            let ok = if unanimity {
                ctx.acceptable(options, u)
            } else {
                self.passes((&combinations, &owners), &reservations, options, u)
            };
            if ok {
                members.push(index);
                utils.extend_from_slice(u);
            }
            std::ops::ControlFlow::Continue(())
        });
        let (idx, frontier_utils) =
            pareto::select(&pareto::frontier_on_grid(&utils, m), &members, &utils, m);
        let points = Frontier::new(space, m, idx, frontier_utils);
        let nash = solutions::solve(Concept::Nash, &points, &reservations).map(|x| x.point.index);
        Judged { members, nash }
    }

    /// The combinations that apply, with their actors.
    fn combinations(&self, s: &Scenario) -> (Vec<Combination>, Vec<usize>) {
        let mut combinations = Vec::new();
        let mut owners = Vec::new();
        for (a, actor) in s.actors().iter().enumerate() {
            for (k, c) in actor.combinations.iter().enumerate() {
                if self.kept[a][k] {
                    combinations.push(c.clone());
                    owners.push(a);
                }
            }
        }
        (combinations, owners)
    }

    /// Whether the package `options`, worth `u`, passes under the rule: the
    /// actors who accept it — none of their red lines and combinations,
    /// their reservation met — win.
    fn passes(
        &self,
        (combinations, owners): (&[Combination], &[usize]),
        reservations: &[f64],
        options: &[usize],
        u: &[f64],
    ) -> bool {
        self.rule.wins_by(|a| {
            !options
                .iter()
                .enumerate()
                .any(|(i, &o)| self.rejected_by[a][i][o])
                && !combinations
                    .iter()
                    .zip(owners)
                    .any(|(c, &owner)| owner == a && c.hit(options))
                && u[a] >= reservations[a] - RESERVATION_TOLERANCE
        })
    }
}

//! Enumerating (sub-)spaces of packages: counting the agreement space and
//! collecting Pareto candidates without materialising the whole space.
//!
//! Red lines exclude single options, so the packages that violate no red line
//! form a product sub-space ("choices": the allowed options of each issue).
//! Counting walks that sub-space without storing it; the frontier is built
//! issue by issue from undominated prefixes ([`Ctx::frontier`]), usually a
//! tiny fraction of the space.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};

use zopa_model::{Combination, LimitError, OutcomeSpace, UtilityModel};

use crate::count;
use crate::pareto;
use crate::Frontier;

pub use zopa_model::RESERVATION_TOLERANCE;

/// A prefix is pruned only when its dominator is better by more than this for
/// some actor: a margin far above summation rounding, so pruning is never
/// wrong in floating point (it may only keep a few extra candidates).
const PRUNE_MARGIN: f64 = 1e-9;

/// What the analysis needs to enumerate a space.
pub(crate) struct Ctx<'a> {
    pub model: &'a UtilityModel,
    pub space: &'a OutcomeSpace,
    /// Combinations of options rejected together (empty: none applies).
    pub combinations: &'a [Combination],
    /// Per actor; `-inf` disables the reservation filter.
    pub reservations: Vec<f64>,
    /// How far below its reservation a utility may fall and still count as
    /// meeting it ([`RESERVATION_TOLERANCE`] for zopa; 0 for NegMAS's exact `>=`).
    pub tolerance: f64,
    /// Whether dominance compares utilities on zopa's grid
    /// ([`zopa_model::UTILITY_GRID`]; true for zopa) or as floats (NegMAS).
    pub grid: bool,
    /// Most frontier candidates kept at any step (memory is proportional to them).
    pub max_frontier: u64,
    /// Packages walked so far by counting, for progress displays.
    pub walked: &'a AtomicU64,
    /// Once cancelled, counts answer 0 and frontiers nothing, at once (the
    /// caller drops the result: see [`crate::Options::cancel`]).
    pub cancel: &'a zopa_model::Cancel,
    /// Meet-in-the-middle counting, with its prepared halves.
    pub counter: &'a count::Counter,
    /// A decision rule other than unanimity, tested on every package walked
    /// (then the reservations and combinations above are not used, and only
    /// enumeration applies: [`crate::rule`]).
    pub rule: Option<&'a crate::rule::Acceptance<'a>>,
}

/// Packages walked between two updates of [`Ctx::walked`].
const WALK_REPORT: u64 = 1 << 20;

/// Packages per block of the enumerating skyline ([`Ctx::frontier`] for
/// non-additive scenarios): memory is O(frontier + block).
const BLOCK: usize = 1 << 16;

impl Ctx<'_> {
    /// Whether the fast methods apply: utilities are sums of per-issue
    /// contributions and every red line is a single option (choices).
    pub fn additive(&self) -> bool {
        self.rule.is_none() && self.model.is_additive() && self.combinations.is_empty()
    }

    /// Whether the package hits a combination rejected together.
    #[inline]
    fn combined(&self, options: &[usize]) -> bool {
        self.combinations.iter().any(|c| c.hit(options))
    }

    /// Whether the package `options`, worth `u`, is in the agreement space of
    /// this context: it meets every reservation and hits no combination (the
    /// single-option red lines are already out of the choices walked).
    #[inline]
    pub fn acceptable(&self, options: &[usize], u: &[f64]) -> bool {
        match self.rule {
            Some(rule) => rule.passes(options, u),
            None => self.rational(u) && !self.combined(options),
        }
    }

    /// Whether utilities `u` meet every reservation.
    #[inline]
    pub fn rational(&self, u: &[f64]) -> bool {
        u.iter()
            .zip(&self.reservations)
            .all(|(u, r)| *u >= r - self.tolerance)
    }

    /// Whether counting meets in the middle (additive, at most
    /// [`count::MAX_ACTORS`] actors) rather than walking every package.
    pub fn meets_in_the_middle(&self) -> bool {
        self.rule.is_none() && count::applies(self.model, self.combinations.is_empty())
    }

    /// What counting `choices` costs: partial packages for meet in the
    /// middle, packages for enumeration.
    pub fn count_work(&self, choices: &[Vec<usize>]) -> u128 {
        if self.meets_in_the_middle() {
            self.counter.split(choices).work()
        } else {
            choices.iter().map(|c| c.len() as u128).product()
        }
    }

    /// Each actor's utility threshold: its reservation less the tolerance.
    fn thresholds(&self) -> Vec<f64> {
        self.reservations
            .iter()
            .map(|r| r - self.tolerance)
            .collect()
    }

    /// Number of rational packages in the product `choices`.
    pub fn count(&self, choices: &[Vec<usize>]) -> u64 {
        if self.cancel.is_cancelled() {
            return 0;
        }
        if self.meets_in_the_middle() {
            let work = self.counter.split(choices).work();
            let n = self.counter.count(self.model, choices, &self.thresholds());
            self.walked
                .fetch_add(u64::try_from(work).unwrap_or(u64::MAX), Ordering::Relaxed);
            return n;
        }
        let (mut n, mut since) = (0u64, 0u64);
        self.space.for_each(self.model, choices, |_, options, u| {
            n += self.acceptable(options, u) as u64;
            since += 1;
            if since == WALK_REPORT {
                self.walked.fetch_add(since, Ordering::Relaxed);
                since = 0;
                if self.cancel.is_cancelled() {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        self.walked.fetch_add(since, Ordering::Relaxed);
        n
    }

    /// The Pareto frontier of the rational packages in the product `choices`,
    /// sorted by utility sum (descending), then package index.
    ///
    /// Built issue by issue: a package whose first k options are clearly
    /// dominated (by more than a rounding margin) by another prefix is itself
    /// dominated, whatever the remaining options, so after adding each issue
    /// only the clearly undominated prefixes are kept. The last step is the
    /// exact frontier. Rationality is filtered at the end: whatever dominates a
    /// rational package is rational too, so the frontier of the rational
    /// packages is the frontier of all of them, restricted to the rational ones.
    ///
    /// Refused when more than `max_frontier` candidates survive a step (for
    /// example when many packages tie: equal packages are all on the frontier).
    pub fn frontier(&self, choices: &[Vec<usize>]) -> Result<Frontier, LimitError> {
        let m = self.model.n_actors();
        let k = choices.len();
        if choices.iter().any(Vec::is_empty) {
            return Ok(Frontier::empty(self.space, m));
        }
        if !self.additive() {
            return self.frontier_by_enumeration(choices);
        }
        let strides = self.space.strides();
        let best_rest = self.best_rest(choices);
        // Prefixes: package index so far (options of later issues at 0) and utilities.
        let mut idx: Vec<u64> = vec![0];
        let mut utils: Vec<f64> = vec![0.0; m];
        for (l, opts) in choices.iter().enumerate() {
            if self.cancel.is_cancelled() {
                return Ok(Frontier::empty(self.space, m));
            }
            self.check_working_set(idx.len() as u128 * opts.len() as u128, m)?;
            let mut next_idx = Vec::with_capacity(idx.len() * opts.len());
            let mut next_utils = Vec::with_capacity(utils.len() * opts.len());
            let rest = &best_rest[(l + 1) * m..(l + 2) * m];
            for (p, &base) in idx.iter().enumerate() {
                let u = &utils[p * m..(p + 1) * m];
                for &o in opts {
                    let c = self.model.contribution(l, o);
                    let start = next_utils.len();
                    next_utils.extend(u.iter().zip(c).map(|(a, b)| a + b));
                    // A prefix that cannot reach every reservation whatever
                    // follows is dropped: no rational package starts with it.
                    if self.hopeless(&next_utils[start..], rest) {
                        next_utils.truncate(start);
                    } else {
                        next_idx.push(base + o as u64 * strides[l]);
                    }
                }
            }
            let keep = if l + 1 < k {
                pareto::clearly_undominated(&next_utils, m, PRUNE_MARGIN)
            } else {
                self.skyline(&next_utils)
            };
            self.check_candidates(keep.len())?;
            (idx, utils) = pareto::select(&keep, &next_idx, &next_utils, m);
        }
        Ok(self.points(idx, utils, |u| self.rational(u)))
    }

    /// The undominated rows of `utils` (m per row), compared as [`Ctx::grid`] says.
    fn skyline(&self, utils: &[f64]) -> Vec<usize> {
        let m = self.model.n_actors();
        if self.grid {
            pareto::frontier_on_grid(utils, m)
        } else {
            pareto::frontier(utils, m)
        }
    }

    /// Refuse a step of `rows` partial packages of `m` utilities each whose
    /// memory is above what `max_frontier` allows
    /// ([`zopa_model::limits::FRONTIER_BYTES_PER_CANDIDATE`] per candidate),
    /// before it is allocated.
    fn check_working_set(&self, rows: u128, m: usize) -> Result<(), LimitError> {
        zopa_model::limits::check(
            format!(
                "the memory of one step of the frontier search ({rows} partial packages × {m} actors' utilities, bytes)"
            ),
            rows.saturating_mul(m as u128 + 1).saturating_mul(8),
            self.max_frontier
                .saturating_mul(zopa_model::limits::FRONTIER_BYTES_PER_CANDIDATE),
            Some(zopa_model::Knob::MaxFrontier),
        )
    }

    /// Refuse more frontier candidates than `max_frontier`, a candidate of
    /// many actors counting as several ([`zopa_model::limits::frontier_weight`]).
    fn check_candidates(&self, n: usize) -> Result<(), LimitError> {
        let m = self.model.n_actors();
        let weight = zopa_model::limits::frontier_weight(m);
        let quantity = if weight == 1 {
            "the number of Pareto frontier candidates".to_string()
        } else {
            format!(
                "the number of Pareto frontier candidates, each of {m} actors counting {weight}"
            )
        };
        zopa_model::limits::check(
            quantity,
            n as u128 * u128::from(weight),
            self.max_frontier,
            Some(zopa_model::Knob::MaxFrontier),
        )
        .map(|_| ())
    }

    /// Candidates (package indices, utilities m by m) kept by `keep`, as a
    /// frontier (sorted by utility sum, descending, then index).
    fn points(
        &self,
        mut idx: Vec<u64>,
        mut utils: Vec<f64>,
        keep: impl Fn(&[f64]) -> bool,
    ) -> Frontier {
        let m = self.model.n_actors();
        let mut kept = 0;
        for p in 0..idx.len() {
            if keep(&utils[p * m..(p + 1) * m]) {
                idx[kept] = idx[p];
                utils.copy_within(p * m..(p + 1) * m, kept * m);
                kept += 1;
            }
        }
        idx.truncate(kept);
        utils.truncate(kept * m);
        Frontier::new(self.space, m, idx, utils)
    }

    /// The frontier of the acceptable packages of `choices` when prefix
    /// pruning is not valid (interaction terms couple issues; combinations
    /// exclude packages a dominating prefix may not): every package is
    /// walked, blocks of [`BLOCK`] acceptable ones are reduced to their
    /// frontier together with the frontier so far. O(n·m) time per package
    /// plus the skylines; memory O(frontier + block).
    fn frontier_by_enumeration(&self, choices: &[Vec<usize>]) -> Result<Frontier, LimitError> {
        let m = self.model.n_actors();
        let mut idx: Vec<u64> = Vec::new();
        let mut utils: Vec<f64> = Vec::new();
        let mut kept = 0usize;
        let mut failed = None;
        let reduce = |idx: &mut Vec<u64>, utils: &mut Vec<f64>| -> Result<usize, LimitError> {
            let keep = self.skyline(utils);
            self.check_candidates(keep.len())?;
            (*idx, *utils) = pareto::select(&keep, idx, utils, m);
            Ok(idx.len())
        };
        self.space
            .for_each(self.model, choices, |index, options, u| {
                if self.acceptable(options, u) {
                    idx.push(index);
                    utils.extend_from_slice(u);
                    if idx.len() >= kept + BLOCK {
                        if self.cancel.is_cancelled() {
                            return ControlFlow::Break(());
                        }
                        match reduce(&mut idx, &mut utils) {
                            Ok(n) => kept = n,
                            Err(e) => {
                                failed = Some(e);
                                return ControlFlow::Break(());
                            }
                        }
                    }
                }
                ControlFlow::Continue(())
            });
        if let Some(e) = failed {
            return Err(e);
        }
        reduce(&mut idx, &mut utils)?;
        Ok(self.points(idx, utils, |_| true))
    }

    /// `best_rest[l*m + a]`: the most issues `l..` of `choices` can still add
    /// for actor `a` (row `k` is zero).
    fn best_rest(&self, choices: &[Vec<usize>]) -> Vec<f64> {
        let k = choices.len();
        let m = self.model.n_actors();
        let mut best_rest = vec![0.0; (k + 1) * m];
        for l in (0..k).rev() {
            for a in 0..m {
                let best = choices[l]
                    .iter()
                    .map(|&o| self.model.contribution(l, o)[a])
                    .fold(f64::NEG_INFINITY, f64::max);
                best_rest[l * m + a] = best_rest[(l + 1) * m + a] + best;
            }
        }
        best_rest
    }

    /// Whether partial utilities `u`, plus at most `rest`, miss some
    /// reservation (with a margin for the different summation order).
    #[inline]
    fn hopeless(&self, u: &[f64], rest: &[f64]) -> bool {
        u.iter()
            .zip(rest)
            .zip(&self.reservations)
            .any(|((u, r), res)| u + r < res - 2.0 * self.tolerance - 1e-9 * (1.0 + res.abs()))
    }

    /// Whether some package of `choices` is rational (depth-first search with
    /// an upper bound per actor: stops at the first one found), with the
    /// work it did: packages walked,
    /// search nodes visited, plus a count's work when it fell back to
    /// counting (the studies charge it to their budget).
    pub fn any_rational_with_work(&self, choices: &[Vec<usize>]) -> (bool, u128) {
        let k = choices.len();
        let m = self.model.n_actors();
        if self.cancel.is_cancelled() || choices.iter().any(Vec::is_empty) {
            return (false, 0);
        }
        if !self.additive() {
            let mut found = false;
            let mut walked = 0u128;
            self.space.for_each(self.model, choices, |_, options, u| {
                walked += 1;
                found = self.acceptable(options, u);
                if found {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            return (found, walked);
        }
        let best_rest = self.best_rest(choices);
        // partial[l*m + a]: utility of the first l chosen options, summed as
        // `OutcomeSpace::for_each` sums them, so the leaf test is exact.
        let mut partial = vec![0.0; (k + 1) * m];
        // The bounds may prune little (the actors' best packages differ and
        // the reservations together are out of reach): past a budget of
        // nodes, counting by meet in the middle answers in bounded work.
        let budget = if self.meets_in_the_middle() {
            DFS_NODES
        } else {
            u64::MAX
        };
        let mut nodes = budget;
        match self.dfs(choices, 0, &mut partial, &best_rest, &mut nodes) {
            Some(found) => (found, u128::from(budget - nodes)),
            None => (
                self.count(choices) > 0,
                u128::from(budget) + self.count_work(choices),
            ),
        }
    }

    /// Whether a rational package extends the first `l` options (`None`
    /// when `nodes` ran out first).
    fn dfs(
        &self,
        choices: &[Vec<usize>],
        l: usize,
        partial: &mut [f64],
        best_rest: &[f64],
        nodes: &mut u64,
    ) -> Option<bool> {
        let m = self.model.n_actors();
        let k = choices.len();
        *nodes = nodes.checked_sub(1)?;
        if l == k {
            return Some(self.rational(&partial[k * m..]));
        }
        if self.hopeless(&partial[l * m..(l + 1) * m], &best_rest[l * m..(l + 1) * m]) {
            return Some(false);
        }
        for &o in &choices[l] {
            let c = self.model.contribution(l, o);
            for a in 0..m {
                partial[(l + 1) * m + a] = partial[l * m + a] + c[a];
            }
            if self.dfs(choices, l + 1, partial, best_rest, nodes)? {
                return Some(true);
            }
        }
        Some(false)
    }
}

/// Nodes the depth-first search for a rational package may visit before
/// meet-in-the-middle counting answers instead ([`Ctx::any_rational`]).
const DFS_NODES: u64 = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;
    use zopa_model::{OutcomeSpace, Tables};

    /// Two actors whose utilities always sum to one (values v and 1 − v,
    /// equal saliences): reservations of 0.6 each are jointly out of reach,
    /// although each actor alone can reach far above 0.6 — the bounds prune
    /// little, the depth-first search runs out of nodes, and counting by
    /// meet in the middle answers (it reports its work in `walked`).
    #[test]
    fn a_search_the_bounds_cannot_prune_falls_back_to_counting() {
        let radices = vec![10; 8];
        let v: Vec<Vec<f64>> = (0..8)
            .map(|i| {
                (0..10)
                    .map(|o| ((i * 7 + o * 3) % 10) as f64 / 9.0)
                    .collect()
            })
            .collect();
        let w: Vec<Vec<f64>> = v
            .iter()
            .map(|r| r.iter().map(|x| 1.0 - x).collect())
            .collect();
        for (reservation, expected) in [(0.6, false), (0.45, true)] {
            let s = Tables {
                radices: radices.clone(),
                saliences: vec![vec![1.0; 8]; 2],
                values: vec![v.clone(), w.clone()],
                red_lines: vec![vec![]; 2],
                reservations: vec![reservation; 2],
                note: "test".into(),
            }
            .build()
            .expect("valid");
            let model = UtilityModel::new(&s);
            let space = OutcomeSpace::numbered(&radices).expect("10^8 packages");
            let walked = AtomicU64::new(0);
            let ctx = Ctx {
                model: &model,
                space: &space,
                combinations: &[],
                reservations: vec![reservation; 2],
                tolerance: RESERVATION_TOLERANCE,
                grid: true,
                max_frontier: u64::MAX,
                walked: &walked,
                cancel: &zopa_model::Cancel::default(),
                counter: &count::Counter::new(&radices),
                rule: None,
            };
            assert_eq!(ctx.any_rational_with_work(&space.all_choices()).0, expected);
            if !expected {
                assert!(walked.load(Ordering::Relaxed) > 0, "answered by counting");
            }
        }
    }
}

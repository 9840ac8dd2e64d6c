//! How robust the agreement space and the Nash package are to the analyst's
//! assumptions: Monte Carlo over every claim no quote states.
//!
//! Each run perturbs, within [`zopa_model::perturb::Bands`]:
//!
//! * every **assumed option value** (`value`: ±0.2, clamped to [0, 1]);
//!   values a quote pins (best = 1, worst = 0) stay;
//! * every actor's **saliences** (always assumed: × U(0.5, 1.5), renormalised);
//! * every **reservation** (always assumed: ±0.1, clamped) — or, for an actor
//!   whose reservation is the status quo's utility, that utility recomputed;
//! * every **assumed red line**, dropped with probability 0.25;
//! * every **assumed status-quo option**, moved to a neighbouring option
//!   with probability 0.25 (it matters only to status-quo reservations).
//!
//! * every **assumed combination rejected together**, dropped with
//!   probability 0.25 (like a red line);
//! * every **assumed interaction term**, its value moved by U(−0.2, +0.2)
//!   (clamped to [−1, 1]);
//! * every **stated demand** ([`zopa_model::Scenario::stated_demands`]) made
//!   a red line with probability 0.1: a stated best option insisted on (the
//!   party rejects every other option of the issue), a stated worst option
//!   refused — robustness adds red lines as well as dropping them.
//!
//! The bands are the scenario's (`[bands]`, these defaults where it gives
//! none).
//!
//! Powers are not perturbed: the analysis does not use them.
//!
//! Then it recomputes the agreement space (every package) and its Nash
//! package exactly as [`crate::analyze`] does. Run `r` draws from its own
//! generator ([`zopa_model::perturb::rng_for`]`(seed, 2, 0, r)`) and runs
//! are summed as integers, so the result is the same for the same seed on
//! any number of threads.

use std::collections::BTreeMap;

use rayon::prelude::*;
use zopa_model::perturb::{self, Bands};
use zopa_model::{ClaimKind, OutcomeSpace, Scenario};

use crate::critical::Change;
use crate::variant::Variant;

use zopa_model::limits::MAX_ROBUSTNESS_WORK as MAX_WORK;

/// What a run perturbs: the assumed claims of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assumed {
    /// `values[a][i][o]`: whether actor a's value of option o of issue i is assumed.
    pub values: Vec<Vec<Vec<bool>>>,
    /// Actors whose saliences are assumed.
    pub saliences: Vec<bool>,
    /// Actors whose reservations are assumed.
    pub reservations: Vec<bool>,
    /// `red_lines[a][i][o]`: whether that red line exists and is assumed.
    pub red_lines: Vec<Vec<Vec<bool>>>,
    /// Issues whose status-quo option is assumed.
    pub status_quo: Vec<bool>,
    /// `combinations[a][k]`: whether actor a's k-th combination rejected together is assumed.
    pub combinations: Vec<Vec<bool>>,
    /// `interactions[a][k]`: whether actor a's k-th interaction term is assumed.
    pub interactions: Vec<Vec<bool>>,
}

impl Assumed {
    /// The assumed claims of `s`.
    pub fn of(s: &Scenario) -> Self {
        let shape = |x: bool| -> Vec<Vec<Vec<bool>>> {
            s.actors()
                .iter()
                .map(|_| {
                    s.issues()
                        .iter()
                        .map(|i| vec![x; i.options.len()])
                        .collect()
                })
                .collect()
        };
        let mut out = Assumed {
            values: shape(false),
            saliences: vec![false; s.n_actors()],
            reservations: vec![false; s.n_actors()],
            red_lines: shape(false),
            status_quo: vec![false; s.issues().len()],
            combinations: s
                .actors()
                .iter()
                .map(|a| vec![false; a.combinations.len()])
                .collect(),
            interactions: s
                .actors()
                .iter()
                .map(|a| vec![false; a.interactions.len()])
                .collect(),
        };
        for c in s.claims().iter().filter(|c| !c.is_quoted()) {
            match (c.kind, c.actor, c.issue, c.option) {
                (ClaimKind::Value, Some(a), Some(i), Some(o)) => out.values[a][i][o] = true,
                (ClaimKind::Salience, Some(a), Some(_), _) => out.saliences[a] = true,
                (ClaimKind::Reservation, Some(a), ..) => out.reservations[a] = true,
                (ClaimKind::RedLine, Some(a), Some(i), Some(o)) => out.red_lines[a][i][o] = true,
                (ClaimKind::RedLine, Some(a), None, None) => {
                    if let Some(k) = c.index {
                        out.combinations[a][k] = true;
                    }
                }
                (ClaimKind::Interaction, Some(a), ..) => {
                    if let Some(k) = c.index {
                        out.interactions[a][k] = true;
                    }
                }
                (ClaimKind::StatusQuo, None, Some(i), _) => out.status_quo[i] = true,
                _ => {}
            }
        }
        out
    }

    /// Every claim of `s` as if assumed (what a study varies when asked to
    /// vary quoted claims too).
    pub fn everything(s: &Scenario) -> Self {
        let mut out = Assumed::of(s);
        let all =
            |x: &mut Vec<Vec<Vec<bool>>>| x.iter_mut().flatten().flatten().for_each(|b| *b = true);
        all(&mut out.values);
        out.saliences.iter_mut().for_each(|b| *b = true);
        out.reservations.iter_mut().for_each(|b| *b = true);
        for r in s.red_lines() {
            out.red_lines[r.actor][r.issue][r.option] = true;
        }
        for x in out.combinations.iter_mut().chain(&mut out.interactions) {
            x.iter_mut().for_each(|b| *b = true);
        }
        out.status_quo.iter_mut().for_each(|b| *b = true);
        out
    }

    /// How many claims each kind contributes: (values, saliences,
    /// reservations, red lines — single options and combinations —, status quo, interaction terms).
    pub fn counts(&self) -> (usize, usize, usize, usize, usize, usize) {
        let cube = |x: &Vec<Vec<Vec<bool>>>| x.iter().flatten().flatten().filter(|&&b| b).count();
        let square = |x: &Vec<Vec<bool>>| x.iter().flatten().filter(|&&b| b).count();
        (
            cube(&self.values),
            self.saliences.iter().filter(|&&b| b).count(),
            self.reservations.iter().filter(|&&b| b).count(),
            cube(&self.red_lines) + square(&self.combinations),
            self.status_quo.iter().filter(|&&b| b).count(),
            square(&self.interactions),
        )
    }
}

/// Settings of a study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Runs.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Bands.
    pub bands: Bands,
}

/// What the runs found.
#[derive(Debug, Clone, PartialEq)]
pub struct Robustness {
    /// Settings used.
    pub params: Params,
    /// What was perturbed.
    pub assumed: Assumed,
    /// Stated demands each run may make red lines
    /// ([`zopa_model::Scenario::stated_demands`]).
    pub demands: usize,
    /// Runs whose agreement space is not empty.
    pub nonempty: u64,
    /// `in_zopa[package index]`: runs in which the package is in the agreement space.
    pub in_zopa: Vec<u32>,
    /// Package index → runs in which it is the Nash package (most frequent first, then index).
    pub nash: Vec<(u64, u32)>,
    /// The agreement space's size in each run, sorted ascending.
    pub sizes: Vec<u64>,
}

/// One run's numbers: the scenario's with its assumed claims perturbed and
/// some stated demands made red lines (`demands`: their changes).
fn draw(
    s: &Scenario,
    (assumed, demands): (&Assumed, &[Change]),
    bands: &Bands,
    seed: u64,
    run: u64,
) -> Variant {
    let mut rng = perturb::rng_for(seed, 2, 0, run);
    let mut v = Variant::of(s);
    for (a, (values, weights)) in v.values.iter_mut().zip(&mut v.weights).enumerate() {
        for (i, issue) in values.iter_mut().enumerate() {
            for (o, x) in issue.iter_mut().enumerate() {
                if assumed.values[a][i][o] {
                    *x = perturb::shift(&mut rng, *x, bands.value);
                }
            }
        }
        if assumed.saliences[a] {
            weights
                .iter_mut()
                .for_each(|x| *x = perturb::scale(&mut rng, *x, bands.salience));
            perturb::renormalise(weights);
        }
    }
    let assumed_terms = assumed.interactions.iter().flatten();
    for (t, &is_assumed) in v.terms.iter_mut().zip(assumed_terms) {
        if is_assumed {
            t.value = (t.value + perturb::jitter(&mut rng, bands.value)).clamp(-1.0, 1.0);
        }
    }
    for (i, o) in v.status_quo.iter_mut().enumerate() {
        let n = s.issues()[i].options.len();
        if assumed.status_quo[i] && n > 1 && perturb::happens(&mut rng, bands.status_quo_move) {
            *o = match *o {
                0 => 1,
                x if x + 1 == n => x - 1,
                x => {
                    if perturb::index(&mut rng, 2) == 0 {
                        x - 1
                    } else {
                        x + 1
                    }
                }
            };
        }
    }
    for (a, r) in v.reservations.iter_mut().enumerate() {
        if let Some(r) = r.as_mut().filter(|_| assumed.reservations[a]) {
            *r = perturb::shift(&mut rng, *r, bands.reservation);
        }
    }
    for (a, actor) in s.actors().iter().enumerate() {
        for (i, p) in actor.positions.iter().enumerate() {
            for r in &p.red_lines {
                if assumed.red_lines[a][i][r.option]
                    && perturb::happens(&mut rng, bands.red_line_drop)
                {
                    v.rejected_by[a][i][r.option] = false;
                }
            }
        }
    }
    for (a, kept) in v.kept.iter_mut().enumerate() {
        for (k, keep) in kept.iter_mut().enumerate() {
            if assumed.combinations[a][k] && perturb::happens(&mut rng, bands.red_line_drop) {
                *keep = false;
            }
        }
    }
    // Drawn last, and only when the band is open, so that a study with
    // red_line_add = 0 draws exactly as before it existed.
    if bands.red_line_add > 0.0 {
        for d in demands {
            if perturb::happens(&mut rng, bands.red_line_add) {
                d.apply(&mut v);
            }
        }
    }
    v
}

/// Per-thread tallies, summed at the end.
#[derive(Default)]
struct Tally {
    in_zopa: Vec<u32>,
    nash: BTreeMap<u64, u32>,
    sizes: Vec<u64>,
    nonempty: u64,
}

impl Tally {
    fn add(mut self, (members, nash): (Vec<u64>, Option<u64>)) -> Self {
        for &p in &members {
            self.in_zopa[p as usize] += 1;
        }
        if let Some(n) = nash {
            *self.nash.entry(n).or_default() += 1;
        }
        self.nonempty += u64::from(!members.is_empty());
        self.sizes.push(members.len() as u64);
        self
    }

    fn merge(mut self, other: Tally) -> Self {
        for (x, y) in self.in_zopa.iter_mut().zip(other.in_zopa) {
            *x += y;
        }
        for (k, v) in other.nash {
            *self.nash.entry(k).or_default() += v;
        }
        self.sizes.extend(other.sizes);
        self.nonempty += other.nonempty;
        self
    }
}

/// Run the study; `tick` is called once per run (for a progress display).
/// Refused before any work when `runs × packages` exceeds [`MAX_WORK`] or
/// the space exceeds `limit`.
pub fn study(
    s: &Scenario,
    params: &Params,
    limit: u64,
    tick: &(dyn Fn() + Sync),
) -> Result<Robustness, crate::AnalysisError> {
    study_until(s, params, limit, tick, &zopa_model::Cancel::default())
}

/// [`study`], stopping when `cancel` is cancelled: the runs not yet started
/// are skipped, a run in progress stops at its next count or frontier step,
/// and the answer is [`crate::AnalysisError::Cancelled`].
pub fn study_until(
    s: &Scenario,
    params: &Params,
    limit: u64,
    tick: &(dyn Fn() + Sync),
    cancel: &zopa_model::Cancel,
) -> Result<Robustness, crate::AnalysisError> {
    study_part(s, params, 0..params.runs as u64, limit, tick, cancel)
}

/// The runs numbered `runs` (within `0..params.runs`) of the study: a part
/// that [`Robustness::merge`] combines with the others into the whole
/// study, equal to [`study_until`]'s (each run draws from the seed and its
/// number only).
pub fn study_part(
    s: &Scenario,
    params: &Params,
    runs: std::ops::Range<u64>,
    limit: u64,
    tick: &(dyn Fn() + Sync),
    cancel: &zopa_model::Cancel,
) -> Result<Robustness, crate::AnalysisError> {
    let space = OutcomeSpace::new(&s.radices(), limit)?;
    zopa_model::limits::check(
        "the robustness study's work (runs × packages)",
        params.runs as u128 * u128::from(space.size()),
        MAX_WORK,
        None,
    )
    .map_err(crate::AnalysisError::Work)?;
    let assumed = Assumed::of(s);
    let demands: Vec<Change> = s
        .stated_demands()
        .iter()
        .map(crate::critical::demand_change)
        .collect();
    let n = space.size() as usize;
    let empty = || Tally {
        in_zopa: vec![0; n],
        ..Tally::default()
    };
    let tally = runs
        .into_par_iter()
        .map(|r| {
            if cancel.is_cancelled() {
                return (vec![], None);
            }
            let judged = draw(s, (&assumed, &demands), &params.bands, params.seed, r)
                .judge(s, &space, cancel);
            tick();
            (judged.members, judged.nash)
        })
        .fold(empty, Tally::add)
        .reduce(empty, Tally::merge);
    if cancel.is_cancelled() {
        return Err(crate::AnalysisError::Cancelled);
    }
    Ok(Robustness {
        params: *params,
        assumed,
        demands: demands.len(),
        nonempty: tally.nonempty,
        in_zopa: tally.in_zopa,
        nash: sorted_nash(tally.nash),
        sizes: sorted(tally.sizes),
    })
}

fn sorted_nash(nash: BTreeMap<u64, u32>) -> Vec<(u64, u32)> {
    let mut v: Vec<(u64, u32)> = nash.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

fn sorted(mut sizes: Vec<u64>) -> Vec<u64> {
    sizes.sort_unstable();
    sizes
}

impl Robustness {
    /// The study made of `parts` (from [`study_part`] over runs that
    /// together are each of `0..params.runs` once): counts added, sizes
    /// pooled. `Err` says why the parts are not of one study.
    pub fn merge(parts: Vec<Robustness>) -> Result<Robustness, String> {
        let mut it = parts.into_iter();
        let first = it.next().ok_or("no parts to merge")?;
        let mut nash: BTreeMap<u64, u32> = first.nash.iter().copied().collect();
        let mut out = first;
        for p in it {
            if p.params != out.params || p.assumed != out.assumed || p.demands != out.demands {
                return Err(
                    "the parts are of different studies (runs, seed, bands or scenario)".into(),
                );
            }
            if p.in_zopa.len() != out.in_zopa.len() {
                return Err("the parts are of outcome spaces of different sizes".into());
            }
            for (x, y) in out.in_zopa.iter_mut().zip(&p.in_zopa) {
                *x += y;
            }
            for (k, v) in p.nash {
                *nash.entry(k).or_default() += v;
            }
            out.sizes.extend(p.sizes);
            out.nonempty += p.nonempty;
        }
        if out.sizes.len() != out.params.runs {
            return Err(format!(
                "the parts hold {} runs of the study's {}",
                out.sizes.len(),
                out.params.runs
            ));
        }
        out.nash = sorted_nash(nash);
        out.sizes = sorted(out.sizes);
        Ok(out)
    }
}

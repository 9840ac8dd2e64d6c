//! Critical assumptions: the smallest sets of changes to the analyst's
//! assumptions that reverse a headline conclusion.
//!
//! The headline conclusions are: whether agreement is possible (the
//! agreement space is empty or not), which package is the Nash package,
//! and, per actor, the issues on which the Nash package gives it less than
//! its best option (its concessions).
//!
//! The candidate changes ([`Change`]), each to one claim, in this order:
//!
//! 1. **a stated demand made a red line**: an actor whose quote states its
//!    best option on an issue insists on it (rejects every other option);
//!    one whose quote states its worst option refuses it;
//! 2. **an assumed red line dropped**, then an assumed combination rejected
//!    together dropped;
//! 3. **an assumed reservation moved to an edge of its band** (up, then down);
//! 4. **the decision rule changed**, when it is assumed: unanimity becomes
//!    "all but one" (three or more actors); another rule becomes unanimity,
//!    one actor fewer, or the same count without its named vetoes;
//! 5. **an assumed option value moved to an edge of its band** (down, then up);
//! 6. **an assumed salience moved to an edge of its band** (× (1 − s), then
//!    × (1 + s), the actor's saliences renormalised).
//!
//! The bands are [`Bands`]' (those of the robustness study). Quoted claims
//! are varied only when [`Params::vary_quoted`] says so (a quoted red line
//! dropped, a quoted value moved, a quoted rule changed).
//!
//! The search is exact over these changes: every set of one change, then
//! every set of two, up to [`Params::max_size`], is evaluated (the same
//! agreement space and Nash package as [`crate::analyze`], by
//! [`crate::variant`]), except sets that contain a set already known to
//! reverse every conclusion they could. A reversing set is listed for a
//! conclusion only when no smaller listed set is inside it (minimal). Two
//! changes to one claim (its two band edges, or a demand and a dropped red
//! line on the same issue) are never combined. The work is the packages
//! evaluations walk, within [`Params::budget`], and at most
//! [`MAX_WHAT_IFS`] sets are evaluated (they are held until evaluated):
//! when either runs out, the search says how far it got ([`Search`]).
//!
//! Agreement being possible is monotone in every value and reservation, so
//! for it the band edges are exact: no point inside a band reverses it when
//! the edges do not. The Nash package is not monotone; for it the edges
//! are a documented probe, not a proof.

use std::ops::ControlFlow;

use rayon::prelude::*;
use zopa_model::perturb::{self, Bands};
use zopa_model::{Basis, Decision, OutcomeSpace, Override, Scenario};

use crate::robustness::Assumed;
use crate::variant::Variant;
use crate::AnalysisError;
use zopa_model::limits::MAX_WHAT_IFS;

/// One change to one claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The actor insists on the option its quote states as its best: it
    /// rejects every other option of the issue.
    Insist {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
        /// The option it insists on.
        option: usize,
    },
    /// The actor refuses the option its quote states as its worst.
    Refuse {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
        /// The option refused.
        option: usize,
    },
    /// A red line added (an interpretation's reading).
    AddRedLine {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
        /// Option index.
        option: usize,
    },
    /// A red line dropped.
    DropRedLine {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
        /// Option index.
        option: usize,
    },
    /// A combination rejected together dropped.
    DropCombination {
        /// Actor index.
        actor: usize,
        /// Its index among the actor's combinations.
        index: usize,
    },
    /// A reservation moved.
    Reservation {
        /// Actor index.
        actor: usize,
        /// As the scenario has it (the status quo's utility for a
        /// status-quo reservation).
        from: f64,
        /// Moved to.
        to: f64,
    },
    /// Another decision rule.
    Rule(Decision),
    /// An option value moved.
    Value {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
        /// Option index.
        option: usize,
        /// As the scenario has it.
        from: f64,
        /// Moved to.
        to: f64,
    },
    /// A salience moved (the actor's saliences renormalised after).
    Salience {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
        /// The normalised salience as the scenario has it.
        from: f64,
        /// The normalised salience after the move.
        to: f64,
        /// The factor applied before renormalising (1 − s or 1 + s).
        factor: f64,
    },
}

/// The claim a change is about: two changes of one claim are never combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Demand(usize, usize),
    RedLine(usize, usize, usize),
    Combination(usize, usize),
    Reservation(usize),
    Rule,
    Value(usize, usize, usize),
    Salience(usize, usize),
}

impl Change {
    fn claim(&self) -> Claim {
        match *self {
            Change::Insist { actor, issue, .. } | Change::Refuse { actor, issue, .. } => {
                Claim::Demand(actor, issue)
            }
            Change::DropRedLine {
                actor,
                issue,
                option,
            }
            | Change::AddRedLine {
                actor,
                issue,
                option,
            } => Claim::RedLine(actor, issue, option),
            Change::DropCombination { actor, index } => Claim::Combination(actor, index),
            Change::Reservation { actor, .. } => Claim::Reservation(actor),
            Change::Rule(_) => Claim::Rule,
            Change::Value {
                actor,
                issue,
                option,
                ..
            } => Claim::Value(actor, issue, option),
            Change::Salience { actor, issue, .. } => Claim::Salience(actor, issue),
        }
    }

    /// Whether the two may not be combined: one claim, or a demand made a
    /// red line and a red line dropped on the same actor's issue.
    fn conflicts(&self, other: &Change) -> bool {
        let (x, y) = (self.claim(), other.claim());
        let demand_and_drop = |x: Claim, y: Claim| matches!((x, y), (Claim::Demand(a, i), Claim::RedLine(b, j, _)) if a == b && i == j);
        x == y || demand_and_drop(x, y) || demand_and_drop(y, x)
    }

    pub(crate) fn apply(&self, v: &mut Variant) {
        match *self {
            Change::Insist {
                actor,
                issue,
                option,
            } => v.rejected_by[actor][issue]
                .iter_mut()
                .enumerate()
                .for_each(|(o, r)| *r |= o != option),
            Change::Refuse {
                actor,
                issue,
                option,
            }
            | Change::AddRedLine {
                actor,
                issue,
                option,
            } => v.rejected_by[actor][issue][option] = true,
            Change::DropRedLine {
                actor,
                issue,
                option,
            } => v.rejected_by[actor][issue][option] = false,
            Change::DropCombination { actor, index } => v.kept[actor][index] = false,
            Change::Reservation { actor, to, .. } => v.reservations[actor] = Some(to),
            Change::Rule(ref d) => v.rule = d.clone(),
            Change::Value {
                actor,
                issue,
                option,
                to,
                ..
            } => v.values[actor][issue][option] = to,
            Change::Salience {
                actor,
                issue,
                factor,
                ..
            } => {
                let w = &mut v.weights[actor];
                w[issue] *= factor;
                perturb::renormalise(w);
            }
        }
    }
}

/// Settings of a search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Most packages the evaluations may walk in all.
    pub budget: u64,
    /// Largest set of changes tried (1 to [`MAX_SIZE`]).
    pub max_size: usize,
    /// Vary quoted claims too.
    pub vary_quoted: bool,
    /// How far assumed numbers move.
    pub bands: Bands,
    /// Reversing sets kept per conclusion (the rest are counted).
    pub max_listed: usize,
}

/// The largest [`Params::max_size`].
pub const MAX_SIZE: usize = 3;

impl Default for Params {
    fn default() -> Self {
        Params {
            budget: 20_000_000,
            max_size: 2,
            vary_quoted: false,
            bands: Bands::default(),
            max_listed: 20,
        }
    }
}

/// What a variant of the scenario finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Packages in its agreement space.
    pub agreement: u64,
    /// Its Nash package (none when the agreement space is empty).
    pub nash: Option<u64>,
}

/// A headline conclusion of the scenario as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Headline {
    /// Whether agreement is possible.
    Agreement {
        /// The agreement space is not empty.
        possible: bool,
    },
    /// The Nash package.
    Nash {
        /// Its index.
        package: u64,
    },
    /// Where the Nash package gives an actor less than its best option.
    Concessions {
        /// Actor index.
        actor: usize,
        /// Issues conceded, ascending.
        issues: Vec<usize>,
    },
}

/// A set of changes that reverses a conclusion, and what it finds.
#[derive(Debug, Clone, PartialEq)]
pub struct Reversal {
    /// Indices into [`Critical::changes`], ascending.
    pub changes: Vec<usize>,
    /// What the scenario with these changes finds.
    pub outcome: Outcome,
}

/// One conclusion and the minimal sets of changes that reverse it.
#[derive(Debug, Clone, PartialEq)]
pub struct Conclusion {
    /// The conclusion.
    pub headline: Headline,
    /// The first [`Params::max_listed`] minimal reversing sets, smallest
    /// first, then in candidate order.
    pub reversals: Vec<Reversal>,
    /// Minimal reversing sets found (listed or not).
    pub found: u64,
}

/// How far the search got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// Sets of changes evaluated.
    pub evaluated: u64,
    /// Packages walked by the evaluations.
    pub packages: u128,
    /// Per size of set tried: how many sets were evaluated, and whether
    /// that was all of them.
    pub sizes: Vec<Tried>,
    /// Every set up to this size was tried (0: not even every single change).
    pub complete: usize,
    /// Whether the budget ran out.
    pub exhausted: bool,
}

/// The sets of one size the search evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tried {
    /// Changes per set.
    pub size: usize,
    /// Sets evaluated (those containing a known reversal of every
    /// conclusion they could reverse are skipped, not counted).
    pub tried: u64,
    /// Whether every set of this size worth evaluating was evaluated.
    pub complete: bool,
}

/// The result of [`search`].
#[derive(Debug, Clone, PartialEq)]
pub struct Critical {
    /// Settings used.
    pub params: Params,
    /// The candidate changes, in the documented order.
    pub changes: Vec<Change>,
    /// What the scenario as it stands finds.
    pub baseline: Outcome,
    /// Agreement, then the Nash package, then each actor's concessions.
    pub conclusions: Vec<Conclusion>,
    /// How far the search got.
    pub search: Search,
}

/// The candidate changes of `s`, in the documented order.
pub fn changes(s: &Scenario, params: &Params) -> Vec<Change> {
    let varied = if params.vary_quoted {
        Assumed::everything(s)
    } else {
        Assumed::of(s)
    };
    let mut out = demands(s);
    for r in s.red_lines() {
        if varied.red_lines[r.actor][r.issue][r.option] {
            out.push(Change::DropRedLine {
                actor: r.actor,
                issue: r.issue,
                option: r.option,
            });
        }
    }
    for (actor, kept) in varied.combinations.iter().enumerate() {
        for (index, _) in kept.iter().enumerate().filter(|(_, &v)| v) {
            out.push(Change::DropCombination { actor, index });
        }
    }
    let base = Variant::of(s);
    let reservations = base.reservations(&base.model());
    for (actor, &from) in reservations.iter().enumerate() {
        if varied.reservations[actor] {
            for to in edges(from, params.bands.reservation) {
                out.push(Change::Reservation { actor, from, to });
            }
        }
    }
    if params.vary_quoted || !s.decision().is_quoted() {
        out.extend(rules(s).into_iter().map(Change::Rule));
    }
    for (actor, issues) in varied.values.iter().enumerate() {
        for (issue, options) in issues.iter().enumerate() {
            for (option, _) in options.iter().enumerate().filter(|(_, &v)| v) {
                let from = base.values[actor][issue][option];
                for to in edges(from, params.bands.value).into_iter().rev() {
                    out.push(Change::Value {
                        actor,
                        issue,
                        option,
                        from,
                        to,
                    });
                }
            }
        }
    }
    for (actor, w) in base.weights.iter().enumerate() {
        if !varied.saliences[actor] {
            continue;
        }
        for (issue, &from) in w.iter().enumerate() {
            for factor in [1.0 - params.bands.salience, 1.0 + params.bands.salience] {
                let mut moved = w.clone();
                moved[issue] *= factor;
                perturb::renormalise(&mut moved);
                if moved[issue] != from {
                    out.push(Change::Salience {
                        actor,
                        issue,
                        from,
                        to: moved[issue],
                        factor,
                    });
                }
            }
        }
    }
    out
}

/// `x` moved up, then down, by `band`, clamped to [0, 1]; a move that
/// changes nothing is left out.
fn edges(x: f64, band: f64) -> Vec<f64> {
    [(x + band).min(1.0), (x - band).max(0.0)]
        .into_iter()
        .filter(|&y| y != x)
        .collect()
}

/// Stated demands made red lines: a quoted best option insisted on, a
/// quoted worst option refused ([`Scenario::stated_demands`]).
fn demands(s: &Scenario) -> Vec<Change> {
    s.stated_demands()
        .into_iter()
        .map(|d| demand_change(&d))
        .collect()
}

/// The change that makes a stated demand a red line.
pub fn demand_change(d: &zopa_model::Demand) -> Change {
    let (actor, issue, option) = (d.actor, d.issue, d.option);
    if d.best {
        Change::Insist {
            actor,
            issue,
            option,
        }
    } else {
        Change::Refuse {
            actor,
            issue,
            option,
        }
    }
}

/// Other decision rules worth trying: unanimity becomes "all but one";
/// another rule becomes unanimity, one actor fewer, or its count without
/// named vetoes.
fn rules(s: &Scenario) -> Vec<Decision> {
    let d = s.decision();
    let n = s.n_actors();
    let basis = || Basis::assumption("a what-if of the critical-assumption search");
    let mut asked: Vec<(usize, Vec<usize>, Option<f64>)> = Vec::new();
    if d.is_unanimity() && d.must_include.is_empty() && d.power_share.is_none() {
        if n >= 3 {
            asked.push((n - 1, vec![], None));
        }
    } else {
        asked.push((n, vec![], None));
        if d.at_least > 1 {
            asked.push((d.at_least - 1, d.must_include.clone(), d.power_share));
        }
        if !d.must_include.is_empty() {
            asked.push((d.at_least, vec![], d.power_share));
        }
    }
    let mut out: Vec<Decision> = Vec::new();
    for (k, must, share) in asked {
        if let Ok(rule) = s.rule(k, &must, share, basis()) {
            if rule.vetoes() != d.vetoes() || rule.at_least != d.at_least {
                out.push(rule);
            }
        }
    }
    out
}

/// What counts as a concession: an option an actor values below its best
/// on an issue it weighs (as the scenario has them, whatever a change
/// does; the summary's definition).
struct Best {
    /// `values[a][i][o]`.
    values: Vec<Vec<Vec<f64>>>,
    /// `top[a][i]`: the best value, or `None` for an issue of weight 0.
    top: Vec<Vec<Option<f64>>>,
}

impl Best {
    fn of(base: &Variant) -> Best {
        let top = base
            .values
            .iter()
            .zip(&base.weights)
            .map(|(issues, w)| {
                issues
                    .iter()
                    .zip(w)
                    .map(|(v, &w)| {
                        (w > 0.0).then(|| v.iter().copied().fold(f64::NEG_INFINITY, f64::max))
                    })
                    .collect()
            })
            .collect();
        Best {
            values: base.values.clone(),
            top,
        }
    }
}

/// The headline conclusions of an outcome.
fn headlines(space: &OutcomeSpace, base: Outcome, best: &Best) -> Vec<Headline> {
    let mut out = vec![Headline::Agreement {
        possible: base.agreement > 0,
    }];
    if let Some(package) = base.nash {
        out.push(Headline::Nash { package });
        for actor in 0..best.top.len() {
            out.push(Headline::Concessions {
                actor,
                issues: conceded(space, package, best, actor),
            });
        }
    }
    out
}

/// The issues on which `package` gives `actor` less than its best option.
fn conceded(space: &OutcomeSpace, package: u64, best: &Best, actor: usize) -> Vec<usize> {
    let options = space.options_of(package);
    (0..options.len())
        .filter(|&i| best.top[actor][i].is_some_and(|t| best.values[actor][i][options[i]] < t))
        .collect()
}

impl Headline {
    /// Whether `o` reverses this conclusion. A change that leaves no Nash
    /// package reverses the Nash package but no actor's concessions (that
    /// the agreement conclusion reports).
    fn reversed(&self, o: Outcome, space: &OutcomeSpace, best: &Best) -> bool {
        match self {
            Headline::Agreement { possible } => (o.agreement > 0) != *possible,
            Headline::Nash { package } => o.nash != Some(*package),
            Headline::Concessions { actor, issues } => o
                .nash
                .is_some_and(|p| &conceded(space, p, best, *actor) != issues),
        }
    }
}

/// Why a search did not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Skip {
    /// Evaluations walk packages, and this space is above the enumeration limit.
    #[error(
        "not searched: each what-if walks the outcome space, and its {packages} packages are \
         above the enumeration limit of {limit}"
    )]
    Space {
        /// Packages in the space.
        packages: u128,
        /// The limit in force.
        limit: u64,
    },
    /// One evaluation alone walks more packages than the budget.
    #[error(
        "not searched: one what-if walks {packages} packages, above the search budget of \
         {budget}"
    )]
    Budget {
        /// Packages one evaluation walks.
        packages: u128,
        /// The budget.
        budget: u64,
    },
}

/// Search the smallest sets of changes that reverse each headline
/// conclusion of `s`, or say why it did not start. Cancelled at the next
/// set when `cancel` says so.
pub fn search(
    s: &Scenario,
    params: &Params,
    limit: u64,
    cancel: &zopa_model::Cancel,
) -> Result<Result<Critical, Skip>, AnalysisError> {
    let radices = s.radices();
    let space = match OutcomeSpace::new(&radices, limit) {
        Ok(space) => space,
        Err(_) => {
            return Ok(Err(Skip::Space {
                packages: zopa_model::space::space_size(&radices).unwrap_or(u128::MAX),
                limit,
            }))
        }
    };
    let base = Variant::of(s);
    let packages = base.packages(&space);
    if packages.saturating_add(OVERHEAD.into()) > u128::from(params.budget) {
        return Ok(Err(Skip::Budget {
            packages,
            budget: params.budget,
        }));
    }
    let changes = changes(s, params);
    let best = Best::of(&base);
    let mut search = Search {
        evaluated: 1,
        packages,
        sizes: vec![],
        complete: 0,
        exhausted: false,
    };
    let judged = base.judge(s, &space, cancel);
    let baseline = Outcome {
        agreement: judged.members.len() as u64,
        nash: judged.nash,
    };
    let mut conclusions: Vec<Conclusion> = headlines(&space, baseline, &best)
        .into_iter()
        .map(|headline| Conclusion {
            headline,
            reversals: vec![],
            found: 0,
        })
        .collect();
    // found[c]: every minimal reversing set of conclusion c (listed or not).
    let mut found: Vec<Vec<Vec<usize>>> = vec![vec![]; conclusions.len()];
    let max_size = params.max_size.clamp(1, MAX_SIZE);
    let mut budget = params
        .budget
        .saturating_sub(saturate(search.packages).saturating_add(OVERHEAD));
    for size in 1..=max_size {
        if search.exhausted {
            break;
        }
        let mut chosen: Vec<Vec<usize>> = Vec::new();
        let mut set = Vec::with_capacity(size);
        let _ = extend(&changes, size, 0, &mut set, &mut |set| {
            if !open(set, &found) {
                return ControlFlow::Continue(());
            }
            let cost =
                saturate(variant(&base, &changes, set).packages(&space)).saturating_add(OVERHEAD);
            let room = search.evaluated + (chosen.len() as u64) < MAX_WHAT_IFS;
            if cost > budget || !room {
                search.exhausted = true;
                return ControlFlow::Break(());
            }
            budget -= cost;
            search.packages += u128::from(cost - OVERHEAD);
            chosen.push(set.to_vec());
            ControlFlow::Continue(())
        });
        let outcomes: Vec<Outcome> = chosen
            .par_iter()
            .map(|set| {
                if cancel.is_cancelled() {
                    return baseline;
                }
                let j = variant(&base, &changes, set).judge(s, &space, cancel);
                Outcome {
                    agreement: j.members.len() as u64,
                    nash: j.nash,
                }
            })
            .collect();
        if cancel.is_cancelled() {
            return Err(AnalysisError::Cancelled);
        }
        search.evaluated += chosen.len() as u64;
        search.sizes.push(Tried {
            size,
            tried: chosen.len() as u64,
            complete: !search.exhausted,
        });
        if !search.exhausted {
            search.complete = size;
        }
        for (set, outcome) in chosen.iter().zip(outcomes) {
            for (c, conclusion) in conclusions.iter_mut().enumerate() {
                let minimal = !found[c].iter().any(|f| is_subset(f, set));
                if minimal && conclusion.headline.reversed(outcome, &space, &best) {
                    found[c].push(set.clone());
                    conclusion.found += 1;
                    if conclusion.reversals.len() < params.max_listed {
                        conclusion.reversals.push(Reversal {
                            changes: set.clone(),
                            outcome,
                        });
                    }
                }
            }
        }
    }
    Ok(Ok(Critical {
        params: *params,
        changes,
        baseline,
        conclusions,
        search,
    }))
}

/// The work of setting up one evaluation, in packages: it keeps a budget
/// from admitting unboundedly many evaluations of nearly empty spaces.
const OVERHEAD: u64 = 64;

/// The changes an interpretation makes, in its order.
pub fn interpretation(s: &Scenario, x: &zopa_model::Interpretation) -> Vec<Change> {
    let base = Variant::of(s);
    let reservations = base.reservations(&base.model());
    x.overrides
        .iter()
        .map(|o| match *o {
            Override::AddRedLine(r) => Change::AddRedLine {
                actor: r.actor,
                issue: r.issue,
                option: r.option,
            },
            Override::DropRedLine(r) => Change::DropRedLine {
                actor: r.actor,
                issue: r.issue,
                option: r.option,
            },
            Override::Reservation { actor, value } => Change::Reservation {
                actor,
                from: reservations[actor],
                to: value,
            },
            Override::Value {
                actor,
                issue,
                option,
                value,
            } => Change::Value {
                actor,
                issue,
                option,
                from: base.values[actor][issue][option],
                to: value,
            },
        })
        .collect()
}

/// A stress test zopa builds from the scenario itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stress {
    /// Every demand a party states (a quoted best option) becomes a red line.
    Demands,
    /// Every option a party states is its worst (quoted) is refused.
    Worst,
    /// Every assumed reservation at the top of its band.
    Reservations,
    /// Every assumed red line and combination dropped: the most lenient
    /// reading, which shows what the assumed red lines themselves decide.
    AssumedDropped,
}

impl Stress {
    /// Every stress test, in report order.
    pub const ALL: [Stress; 4] = [
        Stress::Demands,
        Stress::Worst,
        Stress::Reservations,
        Stress::AssumedDropped,
    ];

    /// Stable machine name.
    pub fn key(self) -> &'static str {
        match self {
            Stress::Demands => "stated_demands_as_red_lines",
            Stress::Worst => "stated_worst_refused",
            Stress::Reservations => "reservations_at_top_of_band",
            Stress::AssumedDropped => "assumed_red_lines_dropped",
        }
    }

    /// The test in words.
    pub fn name(self) -> &'static str {
        match self {
            Stress::Demands => "Each party's stated demands become red lines",
            Stress::Worst => "Each party refuses every option it states is its worst",
            Stress::Reservations => "Every assumed walk-away point at the top of its band",
            Stress::AssumedDropped => "Every assumed red line dropped",
        }
    }

    /// The changes it makes to `s` (possibly none: then it tests nothing).
    pub fn changes(self, s: &Scenario, bands: &Bands) -> Vec<Change> {
        let params = Params {
            bands: *bands,
            ..Params::default()
        };
        let mut out: Vec<Change> = Vec::new();
        for c in changes(s, &params) {
            let wanted = match (self, &c) {
                (Stress::Demands, Change::Insist { .. }) => true,
                (Stress::Worst, Change::Refuse { .. }) => true,
                (Stress::Reservations, Change::Reservation { from, to, .. }) => to > from,
                (Stress::AssumedDropped, Change::DropRedLine { .. })
                | (Stress::AssumedDropped, Change::DropCombination { .. }) => true,
                _ => false,
            };
            // One demand per party and issue (two quoted bests would
            // otherwise reject every option).
            if wanted && !out.iter().any(|x| x.conflicts(&c)) {
                out.push(c);
            }
        }
        out
    }
}

/// What the scenario finds with `changes` made together (every package
/// walked, so the space must be within `limit`).
pub fn outcome_with(
    s: &Scenario,
    changes: &[Change],
    limit: u64,
    cancel: &zopa_model::Cancel,
) -> Result<Outcome, AnalysisError> {
    let space = OutcomeSpace::new(&s.radices(), limit)?;
    let mut v = Variant::of(s);
    for c in changes {
        c.apply(&mut v);
    }
    let j = v.judge(s, &space, cancel);
    if cancel.is_cancelled() {
        return Err(AnalysisError::Cancelled);
    }
    Ok(Outcome {
        agreement: j.members.len() as u64,
        nash: j.nash,
    })
}

/// Per issue, per option: how many packages that pass hold it (every
/// package walked, so the space must be within `limit`). An option no
/// passing package holds is outside every landing zone.
pub fn landing(
    s: &Scenario,
    limit: u64,
    cancel: &zopa_model::Cancel,
) -> Result<Vec<Vec<u64>>, AnalysisError> {
    let space = OutcomeSpace::new(&s.radices(), limit)?;
    let j = Variant::of(s).judge(s, &space, cancel);
    if cancel.is_cancelled() {
        return Err(AnalysisError::Cancelled);
    }
    let mut counts: Vec<Vec<u64>> = s.radices().iter().map(|&n| vec![0; n]).collect();
    let mut options = vec![0; s.issues().len()];
    for &p in &j.members {
        space.decode(p, &mut options);
        for (i, &o) in options.iter().enumerate() {
            counts[i][o] += 1;
        }
    }
    Ok(counts)
}

fn saturate(x: u128) -> u64 {
    u64::try_from(x).unwrap_or(u64::MAX)
}

/// The scenario's numbers with the changes of `set` applied.
fn variant(base: &Variant, changes: &[Change], set: &[usize]) -> Variant {
    let mut v = base.clone();
    for &k in set {
        changes[k].apply(&mut v);
    }
    v
}

fn is_subset(small: &[usize], big: &[usize]) -> bool {
    small.iter().all(|x| big.contains(x))
}

/// Whether a set is worth evaluating: for some conclusion, no known
/// reversing set lies inside it.
fn open(set: &[usize], found: &[Vec<Vec<usize>>]) -> bool {
    found.is_empty()
        || found
            .iter()
            .any(|sets| !sets.iter().any(|f| is_subset(f, set)))
}

/// Every set of `size` mutually compatible changes from index `from` on,
/// extending `set`.
fn extend(
    changes: &[Change],
    size: usize,
    from: usize,
    set: &mut Vec<usize>,
    visit: &mut dyn FnMut(&[usize]) -> ControlFlow<()>,
) -> ControlFlow<()> {
    if set.len() == size {
        return visit(set);
    }
    for k in from..changes.len() {
        if set.iter().any(|&j| changes[j].conflicts(&changes[k])) {
            continue;
        }
        set.push(k);
        let flow = extend(changes, size, k + 1, set, visit);
        set.pop();
        flow?;
    }
    ControlFlow::Continue(())
}

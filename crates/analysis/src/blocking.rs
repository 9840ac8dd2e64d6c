//! Which red lines block agreement, and what relaxing them would open.

use zopa_model::LimitError;
use zopa_model::{RedLineRef, Scenario};

use crate::solutions::{self, Concept, Solution};
use crate::space::Ctx;
use crate::Options;

/// The effect of one red line.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocking {
    /// The red line.
    pub red_line: RedLineRef,
    /// Packages that contain the rejected option (whatever else they violate).
    pub violating: u64,
    /// Other actors that reject the same option (then dropping this red line alone opens nothing).
    pub also_rejected_by: Vec<usize>,
    /// Packages this red line alone keeps out of the agreement space: they
    /// violate no other red line and meet every reservation.
    pub alone_removes: u64,
    /// Size of the agreement space if this red line were dropped.
    pub agreement_if_dropped: u64,
    /// The Nash package if this red line were dropped (none if the space stays empty).
    pub nash_if_dropped: Option<Solution>,
}

/// The effect of a combination of options an actor rejects together.
#[derive(Debug, Clone, PartialEq)]
pub struct CombinationBlocking {
    /// Actor index.
    pub actor: usize,
    /// Index into the actor's combinations.
    pub index: usize,
    /// Other actors rejecting the identical combination (then dropping this
    /// one alone opens nothing).
    pub also_rejected_by: Vec<usize>,
    /// Packages this combination alone keeps out of the agreement space.
    pub alone_removes: u64,
    /// Size of the agreement space if it were dropped.
    pub agreement_if_dropped: u64,
    /// The Nash package if it were dropped.
    pub nash_if_dropped: Option<Solution>,
    /// When others reject the same combination: the agreement space's size
    /// and Nash package with every copy of it dropped.
    pub all_copies_dropped: Option<(u64, Option<Solution>)>,
}

/// The agreement space with a set of red lines dropped together.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// The single-option red lines dropped, sorted.
    pub red_lines: Vec<RedLineRef>,
    /// The combinations rejected together dropped, as (actor, index), sorted.
    pub combinations: Vec<(usize, usize)>,
    /// Size of the agreement space without them.
    pub agreement_if_dropped: u64,
    /// The Nash package without them (none if the space stays empty).
    pub nash_if_dropped: Option<Solution>,
}

/// Red lines studied together rather than one at a time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Joint {
    /// For each actor with red lines, in actor order: all of them dropped at once.
    pub per_actor: Vec<(usize, Dropped)>,
    /// Every pair of red lines whose joint removal changes the agreement
    /// space's size or its Nash package when neither alone does.
    pub pairs: Vec<Dropped>,
    /// The smallest sets of red lines whose removal changes the Nash package
    /// (empty when the agreement space is empty: see [`Unblocking`]).
    pub nash_changers: Vec<Dropped>,
    /// Whether more sets of that size change it than are listed.
    pub nash_changers_truncated: bool,
    /// Set when the work budget ran out before every pair and set size was
    /// tried: the lists above are then incomplete.
    pub budget_exhausted: bool,
}

/// The answer for an empty agreement space.
#[derive(Debug, Clone, PartialEq)]
pub enum Unblocking {
    /// Dropping any one of these sets of red lines (all of the smallest size
    /// that works, up to the listing limit) makes the agreement space non-empty.
    Sets {
        /// The sets, each sorted, in lexicographic order.
        sets: Vec<Vec<RedLineRef>>,
        /// Whether more sets of the same size exist than were listed.
        truncated: bool,
    },
    /// Even with every red line dropped no package meets all reservations:
    /// the reservations themselves conflict.
    ReservationsConflict,
    /// The search budget ran out before a set was found.
    BudgetExhausted {
        /// Subsets tried.
        tried: u64,
        /// Sets of this size and smaller have no solution.
        exhausted_size: usize,
    },
}

/// When no package passes: the smallest sets of actors whose acceptance —
/// of everything, their red lines and reservations set aside — would let
/// one pass ("who must be brought around").
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    /// The sets (actor indices, ascending), all of the smallest size found,
    /// in lexicographic order, up to the listing limit.
    pub sets: Vec<Vec<usize>>,
    /// Whether more sets of that size exist than are listed.
    pub truncated: bool,
    /// Whether the search stopped (work budget, or more minimal winning
    /// coalitions than zopa enumerates) before trying every smaller set:
    /// then `sets` may be empty or not the smallest.
    pub incomplete: bool,
}

/// The smallest sets of actors X such that some package passes once X
/// accepts it whatever it holds: some minimal winning coalition C whose
/// members outside X all accept one package (the packages every member
/// of C ∖ X accepts are a product of their allowed options with their
/// reservations: an existence search). `minimal` lists the minimal winning
/// coalitions (every actor, under unanimity); `None` when there are too
/// many to enumerate.
pub(crate) fn opening(
    s: &Scenario,
    ctx: &Ctx<'_>,
    minimal: Option<&[Vec<bool>]>,
    opts: &Options,
    budget: &mut Budget,
) -> Opening {
    let n = s.n_actors();
    let mut out = Opening {
        sets: vec![],
        truncated: false,
        incomplete: false,
    };
    let Some(minimal) = minimal else {
        out.incomplete = true;
        return out;
    };
    let mut tried = 0u64;
    for size in 1..=n {
        let mut comb: Vec<usize> = (0..size).collect();
        loop {
            if tried >= opts.unblocking_budget || !budget.open() {
                out.incomplete = true;
                return out;
            }
            tried += 1;
            let opens = minimal.iter().any(|c| {
                let rest: Vec<bool> = (0..n).map(|a| c[a] && !comb.contains(&a)).collect();
                let (found, work) = accepted_by_all(s, ctx, &rest);
                budget.charge(work);
                found
            });
            if opens {
                if out.sets.len() < opts.max_unblocking_sets {
                    out.sets.push(comb.clone());
                } else {
                    out.truncated = true;
                    break;
                }
            }
            if !next_combination(&mut comb, n) {
                break;
            }
        }
        if !out.sets.is_empty() {
            return out;
        }
    }
    out
}

/// Whether some package is accepted by every actor in `members` (their red
/// lines, combinations and reservations), and the work that took.
fn accepted_by_all(s: &Scenario, ctx: &Ctx<'_>, members: &[bool]) -> (bool, u128) {
    let choices: Vec<Vec<usize>> = s
        .issues()
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            (0..issue.options.len())
                .filter(|&o| {
                    s.actors()
                        .iter()
                        .zip(members)
                        .all(|(a, &m)| !m || !a.positions[i].rejects(o))
                })
                .collect()
        })
        .collect();
    let combinations: Vec<zopa_model::Combination> = s
        .actors()
        .iter()
        .zip(members)
        .filter(|(_, &m)| m)
        .flat_map(|(a, _)| a.combinations.iter().cloned())
        .collect();
    Ctx {
        reservations: s
            .actors()
            .iter()
            .zip(members)
            .map(|(a, &m)| if m { a.reservation } else { f64::NEG_INFINITY })
            .collect(),
        combinations: &combinations,
        rule: None,
        ..*ctx
    }
    .any_rational_with_work(&choices)
}

/// The options of each issue allowed when the red lines in `dropped` are ignored.
fn choices_without(s: &Scenario, dropped: &[RedLineRef]) -> Vec<Vec<usize>> {
    s.issues()
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            (0..issue.options.len())
                .filter(|&o| {
                    s.actors().iter().enumerate().all(|(a, actor)| {
                        !actor.positions[i].rejects(o)
                            || dropped.contains(&RedLineRef {
                                actor: a,
                                issue: i,
                                option: o,
                            })
                    })
                })
                .collect()
        })
        .collect()
}

/// How the studies measure the agreement space with red lines set aside:
/// under unanimity ([`Unanimous`]: products of the options nobody rejects)
/// or under a decision rule ([`ByRule`]).
pub(crate) trait Measure {
    /// Whether every actor must accept (then a red line others share opens
    /// nothing when dropped alone).
    fn unanimous(&self) -> bool;
    /// The packages red line `r` alone keeps out, and the Nash package without it.
    fn alone(&self, r: RedLineRef) -> Result<(u64, Option<Solution>), LimitError>;
    /// The agreement space's size and Nash package with these red lines and
    /// combinations (actor, index) set aside.
    fn without(
        &self,
        red_lines: &[RedLineRef],
        combinations: &[(usize, usize)],
    ) -> Result<(u64, Option<Solution>), LimitError>;
    /// The work of [`Measure::without`] these red lines (in `--limit`'s units).
    fn cost(&self, red_lines: &[RedLineRef]) -> u128;
    /// Whether some package passes with these red lines set aside, and the
    /// work that took.
    fn any(&self, red_lines: &[RedLineRef]) -> (bool, u128);
}

/// The studies' measure under unanimity.
pub(crate) struct Unanimous<'a, 'c> {
    pub s: &'a Scenario,
    pub ctx: &'a Ctx<'c>,
    /// The options no actor rejects.
    pub allowed: &'a [Vec<usize>],
}

impl Measure for Unanimous<'_, '_> {
    fn unanimous(&self) -> bool {
        true
    }

    fn alone(&self, r: RedLineRef) -> Result<(u64, Option<Solution>), LimitError> {
        // The packages it alone removes: this option on its issue, allowed options elsewhere.
        let mut slice = self.allowed.to_vec();
        slice[r.issue] = vec![r.option];
        let added = self.ctx.count(&slice);
        let frontier = self.ctx.frontier(&choices_without(self.s, &[r]))?;
        Ok((
            added,
            solutions::solve(Concept::Nash, &frontier, &self.ctx.reservations),
        ))
    }

    fn without(
        &self,
        red_lines: &[RedLineRef],
        combinations: &[(usize, usize)],
    ) -> Result<(u64, Option<Solution>), LimitError> {
        let choices = choices_without(self.s, red_lines);
        without_combinations(self.s, self.ctx, &choices, combinations)
    }

    fn cost(&self, red_lines: &[RedLineRef]) -> u128 {
        study_cost(self.ctx, &choices_without(self.s, red_lines))
    }

    fn any(&self, red_lines: &[RedLineRef]) -> (bool, u128) {
        self.ctx
            .any_rational_with_work(&choices_without(self.s, red_lines))
    }
}

/// The studies' measure under a decision rule: every question recounts the
/// agreement space and rebuilds its frontier ([`crate::rule::Rule`]).
pub(crate) struct ByRule<'a, 'c> {
    pub rule: &'a crate::rule::Rule<'a, 'c>,
    /// Every option of every issue.
    pub all: &'a [Vec<usize>],
    /// The agreement space's size under the rule.
    pub agreement: u64,
    pub reservations: &'a [f64],
}

impl ByRule<'_, '_> {
    fn dropped(red_lines: &[RedLineRef], combinations: &[(usize, usize)]) -> crate::rule::Dropped {
        crate::rule::Dropped {
            red_lines: red_lines.to_vec(),
            combinations: combinations.to_vec(),
        }
    }
}

impl Measure for ByRule<'_, '_> {
    fn unanimous(&self) -> bool {
        false
    }

    fn alone(&self, r: RedLineRef) -> Result<(u64, Option<Solution>), LimitError> {
        // Setting a red line aside only adds acceptances: the count grows.
        let (n, nash) = self.without(&[r], &[])?;
        Ok((n.saturating_sub(self.agreement), nash))
    }

    fn without(
        &self,
        red_lines: &[RedLineRef],
        combinations: &[(usize, usize)],
    ) -> Result<(u64, Option<Solution>), LimitError> {
        let d = Self::dropped(red_lines, combinations);
        let frontier = self.rule.frontier(self.all, &d)?;
        Ok((
            self.rule.count(self.all, &d),
            solutions::solve(Concept::Nash, &frontier, self.reservations),
        ))
    }

    fn cost(&self, red_lines: &[RedLineRef]) -> u128 {
        let d = Self::dropped(red_lines, &[]);
        self.rule
            .count_work(self.all, &d)
            .saturating_add(self.rule.frontier_work(self.all, &d))
    }

    fn any(&self, red_lines: &[RedLineRef]) -> (bool, u128) {
        let d = Self::dropped(red_lines, &[]);
        (
            self.rule.count(self.all, &d) > 0,
            self.rule.count_work(self.all, &d),
        )
    }
}

pub(crate) fn per_red_line(
    s: &Scenario,
    m: &dyn Measure,
    space_size: u64,
    agreement_size: u64,
    base_nash: Option<&Solution>,
) -> Result<Vec<Blocking>, LimitError> {
    s.red_lines()
        .into_iter()
        .map(|r| {
            let violating = space_size / s.issues()[r.issue].options.len() as u64;
            let also_rejected_by: Vec<usize> = (0..s.n_actors())
                .filter(|&a| a != r.actor && s.actors()[a].positions[r.issue].rejects(r.option))
                .collect();
            let (alone_removes, nash_if_dropped) = if also_rejected_by.is_empty() || !m.unanimous()
            {
                m.alone(r)?
            } else {
                (0, base_nash.cloned())
            };
            Ok(Blocking {
                red_line: r,
                violating,
                also_rejected_by,
                alone_removes,
                agreement_if_dropped: agreement_size + alone_removes,
                nash_if_dropped,
            })
        })
        .collect()
}

/// A red line of either kind, as the joint study drops it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Line {
    /// A single option.
    Single(RedLineRef),
    /// A combination rejected together: (actor, index).
    Combination(usize, usize),
}

impl Line {
    fn actor(self) -> usize {
        match self {
            Line::Single(r) => r.actor,
            Line::Combination(a, _) => a,
        }
    }
}

/// Every red line of `s`: single options (actor, issue, option order),
/// then combinations (actor, file order).
fn lines(s: &Scenario) -> Vec<Line> {
    let combinations = s
        .actors()
        .iter()
        .enumerate()
        .flat_map(|(a, x)| (0..x.combinations.len()).map(move |k| Line::Combination(a, k)));
    s.red_lines()
        .into_iter()
        .map(Line::Single)
        .chain(combinations)
        .collect()
}

/// The packages the optional studies (red lines together, and the search
/// for what opens an empty agreement space) may still walk, counting and
/// building frontiers: one budget they share, so that their number cannot
/// multiply the work. A study that finds it spent says it is incomplete.
#[derive(Debug)]
pub(crate) struct Budget {
    left: u64,
    /// Whether a study was refused work.
    pub exhausted: bool,
}

impl Budget {
    /// A budget of `packages` walked.
    pub fn new(packages: u64) -> Budget {
        Budget {
            left: packages,
            exhausted: false,
        }
    }

    /// Whether anything is left; notes the budget is spent if not.
    fn open(&mut self) -> bool {
        if self.left == 0 {
            self.exhausted = true;
        }
        self.left > 0
    }

    /// Charge work already done (the budget ends at zero).
    fn charge(&mut self, work: u128) {
        self.left = self
            .left
            .saturating_sub(u64::try_from(work).unwrap_or(u64::MAX));
    }

    /// Take `cost` if it is left; otherwise note the budget is spent.
    fn pay(&mut self, cost: u128) -> bool {
        match u64::try_from(cost).ok().filter(|&c| c <= self.left) {
            Some(c) => {
                self.left -= c;
                true
            }
            None => {
                self.exhausted = true;
                false
            }
        }
    }
}

/// The work of counting the product `choices` and building its frontier:
/// walking it twice, or, when meet in the middle counts it, the partial
/// packages of one count (the frontier is then built from undominated
/// prefixes, bounded by `--max-frontier`).
fn study_cost(ctx: &Ctx<'_>, choices: &[Vec<usize>]) -> u128 {
    let count = ctx.count_work(choices);
    if ctx.meets_in_the_middle() {
        count
    } else {
        count.saturating_mul(2)
    }
}

/// The work of the studies every analysis makes — each red line and each
/// combination dropped alone (a count and a frontier each) — known before
/// any starts, so that an analysis is refused rather than run without end.
pub(crate) fn studies_alone_work(s: &Scenario, m: &dyn Measure) -> u128 {
    let lines: u128 = s
        .red_lines()
        .into_iter()
        .filter(|r| {
            !m.unanimous()
                || !(0..s.n_actors())
                    .any(|a| a != r.actor && s.actors()[a].positions[r.issue].rejects(r.option))
        })
        .map(|r| m.cost(&[r]))
        .fold(0, u128::saturating_add);
    let combinations = s
        .actors()
        .iter()
        .map(|a| a.combinations.len() as u128)
        .sum::<u128>();
    lines.saturating_add(combinations.saturating_mul(m.cost(&[])))
}

/// Drops sets of red lines and measures the result, within the shared
/// [`Budget`].
struct Dropper<'a> {
    m: &'a dyn Measure,
    budget: &'a mut Budget,
}

impl Dropper<'_> {
    /// The agreement space without the red lines `dropped`; `None` when the
    /// budget cannot pay for counting it.
    fn eval(&mut self, dropped: &[Line]) -> Result<Option<Dropped>, LimitError> {
        let mut red_lines: Vec<RedLineRef> = Vec::new();
        let mut combinations: Vec<(usize, usize)> = Vec::new();
        for &l in dropped {
            match l {
                Line::Single(r) => red_lines.push(r),
                Line::Combination(a, k) => combinations.push((a, k)),
            }
        }
        red_lines.sort();
        combinations.sort();
        if !self.budget.pay(self.m.cost(&red_lines)) {
            return Ok(None);
        }
        let (agreement_if_dropped, nash_if_dropped) = self.m.without(&red_lines, &combinations)?;
        Ok(Some(Dropped {
            red_lines,
            combinations,
            agreement_if_dropped,
            nash_if_dropped,
        }))
    }
}

fn nash_index(x: Option<&Solution>) -> Option<u64> {
    x.map(|s| s.point.index)
}

/// A red line dropped alone, from the single-line analyses already made.
fn alone(line: Line, single: &[Blocking], combos: &[CombinationBlocking]) -> Dropped {
    match line {
        Line::Single(r) => {
            let b = single
                .iter()
                .find(|b| b.red_line == r)
                .expect("every red line studied");
            Dropped {
                red_lines: vec![r],
                combinations: vec![],
                agreement_if_dropped: b.agreement_if_dropped,
                nash_if_dropped: b.nash_if_dropped.clone(),
            }
        }
        Line::Combination(a, k) => {
            let c = combos
                .iter()
                .find(|c| (c.actor, c.index) == (a, k))
                .expect("every combination studied");
            Dropped {
                red_lines: vec![],
                combinations: vec![(a, k)],
                agreement_if_dropped: c.agreement_if_dropped,
                nash_if_dropped: c.nash_if_dropped.clone(),
            }
        }
    }
}

/// Red lines together — single options and combinations alike: per actor,
/// pairs with a joint effect, and the smallest sets that move the Nash package.
pub(crate) fn joint(
    s: &Scenario,
    m: &dyn Measure,
    (single, combos): (&[Blocking], &[CombinationBlocking]),
    agreement_size: u64,
    base_nash: Option<&Solution>,
    opts: &Options,
    budget: &mut Budget,
) -> Result<Joint, LimitError> {
    let mut d = Dropper { m, budget };
    let all = lines(s);
    let mut out = Joint::default();
    for a in 0..s.n_actors() {
        let own: Vec<Line> = all.iter().copied().filter(|l| l.actor() == a).collect();
        if !own.is_empty() {
            if let Some(x) = d.eval(&own)? {
                out.per_actor.push((a, x));
            }
        }
    }
    let base = (agreement_size, nash_index(base_nash));
    let effect = |x: &Dropped| {
        (
            x.agreement_if_dropped,
            nash_index(x.nash_if_dropped.as_ref()),
        )
    };
    let alone: Vec<Dropped> = all.iter().map(|&l| alone(l, single, combos)).collect();
    for i in 0..all.len() {
        for j in i + 1..all.len() {
            if effect(&alone[i]) != base || effect(&alone[j]) != base {
                continue;
            }
            if let Some(x) = d.eval(&[all[i], all[j]])? {
                if effect(&x) != base {
                    out.pairs.push(x);
                }
            }
        }
    }
    if base_nash.is_some() {
        nash_changers(&mut d, &all, &alone, base.1, opts, &mut out)?;
    }
    out.budget_exhausted = d.budget.exhausted;
    Ok(out)
}

/// The smallest sets of red lines whose removal moves the Nash package.
fn nash_changers(
    d: &mut Dropper<'_>,
    all: &[Line],
    alone: &[Dropped],
    base: Option<u64>,
    opts: &Options,
    out: &mut Joint,
) -> Result<(), LimitError> {
    let mut tried = 0u64;
    for size in 1..=all.len() {
        let mut comb: Vec<usize> = (0..size).collect();
        loop {
            if tried >= opts.unblocking_budget {
                d.budget.exhausted = true;
                return Ok(());
            }
            tried += 1;
            let found = if size == 1 {
                let x = &alone[comb[0]];
                (nash_index(x.nash_if_dropped.as_ref()) != base).then(|| x.clone())
            } else {
                let set: Vec<Line> = comb.iter().map(|&k| all[k]).collect();
                d.eval(&set)?
                    .filter(|x| nash_index(x.nash_if_dropped.as_ref()) != base)
            };
            if let Some(x) = found {
                if out.nash_changers.len() < opts.max_unblocking_sets {
                    out.nash_changers.push(x);
                } else {
                    out.nash_changers_truncated = true;
                    break;
                }
            }
            if !next_combination(&mut comb, all.len()) {
                break;
            }
        }
        if !out.nash_changers.is_empty() || d.budget.exhausted {
            return Ok(());
        }
    }
    Ok(())
}

/// The agreement space (size, Nash) of `allowed` without the combinations
/// whose (actor, index) `skip` names.
fn without_combinations(
    s: &Scenario,
    ctx: &Ctx<'_>,
    allowed: &[Vec<usize>],
    skip: &[(usize, usize)],
) -> Result<(u64, Option<Solution>), LimitError> {
    let kept: Vec<zopa_model::Combination> = s
        .actors()
        .iter()
        .enumerate()
        .flat_map(|(a, actor)| {
            actor
                .combinations
                .iter()
                .enumerate()
                .filter(move |(k, _)| !skip.contains(&(a, *k)))
                .map(|(_, c)| c.clone())
        })
        .collect();
    let c = Ctx {
        combinations: &kept,
        reservations: ctx.reservations.clone(),
        ..*ctx
    };
    let frontier = c.frontier(allowed)?;
    Ok((
        c.count(allowed),
        solutions::solve(Concept::Nash, &frontier, &ctx.reservations),
    ))
}

/// Each combination rejected together, dropped alone (and, when others
/// reject the same one, with every copy dropped).
pub(crate) fn per_combination(
    s: &Scenario,
    m: &dyn Measure,
    agreement_size: u64,
    base_nash: Option<&Solution>,
) -> Result<Vec<CombinationBlocking>, LimitError> {
    let mut out = Vec::new();
    for (a, actor) in s.actors().iter().enumerate() {
        for (k, comb) in actor.combinations.iter().enumerate() {
            let copies: Vec<(usize, usize)> = s
                .actors()
                .iter()
                .enumerate()
                .flat_map(|(b, other)| {
                    other
                        .combinations
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.same_as(comb))
                        .map(move |(j, _)| (b, j))
                })
                .collect();
            let also_rejected_by: Vec<usize> =
                copies.iter().map(|&(b, _)| b).filter(|&b| b != a).collect();
            let shared = !also_rejected_by.is_empty() && m.unanimous();
            let (agreement_if_dropped, nash_if_dropped) = if shared {
                (agreement_size, base_nash.cloned())
            } else {
                m.without(&[], &[(a, k)])?
            };
            let all_copies_dropped = if also_rejected_by.is_empty() {
                None
            } else {
                Some(m.without(&[], &copies)?)
            };
            out.push(CombinationBlocking {
                actor: a,
                index: k,
                also_rejected_by,
                alone_removes: agreement_if_dropped - agreement_size,
                agreement_if_dropped,
                nash_if_dropped,
                all_copies_dropped,
            });
        }
    }
    Ok(out)
}

pub(crate) fn unblock(
    s: &Scenario,
    m: &dyn Measure,
    opts: &Options,
    budget: &mut Budget,
) -> Unblocking {
    let all = s.red_lines();
    if !m.any(&all).0 {
        return Unblocking::ReservationsConflict;
    }
    let mut tried = 0u64;
    for size in 1..=all.len() {
        let mut sets = Vec::new();
        let mut truncated = false;
        let mut comb: Vec<usize> = (0..size).collect();
        loop {
            if tried >= opts.unblocking_budget || !budget.open() {
                return if sets.is_empty() {
                    Unblocking::BudgetExhausted {
                        tried,
                        exhausted_size: size - 1,
                    }
                } else {
                    Unblocking::Sets {
                        sets,
                        truncated: true,
                    }
                };
            }
            tried += 1;
            let dropped: Vec<_> = comb.iter().map(|&k| all[k]).collect();
            // The search usually prunes most of the space: it is charged
            // the work it did, not the size of the space.
            let (found, work) = m.any(&dropped);
            budget.charge(work);
            if found {
                if sets.len() < opts.max_unblocking_sets {
                    sets.push(dropped);
                } else {
                    truncated = true;
                    break;
                }
            }
            if !next_combination(&mut comb, all.len()) {
                break;
            }
        }
        if !sets.is_empty() {
            return Unblocking::Sets { sets, truncated };
        }
    }
    // Unreachable in practice: dropping every red line works (checked above).
    Unblocking::Sets {
        sets: vec![all],
        truncated: false,
    }
}

/// Advance `comb` (strictly increasing indices < n) to the next combination in
/// lexicographic order; false when it was the last.
fn next_combination(comb: &mut [usize], n: usize) -> bool {
    let k = comb.len();
    for i in (0..k).rev() {
        if comb[i] < n - k + i {
            comb[i] += 1;
            for j in i + 1..k {
                comb[j] = comb[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::next_combination;

    #[test]
    fn combinations_in_lexicographic_order() {
        let mut c = vec![0, 1];
        let mut all = vec![c.clone()];
        while next_combination(&mut c, 4) {
            all.push(c.clone());
        }
        assert_eq!(
            all,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
    }
}

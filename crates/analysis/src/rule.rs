//! The agreement space under a decision rule other than unanimity
//! (`[decision]`): the packages some winning coalition accepts.
//!
//! An actor accepts a package when it crosses none of its red lines (nor a
//! combination it rejects) and meets its reservation; the package passes when
//! the actors who accept it form a winning coalition
//! ([`zopa_model::Decision::wins`]). Winning is monotone, so:
//!
//! * **Veto players** (actors without whom no coalition wins) must accept
//!   every passing package: their red lines still cut the product of options
//!   walked ([`Rule::choices`]); everyone else's are tested package by package.
//! * **Counting** by meet in the middle (additive, at most three actors)
//!   counts, for every coalition S, the packages every member of S accepts
//!   (N(S): S's red lines cut the options, S's reservations are the
//!   thresholds), and combines them by inclusion–exclusion: the packages
//!   whose accepting set is exactly T number Σ_{S ⊇ T} (−1)^{|S∖T|} N(S), and
//!   the agreement space is the sum over winning T. Otherwise every package
//!   of the veto players' product is walked and the rule tested on it.
//! * **The frontier** of a union is the skyline of the union of frontiers:
//!   the agreement space is the union, over the minimal winning coalitions C,
//!   of the packages every member of C accepts, each a product with C's
//!   reservations, whose frontier the issue-by-issue search builds. With more
//!   than [`MAX_COALITIONS`] minimal winning coalitions (or interaction
//!   terms, combinations) the walk's block skyline builds it instead.
//!
//! Unanimity never comes here: its analysis is the product of everyone's
//! allowed options ([`crate::analyze`]).

use zopa_model::{Decision, LimitError, RedLineRef, Scenario};

use crate::count::Counter;
use crate::pareto;
use crate::space::Ctx;
use crate::Frontier;

/// Most minimal winning coalitions whose frontiers are built one by one;
/// beyond, the frontier is built by walking the veto players' product.
pub(crate) const MAX_COALITIONS: usize = 256;

/// Search nodes spent looking for the minimal winning coalitions before the
/// walk is used instead.
const COALITION_NODES: u64 = 1 << 16;

/// Red lines and combinations (actor, index) set aside: the agreement space
/// as if their actors did not hold them (the blocking studies).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Dropped {
    pub red_lines: Vec<RedLineRef>,
    pub combinations: Vec<(usize, usize)>,
}

impl Dropped {
    fn has(&self, actor: usize, issue: usize, option: usize) -> bool {
        self.red_lines.contains(&RedLineRef {
            actor,
            issue,
            option,
        })
    }
}

/// Who accepts a package, with some red lines set aside: the test the
/// enumerating context applies to every package it walks ([`Ctx::rule`]).
#[derive(Debug)]
pub(crate) struct Acceptance<'s> {
    s: &'s Scenario,
    tolerance: f64,
    dropped: Dropped,
}

impl Acceptance<'_> {
    /// Whether actor `a` accepts `options`, worth `u` to it.
    fn accepts(&self, a: usize, options: &[usize], u: f64) -> bool {
        let actor = &self.s.actors()[a];
        let red = actor
            .positions
            .iter()
            .zip(options)
            .enumerate()
            .any(|(i, (p, &o))| p.rejects(o) && !self.dropped.has(a, i, o));
        let combined = actor
            .combinations
            .iter()
            .enumerate()
            .any(|(k, c)| c.hit(options) && !self.dropped.combinations.contains(&(a, k)));
        !red && !combined && u >= actor.reservation - self.tolerance
    }

    /// Whether the package passes: its accepting actors win.
    pub fn passes(&self, options: &[usize], u: &[f64]) -> bool {
        self.s
            .decision()
            .wins_by(|a| self.accepts(a, options, u[a]))
    }
}

/// The agreement space of a scenario under its decision rule.
pub(crate) struct Rule<'a, 'c> {
    s: &'a Scenario,
    /// The analysis's context (its reservations and combinations are not
    /// used: each coalition gets its own).
    ctx: &'a Ctx<'c>,
    /// The minimal winning coalitions, as member flags, when there are at
    /// most [`MAX_COALITIONS`] (found within [`COALITION_NODES`]).
    minimal: Option<Vec<Vec<bool>>>,
    /// The inclusion–exclusion terms, when counting meets in the middle.
    terms: Vec<Term>,
}

/// One inclusion–exclusion term: the packages every member of a coalition
/// accepts, counted with only the members' utilities.
struct Term {
    members: Vec<bool>,
    /// c(S) = Σ_{T ⊆ S winning} (−1)^{|S∖T|}.
    coefficient: i128,
    /// The members' utilities alone (an only member twice: the dominance
    /// count needs two columns) and their own counter, for a coalition
    /// smaller than a scenario of three: counting in two dimensions rather
    /// than three is cheaper than preparing the halves again.
    projection: Option<(zopa_model::UtilityModel, Counter, Vec<usize>)>,
}

impl<'a, 'c> Rule<'a, 'c> {
    pub fn new(s: &'a Scenario, ctx: &'a Ctx<'c>) -> Self {
        let mut r = Rule {
            s,
            ctx,
            minimal: minimal_winning(s.decision(), MAX_COALITIONS),
            terms: vec![],
        };
        if r.meets_in_the_middle() {
            r.terms = r.inclusion_exclusion();
        }
        r
    }

    /// The minimal winning coalitions, when there are few enough to list.
    pub fn minimal(&self) -> Option<&[Vec<bool>]> {
        self.minimal.as_deref()
    }

    fn decision(&self) -> &Decision {
        self.s.decision()
    }

    /// Whether counting meets in the middle (additive, at most three actors).
    fn meets_in_the_middle(&self) -> bool {
        self.ctx.meets_in_the_middle()
    }

    /// The options of `base` no member of `members` rejects (red lines in
    /// `dropped` aside).
    fn choices(&self, base: &[Vec<usize>], members: &[bool], dropped: &Dropped) -> Vec<Vec<usize>> {
        base.iter()
            .enumerate()
            .map(|(i, opts)| {
                opts.iter()
                    .copied()
                    .filter(|&o| {
                        self.s.actors().iter().enumerate().all(|(a, actor)| {
                            !members[a] || !actor.positions[i].rejects(o) || dropped.has(a, i, o)
                        })
                    })
                    .collect()
            })
            .collect()
    }

    /// Veto players as member flags.
    fn vetoes(&self) -> Vec<bool> {
        let mut v = vec![false; self.s.n_actors()];
        for &a in self.decision().vetoes() {
            v[a] = true;
        }
        v
    }

    /// The context of coalition `members`: their reservations (no
    /// threshold for the others) and their combinations.
    fn coalition_ctx<'x>(
        &'x self,
        members: &[bool],
        combinations: &'x [zopa_model::Combination],
    ) -> Ctx<'x> {
        Ctx {
            reservations: self
                .s
                .actors()
                .iter()
                .zip(members)
                .map(|(a, &m)| if m { a.reservation } else { f64::NEG_INFINITY })
                .collect(),
            combinations,
            rule: None,
            ..*self.ctx
        }
    }

    /// Every coalition of at most three actors as member flags, with its
    /// inclusion–exclusion coefficient c(S) = Σ_{T ⊆ S winning} (−1)^{|S∖T|}
    /// (zero ones left out): the agreement space is Σ c(S) N(S).
    fn inclusion_exclusion(&self) -> Vec<Term> {
        let n = self.s.n_actors();
        let flags = |mask: usize| -> Vec<bool> { (0..n).map(|a| mask >> a & 1 == 1).collect() };
        (0..1usize << n)
            .filter_map(|s| {
                let c: i128 = (0..1usize << n)
                    .filter(|&t| t & s == t && self.decision().wins(&flags(t)))
                    .map(|t| if (s ^ t).count_ones() % 2 == 0 { 1 } else { -1 })
                    .sum();
                (c != 0).then(|| {
                    let members = flags(s);
                    let mut actors: Vec<usize> = (0..n).filter(|&a| members[a]).collect();
                    // Two actors count in two dimensions whatever the
                    // coalition (the shared halves serve); three count in
                    // three, so a smaller coalition counts in two.
                    let projection = (n > 2 && actors.len() < n).then(|| {
                        if actors.len() == 1 {
                            actors.push(actors[0]);
                        }
                        (
                            self.ctx.model.project(&actors),
                            Counter::new(self.ctx.space.radices()),
                            actors,
                        )
                    });
                    Term {
                        members,
                        coefficient: c,
                        projection,
                    }
                })
            })
            .collect()
    }

    /// The packages of `choices` every member of `t` accepts (their red
    /// lines are out of `choices` already).
    fn term_count(&self, t: &Term, choices: &[Vec<usize>]) -> u64 {
        let Some((model, counter, actors)) = &t.projection else {
            return self.coalition_ctx(&t.members, &[]).count(choices);
        };
        Ctx {
            model,
            counter,
            reservations: actors
                .iter()
                .map(|&a| self.s.actors()[a].reservation)
                .collect(),
            combinations: &[],
            rule: None,
            ..*self.ctx
        }
        .count(choices)
    }

    /// The enumerating context testing the rule on every package.
    fn walker<'x>(&'x self, acceptance: &'x Acceptance<'x>) -> Ctx<'x> {
        Ctx {
            reservations: vec![f64::NEG_INFINITY; self.s.n_actors()],
            combinations: &[],
            rule: Some(acceptance),
            ..*self.ctx
        }
    }

    fn acceptance(&self, dropped: &Dropped) -> Acceptance<'a> {
        Acceptance {
            s: self.s,
            tolerance: self.ctx.tolerance,
            dropped: dropped.clone(),
        }
    }

    /// The work of counting the agreement space of `base`: partial packages
    /// of every inclusion–exclusion term, or packages walked.
    pub fn count_work(&self, base: &[Vec<usize>], dropped: &Dropped) -> u128 {
        if self.meets_in_the_middle() {
            self.terms
                .iter()
                .map(|t| {
                    self.ctx
                        .count_work(&self.choices(base, &t.members, dropped))
                })
                .fold(0, u128::saturating_add)
        } else {
            size(&self.choices(base, &self.vetoes(), dropped))
        }
    }

    /// The work of building the frontier of `base`'s agreement space
    /// beyond its count, in the same units as [`Rule::count_work`]: the
    /// packages walked again when the frontier is built by walking; nothing
    /// for the minimal winning coalitions' issue-by-issue searches, which,
    /// as under unanimity, `--max-frontier` bounds.
    pub fn frontier_work(&self, base: &[Vec<usize>], dropped: &Dropped) -> u128 {
        match (&self.minimal, self.ctx.additive()) {
            (Some(_), true) => 0,
            _ => size(&self.choices(base, &self.vetoes(), dropped)),
        }
    }

    /// The packages of the product `base` that pass.
    pub fn count(&self, base: &[Vec<usize>], dropped: &Dropped) -> u64 {
        if self.meets_in_the_middle() {
            let mut total: i128 = 0;
            for t in &self.terms {
                let n = self.term_count(t, &self.choices(base, &t.members, dropped));
                total += t.coefficient * i128::from(n);
            }
            return u64::try_from(total).unwrap_or(0);
        }
        let acceptance = self.acceptance(dropped);
        self.walker(&acceptance)
            .count(&self.choices(base, &self.vetoes(), dropped))
    }

    /// The Pareto frontier of the packages of `base` that pass.
    pub fn frontier(&self, base: &[Vec<usize>], dropped: &Dropped) -> Result<Frontier, LimitError> {
        let m = self.s.n_actors();
        let (Some(minimal), true) = (&self.minimal, self.ctx.additive()) else {
            let acceptance = self.acceptance(dropped);
            return self
                .walker(&acceptance)
                .frontier(&self.choices(base, &self.vetoes(), dropped));
        };
        let mut idx: Vec<u64> = Vec::new();
        let mut utils: Vec<f64> = Vec::new();
        for members in minimal {
            let f = self
                .coalition_ctx(members, &[])
                .frontier(&self.choices(base, members, dropped))?;
            for p in f.iter() {
                idx.push(p.index);
                utils.extend_from_slice(p.utilities);
            }
        }
        // A package several coalitions accept is listed once.
        let mut order: Vec<usize> = (0..idx.len()).collect();
        order.sort_by_key(|&k| idx[k]);
        order.dedup_by_key(|k| idx[*k]);
        let (idx, utils) = pareto::select(&order, &idx, &utils, m);
        let keep = if self.ctx.grid {
            pareto::frontier_on_grid(&utils, m)
        } else {
            pareto::frontier(&utils, m)
        };
        let (idx, utils) = pareto::select(&keep, &idx, &utils, m);
        Ok(Frontier::new(self.ctx.space, m, idx, utils))
    }
}

/// Packages in the product `choices`.
fn size(choices: &[Vec<usize>]) -> u128 {
    choices
        .iter()
        .map(|c| c.len() as u128)
        .fold(1, u128::saturating_mul)
}

/// The minimal winning coalitions of `d` as member flags, in lexicographic
/// order of their members; `None` when there are more than `cap` or the
/// search takes more than [`COALITION_NODES`] steps.
///
/// Every minimal winning coalition holds every veto player; the others are
/// added in index order, and a branch stops as soon as it wins (a superset
/// of a winning coalition is not minimal).
pub(crate) fn minimal_winning(d: &Decision, cap: usize) -> Option<Vec<Vec<bool>>> {
    let n = d.shares().len();
    let mut members = vec![false; n];
    for &v in d.vetoes() {
        members[v] = true;
    }
    let others: Vec<usize> = (0..n).filter(|a| !members[*a]).collect();
    let mut out = Vec::new();
    let mut nodes = COALITION_NODES;
    search(d, &others, 0, &mut members, &mut out, cap, &mut nodes)?;
    Some(out)
}

/// Extend `members` with `others[from..]`; `None` when the cap or the node
/// budget is exceeded.
fn search(
    d: &Decision,
    others: &[usize],
    from: usize,
    members: &mut [bool],
    out: &mut Vec<Vec<bool>>,
    cap: usize,
    nodes: &mut u64,
) -> Option<()> {
    *nodes = nodes.checked_sub(1)?;
    if d.wins(members) {
        let inside: Vec<usize> = others.iter().copied().filter(|&a| members[a]).collect();
        let minimal = inside.into_iter().all(|a| {
            members[a] = false;
            let loses = !d.wins(members);
            members[a] = true;
            loses
        });
        if minimal {
            if out.len() == cap {
                return None;
            }
            out.push(members.to_vec());
        }
        return Some(());
    }
    // Hopeless: even every remaining actor would not make it win.
    let mut all = members.to_vec();
    for &a in &others[from..] {
        all[a] = true;
    }
    if !d.wins(&all) {
        return Some(());
    }
    for k in from..others.len() {
        members[others[k]] = true;
        let r = search(d, others, k + 1, members, out, cap, nodes);
        members[others[k]] = false;
        r?;
    }
    Some(())
}

//! The checked scenario: ids resolved to indices, numbers validated, weights
//! normalised. Engines accept only this type ("parse, then trust").

/// A checked negotiation scenario. Only validation builds one
/// ([`crate::load_str`], [`crate::load_file`], `ScenarioDoc`'s checks), and
/// its fields are read through accessors, never written: every invariant
/// listed on the accessors holds for every `Scenario` that exists.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub(crate) meta: Meta,
    pub(crate) sources: Vec<Source>,
    pub(crate) issues: Vec<Issue>,
    pub(crate) actors: Vec<Actor>,
    pub(crate) status_quo: Option<StatusQuo>,
    pub(crate) unmodelled: Vec<Unmodelled>,
    pub(crate) decision: Decision,
    pub(crate) interpretations: Vec<Interpretation>,
    pub(crate) bands: crate::perturb::Bands,
    /// Why the analyst chose these bands (`[bands].note`).
    pub(crate) bands_note: Option<String>,
}

/// A demand a party states: its own quote states its best (or worst)
/// option on an issue of two or more options. What-ifs make it a red line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demand {
    /// Actor index.
    pub actor: usize,
    /// Issue index.
    pub issue: usize,
    /// Option index.
    pub option: usize,
    /// `true`: the stated best (insisted on); `false`: the stated worst
    /// (refused), never one the actor already rejects.
    pub best: bool,
}

/// A named alternative reading of the evidence (`[[interpretations]]`):
/// claims it overrides, with its own grounds. The scenario as written is
/// one reading; an interpretation is another, compared beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpretation {
    /// Id (unique among interpretations).
    pub id: String,
    /// What the reading says, in a few words.
    pub name: String,
    /// What it changes, at least one: red lines added, then dropped, then
    /// reservations, then values, each in file order.
    pub overrides: Vec<Override>,
    /// Grounds: quotes (as context) and the analyst's note.
    pub basis: Basis,
}

/// One claim an interpretation overrides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Override {
    /// The actor also rejects this option (never every option of the issue).
    AddRedLine(RedLineRef),
    /// The actor no longer rejects this option (one of its red lines).
    DropRedLine(RedLineRef),
    /// The actor's walk-away utility, in [0, 1].
    Reservation {
        /// Actor index.
        actor: usize,
        /// The reservation.
        value: f64,
    },
    /// The actor's value of one option, in [0, 1].
    Value {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
        /// Option index.
        option: usize,
        /// The value.
        value: f64,
    },
}

/// How a deal passes: the conditions a set of accepting actors (a
/// coalition) must meet, all of them. A coalition that meets them is
/// **winning**; a deal passes when the actors who accept it form one.
/// Every condition is monotone: a coalition that adds members stays winning.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// At least this many actors accept; in 1..=n (n: unanimity).
    pub at_least: usize,
    /// Actors whose acceptance is required (veto holders), ascending, distinct.
    pub must_include: Vec<usize>,
    /// The accepting actors hold at least this share of the total power
    /// (within [`POWER_SHARE_TOLERANCE`]); in (0, 1].
    pub power_share: Option<f64>,
    /// Each actor's share of the total power (sums to 1).
    pub(crate) shares: Vec<f64>,
    /// Veto players in effect: actors without whom no coalition wins,
    /// ascending (every actor under unanimity).
    pub(crate) vetoes: Vec<usize>,
    /// Grounds (empty when the scenario states no rule).
    pub basis: Basis,
    /// Whether the scenario states the rule (`[decision]`); otherwise it is
    /// unanimity, zopa's default.
    pub stated: bool,
}

/// A decision rule [`Scenario::with_decision`] refuses.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleError {
    /// `at_least` is not a number of actors.
    #[error("at_least must be 1 to {n} (the actors), not {at_least}")]
    AtLeast {
        /// Asked for.
        at_least: usize,
        /// Actors.
        n: usize,
    },
    /// A `must_include` index names no actor.
    #[error("there is no actor {0}")]
    NoActor(usize),
    /// An actor is named twice in `must_include`.
    #[error("actor {0} is named twice")]
    Twice(usize),
    /// `power_share` is outside (0, 1].
    #[error("power_share must be in (0, 1], not {0}")]
    PowerShare(f64),
}

/// A coalition's power share meets `power_share` when it falls short by at
/// most this much (a margin for summation rounding, as for reservations).
pub const POWER_SHARE_TOLERANCE: f64 = 1e-9;

impl Decision {
    /// Unanimity among `n` actors with these powers (the rule of a scenario
    /// without `[decision]`).
    pub(crate) fn unanimity(powers: &[f64]) -> Decision {
        Decision::new(powers.len(), vec![], None, powers, Basis::default(), false)
    }

    /// The rule with these conditions; `must_include` ascending and distinct,
    /// `at_least` in 1..=n, powers > 0.
    pub(crate) fn new(
        at_least: usize,
        must_include: Vec<usize>,
        power_share: Option<f64>,
        powers: &[f64],
        basis: Basis,
        stated: bool,
    ) -> Decision {
        let total: f64 = powers.iter().sum();
        let mut d = Decision {
            at_least,
            must_include,
            power_share,
            shares: powers.iter().map(|p| p / total).collect(),
            vetoes: vec![],
            basis,
            stated,
        };
        let n = powers.len();
        d.vetoes = (0..n)
            .filter(|&i| !d.wins(&(0..n).map(|j| j != i).collect::<Vec<_>>()))
            .collect();
        d
    }

    /// Whether the actors marked in `members` (one flag per actor) form a
    /// winning coalition.
    pub fn wins(&self, members: &[bool]) -> bool {
        self.wins_by(|a| members[a])
    }

    /// Whether the actors for whom `accepts(actor)` holds form a winning
    /// coalition: the one definition of winning. `accepts` is asked about
    /// each actor at most once, in index order, and not at all once a
    /// required actor refuses.
    pub fn wins_by(&self, mut accepts: impl FnMut(usize) -> bool) -> bool {
        let (mut count, mut share) = (0usize, 0.0f64);
        let mut required = self.must_include.iter().peekable();
        for (a, s) in self.shares.iter().enumerate() {
            let must = required.next_if_eq(&&a).is_some();
            if accepts(a) {
                count += 1;
                share += s;
            } else if must {
                return false;
            }
        }
        count >= self.at_least
            && self
                .power_share
                .is_none_or(|q| share >= q - POWER_SHARE_TOLERANCE)
    }

    /// The members of a winning coalition without whom it would lose (the
    /// actors whose acceptance a deal they pass needs); empty when
    /// `members` does not win.
    pub fn pivotal(&self, members: &[bool]) -> Vec<usize> {
        if !self.wins(members) {
            return vec![];
        }
        let mut m = members.to_vec();
        (0..m.len())
            .filter(|&a| {
                if !m[a] {
                    return false;
                }
                m[a] = false;
                let loses = !self.wins(&m);
                m[a] = true;
                loses
            })
            .collect()
    }

    /// Veto players in effect: actors without whose acceptance no deal
    /// passes (the named veto holders, and anyone the count or the power
    /// share makes indispensable), ascending.
    pub fn vetoes(&self) -> &[usize] {
        &self.vetoes
    }

    /// Whether every actor must accept (every actor is a veto player).
    pub fn is_unanimity(&self) -> bool {
        self.vetoes.len() == self.shares.len()
    }

    /// Whether a quote states the rule (the one test: the claims say the
    /// same); otherwise it is an assumption, or zopa's default.
    pub fn is_quoted(&self) -> bool {
        self.basis.statements(None).next().is_some()
    }

    /// Each actor's share of the total power.
    pub fn shares(&self) -> &[f64] {
        &self.shares
    }

    /// The rule in words with ids: `unanimity`, `at least 5 of 6, including
    /// sportco and dot`, `at least 15 of 27 holding 65% of the power`.
    pub fn describe(&self, ids: &[&str]) -> String {
        let n = self.shares.len();
        if self.is_unanimity() && self.must_include.is_empty() && self.power_share.is_none() {
            return format!("unanimity: all {n} actors accept");
        }
        let mut s = format!("at least {} of {n} actors accept", self.at_least);
        if !self.must_include.is_empty() {
            let names: Vec<&str> = self.must_include.iter().map(|&i| ids[i]).collect();
            s.push_str(&format!(", including {}", names.join(", ")));
        }
        if let Some(q) = self.power_share {
            s.push_str(&format!(", holding at least {}% of the power", q * 100.0));
        }
        s
    }
}

/// A statement of a source the scenario deliberately does not model.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmodelled {
    /// The quote, with its speaker.
    pub evidence: Evidence,
    /// Why it is not modelled.
    pub reason: String,
}

/// The package that holds if there is no agreement, with its grounds.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusQuo {
    /// One option index per issue.
    pub options: Vec<usize>,
    /// Grounds; its quotes state issues ([`Stated::Issue`]).
    pub basis: Basis,
}

/// Scenario metadata.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// Short machine name.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Longer description.
    pub description: Option<String>,
    /// Date described.
    pub date: Option<String>,
    /// Who modelled it.
    pub analyst: Option<String>,
}

/// A source document, with its text loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Path as written in the scenario (relative to the scenario file).
    pub path: String,
    /// Where it was published.
    pub url: Option<String>,
    /// When it was published (free text).
    pub date: Option<String>,
}

/// An issue with its ordered options.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Id (unique among issues).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Words and phrases by which a text speaks of the issue (non-blank).
    pub keywords: Vec<String>,
    /// Non-empty; ids unique within the issue; order is the scale order.
    pub options: Vec<IssueOption>,
}

/// One option of an issue.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueOption {
    /// Id (unique within its issue).
    pub id: String,
    /// Human label.
    pub label: String,
    /// Words and phrases by which a text speaks of the option (non-blank).
    pub keywords: Vec<String>,
    /// Quotes that mention the option.
    pub evidence: Vec<Evidence>,
}

/// The grounds for one or more claims: quotes, and the analyst's note for
/// whatever the quotes do not state. Which claims a quote supports is
/// decided in [`crate::claims`], never by the mere presence of a quote.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Basis {
    /// Quotes, each found verbatim (up to whitespace and quote style) in its source.
    pub evidence: Vec<Evidence>,
    /// `assumption = true`: the analyst declares every claim of this basis
    /// an assumption, whatever its quotes state.
    pub assumption: bool,
    /// Whose judgement, and why.
    pub note: Option<String>,
    /// Who made the assumption (the scenario's analyst when `None`).
    pub author: Option<String>,
}

impl Basis {
    /// An assumption with a note.
    pub fn assumption(note: impl Into<String>) -> Self {
        Basis {
            assumption: true,
            note: Some(note.into()),
            ..Basis::default()
        }
    }

    /// The quotes that state something said by `actor` (every quote when
    /// `actor` is `None`, as for the status quo) — none when the basis is
    /// declared an assumption.
    pub fn statements(&self, actor: Option<usize>) -> impl Iterator<Item = &Evidence> {
        self.evidence.iter().filter(move |e| {
            !self.assumption && !e.states.is_empty() && (actor.is_none() || e.speaker == actor)
        })
    }
}

/// One verbatim quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index into [`Scenario::sources`].
    pub source: usize,
    /// The quote as written in the scenario.
    pub quote: String,
    /// The 1-based line of the source where the quote starts (0 when the
    /// source could not be read).
    pub line: usize,
    /// The actor who says it (by index); `None` for the source's own voice
    /// or anyone who is not a party.
    pub speaker: Option<usize>,
    /// What the quote states (empty: context only).
    pub states: Vec<Stated>,
    /// How directly it gives the speaker's words.
    pub grade: Grade,
    /// Whether the file declares the grade (`grade = …`) rather than zopa
    /// reading it from the source.
    pub grade_declared: bool,
}

/// How directly a piece of evidence gives what the speaker said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// The speaker's own words, inside quotation marks in the source.
    Direct,
    /// The journalist's paraphrase of a statement ("X has indicated that …").
    Reported,
    /// The analyst's reading of a passage: it supports the claim only
    /// through an interpretation.
    Inferred,
}

impl Grade {
    /// `direct`, `reported`, `inferred`.
    pub fn key(self) -> &'static str {
        match self {
            Grade::Direct => "direct",
            Grade::Reported => "reported",
            Grade::Inferred => "inferred",
        }
    }
}

/// One thing a quote states. Indices are options of the position's issue
/// (positions) or issues (saliences, the status quo).
#[derive(Debug, Clone, PartialEq)]
pub enum Stated {
    /// The best option (value 1) or the most salient issue.
    Best(usize),
    /// The worst option (value 0) or the least salient issue.
    Worst(usize),
    /// Options (or issues) in strictly decreasing value (salience), best first.
    Order(Vec<usize>),
    /// The status quo's option on this issue.
    Issue(usize),
    /// The claim the quote is attached to: a red line, a combination of
    /// options rejected together, an interaction term (when its speaker is
    /// the claim's actor).
    Attached,
}

/// A party to the negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Id (unique among actors).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Other names a text may use for the actor (non-blank; no alias names
    /// another actor, case-insensitively, by alias, name or id).
    pub aliases: Vec<String>,
    /// Capability, finite and > 0.
    pub power: f64,
    /// Grounds for `power`.
    pub power_basis: Basis,
    /// Walk-away utility, in [0, 1].
    pub reservation: f64,
    /// Whether `reservation` is the actor's utility of the status quo
    /// (`reservation = "status_quo"`) rather than a number of the file.
    pub reservation_is_status_quo: bool,
    /// Grounds for `reservation`.
    pub reservation_basis: Basis,
    /// Salience of each issue as written (finite, ≥ 0, not all 0), by issue index.
    pub salience: Vec<f64>,
    /// `salience` normalised to sum 1 (kept as written when it already sums
    /// to 1 within 1e-9).
    pub weights: Vec<f64>,
    /// Grounds for `salience`.
    pub salience_basis: Basis,
    /// Position on each issue, by issue index.
    pub positions: Vec<Position>,
    /// Combinations of options (on two or more issues) rejected together.
    pub combinations: Vec<Combination>,
    /// Bonuses or penalties on pairs of options of two issues.
    pub interactions: Vec<Interaction>,
}

/// Options an actor rejects together (each alone may be fine), or — with
/// `unless` — options it rejects unless the package also holds others: a
/// conditional red line ("only if Ankara opens its ports will Nicosia let
/// the chapter open").
#[derive(Debug, Clone, PartialEq)]
pub struct Combination {
    /// `(issue, option)` pairs, issues distinct and ascending: at least two,
    /// or one when `unless` is given.
    pub options: Vec<(usize, usize)>,
    /// `(issue, option)` pairs on other issues, ascending: when the package
    /// holds all of them the rejection is lifted (empty: unconditional).
    pub unless: Vec<(usize, usize)>,
    /// Grounds.
    pub basis: Basis,
}

impl Combination {
    /// Whether the package is rejected by it: it contains every option of
    /// the combination and not every option of `unless`. The one
    /// definition every engine uses.
    pub fn hit(&self, package: &[usize]) -> bool {
        self.options.iter().all(|&(i, o)| package[i] == o)
            && (self.unless.is_empty() || !self.unless.iter().all(|&(i, o)| package[i] == o))
    }

    /// Whether it rejects exactly what `other` rejects (same options, same
    /// condition).
    pub fn same_as(&self, other: &Combination) -> bool {
        self.options == other.options && self.unless == other.unless
    }
}

/// A bonus (or, below 0, a penalty) added to an actor's utility when a
/// package holds both options.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// The two `(issue, option)` pairs, issues distinct and ascending.
    pub options: [(usize, usize); 2],
    /// In [−1, 1], in utility units.
    pub value: f64,
    /// Grounds.
    pub basis: Basis,
}

/// An actor's position on one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Value in [0, 1] of each option, by option index.
    pub values: Vec<f64>,
    /// Options the actor rejects; never all options of the issue; no duplicates.
    pub red_lines: Vec<RedLine>,
    /// Grounds for the values.
    pub basis: Basis,
}

impl Position {
    /// Whether option `o` is one of this position's red lines.
    pub fn rejects(&self, o: usize) -> bool {
        self.red_lines.iter().any(|r| r.option == o)
    }
}

/// Utilities below a reservation by at most this much still meet it: a margin
/// for summation rounding, far below any meaningful difference. Every engine
/// that asks whether an actor can accept a package uses it.
pub const RESERVATION_TOLERANCE: f64 = 1e-9;

/// Pareto dominance in zopa's own analysis compares utilities on a grid of
/// 10^-9: each utility is rounded to its nearest multiple of 10^-9 first.
/// Summation order changes a utility by a few ulps (0.3 + 0.15 is
/// 0.44999999999999996, 0.45 is 0.45), which would otherwise decide
/// dominance: with the grid, two packages whose exact utilities are equal tie
/// whatever the order of the issues or of the additions. Exact utilities
/// that differ by less than 10^-9 tie too (far below any meaningful
/// difference, and the same size as [`RESERVATION_TOLERANCE`]).
pub const UTILITY_GRID: f64 = 1e-9;

/// `u` on the [`UTILITY_GRID`], as a whole number of grid steps (an exact
/// integer in an `f64`; monotone in `u`).
#[inline]
pub fn on_utility_grid(u: f64) -> f64 {
    (u * 1e9).round()
}

/// Whether utility `u` meets reservation `r` (within [`RESERVATION_TOLERANCE`]).
#[inline]
pub fn meets_reservation(u: f64, r: f64) -> bool {
    u >= r - RESERVATION_TOLERANCE
}

impl Actor {
    /// Whether the package (an option index per issue) contains an option
    /// this actor rejects, or a combination it rejects.
    pub fn rejects_package(&self, options: &[usize]) -> bool {
        self.positions
            .iter()
            .zip(options)
            .any(|(p, &o)| p.rejects(o))
            || self.combinations.iter().any(|c| c.hit(options))
    }

    /// Whether this actor can accept the package, worth `u` to it: it crosses
    /// none of its red lines and meets its reservation. The one definition of
    /// acceptability: the agreement space is the packages every actor accepts.
    pub fn accepts(&self, options: &[usize], u: f64) -> bool {
        !self.rejects_package(options) && meets_reservation(u, self.reservation)
    }
}

/// An option an actor will not accept.
#[derive(Debug, Clone, PartialEq)]
pub struct RedLine {
    /// Option index within the issue.
    pub option: usize,
    /// Grounds (the position's own basis when the file gave none).
    pub basis: Basis,
}

/// A red line's coordinates in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RedLineRef {
    /// Actor index.
    pub actor: usize,
    /// Issue index.
    pub issue: usize,
    /// Option index.
    pub option: usize,
}

impl Scenario {
    /// Metadata.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// Source documents (evidence refers to them by index).
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// At least one issue, each with at least one option.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// At least two actors, each with a position on every issue.
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// Number of actors.
    pub fn n_actors(&self) -> usize {
        self.actors.len()
    }

    /// Number of options of each issue.
    pub fn radices(&self) -> Vec<usize> {
        self.issues.iter().map(|i| i.options.len()).collect()
    }

    /// Every red line, in actor, issue, option order.
    pub fn red_lines(&self) -> Vec<RedLineRef> {
        let mut v = Vec::new();
        for (a, actor) in self.actors.iter().enumerate() {
            for (i, p) in actor.positions.iter().enumerate() {
                for r in &p.red_lines {
                    v.push(RedLineRef {
                        actor: a,
                        issue: i,
                        option: r.option,
                    });
                }
            }
        }
        v.sort();
        v
    }

    /// Every evidence quote of the scenario: options', then each actor's
    /// (power, reservation, saliences, positions, red lines), then the
    /// status quo's.
    pub fn evidence(&self) -> impl Iterator<Item = &Evidence> {
        let options = self
            .issues
            .iter()
            .flat_map(|i| &i.options)
            .flat_map(|o| &o.evidence);
        let actors = self.actors.iter().flat_map(|a| {
            [&a.power_basis, &a.reservation_basis, &a.salience_basis]
                .into_iter()
                .chain(a.positions.iter().flat_map(|p| {
                    std::iter::once(&p.basis).chain(p.red_lines.iter().map(|r| &r.basis))
                }))
                .flat_map(|b| &b.evidence)
        });
        let sq = self.status_quo.iter().flat_map(|s| &s.basis.evidence);
        options.chain(actors).chain(sq)
    }

    /// Whether utilities are additive and every red line is a single
    /// option: no combination red lines and no interaction terms. The fast
    /// exact methods of the analysis rely on it; the others enumerate.
    pub fn is_additive(&self) -> bool {
        self.actors
            .iter()
            .all(|a| a.combinations.is_empty() && a.interactions.is_empty())
    }

    /// Statements of the sources left out of the model, with reasons.
    pub fn unmodelled(&self) -> &[Unmodelled] {
        &self.unmodelled
    }

    /// How a deal passes: `[decision]`, or unanimity when the scenario
    /// states no rule.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// This scenario under another decision rule — a what-if: at least
    /// `at_least` actors, every `must_include` actor among them, holding at
    /// least `power_share` of the power — grounded by `basis` (an
    /// assumption, usually). Checked as `[decision]` is.
    pub fn with_decision(
        &self,
        at_least: usize,
        must_include: &[usize],
        power_share: Option<f64>,
        basis: Basis,
    ) -> Result<Scenario, RuleError> {
        let mut s = self.clone();
        s.decision = self.rule(at_least, must_include, power_share, basis)?;
        Ok(s)
    }

    /// The decision rule of these actors with these conditions (at least
    /// `at_least` actors, every `must_include` actor among them, holding at
    /// least `power_share` of the power), grounded by `basis`: checked as
    /// `[decision]` is. What-if studies evaluate it without building a
    /// scenario ([`Scenario::with_decision`] builds one).
    pub fn rule(
        &self,
        at_least: usize,
        must_include: &[usize],
        power_share: Option<f64>,
        basis: Basis,
    ) -> Result<Decision, RuleError> {
        let n = self.actors.len();
        if !(1..=n).contains(&at_least) {
            return Err(RuleError::AtLeast { at_least, n });
        }
        let mut vetoes = must_include.to_vec();
        vetoes.sort_unstable();
        if let Some(&a) = vetoes.iter().find(|&&a| a >= n) {
            return Err(RuleError::NoActor(a));
        }
        if let Some(w) = vetoes.windows(2).find(|w| w[0] == w[1]) {
            return Err(RuleError::Twice(w[0]));
        }
        if let Some(q) = power_share.filter(|q| !(q.is_finite() && *q > 0.0 && *q <= 1.0)) {
            return Err(RuleError::PowerShare(q));
        }
        let powers: Vec<f64> = self.actors.iter().map(|a| a.power).collect();
        Ok(Decision::new(
            at_least,
            vetoes,
            power_share,
            &powers,
            basis,
            true,
        ))
    }

    /// Which actors accept the package `options`, worth `utilities` to them
    /// ([`Actor::accepts`]), one flag per actor.
    pub fn accepting(&self, options: &[usize], utilities: &[f64]) -> Vec<bool> {
        self.actors
            .iter()
            .zip(utilities)
            .map(|(a, &u)| a.accepts(options, u))
            .collect()
    }

    /// Whether the package passes under the scenario's decision rule.
    pub fn passes(&self, options: &[usize], utilities: &[f64]) -> bool {
        self.decision.wins(&self.accepting(options, utilities))
    }

    /// How far Monte Carlo studies and what-ifs move the assumptions:
    /// `[bands]`, each band not given at its default.
    pub fn bands(&self) -> &crate::perturb::Bands {
        &self.bands
    }

    /// Why the analyst chose the bands (`[bands].note`), if they said.
    pub fn bands_note(&self) -> Option<&str> {
        self.bands_note.as_deref()
    }

    /// The demands the parties state, actor then issue order, each once.
    pub fn stated_demands(&self) -> Vec<Demand> {
        let mut out: Vec<Demand> = Vec::new();
        for (actor, a) in self.actors.iter().enumerate() {
            for (issue, p) in a.positions.iter().enumerate() {
                if p.values.len() < 2 {
                    continue;
                }
                for e in p.basis.statements(Some(actor)) {
                    for st in &e.states {
                        let d = match *st {
                            Stated::Best(option) => Demand {
                                actor,
                                issue,
                                option,
                                best: true,
                            },
                            Stated::Worst(option) if !p.rejects(option) => Demand {
                                actor,
                                issue,
                                option,
                                best: false,
                            },
                            _ => continue,
                        };
                        if !out.contains(&d) {
                            out.push(d);
                        }
                    }
                }
            }
        }
        out
    }

    /// The scenario's other readings of the evidence (`[[interpretations]]`).
    pub fn interpretations(&self) -> &[Interpretation] {
        &self.interpretations
    }

    /// The status-quo package, when the scenario declares one.
    pub fn status_quo(&self) -> Option<&StatusQuo> {
        self.status_quo.as_ref()
    }
}

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
}

/// The grounds for a claim.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Basis {
    /// Quotes, each found verbatim (up to whitespace and quote style) in its source.
    pub evidence: Vec<Evidence>,
    /// `Some(note)` when the claim is an analyst's assumption.
    pub assumption: Option<String>,
}

impl Basis {
    /// An assumption with a note.
    pub fn assumption(note: impl Into<String>) -> Self {
        Basis {
            evidence: vec![],
            assumption: Some(note.into()),
        }
    }
    /// Whether the claim rests (at least partly) on the analyst's judgement
    /// rather than on a source: flagged as an assumption, or without evidence.
    pub fn is_assumption(&self) -> bool {
        self.assumption.is_some() || self.evidence.is_empty()
    }
}

/// One verbatim quote from a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index into [`Scenario::sources`].
    pub source: usize,
    /// The quote as written in the scenario.
    pub quote: String,
}

/// A party to the negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Id (unique among actors).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Capability, finite and > 0.
    pub power: f64,
    /// Grounds for `power`.
    pub power_basis: Basis,
    /// Walk-away utility, in [0, 1].
    pub reservation: f64,
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

/// Whether utility `u` meets reservation `r` (within [`RESERVATION_TOLERANCE`]).
#[inline]
pub fn meets_reservation(u: f64, r: f64) -> bool {
    u >= r - RESERVATION_TOLERANCE
}

impl Actor {
    /// Whether the package (an option index per issue) contains an option
    /// this actor rejects.
    pub fn rejects_package(&self, options: &[usize]) -> bool {
        self.positions
            .iter()
            .zip(options)
            .any(|(p, &o)| p.rejects(o))
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

/// A claim in a scenario, for counting and listing assumptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// An actor's power.
    Power,
    /// An actor's reservation utility.
    Reservation,
    /// An actor's saliences.
    Salience,
    /// An actor's position (option values) on an issue.
    Position,
    /// A red line.
    RedLine,
}

/// One claim with its grounds.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    /// What kind of claim.
    pub kind: ClaimKind,
    /// Actor index.
    pub actor: usize,
    /// Issue index for positions and red lines.
    pub issue: Option<usize>,
    /// Option index for red lines.
    pub option: Option<usize>,
    /// Its grounds.
    pub basis: &'a Basis,
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

    /// Every claim (power, reservation, salience, positions, red lines), in file order.
    pub fn claims(&self) -> Vec<Claim<'_>> {
        let mut v = Vec::new();
        for (a, actor) in self.actors.iter().enumerate() {
            let c = |kind, basis| Claim {
                kind,
                actor: a,
                issue: None,
                option: None,
                basis,
            };
            v.push(c(ClaimKind::Power, &actor.power_basis));
            v.push(c(ClaimKind::Reservation, &actor.reservation_basis));
            v.push(c(ClaimKind::Salience, &actor.salience_basis));
            for (i, p) in actor.positions.iter().enumerate() {
                v.push(Claim {
                    kind: ClaimKind::Position,
                    actor: a,
                    issue: Some(i),
                    option: None,
                    basis: &p.basis,
                });
                for r in &p.red_lines {
                    v.push(Claim {
                        kind: ClaimKind::RedLine,
                        actor: a,
                        issue: Some(i),
                        option: Some(r.option),
                        basis: &r.basis,
                    });
                }
            }
        }
        v
    }
}

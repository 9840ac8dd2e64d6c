//! Games scored in points (LLM-Deliberation, LAMEN): each party's whole
//! score per option of each issue, its total the sum over the issues, and
//! a least total it accepts. One mapping onto zopa's 0–1 utilities for all
//! of them.
//!
//! With `lo` and `hi` a party's lowest and highest possible totals, its
//! utility is (total − lo) / (hi − lo): per issue the value (s − min) /
//! (max − min) with salience max − min, and the reservation (threshold −
//! lo) / (hi − lo). The map is affine and increasing for each party, so
//! acceptance, Pareto dominance and any decision rule are the game's
//! exactly: totals that differ differ by a whole point, 1 / (hi − lo) in
//! utility, far above zopa's 10^-9 tolerance.

use zopa_model::doc::DecisionDoc;
use zopa_model::doc::Sp;
use zopa_model::Scenario;

use crate::semantics::{self, Evaluations, PartyTables, Tables, Warning};
use crate::InteropError;

/// One party of a scored game.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredParty {
    /// zopa's actor id.
    pub id: String,
    /// Its name in the game.
    pub name: String,
    /// Where its scores come from, for the notes of its claims.
    pub source: String,
    /// Per issue, the score of each option.
    pub scores: Vec<Vec<i64>>,
    /// The least total it accepts.
    pub threshold: i64,
}

/// A scored game, ready to become a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Scenario id.
    pub id: String,
    /// Scenario title.
    pub title: String,
    /// Where it comes from.
    pub description: String,
    /// Each issue's id and its options' ids (labels are the ids).
    pub issues: Vec<(String, Vec<String>)>,
    /// The parties.
    pub parties: Vec<ScoredParty>,
    /// The game's rule (`None`: every party must accept).
    pub decision: Option<DecisionDoc>,
    /// What the parties are, for the power note.
    pub parties_are: &'static str,
    /// Whether the thresholds are the game's own numbers (warn when one is
    /// at or below a party's worst total), not a rule of the format.
    pub stated_thresholds: bool,
}

/// The game as a zopa scenario, checked by zopa's validation; warnings say
/// when a threshold is at or below a party's worst total. A threshold above
/// the best total, or a party whose every deal scores the same, is refused.
pub fn to_scenario(g: &Scored) -> Result<(Scenario, Vec<Warning>), InteropError> {
    let mut warnings = Vec::new();
    let mut parties = Vec::new();
    for p in &g.parties {
        let (lo, hi): (i128, i128) = p.scores.iter().fold((0, 0), |(lo, hi), s| {
            (
                lo + i128::from(*s.iter().min().unwrap_or(&0)),
                hi + i128::from(*s.iter().max().unwrap_or(&0)),
            )
        });
        let t = i128::from(p.threshold);
        if hi == lo {
            return Err(InteropError::Unsupported(format!(
                "{}: every deal scores {lo}: the party has no preference to model",
                p.source
            )));
        }
        if t > hi {
            return Err(InteropError::Unsupported(format!(
                "{}: the threshold {t} is above the best total {hi}: no deal can satisfy {}",
                p.source, p.name
            )));
        }
        if t <= lo && g.stated_thresholds {
            warnings.push(format!(
                "{}: the threshold {t} is at or below the worst total {lo}: it accepts every deal",
                p.name
            ));
        }
        let range = (hi - lo) as f64;
        let span = |s: &[i64]| {
            let (min, max) = (*s.iter().min().unwrap_or(&0), *s.iter().max().unwrap_or(&0));
            (min, max)
        };
        parties.push(PartyTables {
            id: p.id.clone(),
            source: format!(
                "{} (scores rescaled: (score − {lo}) / {})",
                p.source,
                hi - lo
            ),
            evaluations: p
                .scores
                .iter()
                .map(|s| {
                    let (min, max) = span(s);
                    Evaluations::Linear(
                        s.iter()
                            .map(|&x| {
                                if max == min {
                                    0.0
                                } else {
                                    (x - min) as f64 / (max - min) as f64
                                }
                            })
                            .collect(),
                    )
                })
                .collect(),
            weights: p
                .scores
                .iter()
                .map(|s| {
                    let (min, max) = span(s);
                    (max - min) as f64 / range
                })
                .collect(),
            reservation: ((t - lo).max(0) as f64 / range).min(1.0),
        });
    }
    let tables = Tables {
        id: g.id.clone(),
        title: g.title.clone(),
        description: g.description.clone(),
        parties_are: g.parties_are,
        values_are: "option scores",
        reservation_is: "least total accepted (threshold)",
        issues: g.issues.clone(),
        parties,
    };
    let mut doc = semantics::doc_of(&tables);
    for (a, p) in doc.actors.iter_mut().zip(&g.parties) {
        a.name = Sp::bare(p.name.clone());
    }
    doc.decision = g.decision.clone();
    let scenario = semantics::checked(&doc, &g.id)?;
    Ok((scenario, warnings))
}

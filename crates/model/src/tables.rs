//! Scenarios given as plain numbers (for generated, synthetic and test
//! scenarios). Ids are generated (`a0…` actors, `i0…` issues, `o0…` options)
//! and every claim is an assumption carrying `note`; the scenario goes through
//! the same validation as a file, so every [`Scenario`] invariant holds.

use crate::diag::Diagnostics;
use crate::doc::*;
use crate::scenario::Scenario;
use crate::validate::{validate, MapLoader};

/// A scenario as numbers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tables {
    /// Options per issue.
    pub radices: Vec<usize>,
    /// `saliences[actor][issue]` (normalised on build).
    pub saliences: Vec<Vec<f64>>,
    /// `values[actor][issue][option]`, in [0, 1].
    pub values: Vec<Vec<Vec<f64>>>,
    /// `red_lines[actor]`: `(issue, option)` pairs the actor rejects.
    pub red_lines: Vec<Vec<(usize, usize)>>,
    /// Reservation utility per actor.
    pub reservations: Vec<f64>,
    /// Note attached to every claim (what generated the numbers).
    pub note: String,
}

impl Tables {
    /// The scenario document these numbers describe.
    pub fn to_doc(&self) -> ScenarioDoc {
        let b = |s: &str| Sp::bare(s.to_string());
        let basis = || BasisDoc {
            assumption: true,
            note: Some(self.note.clone()),
            ..BasisDoc::default()
        };
        let num_map = |keys: &mut dyn Iterator<Item = String>, vals: &[f64]| NumMap {
            entries: keys
                .zip(vals)
                .map(|(k, &v)| (Sp::bare(k), Sp::bare(v)))
                .collect(),
            span: None,
        };
        ScenarioDoc {
            scenario: MetaDoc {
                id: b("generated"),
                title: b("Generated scenario"),
                ..MetaDoc::default()
            },
            sources: vec![],
            issues: self
                .radices
                .iter()
                .enumerate()
                .map(|(i, &r)| IssueDoc {
                    id: Sp::bare(format!("i{i}")),
                    name: Sp::bare(format!("Issue {i}")),
                    description: None,
                    keywords: vec![],
                    options: Sp::bare(
                        (0..r)
                            .map(|o| OptionDoc {
                                id: Sp::bare(format!("o{o}")),
                                label: Sp::bare(format!("Option {o}")),
                                keywords: vec![],
                                evidence: vec![],
                            })
                            .collect(),
                    ),
                })
                .collect(),
            actors: (0..self.saliences.len())
                .map(|a| ActorDoc {
                    id: Sp::bare(format!("a{a}")),
                    name: Sp::bare(format!("Actor {a}")),
                    aliases: vec![],
                    power: Sp::bare(1.0),
                    power_basis: basis(),
                    reservation: Sp::bare(ReservationDoc::Value(self.reservations[a])),
                    reservation_basis: basis(),
                    salience: num_map(
                        &mut (0..self.radices.len()).map(|i| format!("i{i}")),
                        &self.saliences[a],
                    ),
                    salience_basis: basis(),
                    positions: (0..self.radices.len())
                        .map(|i| PositionDoc {
                            issue: Sp::bare(format!("i{i}")),
                            values: num_map(
                                &mut (0..self.radices[i]).map(|o| format!("o{o}")),
                                &self.values[a][i],
                            ),
                            red_lines: self.red_lines.get(a).map_or(vec![], |rl| {
                                rl.iter()
                                    .filter(|(ri, _)| *ri == i)
                                    .map(|&(_, o)| RedLineDoc {
                                        option: Sp::bare(format!("o{o}")),
                                        basis: BasisDoc::default(),
                                    })
                                    .collect()
                            }),
                            basis: basis(),
                            span: None,
                        })
                        .collect(),
                    red_line_combinations: vec![],
                    interactions: vec![],
                })
                .collect(),
            actors_span: None,
            status_quo: None,
            unmodelled: vec![],
        }
    }

    /// Validate and build the scenario.
    pub fn build(&self) -> Result<Scenario, Diagnostics> {
        let mut diags = Diagnostics::new("<tables>");
        match validate(&self.to_doc(), &MapLoader::default(), &mut diags) {
            Some(s) => Ok(s),
            None => Err(diags),
        }
    }
}

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
            interpretations: vec![],
            bands: None,
            decision: None,
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

/// A seeded random scenario ([`Tables::synthetic`]): what benchmarks and
/// scale tests generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    /// Number of actors.
    pub actors: usize,
    /// Options per issue.
    pub radices: Vec<usize>,
    /// Each option's values across the actors sum to one (what one gains
    /// another loses): large Pareto frontiers.
    pub anti_correlated: bool,
    /// Probability that an actor rejects an option (never every option of
    /// an issue).
    pub red_line_rate: f64,
    /// Every actor's reservation.
    pub reservation: f64,
    /// Round values to multiples of 1/grid (ties), or keep them exact.
    pub grid: Option<f64>,
    /// The generator's seed: the same parameters give the same scenario.
    pub seed: u64,
}

/// SplitMix64, uniform in [0, 1).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Tables {
    /// The numbers of a random scenario: saliences 0.1 + U(0, 1), values
    /// U(0, 1) (or split among the actors, when anti-correlated), red lines
    /// drawn per actor and option. Draws come in a fixed order: per actor,
    /// saliences, values (unless anti-correlated: those come first, per
    /// issue and option), then red lines (drawn only at a positive rate).
    pub fn synthetic(p: &Synthetic) -> Tables {
        let mut rng = SplitMix(p.seed);
        let round = |v: f64| p.grid.map_or(v, |g| (v * g).round() / g);
        let m = p.actors;
        let mut t = Tables {
            radices: p.radices.clone(),
            reservations: vec![p.reservation; m],
            note: "synthetic scenario".into(),
            ..Tables::default()
        };
        let mut shared = vec![vec![]; m];
        if p.anti_correlated {
            for &r in &p.radices {
                let split: Vec<Vec<f64>> = (0..r)
                    .map(|_| {
                        let raw: Vec<f64> = (0..m).map(|_| rng.next()).collect();
                        let total: f64 = raw.iter().sum();
                        raw.iter().map(|x| round(x / total)).collect()
                    })
                    .collect();
                for (a, v) in shared.iter_mut().enumerate() {
                    v.push(split.iter().map(|o| o[a]).collect::<Vec<f64>>());
                }
            }
        }
        for values in shared {
            t.saliences
                .push(p.radices.iter().map(|_| 0.1 + rng.next()).collect());
            t.values.push(if p.anti_correlated {
                values
            } else {
                p.radices
                    .iter()
                    .map(|&r| (0..r).map(|_| round(rng.next())).collect())
                    .collect()
            });
            let mut reds = vec![];
            if p.red_line_rate > 0.0 {
                for (i, &r) in p.radices.iter().enumerate() {
                    let rejected: Vec<usize> =
                        (0..r).filter(|_| rng.next() < p.red_line_rate).collect();
                    reds.extend(rejected.into_iter().take(r - 1).map(|o| (i, o)));
                }
            }
            t.red_lines.push(reds);
        }
        t
    }
}

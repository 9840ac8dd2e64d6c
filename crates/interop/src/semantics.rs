//! From GENIUS files to utilities, two ways.
//!
//! * [`to_scenario`] — **GENIUS semantics**, for zopa's own analysis: discrete
//!   evaluations are divided by the issue's largest evaluation (0 if that is
//!   below 1e-5), integer evaluators are `clamp01(offset + slope × (v − lower))`,
//!   real ones `clamp01(offset + slope × v)`, weights are normalised, so every
//!   utility is in [0, 1] (genius10.4 `EvaluatorDiscrete`, `EvaluatorInteger`,
//!   `EvaluatorReal`).
//! * [`negmas_tables`] — **NegMAS 0.16 semantics**, for conformance: raw
//!   evaluations, linear evaluators `offset + slope × v` from 0, weights as
//!   written, reservation and discount read verbatim with 0.0 when absent.
//!
//! `docs/negmas-compatibility.md` compares the two on a worked example.

use zopa_model::doc::*;
use zopa_model::space::space_size;
use zopa_model::{Diagnostics, Scenario, UtilityModel};

use crate::genius::{Evaluator, GeniusFolder, IssueKind};
use crate::InteropError;

/// Number of points a real-valued issue is discretised into by default.
pub const DEFAULT_REAL_STEPS: usize = 11;

/// The values of each issue as labels, and as numbers where they are numeric.
fn issue_values(f: &GeniusFolder, real_steps: usize) -> Vec<(Vec<String>, Vec<f64>)> {
    f.domain
        .issues
        .iter()
        .map(|i| match &i.kind {
            IssueKind::Discrete(v) => (v.clone(), vec![f64::NAN; v.len()]),
            IssueKind::Integer { lo, hi } => (
                (*lo..=*hi).map(|x| x.to_string()).collect(),
                (*lo..=*hi).map(|x| x as f64).collect(),
            ),
            IssueKind::Real { lo, hi } => {
                let n = real_steps.max(2);
                let xs: Vec<f64> = (0..n)
                    .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
                    .collect();
                (xs.iter().map(|x| format!("{x}")).collect(), xs)
            }
        })
        .collect()
}

/// Refuse spaces above `limit` before building anything per value.
fn check_size(f: &GeniusFolder, limit: u64, real_steps: usize) -> Result<(), InteropError> {
    let radices: Vec<usize> = f
        .domain
        .issues
        .iter()
        .map(|i| {
            i.cardinality()
                .map_or(real_steps, |c| c.min(usize::MAX as u128) as usize)
        })
        .collect();
    match space_size(&radices) {
        Some(s) if s <= limit as u128 => Ok(()),
        s => Err(InteropError::Unsupported(format!(
            "{}: the outcome space has {} outcomes, above the limit of {limit}",
            f.dir.display(),
            s.map_or_else(|| "more than 3.4e38".to_string(), |s| s.to_string())
        ))),
    }
}

/// A domain's utilities as NegMAS 0.16 computes them.
#[derive(Debug, Clone, PartialEq)]
pub struct NegmasTables {
    /// Issue names, in file order.
    pub issue_names: Vec<String>,
    /// NegMAS issue class per issue (`CategoricalIssue`, `ContiguousIssue`).
    pub issue_types: Vec<&'static str>,
    /// Value labels per issue (integers in decimal).
    pub values: Vec<Vec<String>>,
    /// `weights[profile][issue]` as NegMAS uses them.
    pub weights: Vec<Vec<f64>>,
    /// `value_fns[profile][issue][value]`: the raw per-issue value function.
    pub value_fns: Vec<Vec<Vec<f64>>>,
    /// Constant added to each profile's utility.
    pub bias: Vec<f64>,
    /// Reserved value per profile (0.0 when absent).
    pub reservations: Vec<f64>,
    /// Discount factor per profile (0.0 when absent).
    pub discounts: Vec<f64>,
    /// Dummy issues NegMAS would insert for gaps in issue indices (and remove).
    pub dummy_issues: usize,
}

impl NegmasTables {
    /// The additive model `w × v(value)` (the bias folded into the first issue).
    pub fn utility_model(&self) -> UtilityModel {
        let m = self.weights.len();
        let table: Vec<Vec<Vec<f64>>> = (0..self.issue_names.len())
            .map(|i| {
                (0..self.values[i].len())
                    .map(|o| {
                        (0..m)
                            .map(|p| {
                                let c = self.weights[p][i] * self.value_fns[p][i][o];
                                if i == 0 {
                                    self.bias[p] + c
                                } else {
                                    c
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        UtilityModel::from_table(m, &table)
    }
}

/// NegMAS 0.16's reading of a GENIUS folder (see the module docs).
///
/// NegMAS orders issues by their `index` attribute and fills gaps in the
/// indices with single-valued dummy issues (value 1) that it later removes,
/// folding their constant contribution into the utility: for a profile with
/// discrete items, a dummy counts its weight (1.0 when the file gives none);
/// for an all-numeric profile it counts nothing. Weights whose index is past
/// the last issue are a constant bias.
pub fn negmas_tables(f: &GeniusFolder, limit: u64) -> Result<NegmasTables, InteropError> {
    if let Some(i) = f
        .domain
        .issues
        .iter()
        .find(|i| matches!(i.kind, IssueKind::Real { .. }))
    {
        return Err(InteropError::Unsupported(format!(
            "issue {:?} is real-valued: NegMAS-compatible reference values need discrete or integer issues",
            i.name
        )));
    }
    check_size(f, limit, DEFAULT_REAL_STEPS)?;
    let vals = issue_values(f, DEFAULT_REAL_STEPS);
    let mut order: Vec<usize> = (0..f.domain.issues.len()).collect();
    order.sort_by_key(|&k| f.domain.issues[k].index);
    let max_index = f.domain.issues.iter().map(|i| i.index).max().unwrap_or(0);
    let dummy_indices: Vec<i64> = (1..=max_index)
        .filter(|x| !f.domain.issues.iter().any(|i| i.index == *x))
        .collect();
    let mut weights = Vec::new();
    let mut value_fns = Vec::new();
    let mut bias = Vec::new();
    for p in &f.profiles {
        let all_numeric = !p
            .evaluators
            .iter()
            .any(|e| matches!(e, Some(Evaluator::Discrete(_))));
        let mut w = Vec::new();
        let mut vf = Vec::new();
        for &k in &order {
            let (labels, xs) = &vals[k];
            match (&p.evaluators[k], all_numeric) {
                (None, true) => {
                    // Not evaluated: weight 0, constant 0.
                    w.push(0.0);
                    vf.push(vec![0.0; labels.len()]);
                }
                (None, false) => {
                    // NegMAS's identity value function: the value itself.
                    w.push(p.weights[k].unwrap_or(1.0));
                    vf.push(
                        xs.iter()
                            .map(|x| if x.is_nan() { 0.0 } else { *x })
                            .collect(),
                    );
                }
                (Some(Evaluator::Discrete(e)), _) => {
                    w.push(p.weights[k].unwrap_or(1.0));
                    vf.push(e.clone());
                }
                (Some(Evaluator::Linear { offset, slope }), _) => {
                    w.push(p.weights[k].unwrap_or(1.0));
                    vf.push(xs.iter().map(|x| offset + slope * x).collect());
                }
            }
        }
        let dummies: f64 = if all_numeric {
            0.0
        } else {
            dummy_indices
                .iter()
                .map(|d| {
                    p.dummy_weights
                        .iter()
                        .find(|(i, _)| i == d)
                        .map_or(1.0, |x| x.1)
                })
                .sum()
        };
        bias.push(p.bias + dummies);
        weights.push(w);
        value_fns.push(vf);
    }
    let issues: Vec<&crate::genius::GeniusIssue> =
        order.iter().map(|&k| &f.domain.issues[k]).collect();
    let mut vals = vals;
    let values: Vec<Vec<String>> = order
        .iter()
        .map(|&k| std::mem::take(&mut vals[k].0))
        .collect();
    Ok(NegmasTables {
        issue_names: issues.iter().map(|i| i.name.clone()).collect(),
        issue_types: issues
            .iter()
            .map(|i| match i.kind {
                IssueKind::Discrete(_) => "CategoricalIssue",
                _ => "ContiguousIssue",
            })
            .collect(),
        values,
        weights,
        value_fns,
        bias,
        reservations: f
            .profiles
            .iter()
            .map(|p| p.reservation.as_ref().map_or(0.0, |r| r.1))
            .collect(),
        discounts: f
            .profiles
            .iter()
            .map(|p| p.discount.as_ref().map_or(0.0, |d| d.1))
            .collect(),
        dummy_issues: dummy_indices.len(),
    })
}

/// A warning about something the conversion could not carry over.
pub type Warning = String;

/// One issue's evaluations by one party, before GENIUS's scaling.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluations {
    /// A discrete evaluator's evaluation of each value: divided by the
    /// largest (every value 0 when that is below 1e-5; genius10.4
    /// `EvaluatorDiscrete`).
    Discrete(Vec<f64>),
    /// A linear evaluator's `offset + slope × x` at each value, `x`
    /// measured from the lower bound on integer issues and from 0 on real
    /// ones: clamped to [0, 1] (`EvaluatorInteger`, `EvaluatorReal`).
    Linear(Vec<f64>),
}

impl Evaluations {
    /// The utilities GENIUS gives the values, each in [0, 1].
    pub fn scaled(&self) -> Vec<f64> {
        match self {
            Evaluations::Discrete(e) => {
                let max = e.iter().copied().fold(0.0, f64::max);
                e.iter()
                    .map(|x| if max < 1e-5 { 0.0 } else { x / max })
                    .collect()
            }
            Evaluations::Linear(e) => e.iter().map(|x| x.clamp(0.0, 1.0)).collect(),
        }
    }
}

/// One party of [`Tables`].
#[derive(Debug, Clone, PartialEq)]
pub struct PartyTables {
    /// Its id (and name).
    pub id: String,
    /// Where its numbers come from (`GENIUS profile x.xml`), for the notes
    /// of its claims.
    pub source: String,
    /// Per issue, its evaluations.
    pub evaluations: Vec<Evaluations>,
    /// Per issue, its weight (a salience; zopa normalises them).
    pub weights: Vec<f64>,
    /// Its reservation value.
    pub reservation: f64,
}

/// A linear additive domain as tables: what GENIUS files and NegMAS's
/// `LinearAdditiveUtilityFunction`s both describe.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// Scenario id.
    pub id: String,
    /// Scenario title.
    pub title: String,
    /// One sentence on where it comes from.
    pub description: String,
    /// What the parties are, for the power note (`GENIUS profiles`).
    pub parties_are: &'static str,
    /// What a party's values and reservation are called in the notes of
    /// its claims (`evaluations`, `reservation value`).
    pub values_are: &'static str,
    /// See [`Tables::values_are`].
    pub reservation_is: &'static str,
    /// Each issue's id and its values' labels.
    pub issues: Vec<(String, Vec<String>)>,
    /// The parties.
    pub parties: Vec<PartyTables>,
}

/// The tables as a zopa scenario under GENIUS semantics: evaluations
/// scaled ([`Evaluations::scaled`]), weights as saliences, every claim an
/// assumption noting its source, power 1 for every party. `origin` names
/// the input in diagnostics.
pub fn scenario_of(t: &Tables, origin: &str) -> Result<Scenario, InteropError> {
    checked(&doc_of(t), origin)
}

/// A scenario document checked by zopa's validation; `origin` names the
/// input in diagnostics.
pub fn checked(doc: &ScenarioDoc, origin: &str) -> Result<Scenario, InteropError> {
    let mut diags = Diagnostics::new(origin.to_string());
    match zopa_model::validate::validate(doc, &zopa_model::MapLoader::default(), &mut diags) {
        Some(s) => Ok(s),
        None => Err(InteropError::Invalid(diags)),
    }
}

/// The scenario document of the tables ([`scenario_of`] before validation),
/// for importers that add what tables do not hold (names, a decision rule).
pub fn doc_of(t: &Tables) -> ScenarioDoc {
    let basis = |what: &str, source: &str| BasisDoc {
        assumption: true,
        note: Some(format!("{what} from {source}")),
        ..BasisDoc::default()
    };
    let actors = t
        .parties
        .iter()
        .map(|p| ActorDoc {
            id: Sp::bare(p.id.clone()),
            name: Sp::bare(p.id.clone()),
            aliases: vec![],
            power: Sp::bare(1.0),
            power_basis: BasisDoc {
                assumption: true,
                note: Some(format!(
                    "{} carry no power; 1.0 for every party",
                    t.parties_are
                )),
                ..BasisDoc::default()
            },
            reservation: Sp::bare(ReservationDoc::Value(p.reservation)),
            reservation_basis: basis(t.reservation_is, &p.source),
            salience: NumMap {
                entries: t
                    .issues
                    .iter()
                    .zip(&p.weights)
                    .map(|((id, _), &w)| (Sp::bare(id.clone()), Sp::bare(w)))
                    .collect(),
                span: None,
            },
            salience_basis: basis("issue weights", &p.source),
            positions: t
                .issues
                .iter()
                .zip(&p.evaluations)
                .map(|((id, labels), e)| PositionDoc {
                    issue: Sp::bare(id.clone()),
                    values: NumMap {
                        entries: labels
                            .iter()
                            .zip(e.scaled())
                            .map(|(l, v)| (Sp::bare(l.clone()), Sp::bare(v)))
                            .collect(),
                        span: None,
                    },
                    red_lines: vec![],
                    basis: basis(t.values_are, &p.source),
                    span: None,
                })
                .collect(),
            red_line_combinations: vec![],
            interactions: vec![],
        })
        .collect();
    ScenarioDoc {
        decision: None,
        interpretations: vec![],
        bands: None,
        scenario: MetaDoc {
            id: Sp::bare(t.id.clone()),
            title: Sp::bare(t.title.clone()),
            description: Some(t.description.clone()),
            ..MetaDoc::default()
        },
        sources: vec![],
        issues: t
            .issues
            .iter()
            .map(|(id, labels)| IssueDoc {
                id: Sp::bare(id.clone()),
                name: Sp::bare(id.clone()),
                description: None,
                keywords: vec![],
                options: Sp::bare(
                    labels
                        .iter()
                        .map(|l| OptionDoc {
                            id: Sp::bare(l.clone()),
                            label: Sp::bare(l.clone()),
                            keywords: vec![],
                            evidence: vec![],
                        })
                        .collect(),
                ),
            })
            .collect(),
        actors,
        actors_span: None,
        status_quo: None,
        unmodelled: vec![],
    }
}

/// A GENIUS evaluator's evaluations of an issue's values `xs` (numbers of
/// integer and real issues).
fn evaluations(e: Option<&Evaluator>, kind: &IssueKind, xs: &[f64]) -> Evaluations {
    match (e, kind) {
        (None, _) => Evaluations::Linear(vec![0.0; xs.len()]),
        (Some(Evaluator::Discrete(e)), _) => Evaluations::Discrete(e.clone()),
        (Some(Evaluator::Linear { offset, slope }), IssueKind::Integer { lo, .. }) => {
            Evaluations::Linear(
                xs.iter()
                    .map(|x| offset + slope * (x - *lo as f64))
                    .collect(),
            )
        }
        (Some(Evaluator::Linear { offset, slope }), _) => {
            Evaluations::Linear(xs.iter().map(|x| offset + slope * x).collect())
        }
    }
}

/// The folder as a zopa scenario under GENIUS semantics (see the module docs),
/// with warnings for what zopa's model does not express.
pub fn to_scenario(
    f: &GeniusFolder,
    limit: u64,
    real_steps: usize,
) -> Result<(Scenario, Vec<Warning>), InteropError> {
    check_size(f, limit, real_steps)?;
    let vals = issue_values(f, real_steps);
    let mut warnings = Vec::new();
    let name = |file: &str| file.strip_suffix(".xml").unwrap_or(file).to_string();
    let mut parties = Vec::new();
    for p in &f.profiles {
        let weights: Vec<f64> = (0..f.domain.issues.len())
            .map(|k| match p.evaluators[k] {
                Some(_) => p.weights[k].unwrap_or(0.0),
                None => 0.0,
            })
            .collect();
        let total: f64 = weights.iter().sum();
        if (total - 1.0).abs() > 1e-6 {
            warnings.push(format!(
                "{}: weights sum to {total}, normalised to 1",
                p.file
            ));
        }
        if p.bias != 0.0 {
            warnings.push(format!(
                "{}: weights with indices of no issue (total {}) are ignored",
                p.file, p.bias
            ));
        }
        if let Some((raw, d)) = &p.discount {
            if *d > 0.0 && *d < 1.0 {
                warnings.push(format!(
                    "{}: discount_factor {raw} is not represented in a zopa scenario (analysis is undiscounted)",
                    p.file
                ));
            }
        }
        parties.push(PartyTables {
            id: name(&p.file),
            source: format!("GENIUS profile {}", p.file),
            evaluations: f
                .domain
                .issues
                .iter()
                .enumerate()
                .map(|(k, issue)| evaluations(p.evaluators[k].as_ref(), &issue.kind, &vals[k].1))
                .collect(),
            weights,
            reservation: p.reservation.as_ref().map_or(0.0, |r| r.1),
        });
    }
    // The folder names the scenario (GENIUS root objectives are often "root").
    let dname = f
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name(&f.domain.file));
    let tables = Tables {
        title: if f.domain.name.is_empty() || f.domain.name == "root" {
            dname.clone()
        } else {
            format!("{} ({dname})", f.domain.name)
        },
        id: dname,
        description: format!(
            "Imported from the GENIUS domain {} with {} profile(s).",
            f.domain.file,
            f.profiles.len()
        ),
        parties_are: "GENIUS profiles",
        values_are: "evaluations",
        reservation_is: "reservation value",
        issues: f
            .domain
            .issues
            .iter()
            .zip(vals)
            .map(|(i, (labels, _))| (i.name.clone(), labels))
            .collect(),
        parties,
    };
    Ok((
        scenario_of(&tables, &f.dir.display().to_string())?,
        warnings,
    ))
}

//! NegMAS compatibility, for every surface: the reference values of a GENIUS
//! domain folder in exactly the schema of NegMAS's reference values
//! (docs/negmas-compatibility.md), computed by zopa (`zopa reference DIR`). It
//! composes the NegMAS readings of `interop::semantics::negmas_tables`, the
//! NegMAS definitions of `analysis::negmas` and a bit-exact port of CPython's
//! `random.sample` ([`crate::pyrandom`]) that picks the same sample outcomes.

use std::path::Path;

use serde::Serialize;
use utoipa::ToSchema;
use zopa_analysis::negmas;
use zopa_interop::genius::{self, GeniusFolder};
use zopa_interop::semantics::{negmas_tables, NegmasTables};
use zopa_interop::FileBytes;

pub use zopa_interop::semantics::Evaluations;
use zopa_model::{OutcomeSpace, UtilityModel};

use crate::pyrandom::PyRandom;
use crate::AppError;

const SEED: u64 = 20_260_401;
const N_SAMPLES: usize = 20;
const MAX_LISTED_FRONTIER: usize = 2000;

/// A number as NegMAS's reference values write it: finite numbers as
/// numbers, NaN and infinities as the strings `nan`, `inf`, `-inf` (what
/// Python's `json` cannot write as numbers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let x = self.0;
        if x.is_nan() {
            ser.serialize_str("nan")
        } else if x.is_infinite() {
            ser.serialize_str(if x > 0.0 { "inf" } else { "-inf" })
        } else {
            ser.serialize_f64(x)
        }
    }
}

impl utoipa::PartialSchema for Num {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["nan", "inf", "-inf"])),
            )
            .description(Some("A number, or `nan`, `inf`, `-inf`."))
            .into()
    }
}

impl ToSchema for Num {
    fn name() -> std::borrow::Cow<'static, str> {
        "negmas.Num".into()
    }
}

/// An outcome with every party's utility.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = negmas::Point)]
pub struct PointDoc {
    /// Its position in `itertools.product` order.
    pub outcome_index: u64,
    /// Its values, one per issue.
    pub outcome: Vec<String>,
    /// Every party's utility.
    pub utilities: Vec<Num>,
    /// Its position in the frontier (solution points only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frontier_position: Option<usize>,
}

struct Ctx<'a> {
    t: &'a NegmasTables,
    model: UtilityModel,
    space: OutcomeSpace,
}

impl Ctx<'_> {
    fn pack(&self, index: u64) -> PointDoc {
        let options = self.space.options_of(index);
        PointDoc {
            outcome_index: index,
            outcome: options
                .iter()
                .enumerate()
                .map(|(i, &o)| self.t.values[i][o].clone())
                .collect(),
            utilities: self
                .model
                .utilities_of(&options)
                .into_iter()
                .map(Num)
                .collect(),
            frontier_position: None,
        }
    }
}

/// `reference.json`: NegMAS's reference values of a GENIUS domain, in the
/// schema of docs/negmas-compatibility.md.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = negmas::Reference)]
pub struct ReferenceDoc {
    /// 1.
    pub schema_version: u32,
    /// The folder's name.
    pub domain: String,
    /// The NegMAS version whose semantics are followed.
    pub negmas_version: &'static str,
    /// What computed it.
    pub generator: String,
    /// How the folder was read.
    pub loader: &'static str,
    /// The domain file.
    pub domain_file: String,
    /// Parties (profiles).
    pub n_parties: usize,
    /// Issues with a single value, removed as NegMAS does.
    pub dummy_issues_removed: usize,
    /// The issues.
    pub issues: Vec<IssueDoc>,
    /// Outcomes in the space.
    pub n_outcomes: u64,
    /// How outcomes are numbered.
    pub outcome_order: &'static str,
    /// Each profile as NegMAS reads it.
    pub profiles: Vec<ProfileDoc>,
    /// Seed of the sample.
    pub samples_seed: u64,
    /// How the sample is drawn.
    pub samples_method: String,
    /// Sample outcomes with their utilities.
    pub samples: Vec<PointDoc>,
    /// The Pareto frontier.
    pub frontier: FrontierDoc,
    /// Each party's `(min, max)` utility.
    pub ranges: Vec<[Num; 2]>,
    /// The reserved values.
    pub disagreement_point: Vec<Num>,
    /// Nash points (positions in the frontier).
    pub nash_points: Vec<PointDoc>,
    /// Kalai points.
    pub kalai_points: Vec<PointDoc>,
    /// Kalai–Smorodinsky points.
    pub ks_points: Vec<PointDoc>,
    /// Maximum-welfare points.
    pub max_welfare_points: Vec<PointDoc>,
}

/// An issue as NegMAS reads it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = negmas::Issue)]
pub struct IssueDoc {
    /// Its name.
    pub name: String,
    /// NegMAS's issue type.
    pub negmas_type: String,
    /// Its number of values.
    pub n_values: usize,
    /// Its values.
    pub values: Vec<String>,
}

/// A profile as NegMAS reads it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = negmas::Profile)]
pub struct ProfileDoc {
    /// Its file.
    pub file: String,
    /// `LinearAdditiveUtilityFunction`.
    pub negmas_ufun_type: &'static str,
    /// The reservation value as written in the file.
    pub reservation_in_file: Option<String>,
    /// The discount factor as written in the file.
    pub discount_factor_in_file: Option<String>,
    /// NegMAS's reserved value.
    pub negmas_reserved_value: Num,
    /// NegMAS's discount factor.
    pub negmas_discount_factor: Num,
    /// NegMAS's issue weights.
    pub negmas_weights: Vec<Num>,
    /// Each issue's largest value.
    pub negmas_max_value_per_issue: Vec<Num>,
    /// The smallest utility over the space.
    pub negmas_min_utility: Num,
    /// The largest utility over the space.
    pub negmas_max_utility: Num,
}

/// The Pareto frontier, as NegMAS computes it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = negmas::Frontier)]
pub struct FrontierDoc {
    /// How it is computed.
    pub function: &'static str,
    /// Points on it.
    pub size: usize,
    /// Only rational outcomes (above every reserved value).
    pub rational_only: bool,
    /// Outcomes whose utility vector is on the frontier.
    pub n_outcomes_with_a_frontier_utility_vector: u64,
    /// Whether the points are listed (at most 2000).
    pub listed: bool,
    /// The points, when listed.
    pub points: Option<Vec<PointDoc>>,
}

/// Seconds spent in each phase (for `--timings` and the speed race).
#[derive(Debug, Default)]
pub struct Timings {
    /// Reading and checking the XML files.
    pub load: f64,
    /// Ranges, frontier and the four solution concepts.
    pub analysis: f64,
}

/// The reference document for a GENIUS domain folder.
pub fn reference(
    dir: &Path,
    limit: u64,
    max_frontier: u64,
    timings: &mut Timings,
    cancel: &zopa_model::Cancel,
) -> Result<ReferenceDoc, AppError> {
    let start = std::time::Instant::now();
    let folder = genius::read_folder(dir)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    reference_of(
        &folder,
        &name.unwrap_or_default(),
        start,
        limit,
        max_frontier,
        timings,
        cancel,
    )
}

/// The reference document for a GENIUS domain's files held in memory (an
/// upload), named `name`.
pub fn reference_files(
    name: &str,
    files: Vec<FileBytes>,
    limit: u64,
    max_frontier: u64,
    timings: &mut Timings,
    cancel: &zopa_model::Cancel,
) -> Result<ReferenceDoc, AppError> {
    let start = std::time::Instant::now();
    let folder = genius::read_files(Path::new(name), files)?;
    reference_of(&folder, name, start, limit, max_frontier, timings, cancel)
}

fn reference_of(
    folder: &GeniusFolder,
    domain: &str,
    start: std::time::Instant,
    limit: u64,
    max_frontier: u64,
    timings: &mut Timings,
    cancel: &zopa_model::Cancel,
) -> Result<ReferenceDoc, AppError> {
    let t = negmas_tables(folder, limit)?;
    let model = t.utility_model();
    let radices: Vec<usize> = t.values.iter().map(Vec::len).collect();
    let space = OutcomeSpace::new(&radices, limit)?;
    let cx = Ctx {
        t: &t,
        model,
        space,
    };
    timings.load = start.elapsed().as_secs_f64();
    let n = cx.space.size();
    let start = std::time::Instant::now();
    let a = negmas::analyze(&cx.model, &cx.space, &t.reservations, max_frontier, cancel)?;
    timings.analysis = start.elapsed().as_secs_f64();

    let profiles = folder
        .profiles
        .iter()
        .enumerate()
        .map(|(p, prof)| ProfileDoc {
            file: prof.file.clone(),
            negmas_ufun_type: "LinearAdditiveUtilityFunction",
            reservation_in_file: prof.reservation.as_ref().map(|r| r.0.clone()),
            discount_factor_in_file: prof.discount.as_ref().map(|d| d.0.clone()),
            negmas_reserved_value: Num(t.reservations[p]),
            negmas_discount_factor: Num(t.discounts[p]),
            negmas_weights: t.weights[p].iter().copied().map(Num).collect(),
            negmas_max_value_per_issue: t.value_fns[p]
                .iter()
                .map(|vf| Num(vf.iter().copied().fold(f64::NEG_INFINITY, f64::max)))
                .collect(),
            negmas_min_utility: Num(a.ranges[p].0),
            negmas_max_utility: Num(a.ranges[p].1),
        })
        .collect();
    let k = N_SAMPLES.min(n as usize);
    let samples = PyRandom::new(SEED)
        .sample_range(n, k)
        .into_iter()
        .map(|i| cx.pack(i))
        .collect();
    let listed = a.frontier.len() <= MAX_LISTED_FRONTIER;
    let points = |pos: &[usize]| -> Vec<PointDoc> {
        pos.iter()
            .map(|&i| PointDoc {
                frontier_position: Some(i),
                ..cx.pack(a.frontier.get(i).expect("a position in the frontier").index)
            })
            .collect()
    };
    Ok(ReferenceDoc {
        schema_version: 1,
        domain: domain.to_string(),
        negmas_version: "0.16.0",
        generator: format!("zopa {} (NegMAS 0.16.0 semantics)", env!("CARGO_PKG_VERSION")),
        loader: "zopa reference (GENIUS folder read by NegMAS's discovery rules; dummy issues never materialised)",
        domain_file: folder.domain.file.clone(),
        n_parties: folder.profiles.len(),
        dummy_issues_removed: t.dummy_issues,
        issues: t
            .issue_names
            .iter()
            .enumerate()
            .map(|(i, name)| IssueDoc {
                name: name.clone(),
                negmas_type: t.issue_types[i].to_string(),
                n_values: t.values[i].len(),
                values: t.values[i].clone(),
            })
            .collect(),
        n_outcomes: n,
        outcome_order: "itertools.product over issues in file order (last issue varies fastest); outcome_index is the position in that order",
        profiles,
        samples_seed: SEED,
        samples_method: format!("random.Random({SEED}).sample(range(n_outcomes), min({N_SAMPLES}, n_outcomes))"),
        samples,
        frontier: FrontierDoc {
            function: "zopa_analysis::negmas::analyze (exact; equal utility vectors collapsed to the lowest outcome index)",
            size: a.frontier.len(),
            rational_only: true,
            n_outcomes_with_a_frontier_utility_vector: a.n_with_frontier_vector,
            listed,
            points: listed.then(|| a.frontier.iter().map(|p| cx.pack(p.index)).collect()),
        },
        ranges: a.ranges.iter().map(|&(lo, hi)| [Num(lo), Num(hi)]).collect(),
        disagreement_point: a.disagreement.iter().copied().map(Num).collect(),
        nash_points: points(&a.nash),
        kalai_points: points(&a.kalai),
        ks_points: points(&a.ks),
        max_welfare_points: points(&a.max_welfare),
    })
}

/// An additive space given by a caller (the Python bridge) as
/// `values[party][issue][value]` (each party's weighted utility of each
/// value, bias included in the first issue), checked: at least one party,
/// the same issues and values for every party, finite numbers.
fn table_model(values: &[Vec<Vec<f64>>]) -> Result<(UtilityModel, OutcomeSpace), AppError> {
    let bad = |m: String| AppError::Usage(m);
    let first = values
        .first()
        .ok_or_else(|| bad("no utility function".into()))?;
    let radices: Vec<usize> = first.iter().map(Vec::len).collect();
    if radices.is_empty() || radices.contains(&0) {
        return Err(bad("every issue needs at least one value".into()));
    }
    for (p, party) in values.iter().enumerate() {
        let shape: Vec<usize> = party.iter().map(Vec::len).collect();
        if shape != radices {
            return Err(bad(format!(
                "utility function {p} has issues of {shape:?} values, the first has {radices:?}"
            )));
        }
        if party.iter().flatten().any(|x| !x.is_finite()) {
            return Err(bad(format!(
                "utility function {p} has a value that is not a finite number"
            )));
        }
    }
    let table: Vec<Vec<Vec<f64>>> = radices
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            (0..r)
                .map(|k| values.iter().map(|p| p[i][k]).collect())
                .collect()
        })
        .collect();
    let space = OutcomeSpace::new(&radices, u64::MAX)?;
    Ok((UtilityModel::from_table(values.len(), &table), space))
}

/// Each party's `(min, max)` utility over the whole space of `values`
/// (NegMAS's `minmax`).
pub fn table_ranges(values: &[Vec<Vec<f64>>]) -> Result<Vec<(f64, f64)>, AppError> {
    let (model, space) = table_model(values)?;
    Ok(negmas::ranges(&model, &space))
}

/// NegMAS's `pareto_frontier` of the space `values` with reserved values
/// `reserved`: the utility vectors and outcome indices (last issue fastest),
/// by welfare (descending) then index; more than `max_frontier` candidates
/// are refused.
pub fn table_frontier(
    values: &[Vec<Vec<f64>>],
    reserved: &[f64],
    max_frontier: u64,
) -> Result<(Vec<Vec<f64>>, Vec<u64>), AppError> {
    let (model, space) = table_model(values)?;
    if reserved.len() != values.len() {
        return Err(AppError::Usage(format!(
            "{} reserved values for {} utility functions",
            reserved.len(),
            values.len()
        )));
    }
    let a = negmas::analyze(&model, &space, reserved, max_frontier, &Default::default())?;
    Ok(a.frontier
        .iter()
        .map(|p| (p.utilities.to_vec(), p.index))
        .unzip())
}

/// NegMAS's Nash, Kalai, Kalai–Smorodinsky and max-welfare points of
/// `frontier` (positions in it), given each party's range and reserved value.
pub fn frontier_points(
    frontier: &[Vec<f64>],
    ranges: &[(f64, f64)],
    reserved: &[f64],
) -> Result<negmas::Points, AppError> {
    let m = ranges.len();
    if reserved.len() != m || frontier.iter().any(|u| u.len() != m) {
        return Err(AppError::Usage(format!(
            "the frontier, ranges and reserved values disagree on the number of parties ({m} ranges, {} reserved values)",
            reserved.len()
        )));
    }
    Ok(negmas::points(frontier, ranges, reserved))
}

/// One NegMAS `LinearAdditiveUtilityFunction` as the Python bridge reads
/// it: its name, per issue its evaluations (a `TableFun`'s value of each
/// issue value, or a linear function's value at `v − lower` on an integer
/// issue), its weights and its reserved value.
#[derive(Debug, Clone, PartialEq)]
pub struct NegmasParty {
    /// `ufun.name` (or `party{k}`).
    pub name: String,
    /// Per issue.
    pub evaluations: Vec<Evaluations>,
    /// Per issue.
    pub weights: Vec<f64>,
    /// `ufun.reserved_value`; missing or not finite reads as 0.
    pub reserved_value: Option<f64>,
}

/// A zopa scenario from NegMAS utility functions, by GENIUS's semantics
/// (`interop::semantics::scenario_of`, what `zopa.load(folder)` applies to
/// the same domain's files): `issues` are each issue's name and its values'
/// labels. Returns the scenario as input text (JSON, for conversions) and
/// loaded.
pub fn from_negmas(
    name: &str,
    issues: Vec<(String, Vec<String>)>,
    parties: Vec<NegmasParty>,
) -> Result<(crate::Input, crate::Loaded), AppError> {
    use zopa_interop::semantics::{scenario_of, PartyTables, Tables};
    if parties.is_empty() {
        return Err(AppError::Usage("no utility function".into()));
    }
    for p in &parties {
        let shape_ok = p.evaluations.len() == issues.len()
            && p.weights.len() == issues.len()
            && p.evaluations.iter().zip(&issues).all(|(e, (_, labels))| {
                let (Evaluations::Discrete(v) | Evaluations::Linear(v)) = e;
                v.len() == labels.len()
            });
        if !shape_ok {
            return Err(AppError::Usage(format!(
                "utility function {} does not give a weight and an evaluation of every value of the {} issues",
                p.name,
                issues.len()
            )));
        }
    }
    let n = parties.len();
    let tables = Tables {
        id: name.to_string(),
        title: name.to_string(),
        description: format!("Converted from {n} NegMAS utility function(s)."),
        parties_are: "NegMAS utility functions",
        values_are: "evaluations",
        reservation_is: "reservation value",
        issues,
        parties: parties
            .into_iter()
            .map(|p| PartyTables {
                source: format!("NegMAS utility function {}", p.name),
                id: p.name,
                evaluations: p.evaluations,
                weights: p.weights,
                reservation: p
                    .reserved_value
                    .filter(|r| r.is_finite())
                    .map_or(0.0, |r| r.clamp(0.0, 1.0)),
            })
            .collect(),
    };
    let scenario = scenario_of(&tables, name)?;
    let text = scenario
        .to_doc()
        .to_json_string()
        .map_err(|e| AppError::Engine(format!("cannot serialise the scenario: {e}")))?;
    let input = crate::Input::Text {
        name: name.to_string(),
        syntax: zopa_model::Syntax::Json,
        text,
        sources: Default::default(),
    };
    let loaded = crate::input::load(&input, zopa_model::DEFAULT_LIMIT)?;
    Ok((input, loaded))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cancelled request's reference values are not computed (the server
    /// cancels at its time limit and at shutdown); the same call without a
    /// cancel answers them.
    #[test]
    fn a_cancelled_reference_stops() {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/genius/harbour-expansion");
        let cancel = zopa_model::Cancel::new();
        cancel.cancel();
        let mut t = Timings::default();
        let e = reference(&dir, 1_000_000, 1_000_000, &mut t, &cancel).unwrap_err();
        assert!(matches!(e, AppError::Cancelled), "{e}");
        let doc = reference(&dir, 1_000_000, 1_000_000, &mut t, &Default::default()).unwrap();
        assert!(doc.n_outcomes > 0 && !doc.nash_points.is_empty());
    }
}

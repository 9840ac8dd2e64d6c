//! NegMAS compatibility, for every surface: the reference values of a GENIUS
//! domain folder in exactly the schema of NegMAS's reference values
//! (docs/negmas-compatibility.md), computed by zopa (`zopa reference DIR`). It
//! composes the NegMAS readings of `interop::semantics::negmas_tables`, the
//! NegMAS definitions of `analysis::negmas` and a bit-exact port of CPython's
//! `random.sample` ([`crate::pyrandom`]) that picks the same sample outcomes.

use std::path::Path;

use serde_json::{json, Value};
use zopa_analysis::negmas;
use zopa_interop::genius::{self, GeniusFolder};
use zopa_interop::semantics::{negmas_tables, NegmasTables};
use zopa_interop::FileBytes;
use zopa_model::{OutcomeSpace, UtilityModel};

use crate::pyrandom::PyRandom;
use crate::AppError;

const SEED: u64 = 20_260_401;
const N_SAMPLES: usize = 20;
const MAX_LISTED_FRONTIER: usize = 2000;

fn num(x: f64) -> Value {
    if x.is_nan() {
        json!("nan")
    } else if x.is_infinite() {
        json!(if x > 0.0 { "inf" } else { "-inf" })
    } else {
        json!(x)
    }
}

struct Ctx<'a> {
    t: &'a NegmasTables,
    model: UtilityModel,
    space: OutcomeSpace,
}

impl Ctx<'_> {
    fn pack(&self, index: u64) -> Value {
        let options = self.space.options_of(index);
        let outcome: Vec<&str> = options
            .iter()
            .enumerate()
            .map(|(i, &o)| self.t.values[i][o].as_str())
            .collect();
        let utils: Vec<Value> = self
            .model
            .utilities_of(&options)
            .into_iter()
            .map(num)
            .collect();
        json!({"outcome_index": index, "outcome": outcome, "utilities": utils})
    }
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
) -> Result<Value, AppError> {
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
) -> Result<Value, AppError> {
    let start = std::time::Instant::now();
    let folder = genius::read_files(Path::new(name), files)?;
    reference_of(&folder, name, start, limit, max_frontier, timings)
}

fn reference_of(
    folder: &GeniusFolder,
    domain: &str,
    start: std::time::Instant,
    limit: u64,
    max_frontier: u64,
    timings: &mut Timings,
) -> Result<Value, AppError> {
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
    let a = negmas::analyze(&cx.model, &cx.space, &t.reservations, max_frontier)?;
    timings.analysis = start.elapsed().as_secs_f64();

    let profiles: Vec<Value> = folder
        .profiles
        .iter()
        .enumerate()
        .map(|(p, prof)| {
            let max_per_issue: Vec<Value> = t.value_fns[p]
                .iter()
                .map(|vf| num(vf.iter().copied().fold(f64::NEG_INFINITY, f64::max)))
                .collect();
            json!({
                "file": prof.file,
                "negmas_ufun_type": "LinearAdditiveUtilityFunction",
                "reservation_in_file": prof.reservation.as_ref().map(|r| r.0.clone()),
                "discount_factor_in_file": prof.discount.as_ref().map(|d| d.0.clone()),
                "negmas_reserved_value": num(t.reservations[p]),
                "negmas_discount_factor": num(t.discounts[p]),
                "negmas_weights": t.weights[p].iter().copied().map(num).collect::<Vec<_>>(),
                "negmas_max_value_per_issue": max_per_issue,
                "negmas_min_utility": num(a.ranges[p].0),
                "negmas_max_utility": num(a.ranges[p].1),
            })
        })
        .collect();
    let k = N_SAMPLES.min(n as usize);
    let samples: Vec<Value> = PyRandom::new(SEED)
        .sample_range(n, k)
        .into_iter()
        .map(|i| cx.pack(i))
        .collect();
    let listed = a.frontier.len() <= MAX_LISTED_FRONTIER;
    let points = |pos: &[usize]| -> Vec<Value> {
        pos.iter()
            .map(|&i| {
                let mut v = cx.pack(a.frontier.get(i).expect("a position in the frontier").index);
                v["frontier_position"] = json!(i);
                v
            })
            .collect()
    };
    Ok(json!({
        "schema_version": 1,
        "domain": domain,
        "negmas_version": "0.16.0",
        "generator": format!("zopa {} (NegMAS 0.16.0 semantics)", env!("CARGO_PKG_VERSION")),
        "loader": "zopa reference (GENIUS folder read by NegMAS's discovery rules; dummy issues never materialised)",
        "domain_file": folder.domain.file,
        "n_parties": folder.profiles.len(),
        "dummy_issues_removed": t.dummy_issues,
        "issues": t.issue_names.iter().enumerate().map(|(i, name)| json!({
            "name": name,
            "negmas_type": t.issue_types[i],
            "n_values": t.values[i].len(),
            "values": t.values[i],
        })).collect::<Vec<_>>(),
        "n_outcomes": n,
        "outcome_order": "itertools.product over issues in file order (last issue varies fastest); outcome_index is the position in that order",
        "profiles": profiles,
        "samples_seed": SEED,
        "samples_method": format!("random.Random({SEED}).sample(range(n_outcomes), min({N_SAMPLES}, n_outcomes))"),
        "samples": samples,
        "frontier": {
            "function": "zopa_analysis::negmas::analyze (exact; equal utility vectors collapsed to the lowest outcome index)",
            "size": a.frontier.len(),
            "rational_only": true,
            "n_outcomes_with_a_frontier_utility_vector": a.n_with_frontier_vector,
            "listed": listed,
            "points": if listed {
                Value::Array(a.frontier.iter().map(|p| cx.pack(p.index)).collect())
            } else {
                Value::Null
            },
        },
        "ranges": a.ranges.iter().map(|&(lo, hi)| json!([num(lo), num(hi)])).collect::<Vec<_>>(),
        "disagreement_point": a.disagreement.iter().copied().map(num).collect::<Vec<_>>(),
        "nash_points": points(&a.nash),
        "kalai_points": points(&a.kalai),
        "ks_points": points(&a.ks),
        "max_welfare_points": points(&a.max_welfare),
    }))
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
    let a = negmas::analyze(&model, &space, reserved, max_frontier)?;
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

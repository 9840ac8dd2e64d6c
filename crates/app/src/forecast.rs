//! Forecasts for every surface: the five bargaining models and their
//! sensitivity on a scenario (`zopa.forecast/1`), and KTAB's SMP on a KTAB
//! CSV (`zopa.smp/1`), within the bounds of docs/limits.md.

use serde_json::{json, Value};
use zopa_forecast::ktab::{self, KtabScenario};
use zopa_forecast::model::{self, Model, ModelForecast};
use zopa_forecast::sensitivity::{self, SensitivityParams, SensitivityReport};
use zopa_forecast::smp::{self, SmpRun};
use zopa_forecast::spatial::{self, nearest_options};
use zopa_forecast::ForecastError;
use zopa_model::{limits, Diagnostic, Diagnostics, LineCol, Scenario};

use crate::AppError;

/// What to forecast, and the bounds to refuse beyond.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Only this model (`mean`, `median`, `nash`, `eum`, `smp`), or all.
    pub model: Option<String>,
    /// Monte Carlo runs of the sensitivity analysis (0 = none).
    pub runs: usize,
    /// Seed of the sensitivity analysis.
    pub seed: u64,
    /// Most runs accepted.
    pub max_runs: u64,
    /// Most actors accepted.
    pub max_actors: u64,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            model: None,
            runs: 1000,
            seed: 1,
            max_runs: limits::MAX_RUNS,
            max_actors: limits::MAX_FORECAST_ACTORS,
        }
    }
}

/// The forecasts of a scenario.
pub struct Forecasts {
    /// The models run, in order.
    pub models: Vec<Box<dyn Model>>,
    /// Each model's forecast on the scenario as written.
    pub base: Vec<ModelForecast>,
    /// The sensitivity analysis, with `runs > 0`.
    pub sensitivity: Option<SensitivityReport>,
}

fn actors_bound(n: usize, max: u64) -> Result<(), AppError> {
    Ok(limits::check(
        "the number of actors to forecast",
        n as u128,
        max,
        Some(limits::Knob::MaxActors),
    )?)
}

/// Run the models and the sensitivity analysis; `tick` is called after each
/// Monte Carlo run (from worker threads), for progress displays.
pub fn run(s: &Scenario, req: &Request, tick: &(dyn Fn() + Sync)) -> Result<Forecasts, AppError> {
    limits::check(
        "the number of sensitivity runs",
        req.runs as u128,
        req.max_runs,
        Some(limits::Knob::MaxRuns),
    )?;
    actors_bound(s.actors().len(), req.max_actors)?;
    let models: Vec<Box<dyn Model>> = match &req.model {
        None => model::all_models(),
        Some(k) => vec![model::by_key(k).ok_or_else(|| {
            AppError::Usage(format!(
                "unknown model `{k}` (choose mean, median, nash, eum or smp)"
            ))
        })?],
    };
    let inputs = spatial::from_scenario(s);
    let base = models
        .iter()
        .map(|m| m.forecast(&inputs).map_err(|e| engine(m.name(), e)))
        .collect::<Result<Vec<_>, _>>()?;
    let sensitivity = if req.runs > 0 {
        let params = SensitivityParams {
            runs: req.runs,
            seed: req.seed,
            ..Default::default()
        };
        Some(sensitivity::run(s, &models, &params, tick).map_err(|e| engine("sensitivity", e))?)
    } else {
        None
    };
    Ok(Forecasts {
        models,
        base,
        sensitivity,
    })
}

fn engine(what: &str, e: ForecastError) -> AppError {
    AppError::Engine(format!("{what}: {e}"))
}

/// The actors with a red line on any of the options `near` of issue `i`.
pub fn rejected_by(s: &Scenario, i: usize, near: &[usize]) -> Vec<String> {
    s.actors()
        .iter()
        .filter(|a| near.iter().any(|&o| a.positions[i].rejects(o)))
        .map(|a| a.id.clone())
        .collect()
}

/// Per issue, how far the models' forecasts are apart: the spread of their
/// positions (0–100) and the distinct nearest options, in scale order.
pub fn spread(f: &Forecasts, s: &Scenario, i: usize) -> (f64, Vec<usize>) {
    let pos: Vec<f64> = f.base.iter().map(|b| b.positions[i]).collect();
    let spread = pos.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        - pos.iter().copied().fold(f64::INFINITY, f64::min);
    let n = s.issues()[i].options.len();
    let mut options: Vec<usize> = pos.iter().flat_map(|&p| nearest_options(p, n)).collect();
    options.sort_unstable();
    options.dedup();
    (spread.max(0.0), options)
}

fn agreement(f: &Forecasts, s: &Scenario) -> Value {
    s.issues()
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            let (spread, options) = spread(f, s, i);
            json!({
                "issue": issue.id,
                "spread": spread,
                "options": options.iter().map(|&o| issue.options[o].id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// Per issue, the status quo the Nash model bargains against: the option
/// and its scale position, and whether the scenario declares it (else the
/// issue's first option is assumed).
pub fn status_quo(s: &Scenario, i: usize) -> (usize, f64, bool) {
    match (s.status_quo(), spatial::status_quo_position(s, i)) {
        (Some(sq), Some(x)) => (sq.options[i], x, true),
        _ => (0, 0.0, false),
    }
}

/// What of the scenario the forecasting models do not use.
pub fn ignored(s: &Scenario) -> Vec<&'static str> {
    let mut v = Vec::new();
    if s.actors().iter().any(|a| !a.combinations.is_empty()) {
        v.push("combination red lines");
    }
    if s.actors().iter().any(|a| !a.interactions.is_empty()) {
        v.push("interaction terms");
    }
    v
}

fn status_quo_doc(s: &Scenario) -> Value {
    s.issues()
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            let (o, x, declared) = status_quo(s, i);
            json!({
                "issue": issue.id,
                "option": issue.options[o].id,
                "position": x,
                "declared": declared,
            })
        })
        .collect()
}

/// The forecast command for surfaces that answer its document: the models
/// and the sensitivity as `req` asks, as `zopa.forecast/1` (the CLI, which
/// draws a progress bar and renders text, calls [`run`] and [`document`]).
pub fn forecast(loaded: &crate::Loaded, req: &Request) -> Result<Value, AppError> {
    let f = run(&loaded.scenario, req, &|| {})?;
    Ok(document(&f, &loaded.scenario, &loaded.origin))
}

/// `zopa.forecast/1`.
pub fn document(f: &Forecasts, s: &Scenario, origin: &str) -> Value {
    let forecasts: Vec<Value> = f
        .models
        .iter()
        .zip(&f.base)
        .map(|(m, b)| {
            json!({
                "model": m.key(),
                "name": m.name(),
                "issues": s.issues().iter().enumerate().map(|(i, issue)| {
                    let near = nearest_options(b.positions[i], issue.options.len());
                    json!({
                        "issue": issue.id,
                        "position": b.positions[i],
                        "nearest": near.iter().map(|&o| issue.options[o].id.clone()).collect::<Vec<_>>(),
                        "rejected_by": rejected_by(s, i, &near),
                    })
                }).collect::<Vec<_>>(),
                "rounds": b.trajectory.as_ref().map(|t| t.len() - 1),
                "converged": b.converged,
                // trajectory[round][actor][issue], scale positions.
                "trajectory": b.trajectory,
            })
        })
        .collect();
    let sensitivity = f.sensitivity.as_ref().map(|r| {
        json!({
            "runs": r.params.runs,
            "seed": r.params.seed,
            "power_spread": r.params.power_spread,
            "salience_spread": r.params.salience_spread,
            "value_spread": r.params.value_spread,
            "driver_runs": r.params.driver_runs,
            "assumptions": r.assumptions.iter().map(|a| a.describe(s)).collect::<Vec<_>>(),
            "models": r.models.iter().enumerate().map(|(m, key)| json!({
                "model": key,
                "issues": s.issues().iter().enumerate().map(|(i, issue)| {
                    let c = &r.cells[m][i];
                    json!({
                        "issue": issue.id,
                        "base": c.base, "median": c.median, "p5": c.p5, "p95": c.p95,
                        "robust": c.robust,
                        "driver": c.driver.map(|(a, shift)| json!({"assumption": a.describe(s), "mean_shift": shift})),
                    })
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "schema": "zopa.forecast/1",
        "scenario": {"id": s.meta().id, "origin": origin},
        "forecasts": forecasts,
        "agreement": agreement(f, s),
        "status_quo": status_quo_doc(s),
        "ignored": ignored(s),
        "sensitivity": sensitivity,
    })
}

/// A KTAB CSV read and run through SMP.
pub struct KtabRun {
    /// The input.
    pub scenario: KtabScenario,
    /// Every turn.
    pub run: SmpRun,
}

/// Read KTAB CSV text (`origin` names it in diagnostics) and run SMP.
pub fn ktab(text: &str, origin: &str, max_actors: u64) -> Result<KtabRun, AppError> {
    let scenario = ktab::read_csv(text).map_err(|e| match e {
        ForecastError::Input { line, col, message } => {
            let mut d = Diagnostics::new(origin);
            d.push(Diagnostic::error("", None, message));
            d.items[0].pos = Some(LineCol { line, col });
            AppError::InvalidInput {
                what: "a valid KTAB input file",
                diagnostics: d,
            }
        }
        other => engine(origin, other),
    })?;
    actors_bound(scenario.actors.len(), max_actors)?;
    let run = smp::run(&scenario.actors, &smp::SmpParams::default());
    Ok(KtabRun { scenario, run })
}

/// `zopa.smp/1`.
pub fn ktab_document(k: &KtabRun) -> Value {
    json!({
        "schema": "zopa.smp/1",
        "scenario": k.scenario.name,
        "dims": k.scenario.dims,
        "actors": k.scenario.actors.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
        "turns": k.run.turns.iter().map(|t| json!({
            "positions": t.positions.iter().map(|p| p.iter().map(|x| x * 100.0).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "prob": t.prob,
        })).collect::<Vec<_>>(),
        "change_ratios": k.run.change_ratios,
    })
}

#[cfg(test)]
mod flag_tests {
    use super::*;

    /// On the default scenario: SMP stops at its 100-turn cap still moving,
    /// EUM settles; the median and SMP land on Russia's red line on
    /// presence; Nash keeps the declared status quo on every issue (on no
    /// red line); the models agree on the US role only.
    #[test]
    fn forecasts_say_where_they_hit_red_lines_and_whether_they_settled() {
        let inp = crate::input::resolve(None, None).unwrap();
        let l = crate::input::load(&inp, 1000).unwrap();
        let req = Request {
            runs: 0,
            ..Default::default()
        };
        let f = run(&l.scenario, &req, &|| {}).unwrap();
        let d = document(&f, &l.scenario, &l.origin);
        let by = |key: &str| {
            d["forecasts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["model"] == key)
                .unwrap()
                .clone()
        };
        assert_eq!(by("smp")["converged"], false);
        assert_eq!(by("eum")["converged"], true);
        assert!(by("mean")["converged"].is_null());
        assert_eq!(by("median")["issues"][0]["rejected_by"], json!(["russia"]));
        assert_eq!(by("nash")["issues"][1]["rejected_by"], json!([]));
        for (i, sq) in d["status_quo"].as_array().unwrap().iter().enumerate() {
            assert_eq!(sq["declared"], true);
            assert_eq!(by("nash")["issues"][i]["position"], sq["position"]);
        }
        assert_eq!(by("mean")["issues"][0]["rejected_by"], json!([]));
        let agree: Vec<&str> = d["agreement"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["options"].as_array().unwrap().len() == 1)
            .map(|a| a["issue"].as_str().unwrap())
            .collect();
        assert_eq!(agree, ["us_role"]);
        // A cap that cannot be reached without settling: SMP converges.
        let short = zopa_forecast::smp::SmpParams {
            max_turns: 1000,
            ..Default::default()
        };
        let inputs = zopa_forecast::spatial::from_scenario(&l.scenario);
        let smp = zopa_forecast::model::SpatialModel(short)
            .forecast(&inputs)
            .unwrap();
        let turns = smp.trajectory.as_ref().unwrap().len() - 1;
        assert_eq!(smp.converged, Some(turns < 1000), "{turns} turns");
    }
}

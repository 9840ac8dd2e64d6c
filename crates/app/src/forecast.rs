//! Forecasts for every surface: the five bargaining models and their
//! sensitivity on a scenario (`zopa.forecast/1`), and KTAB's SMP on a KTAB
//! CSV (`zopa.smp/1`), within the bounds of docs/limits.md.

use serde::Serialize;
use utoipa::ToSchema;
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
    /// Stops the sensitivity analysis between runs (the server's time
    /// limit); a cancelled forecast answers [`AppError::Cancelled`].
    pub cancel: zopa_model::Cancel,
}

/// Monte Carlo runs of the sensitivity analysis when the request gives none.
pub const DEFAULT_RUNS: usize = 1000;

impl Default for Request {
    fn default() -> Self {
        Request {
            model: None,
            runs: DEFAULT_RUNS,
            seed: crate::DEFAULT_SEED,
            max_runs: limits::MAX_RUNS,
            max_actors: limits::MAX_FORECAST_ACTORS,
            cancel: zopa_model::Cancel::new(),
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
        // The scenario's bands (`[bands]`, defaults where it gives none).
        let bands = s.bands();
        let params = SensitivityParams {
            runs: req.runs,
            seed: req.seed,
            power_spread: bands.power,
            salience_spread: bands.salience,
            value_spread: bands.value,
            ..Default::default()
        };
        sensitivity_work(s, &params)?;
        Some(
            sensitivity::run(s, &models, &params, tick, &req.cancel)
                .map_err(|e| engine("sensitivity", e))?,
        )
    } else {
        None
    };
    Ok(Forecasts {
        models,
        base,
        sensitivity,
    })
}

/// Refuse a sensitivity analysis above [`limits::MAX_FORECAST_WORK`]
/// before it starts (100 actors once ran for hours with `runs = 1`: the
/// driver runs, 50 per assumption, dominate).
fn sensitivity_work(s: &Scenario, p: &SensitivityParams) -> Result<(), AppError> {
    let assumptions = sensitivity::assumptions(s).len() as u128;
    let model_runs = p.runs as u128 + assumptions * p.driver_runs as u128;
    let actors = s.actors().len() as u128;
    let work = model_runs
        .saturating_mul(actors.pow(3))
        .saturating_mul(s.issues().len() as u128);
    limits::check(
        format!(
            "the sensitivity analysis's work ({model_runs} model runs: {} Monte Carlo and {} per assumption for {assumptions} assumptions, × {actors}³ actors × {} issues)",
            p.runs,
            p.driver_runs,
            s.issues().len()
        ),
        work,
        limits::MAX_FORECAST_WORK,
        None,
    )
    .map_err(|e| {
        AppError::Engine(format!(
            "{e}; forecast without it (runs = 0), or with fewer actors or issues"
        ))
    })
}

fn engine(what: &str, e: ForecastError) -> AppError {
    match e {
        ForecastError::Cancelled => AppError::Cancelled,
        e => AppError::Engine(format!("{what}: {e}")),
    }
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

fn agreement(f: &Forecasts, s: &Scenario) -> Vec<IssueAgreement> {
    s.issues()
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            let (spread, options) = spread(f, s, i);
            IssueAgreement {
                issue: issue.id.clone(),
                spread,
                options: options
                    .iter()
                    .map(|&o| issue.options[o].id.clone())
                    .collect(),
            }
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
    // The models weigh positions by capability and salience; none has a
    // k-of-n or veto rule (KTAB's SMP voting rules shape how an actor's
    // preference turns into votes, not which coalition carries a deal).
    if !s.decision().is_unanimity() {
        v.push("decision rule");
    }
    v
}

fn status_quo_doc(s: &Scenario) -> Vec<StatusQuoIssue> {
    s.issues()
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            let (o, x, declared) = status_quo(s, i);
            StatusQuoIssue {
                issue: issue.id.clone(),
                option: issue.options[o].id.clone(),
                position: x,
                declared,
            }
        })
        .collect()
}

/// The forecast command for surfaces that answer its document: the models
/// and the sensitivity as `req` asks, as `zopa.forecast/1` (the CLI, which
/// draws a progress bar and renders text, calls [`run`] and [`document`]).
pub fn forecast(loaded: &crate::Loaded, req: &Request) -> Result<ForecastDoc, AppError> {
    let f = run(&loaded.scenario, req, &|| {})?;
    Ok(document(&f, &loaded.scenario, &loaded.origin))
}

/// `zopa.forecast/1`: every model's forecast per issue, where they agree,
/// the status quo, and the sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::Document)]
pub struct ForecastDoc {
    /// `zopa.forecast/1`.
    pub schema: &'static str,
    /// Which scenario.
    pub scenario: ScenarioRef,
    /// Each model's forecast.
    pub forecasts: Vec<ModelDoc>,
    /// Per issue, how far the models are apart.
    pub agreement: Vec<IssueAgreement>,
    /// Per issue, the status quo the Nash model bargains against.
    pub status_quo: Vec<StatusQuoIssue>,
    /// What of the scenario the models do not use.
    pub ignored: Vec<&'static str>,
    /// The Monte Carlo sensitivity analysis (`null` with 0 runs).
    pub sensitivity: Option<SensitivityDoc>,
}

/// Which scenario a document is about.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::Scenario)]
pub struct ScenarioRef {
    /// Its id.
    pub id: String,
    /// Where it came from.
    pub origin: String,
}

/// One model's forecast.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::Model)]
pub struct ModelDoc {
    /// `mean`, `median`, `nash`, `eum` or `smp`.
    pub model: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Per issue, the forecast position.
    pub issues: Vec<IssueForecast>,
    /// Rounds played (dynamic models only).
    pub rounds: Option<usize>,
    /// Whether it settled before its cap (dynamic models only).
    pub converged: Option<bool>,
    /// `trajectory[round][actor][issue]`, scale positions (dynamic models
    /// only).
    pub trajectory: Option<Vec<Vec<Vec<f64>>>>,
}

/// A model's forecast on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::IssueForecast)]
pub struct IssueForecast {
    /// The issue.
    pub issue: String,
    /// Position on the issue's 0–100 scale.
    pub position: f64,
    /// The nearest option(s) (two when it lies halfway).
    pub nearest: Vec<String>,
    /// Actors with a red line on a nearest option.
    pub rejected_by: Vec<String>,
}

/// How far the models' forecasts are apart on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::IssueAgreement)]
pub struct IssueAgreement {
    /// The issue.
    pub issue: String,
    /// Largest minus smallest position.
    pub spread: f64,
    /// The distinct nearest options, in scale order.
    pub options: Vec<String>,
}

/// The status quo on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::StatusQuo)]
pub struct StatusQuoIssue {
    /// The issue.
    pub issue: String,
    /// The option.
    pub option: String,
    /// Its scale position.
    pub position: f64,
    /// Whether the scenario declares it (else the first option is assumed).
    pub declared: bool,
}

/// The Monte Carlo sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::Sensitivity)]
pub struct SensitivityDoc {
    /// Runs.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Relative spread of powers.
    pub power_spread: f64,
    /// Relative spread of saliences.
    pub salience_spread: f64,
    /// Spread of option values.
    pub value_spread: f64,
    /// Runs per assumption to find each result's driver.
    pub driver_runs: usize,
    /// The assumptions perturbed.
    pub assumptions: Vec<String>,
    /// Per model, per issue, the distribution of the forecast.
    pub models: Vec<ModelSensitivity>,
}

/// One model's sensitivity.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::ModelSensitivity)]
pub struct ModelSensitivity {
    /// The model.
    pub model: &'static str,
    /// Per issue.
    pub issues: Vec<IssueSensitivity>,
}

/// The distribution of a model's forecast on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::IssueSensitivity)]
pub struct IssueSensitivity {
    /// The issue.
    pub issue: String,
    /// The forecast as written.
    pub base: f64,
    /// Median over the runs.
    pub median: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Whether every run lands on the same option.
    pub robust: bool,
    /// The assumption that moves it most.
    pub driver: Option<Driver>,
}

/// The assumption that moves a forecast most.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::Driver)]
pub struct Driver {
    /// The assumption.
    pub assumption: String,
    /// How far it moves the mean.
    pub mean_shift: f64,
}

/// `zopa.forecast/1`.
pub fn document(f: &Forecasts, s: &Scenario, origin: &str) -> ForecastDoc {
    let forecasts = f
        .models
        .iter()
        .zip(&f.base)
        .map(|(m, b)| ModelDoc {
            model: m.key(),
            name: m.name(),
            issues: s
                .issues()
                .iter()
                .enumerate()
                .map(|(i, issue)| {
                    let near = nearest_options(b.positions[i], issue.options.len());
                    IssueForecast {
                        issue: issue.id.clone(),
                        position: b.positions[i],
                        nearest: near.iter().map(|&o| issue.options[o].id.clone()).collect(),
                        rejected_by: rejected_by(s, i, &near),
                    }
                })
                .collect(),
            rounds: b.trajectory.as_ref().map(|t| t.len() - 1),
            converged: b.converged,
            trajectory: b.trajectory.clone(),
        })
        .collect();
    ForecastDoc {
        schema: "zopa.forecast/1",
        scenario: ScenarioRef {
            id: s.meta().id.clone(),
            origin: origin.to_string(),
        },
        forecasts,
        agreement: agreement(f, s),
        status_quo: status_quo_doc(s),
        ignored: ignored(s),
        sensitivity: f.sensitivity.as_ref().map(|r| sensitivity(r, s)),
    }
}

fn sensitivity(r: &SensitivityReport, s: &Scenario) -> SensitivityDoc {
    SensitivityDoc {
        runs: r.params.runs,
        seed: r.params.seed,
        power_spread: r.params.power_spread,
        salience_spread: r.params.salience_spread,
        value_spread: r.params.value_spread,
        driver_runs: r.params.driver_runs,
        assumptions: r.assumptions.iter().map(|a| a.describe(s)).collect(),
        models: r
            .models
            .iter()
            .enumerate()
            .map(|(m, key)| ModelSensitivity {
                model: key,
                issues: s
                    .issues()
                    .iter()
                    .enumerate()
                    .map(|(i, issue)| {
                        let c = &r.cells[m][i];
                        IssueSensitivity {
                            issue: issue.id.clone(),
                            base: c.base,
                            median: c.median,
                            p5: c.p5,
                            p95: c.p95,
                            robust: c.robust,
                            driver: c.driver.map(|(a, shift)| Driver {
                                assumption: a.describe(s),
                                mean_shift: shift,
                            }),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
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

/// `zopa.smp/1`: KTAB's SMP run turn by turn.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::Smp)]
pub struct SmpDoc {
    /// `zopa.smp/1`.
    pub schema: &'static str,
    /// The scenario's name (the CSV's first line).
    pub scenario: String,
    /// The dimensions.
    pub dims: Vec<String>,
    /// The actors' names.
    pub actors: Vec<String>,
    /// Every turn.
    pub turns: Vec<SmpTurn>,
    /// Per turn, how much the positions changed.
    pub change_ratios: Vec<f64>,
}

/// One turn of SMP.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = forecast::SmpTurn)]
pub struct SmpTurn {
    /// `positions[actor][dim]`, 0–100.
    pub positions: Vec<Vec<f64>>,
    /// Each actor's position's probability of prevailing.
    pub prob: Vec<f64>,
}

/// `zopa.smp/1`.
pub fn ktab_document(k: &KtabRun) -> SmpDoc {
    SmpDoc {
        schema: "zopa.smp/1",
        scenario: k.scenario.name.clone(),
        dims: k.scenario.dims.clone(),
        actors: k.scenario.actors.iter().map(|a| a.name.clone()).collect(),
        turns: k
            .run
            .turns
            .iter()
            .map(|t| SmpTurn {
                positions: t
                    .positions
                    .iter()
                    .map(|p| p.iter().map(|x| x * 100.0).collect())
                    .collect(),
                prob: t.prob.clone(),
            })
            .collect(),
        change_ratios: k.run.change_ratios.clone(),
    }
}

#[cfg(test)]
mod flag_tests {
    use super::*;
    use serde_json::json;

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
        let d = serde_json::to_value(document(&f, &l.scenario, &l.origin)).unwrap();
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

//! The [`Model`] trait and the models behind it.

use crate::eum::{self, EumParams};
use crate::nash::{self, NashParams};
use crate::smp::{self, SmpActor, SmpParams};
use crate::spatial::IssueInput;
use crate::{baseline, ForecastError};

/// What a model forecasts for a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelForecast {
    /// Forecast position (0–100) on each issue.
    pub positions: Vec<f64>,
    /// For dynamic models: `trajectory[round][actor][issue]` positions (0–100).
    pub trajectory: Option<Vec<Vec<Vec<f64>>>>,
    /// For dynamic models: whether they stopped because positions settled
    /// (`false`: stopped at their round cap still moving).
    pub converged: Option<bool>,
}

/// A forecasting model. Implementations are cheap to clone and deterministic.
pub trait Model: Send + Sync {
    /// Stable machine name (`mean`, `median`, `nash`, `eum`, `smp`).
    fn key(&self) -> &'static str;
    /// Human name.
    fn name(&self) -> &'static str;
    /// Forecast every issue.
    fn forecast(&self, issues: &[IssueInput]) -> Result<ModelForecast, ForecastError>;
}

fn check(issues: &[IssueInput]) -> Result<(), ForecastError> {
    if issues.is_empty() {
        return Err(ForecastError::Model("no issues".into()));
    }
    issues.iter().try_for_each(IssueInput::check)
}

fn static_model(
    issues: &[IssueInput],
    f: impl Fn(&IssueInput) -> f64,
) -> Result<ModelForecast, ForecastError> {
    check(issues)?;
    Ok(ModelForecast {
        positions: issues.iter().map(f).collect(),
        trajectory: None,
        converged: None,
    })
}

/// The compromise model (weighted mean).
#[derive(Debug, Clone, Copy, Default)]
pub struct WeightedMean;
impl Model for WeightedMean {
    fn key(&self) -> &'static str {
        "mean"
    }
    fn name(&self) -> &'static str {
        "Weighted mean (compromise)"
    }
    fn forecast(&self, issues: &[IssueInput]) -> Result<ModelForecast, ForecastError> {
        static_model(issues, baseline::weighted_mean)
    }
}

/// The weighted median (in one dimension also the Condorcet winner).
#[derive(Debug, Clone, Copy, Default)]
pub struct WeightedMedian;
impl Model for WeightedMedian {
    fn key(&self) -> &'static str {
        "median"
    }
    fn name(&self) -> &'static str {
        "Weighted median"
    }
    fn forecast(&self, issues: &[IssueInput]) -> Result<ModelForecast, ForecastError> {
        static_model(issues, baseline::weighted_median)
    }
}

/// Asymmetric Nash bargaining over each issue scale.
#[derive(Debug, Clone, Copy, Default)]
pub struct NashBargaining(pub NashParams);
impl Model for NashBargaining {
    fn key(&self) -> &'static str {
        "nash"
    }
    fn name(&self) -> &'static str {
        "Nash bargaining (vs status quo)"
    }
    fn forecast(&self, issues: &[IssueInput]) -> Result<ModelForecast, ForecastError> {
        static_model(issues, |i| nash::solve(i, &self.0))
    }
}

/// Bueno de Mesquita's expected-utility model, issue by issue.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExpectedUtility(pub EumParams);
impl Model for ExpectedUtility {
    fn key(&self) -> &'static str {
        "eum"
    }
    fn name(&self) -> &'static str {
        "Expected utility (BDM)"
    }
    fn forecast(&self, issues: &[IssueInput]) -> Result<ModelForecast, ForecastError> {
        check(issues)?;
        let runs: Vec<_> = issues.iter().map(|i| eum::run(i, &self.0)).collect();
        let n_rounds = runs.iter().map(|r| r.rounds.len()).max().unwrap_or(0);
        let n_act = issues[0].x.len();
        let trajectory = (0..n_rounds)
            .map(|t| {
                (0..n_act)
                    .map(|a| {
                        runs.iter()
                            .map(|r| r.rounds[t.min(r.rounds.len() - 1)][a])
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Ok(ModelForecast {
            positions: runs.iter().map(|r| r.forecast).collect(),
            trajectory: Some(trajectory),
            converged: Some(runs.iter().all(|r| r.converged)),
        })
    }
}

/// KTAB's Spatial Model of Politics over all issues at once (one dimension
/// per issue); the forecast is the most probable position of the last turn.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpatialModel(pub SmpParams);
impl Model for SpatialModel {
    fn key(&self) -> &'static str {
        "smp"
    }
    fn name(&self) -> &'static str {
        "KTAB Spatial Model of Politics"
    }
    fn forecast(&self, issues: &[IssueInput]) -> Result<ModelForecast, ForecastError> {
        check(issues)?;
        let n_act = issues[0].x.len();
        let actors: Vec<SmpActor> = (0..n_act)
            .map(|a| {
                let sal: Vec<f64> = issues.iter().map(|i| i.s[a]).collect();
                SmpActor {
                    name: format!("{a}"),
                    cap: issues[0].c[a],
                    pos: issues.iter().map(|i| i.x[a] / 100.0).collect(),
                    sal,
                }
            })
            .collect();
        if actors.iter().any(|a| a.sal.iter().sum::<f64>() <= 0.0) {
            return Err(ForecastError::Model(
                "SMP needs every actor to care about some issue".into(),
            ));
        }
        let run = smp::run(&actors, &self.0);
        // It stops early only when the last change ratio fell below the bound.
        let converged = run.turns.len() - 1 < self.0.max_turns
            || run
                .change_ratios
                .last()
                .is_some_and(|&r| r < self.0.min_delta_ratio);
        let last = run.turns.last().expect("turn 0");
        let mut best = 0;
        for a in 1..n_act {
            if last.prob[a] > last.prob[best] {
                best = a;
            }
        }
        Ok(ModelForecast {
            positions: last.positions[best].iter().map(|x| x * 100.0).collect(),
            trajectory: Some(
                run.turns
                    .iter()
                    .map(|t| {
                        t.positions
                            .iter()
                            .map(|p| p.iter().map(|x| x * 100.0).collect())
                            .collect()
                    })
                    .collect(),
            ),
            converged: Some(converged),
        })
    }
}

/// Every model with its default parameters, in report order.
pub fn all_models() -> Vec<Box<dyn Model>> {
    vec![
        Box::new(WeightedMean),
        Box::new(WeightedMedian),
        Box::new(NashBargaining::default()),
        Box::new(ExpectedUtility::default()),
        Box::new(SpatialModel::default()),
    ]
}

/// The model called `key`.
pub fn by_key(key: &str) -> Option<Box<dyn Model>> {
    all_models().into_iter().find(|m| m.key() == key)
}

//! Monte Carlo sensitivity of the forecasts to the analyst's assumptions.
//!
//! Every number of the scenario that no quote states is perturbed within a
//! documented range (reservations and red lines are not: the forecasting
//! models do not use them, and the report says so):
//!
//! * **power** of an actor: multiplied by U(1 − p, 1 + p), p = `power_spread` (0.5);
//! * **salience** of an actor: each issue's salience multiplied by
//!   U(1 − s, 1 + s), s = `salience_spread` (0.5), then renormalised;
//! * **position** of an actor on an issue: each option value shifted by
//!   U(−v, +v), v = `value_spread` (0.2), clamped to [0, 1]; the ideal point
//!   is recomputed (so it moves only when the best option changes).
//!
//! Each run draws from its own ChaCha8 generator seeded from (seed, run), so
//! the result is identical for the same seed whatever the number of threads.
//! Which assumption moves a forecast most is measured one at a time: each
//! assumption alone is perturbed `driver_runs` times and the mean absolute
//! shift of every forecast is recorded.

use rand::rngs::ChaCha8Rng;
use rayon::prelude::*;
use zopa_model::perturb::{self, rng_for};
use zopa_model::{ClaimKind, Scenario};

use crate::model::Model;
use crate::spatial::{ideal_point, nearest_options, IssueInput};
use crate::ForecastError;

/// A perturbable assumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assumption {
    /// An actor's power.
    Power(usize),
    /// An actor's saliences.
    Salience(usize),
    /// An actor's position (option values) on an issue.
    Position(usize, usize),
}

impl Assumption {
    /// Human description.
    pub fn describe(&self, s: &Scenario) -> String {
        match *self {
            Assumption::Power(a) => format!("power of {}", s.actors()[a].id),
            Assumption::Salience(a) => format!("saliences of {}", s.actors()[a].id),
            Assumption::Position(a, i) => {
                format!("position of {} on {}", s.actors()[a].id, s.issues()[i].id)
            }
        }
    }
}

/// The assumptions of a scenario that sensitivity runs perturb: every
/// assumed power, every actor with an assumed salience, and every position
/// with an assumed option value (a claim is assumed unless a quote states
/// it: see [`zopa_model::claims`]), in claim order.
pub fn assumptions(s: &Scenario) -> Vec<Assumption> {
    let mut out = Vec::new();
    for c in s.claims().iter().filter(|c| !c.is_quoted()) {
        let (Some(a), issue) = (c.actor, c.issue) else {
            continue;
        };
        let x = match c.kind {
            ClaimKind::Power => Assumption::Power(a),
            ClaimKind::Salience => Assumption::Salience(a),
            ClaimKind::Value => match issue {
                Some(i) => Assumption::Position(a, i),
                None => continue,
            },
            _ => continue,
        };
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// Sensitivity settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SensitivityParams {
    /// Monte Carlo runs perturbing every assumption at once.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Relative spread of powers.
    pub power_spread: f64,
    /// Relative spread of saliences.
    pub salience_spread: f64,
    /// Absolute spread of option values.
    pub value_spread: f64,
    /// Runs per assumption for the one-at-a-time driver analysis.
    pub driver_runs: usize,
}

impl Default for SensitivityParams {
    fn default() -> Self {
        let bands = perturb::Bands::default();
        SensitivityParams {
            runs: 1000,
            seed: 1,
            power_spread: bands.power,
            salience_spread: bands.salience,
            value_spread: bands.value,
            driver_runs: 50,
        }
    }
}

/// The distribution of one model's forecast on one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// Forecast with the assumptions as written.
    pub base: f64,
    /// Median over the runs.
    pub median: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Whether the base, the 5th and the 95th percentile all map to the same
    /// (single) nearest option.
    pub robust: bool,
    /// The assumption that moves this forecast most, with its mean absolute
    /// shift (scale units); `None` when nothing moves it.
    pub driver: Option<(Assumption, f64)>,
}

/// The sensitivity of every model on every issue: `cells[model][issue]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityReport {
    /// Model keys, in order.
    pub models: Vec<&'static str>,
    /// Distributions.
    pub cells: Vec<Vec<Distribution>>,
    /// The assumptions that were perturbed.
    pub assumptions: Vec<Assumption>,
    /// Settings used.
    pub params: SensitivityParams,
}

/// The model inputs with the chosen assumptions perturbed.
fn perturbed(
    s: &Scenario,
    which: &[Assumption],
    p: &SensitivityParams,
    rng: &mut ChaCha8Rng,
) -> Vec<IssueInput> {
    let n_iss = s.issues().len();
    let mut power: Vec<f64> = s.actors().iter().map(|a| a.power).collect();
    let mut weights: Vec<Vec<f64>> = s.actors().iter().map(|a| a.weights.clone()).collect();
    let mut ideal: Vec<Vec<f64>> = s
        .actors()
        .iter()
        .map(|a| {
            a.positions
                .iter()
                .map(|pos| ideal_point(&pos.values))
                .collect()
        })
        .collect();
    for w in which {
        match *w {
            Assumption::Power(a) => {
                power[a] = perturb::scale(rng, power[a], p.power_spread).max(1e-9);
            }
            Assumption::Salience(a) => {
                for x in weights[a].iter_mut() {
                    *x = perturb::scale(rng, *x, p.salience_spread);
                }
                perturb::renormalise(&mut weights[a]);
            }
            Assumption::Position(a, i) => {
                let values: Vec<f64> = s.actors()[a].positions[i]
                    .values
                    .iter()
                    .map(|&v| perturb::shift(rng, v, p.value_spread))
                    .collect();
                ideal[a][i] = ideal_point(&values);
            }
        }
    }
    (0..n_iss)
        .map(|i| IssueInput {
            x: ideal.iter().map(|x| x[i]).collect(),
            s: weights.iter().map(|w| w[i]).collect(),
            c: power.clone(),
            q: crate::spatial::status_quo_position(s, i),
        })
        .collect()
}

fn forecasts(
    models: &[Box<dyn Model>],
    inputs: &[IssueInput],
) -> Result<Vec<Vec<f64>>, ForecastError> {
    models
        .iter()
        .map(|m| m.forecast(inputs).map(|f| f.positions))
        .collect()
}

/// Nearest-rank percentile of sorted values (`q` in [0, 1]).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Run the sensitivity analysis. `tick` is called once per finished run
/// (from worker threads), for progress reporting; once `cancel` is
/// cancelled, no further run starts and the analysis answers
/// [`ForecastError::Cancelled`].
pub fn run(
    s: &Scenario,
    models: &[Box<dyn Model>],
    p: &SensitivityParams,
    tick: &(dyn Fn() + Sync),
    cancel: &zopa_model::Cancel,
) -> Result<SensitivityReport, ForecastError> {
    if p.runs == 0 {
        return Err(ForecastError::Model(
            "sensitivity needs at least one run".into(),
        ));
    }
    let all = assumptions(s);
    let base = forecasts(models, &crate::spatial::from_scenario(s))?;
    let runs: Vec<Vec<Vec<f64>>> = (0..p.runs)
        .into_par_iter()
        .map(|r| {
            if cancel.is_cancelled() {
                return Err(ForecastError::Cancelled);
            }
            let mut rng = rng_for(p.seed, 0, 0, r as u64);
            let out = forecasts(models, &perturbed(s, &all, p, &mut rng));
            tick();
            out
        })
        .collect::<Result<_, _>>()?;
    // One at a time: mean absolute shift per assumption, model and issue.
    let shifts: Vec<Vec<Vec<f64>>> = all
        .par_iter()
        .enumerate()
        .map(|(k, a)| {
            let mut acc = vec![vec![0.0; s.issues().len()]; models.len()];
            for r in 0..p.driver_runs {
                if cancel.is_cancelled() {
                    return Err(ForecastError::Cancelled);
                }
                let mut rng = rng_for(p.seed, 1, k as u64, r as u64);
                let f = forecasts(models, &perturbed(s, std::slice::from_ref(a), p, &mut rng))?;
                for (m, row) in f.iter().enumerate() {
                    for (i, x) in row.iter().enumerate() {
                        acc[m][i] += (x - base[m][i]).abs() / p.driver_runs.max(1) as f64;
                    }
                }
            }
            Ok(acc)
        })
        .collect::<Result<_, ForecastError>>()?;
    let cells = (0..models.len())
        .map(|m| {
            (0..s.issues().len())
                .map(|i| {
                    let mut v: Vec<f64> = runs.iter().map(|r| r[m][i]).collect();
                    v.sort_by(f64::total_cmp);
                    let (p5, median, p95) = (
                        percentile(&v, 0.05),
                        percentile(&v, 0.5),
                        percentile(&v, 0.95),
                    );
                    let n = s.issues()[i].options.len();
                    let opts = |x: f64| nearest_options(x, n);
                    let b = base[m][i];
                    let robust = opts(b).len() == 1 && opts(p5) == opts(b) && opts(p95) == opts(b);
                    let driver = shifts
                        .iter()
                        .enumerate()
                        .filter(|(_, sh)| sh[m][i] > 1e-9)
                        .max_by(|(ka, a), (kb, b)| a[m][i].total_cmp(&b[m][i]).then(kb.cmp(ka)))
                        .map(|(k, sh)| (all[k], sh[m][i]));
                    Distribution {
                        base: b,
                        median,
                        p5,
                        p95,
                        robust,
                        driver,
                    }
                })
                .collect()
        })
        .collect();
    Ok(SensitivityReport {
        models: models.iter().map(|m| m.key()).collect(),
        cells,
        assumptions: all,
        params: *p,
    })
}

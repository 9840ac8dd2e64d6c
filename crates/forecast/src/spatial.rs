//! The one-dimensional inputs every forecasting model reads: per issue, each
//! actor's position on the 0–100 scale, salience and capability.

use zopa_model::Scenario;

use crate::ForecastError;

/// One issue seen by the forecasting models.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueInput {
    /// Position (0–100) of each actor: its ideal point.
    pub x: Vec<f64>,
    /// Salience of the issue to each actor, in [0, 1].
    pub s: Vec<f64>,
    /// Capability of each actor, > 0.
    pub c: Vec<f64>,
    /// The status quo's position (0–100) when the scenario declares one;
    /// models that need a status quo fall back to their own default.
    pub q: Option<f64>,
}

impl IssueInput {
    /// `w_i = c_i · s_i`.
    pub fn weights(&self) -> Vec<f64> {
        self.c.iter().zip(&self.s).map(|(c, s)| c * s).collect()
    }

    /// Check the input: same lengths, finite numbers, capabilities > 0,
    /// saliences ≥ 0 and not all zero.
    pub fn check(&self) -> Result<(), ForecastError> {
        let n = self.x.len();
        if n == 0 || self.s.len() != n || self.c.len() != n {
            return Err(ForecastError::Model(
                "positions, saliences and capabilities must have one entry per actor".into(),
            ));
        }
        if self
            .x
            .iter()
            .chain(&self.s)
            .chain(&self.c)
            .any(|v| !v.is_finite())
        {
            return Err(ForecastError::Model("inputs must be finite".into()));
        }
        if self.c.iter().any(|&c| c <= 0.0) || self.s.iter().any(|&s| s < 0.0) {
            return Err(ForecastError::Model(
                "capabilities must be > 0 and saliences ≥ 0".into(),
            ));
        }
        if self.weights().iter().sum::<f64>() <= 0.0 {
            return Err(ForecastError::Model(
                "every salience is zero: no actor cares about this issue".into(),
            ));
        }
        Ok(())
    }
}

/// Scale position of option `o` of an issue with `n` options: 0, …, 100 evenly spaced.
pub fn option_position(o: usize, n: usize) -> f64 {
    if n <= 1 {
        0.0
    } else {
        100.0 * o as f64 / (n - 1) as f64
    }
}

/// An actor's ideal point on an issue: the position of its best option (the
/// mean position of its best options when several tie).
pub fn ideal_point(values: &[f64]) -> f64 {
    let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let tied: Vec<usize> = (0..values.len()).filter(|&o| values[o] == best).collect();
    tied.iter()
        .map(|&o| option_position(o, values.len()))
        .sum::<f64>()
        / tied.len() as f64
}

/// The forecasting inputs of a scenario, one per issue.
pub fn from_scenario(s: &Scenario) -> Vec<IssueInput> {
    (0..s.issues().len())
        .map(|i| IssueInput {
            x: s.actors()
                .iter()
                .map(|a| ideal_point(&a.positions[i].values))
                .collect(),
            s: s.actors().iter().map(|a| a.weights[i]).collect(),
            c: s.actors().iter().map(|a| a.power).collect(),
            q: status_quo_position(s, i),
        })
        .collect()
}

/// The scale position of the status quo's option on issue `i`, if declared.
pub fn status_quo_position(s: &Scenario, i: usize) -> Option<f64> {
    let sq = s.status_quo()?;
    Some(option_position(sq.options[i], s.issues()[i].options.len()))
}

/// The option(s) nearest a scale position: one index, or two when the
/// position lies exactly halfway between options.
pub fn nearest_options(x: f64, n: usize) -> Vec<usize> {
    let mut best: Vec<usize> = Vec::new();
    let mut d = f64::INFINITY;
    for o in 0..n {
        let e = (option_position(o, n) - x).abs();
        if e < d - 1e-9 {
            d = e;
            best = vec![o];
        } else if (e - d).abs() <= 1e-9 {
            best.push(o);
        }
    }
    best
}

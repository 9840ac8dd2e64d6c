//! Bueno de Mesquita's expected-utility model, as reconstructed by Scholz,
//! Calbert & Smith (2011), on one issue. The choices the reconstruction
//! leaves open are explicit parameters ([`EumParams`]); `docs/forecasting.md`
//! gives the equations and the sources.

use crate::baseline::{weighted_mean, weighted_median};
use crate::spatial::IssueInput;

/// How the probability that i beats j is formed from third parties' support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbForm {
    /// `P_ij = C_i / (C_i + C_j)`, `C_i` the weight of those closer to i
    /// (each weighted by how much closer): Scholz et al.'s coalition form.
    Coalition,
    /// The signed sum over all third parties divided by the sum of absolute
    /// terms, clipped at 0 (the variant the public re-implementation used).
    Signed,
}

/// Which central position the "better / worse" utilities refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The weighted median (BDM).
    Median,
    /// The weighted mean (the public re-implementation).
    Mean,
}

/// Parameters of the expected-utility model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EumParams {
    /// Probability that the status quo persists when i does not challenge (default 1).
    pub q: f64,
    /// Probability that change makes things better for i (default 1).
    pub t: f64,
    /// Probability form (default coalition).
    pub prob: ProbForm,
    /// Reference position μ (default median).
    pub reference: Reference,
    /// Round limit (default 20).
    pub max_rounds: usize,
    /// Stop when no position moves more than this (scale units, default 1e-6).
    pub tolerance: f64,
}

impl Default for EumParams {
    fn default() -> Self {
        EumParams {
            q: 1.0,
            t: 1.0,
            prob: ProbForm::Coalition,
            reference: Reference::Median,
            max_rounds: 20,
            tolerance: 1e-6,
        }
    }
}

/// The result: positions after each round and the forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct EumRun {
    /// Round 0 (the input) to the last round.
    pub rounds: Vec<Vec<f64>>,
    /// The reference position (μ) of the final positions.
    pub forecast: f64,
    /// Whether positions stopped moving before the round limit.
    pub converged: bool,
}

/// Width of the position scale.
const SCALE: f64 = 100.0;

/// Probability that i beats j with everyone at `x` (None if x_i = x_j).
pub fn prob_win(x: &[f64], w: &[f64], i: usize, j: usize, form: ProbForm) -> Option<f64> {
    let (mut ci, mut cj, mut signed, mut abs) = (0.0, 0.0, 0.0, 0.0);
    for k in 0..x.len() {
        let t = (x[k] - x[j]).abs() - (x[k] - x[i]).abs();
        signed += w[k] * t;
        abs += w[k] * t.abs();
        if t > 0.0 {
            ci += w[k] * t;
        } else {
            cj -= w[k] * t;
        }
    }
    match form {
        ProbForm::Coalition if ci + cj > 0.0 => Some(ci / (ci + cj)),
        ProbForm::Signed if abs > 0.0 => Some((signed / abs).max(0.0)),
        _ => None,
    }
}

fn reference(inp: &IssueInput, x: &[f64], r: Reference) -> f64 {
    let at = IssueInput {
        x: x.to_vec(),
        ..inp.clone()
    };
    match r {
        Reference::Median => weighted_median(&at),
        Reference::Mean => weighted_mean(&at),
    }
}

/// `EU[i][j]`: i's expected utility of challenging j, with risk exponents `r`.
fn expected_utilities(
    inp: &IssueInput,
    x: &[f64],
    r: &[f64],
    mu: f64,
    p: &EumParams,
) -> Vec<Vec<f64>> {
    let n = x.len();
    let w = inp.weights();
    let u = |base: f64, ri: f64| 2.0 - 4.0 * base.max(0.0).powf(ri);
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    if i == j {
                        return 0.0;
                    }
                    let Some(pij) = prob_win(x, &w, i, j, p.prob) else {
                        return 0.0;
                    };
                    let dij = (x[i] - x[j]).abs() / SCALE;
                    let dmu = ((x[i] - mu).abs() + (x[i] - x[j]).abs()) / SCALE;
                    let us = u(0.5 - 0.5 * dij, r[i]);
                    let uf = u(0.5 + 0.5 * dij, r[i]);
                    let ub = u(0.5 - 0.25 * dmu, r[i]);
                    let uw = u(0.5 + 0.25 * dmu, r[i]);
                    let usq = u(0.5, r[i]);
                    let sj = inp.s[j];
                    sj * (pij * us + (1.0 - pij) * uf) + (1.0 - sj) * us
                        - (p.q * usq + (1.0 - p.q) * (p.t * ub + (1.0 - p.t) * uw))
                })
                .collect()
        })
        .collect()
}

/// Risk exponents from security levels `S_i = Σ_j EU_ji` (computed with r = 1).
fn risk_exponents(eu1: &[Vec<f64>]) -> Vec<f64> {
    let n = eu1.len();
    let s: Vec<f64> = (0..n)
        .map(|i| (0..n).filter(|&j| j != i).map(|j| eu1[j][i]).sum())
        .collect();
    let (lo, hi) = s
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    s.iter()
        .map(|&si| {
            let big_r = if hi > lo {
                (2.0 * si - hi - lo) / (hi - lo)
            } else {
                0.0
            };
            (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
        })
        .collect()
}

/// One round: offers and responses, applied simultaneously.
fn round(inp: &IssueInput, x: &[f64], p: &EumParams) -> Vec<f64> {
    let n = x.len();
    let mu = reference(inp, x, p.reference);
    let eu1 = expected_utilities(inp, x, &vec![1.0; n], mu, p);
    let r = risk_exponents(&eu1);
    let eu = expected_utilities(inp, x, &r, mu, p);
    let mut next = x.to_vec();
    for j in 0..n {
        // The best offer j receives: largest sender EU, then the closest position.
        let best = (0..n)
            .filter(|&i| i != j && eu[i][j] > 0.0)
            .max_by(|&a, &b| {
                eu[a][j]
                    .total_cmp(&eu[b][j])
                    .then((x[b] - x[j]).abs().total_cmp(&(x[a] - x[j]).abs()))
            });
        let Some(i) = best else { continue };
        let (uj, ui) = (eu[j][i], eu[i][j]);
        next[j] = if uj > 0.0 && uj < ui {
            x[i] // conflict, j loses
        } else if uj < 0.0 && uj.abs() < ui {
            x[j] + (x[i] - x[j]) * (uj / ui).abs() // compromise
        } else if uj < 0.0 {
            x[i] // capitulation
        } else {
            x[j]
        };
    }
    next
}

/// Run the model on one issue.
pub fn run(inp: &IssueInput, p: &EumParams) -> EumRun {
    let mut rounds = vec![inp.x.clone()];
    let mut converged = false;
    for _ in 0..p.max_rounds {
        let x = rounds.last().expect("round 0");
        let next = round(inp, x, p);
        let moved = next
            .iter()
            .zip(x)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        rounds.push(next);
        if moved <= p.tolerance {
            converged = true;
            break;
        }
    }
    let last = rounds.last().expect("round 0").clone();
    EumRun {
        forecast: reference(inp, &last, p.reference),
        rounds,
        converged,
    }
}

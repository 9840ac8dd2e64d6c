//! Nash bargaining over one issue scale (the asymmetric Nash solution used
//! in the DEU studies): the position x in [0, 100] maximising
//! `Π_i (u_i(x) − u_i(q))^{w_i}` with `w_i = c_i s_i`, `u_i(x) = −|x − x_i|^α`
//! (α = 2 quadratic loss, 1 linear) and `q` the status quo. Only positions that
//! leave every actor who cares better off than the status quo qualify; when
//! none does, the status quo stands.

use crate::spatial::IssueInput;

/// Loss function of the actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// `−(x − x_i)²` (default).
    Quadratic,
    /// `−|x − x_i|`.
    Linear,
}

/// Parameters of the Nash model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NashParams {
    /// Status quo on the 0–100 scale (default 0, the issue's first option).
    pub status_quo: f64,
    /// Loss function (default quadratic).
    pub loss: Loss,
}

impl Default for NashParams {
    fn default() -> Self {
        NashParams {
            status_quo: 0.0,
            loss: Loss::Quadratic,
        }
    }
}

/// The Nash bargaining position, searched on a grid of 0.01 scale units
/// (ties: the lowest position).
pub fn solve(inp: &IssueInput, p: &NashParams) -> f64 {
    let w = inp.weights();
    let u = |x: f64, xi: f64| -> f64 {
        match p.loss {
            Loss::Quadratic => -(x - xi) * (x - xi),
            Loss::Linear => -(x - xi).abs(),
        }
    };
    let mut best: Option<(f64, f64)> = None;
    for k in 0..=10_000 {
        let x = k as f64 / 100.0;
        let mut obj = 0.0;
        let mut ok = true;
        for ((xi, wi), _) in inp.x.iter().zip(&w).zip(&inp.c) {
            if *wi <= 0.0 {
                continue;
            }
            let gain = u(x, *xi) - u(p.status_quo, *xi);
            if gain <= 0.0 {
                ok = false;
                break;
            }
            obj += wi * gain.ln();
        }
        if ok && best.is_none_or(|(b, _)| obj > b) {
            best = Some((obj, x));
        }
    }
    best.map_or(p.status_quo, |(_, x)| x)
}

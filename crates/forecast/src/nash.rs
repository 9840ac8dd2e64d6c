//! Nash bargaining over one issue scale (the asymmetric Nash solution used
//! in the DEU studies): the position x in [0, 100] maximising
//! `Π_i (u_i(x) − u_i(q))^{w_i}` with `w_i = c_i s_i`, `u_i(x) = −|x − x_i|^α`
//! (α = 2 quadratic loss, 1 linear) and `q` the status quo (the scenario's
//! `[status_quo]` option when it declares one, else the first option). Only positions that
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
    /// Status quo on the 0–100 scale for issues whose input names none
    /// (`IssueInput::q`); default 0, the issue's first option.
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

/// The Nash bargaining position on the grid of 0.01 scale units (ties: the
/// lowest position). Every actor who cares gains exactly on the open
/// interval `(x_i − d_i, x_i + d_i)`, `d_i = |q − x_i|`, so the feasible set
/// is an interval; on it the objective is strictly concave (each gain is
/// concave and positive, its logarithm strictly concave), so a ternary search
/// over the grid indices finds the grid optimum in about 50 evaluations.
pub fn solve(inp: &IssueInput, p: &NashParams) -> f64 {
    let p = &NashParams {
        status_quo: inp.q.unwrap_or(p.status_quo),
        ..*p
    };
    let w = inp.weights();
    let u = |x: f64, xi: f64| -> f64 {
        match p.loss {
            Loss::Quadratic => -(x - xi) * (x - xi),
            Loss::Linear => -(x - xi).abs(),
        }
    };
    let objective = |k: i64| -> Option<f64> {
        let x = k as f64 / 100.0;
        let mut obj = 0.0;
        for (xi, wi) in inp.x.iter().zip(&w) {
            if *wi <= 0.0 {
                continue;
            }
            let gain = u(x, *xi) - u(p.status_quo, *xi);
            if gain <= 0.0 {
                return None;
            }
            obj += wi * gain.ln();
        }
        Some(obj)
    };
    // The feasible interval, as grid indices (then checked point by point at
    // its ends, so rounding cannot admit an infeasible point).
    let (mut lo, mut hi) = (0.0f64, 100.0f64);
    for (xi, wi) in inp.x.iter().zip(&w) {
        if *wi > 0.0 {
            let d = (p.status_quo - xi).abs();
            lo = lo.max(xi - d);
            hi = hi.min(xi + d);
        }
    }
    if lo >= hi {
        return p.status_quo;
    }
    let mut a = ((lo * 100.0).floor() as i64).max(0);
    let mut b = ((hi * 100.0).ceil() as i64).min(10_000);
    while a <= b && objective(a).is_none() {
        a += 1;
    }
    while b >= a && objective(b).is_none() {
        b -= 1;
    }
    if a > b {
        return p.status_quo;
    }
    let f = |k: i64| objective(k).unwrap_or(f64::NEG_INFINITY);
    while b - a > 2 {
        let m1 = a + (b - a) / 3;
        let m2 = b - (b - a) / 3;
        if f(m1) < f(m2) {
            a = m1 + 1;
        } else {
            b = m2;
        }
    }
    let mut best = a;
    for k in a + 1..=b {
        if f(k) > f(best) {
            best = k;
        }
    }
    best as f64 / 100.0
}

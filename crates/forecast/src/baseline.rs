//! Central-tendency baselines: the compromise model (weighted mean), the
//! weighted median and the pairwise (Condorcet) vote.

use crate::spatial::IssueInput;

/// Compromise model: `Σ c s x / Σ c s` (Achen; DEU).
pub fn weighted_mean(inp: &IssueInput) -> f64 {
    let w = inp.weights();
    let total: f64 = w.iter().sum();
    w.iter().zip(&inp.x).map(|(w, x)| w * x).sum::<f64>() / total
}

/// Weighted median: the smallest position whose cumulative weight (actors
/// sorted by position) reaches half the total. When the cumulative weight
/// equals exactly half at a position, that (lower) position is returned.
pub fn weighted_median(inp: &IssueInput) -> f64 {
    let w = inp.weights();
    let total: f64 = w.iter().sum();
    let mut order: Vec<usize> = (0..inp.x.len()).collect();
    order.sort_by(|&a, &b| inp.x[a].total_cmp(&inp.x[b]));
    let mut cum = 0.0;
    for &i in &order {
        cum += w[i];
        if cum >= total / 2.0 - 1e-12 * total {
            return inp.x[i];
        }
    }
    inp.x[*order.last().expect("at least one actor")]
}

/// `V(j, k) = Σ_i w_i (|x_i − x_k| − |x_i − x_j|) / (x_max − x_min)`: the
/// weighted vote for candidate position `xj` against `xk`.
pub fn pairwise_vote(inp: &IssueInput, xj: f64, xk: f64) -> f64 {
    let w = inp.weights();
    let (lo, hi) = inp
        .x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
            (l.min(x), h.max(x))
        });
    let range = if hi > lo { hi - lo } else { 1.0 };
    inp.x
        .iter()
        .zip(&w)
        .map(|(x, w)| w * ((x - xk).abs() - (x - xj).abs()))
        .sum::<f64>()
        / range
}

/// The actor position that beats every other actor position in a pairwise
/// vote, if one does (it always does in one dimension, where it is the
/// weighted median, unless the vote ties).
pub fn condorcet_winner(inp: &IssueInput) -> Option<f64> {
    let mut xs = inp.x.clone();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    // A vote within rounding of zero is a tie, not a win: sums of the same
    // weights in another order must not make a Condorcet winner.
    let tie = 1e-12 * inp.weights().iter().sum::<f64>();
    xs.iter()
        .copied()
        .find(|&j| xs.iter().all(|&k| k == j || pairwise_vote(inp, j, k) > tie))
}

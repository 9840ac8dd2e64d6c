//! How Monte Carlo studies perturb a scenario's assumptions: the bands, and
//! one seeded generator per run. Shared by the forecasting sensitivity and
//! the analysis robustness, so "an assumption perturbed" means the same in
//! both. Only claims no quote states are perturbed (see [`crate::claims`]).

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// The documented bands (docs/forecasting.md §6, docs/json-report.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bands {
    /// An assumed option value moves by U(−v, +v), clamped to [0, 1].
    pub value: f64,
    /// Each assumed salience is multiplied by U(1 − s, 1 + s), then the
    /// actor's saliences are renormalised.
    pub salience: f64,
    /// An assumed power is multiplied by U(1 − p, 1 + p).
    pub power: f64,
    /// An assumed reservation moves by U(−r, +r), clamped to [0, 1].
    pub reservation: f64,
    /// Each assumed red line is dropped with this probability.
    pub red_line_drop: f64,
    /// Each demand a party states ([`crate::Scenario::stated_demands`]) is
    /// made a red line with this probability: a stated best option insisted
    /// on (every other option of the issue rejected), a stated worst option
    /// refused.
    pub red_line_add: f64,
    /// Each assumed status-quo option moves to a neighbouring option with
    /// this probability.
    pub status_quo_move: f64,
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            value: 0.2,
            salience: 0.5,
            power: 0.5,
            reservation: 0.1,
            red_line_drop: 0.25,
            red_line_add: 0.1,
            status_quo_move: 0.25,
        }
    }
}

/// The generator of one run, from the seed and the run's coordinates
/// (SplitMix-style mixing): the same coordinates give the same draws, on
/// any thread, in any order.
pub fn rng_for(seed: u64, phase: u64, a: u64, run: u64) -> ChaCha8Rng {
    let mut z = seed
        ^ phase.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ a.wrapping_mul(0xBF58_476D_1CE4_E5B9)
        ^ run.wrapping_mul(0x94D0_49BB_1331_11EB);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ChaCha8Rng::seed_from_u64(z ^ (z >> 31))
}

/// `U(−spread, +spread)`.
pub fn jitter(rng: &mut ChaCha8Rng, spread: f64) -> f64 {
    rng.random_range(-spread..=spread)
}

/// `x + U(−spread, +spread)`, clamped to [0, 1] (values, reservations).
pub fn shift(rng: &mut ChaCha8Rng, x: f64, spread: f64) -> f64 {
    (x + jitter(rng, spread)).clamp(0.0, 1.0)
}

/// `x × U(1 − spread, 1 + spread)` (saliences, powers).
pub fn scale(rng: &mut ChaCha8Rng, x: f64, spread: f64) -> f64 {
    x * rng.random_range(1.0 - spread..=1.0 + spread)
}

/// Divide by the sum, when it is positive.
pub fn renormalise(xs: &mut [f64]) {
    let total: f64 = xs.iter().sum();
    if total > 0.0 {
        xs.iter_mut().for_each(|x| *x /= total);
    }
}

/// Whether an event of probability `p` happens.
pub fn happens(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// A uniformly chosen index below `n` (n > 0).
pub fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    rng.random_range(0..n)
}

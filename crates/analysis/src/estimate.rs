//! A labelled estimate of the agreement space's size, for spaces the exact
//! methods cannot count within the work limit (four or more actors, or
//! interaction terms and combinations, above `--limit` packages). It goes
//! only into the refusal that says exact analysis is out of reach, never in
//! place of a count.

use zopa_model::{perturb, OutcomeSpace, Scenario, UtilityModel};

/// Packages sampled for an estimate.
pub const SAMPLES: u64 = 100_000;

/// Seed of the sample (fixed: the same scenario gives the same estimate).
pub const SEED: u64 = 0;

/// The share of packages in the agreement space, estimated from a uniform
/// sample, with a 95% Wilson score interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Packages in the space.
    pub space: u64,
    /// Packages sampled (uniformly, with repetition).
    pub samples: u64,
    /// Sampled packages in the agreement space.
    pub hits: u64,
    /// The sample's seed.
    pub seed: u64,
    /// hits / samples.
    pub share: f64,
    /// The 95% Wilson score interval of the share.
    pub interval: (f64, f64),
}

impl std::fmt::Display for Estimate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |x: f64| 100.0 * x;
        write!(
            f,
            "estimate, not exact: {:.3}% of the packages are in the agreement space \
             (95% confidence interval {:.3}%–{:.3}%, about {:.3e} of {} packages), \
             from {} uniformly sampled packages (seed {})",
            pct(self.share),
            pct(self.interval.0),
            pct(self.interval.1),
            self.share * self.space as f64,
            self.space,
            self.samples,
            self.seed
        )
    }
}

/// The generator's phase (see [`zopa_model::perturb::rng_for`]).
const PHASE: u64 = 15;

/// Estimate the agreement space's share of `space` from `samples` packages
/// drawn uniformly, with repetition.
pub fn agreement(s: &Scenario, space: &OutcomeSpace, samples: u64, seed: u64) -> Estimate {
    let model = UtilityModel::new(s);
    let mut rng = perturb::rng_for(seed, PHASE, 0, 0);
    let size = usize::try_from(space.size()).expect("package numbers fit in 64 bits");
    let mut options = vec![0; space.n_issues()];
    let mut u = vec![0.0; s.n_actors()];
    let mut hits = 0u64;
    for _ in 0..samples {
        let index = perturb::index(&mut rng, size) as u64;
        space.decode(index, &mut options);
        model.utilities(&options, &mut u);
        hits += s
            .actors()
            .iter()
            .zip(&u)
            .all(|(a, &x)| a.accepts(&options, x)) as u64;
    }
    let share = hits as f64 / samples.max(1) as f64;
    Estimate {
        space: space.size(),
        samples,
        hits,
        seed,
        share,
        interval: wilson(hits, samples),
    }
}

/// The 95% Wilson score interval of a proportion of `hits` in `n` trials.
fn wilson(hits: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (z, n) = (1.959_963_984_540_054, n as f64);
    let p = hits as f64 / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_matches_reference_values() {
        // 50 of 100: the textbook interval is [0.4038, 0.5962].
        let (lo, hi) = wilson(50, 100);
        assert!(
            (lo - 0.4038).abs() < 1e-4 && (hi - 0.5962).abs() < 1e-4,
            "{lo} {hi}"
        );
        // None of 100: [0, 0.0370].
        let (lo, hi) = wilson(0, 100);
        assert!(lo.abs() < 1e-12 && (hi - 0.0370).abs() < 1e-4, "{lo} {hi}");
    }
}

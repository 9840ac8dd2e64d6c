//! The packages of an outcome space with every actor's utility and whether
//! each is in the agreement space (`zopa.space/1`): what a plot of the
//! agreement space draws. Spaces above the point budget are sampled
//! deterministically (every frontier package is in the analysis report).

use serde::Serialize;
use zopa_model::{OutcomeSpace, UtilityModel};

use crate::{AppError, Loaded};

use zopa_model::limits::MAX_POINTS;

/// Why a package is or is not acceptable to every party.
pub const STATUS: [&str; 3] = ["red_line", "below_reservation", "agreement"];

/// `zopa.space/1`, columnar: package `k` is `index[k]`, with utility
/// `utilities[a][k]` for actor `a` and status `STATUS[status[k]]`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SpaceDoc {
    /// `zopa.space/1`.
    pub schema: &'static str,
    /// The actors' ids, in order.
    pub actors: Vec<String>,
    /// Packages in the space.
    pub size: u64,
    /// Packages listed here.
    pub listed: u64,
    /// Whether the listed packages are a sample of the space.
    pub sampled: bool,
    /// Package indices (mixed radix, last issue fastest), ascending.
    pub index: Vec<u64>,
    /// Per actor, the utility of each listed package.
    pub utilities: Vec<Vec<f64>>,
    /// Per package, an index into `status_names`.
    pub status: Vec<u8>,
    /// `red_line` (some actor rejects one of its options),
    /// `below_reservation` (no red line, but below some reservation),
    /// `agreement` (in the ZOPA).
    pub status_names: [&'static str; 3],
}

/// Packages a space document lists when the request does not say.
pub const DEFAULT_POINTS: u64 = 20_000;

/// The space's packages, all of them when at most `points`, else `points`
/// of them drawn without repetition by a fixed permutation (the same
/// sample every time). The work is proportional to `points`, whatever the
/// size of the space.
pub fn space(loaded: &Loaded, points: u64) -> Result<SpaceDoc, AppError> {
    if points == 0 {
        return Err(AppError::Usage("ask for at least 1 point".into()));
    }
    zopa_model::limits::check("the points asked for", u128::from(points), MAX_POINTS, None)?;
    let s = &loaded.scenario;
    let space = OutcomeSpace::numbered(&s.radices())?;
    let model = UtilityModel::new(s);
    let size = space.size();
    let index = sample(size, points);
    let n = s.actors().len();
    let mut utilities = vec![Vec::with_capacity(index.len()); n];
    let mut status = Vec::with_capacity(index.len());
    let mut options = vec![0; space.n_issues()];
    let mut u = vec![0.0; n];
    for &i in &index {
        space.decode(i, &mut options);
        model.utilities(&options, &mut u);
        let red = s.actors().iter().any(|a| a.rejects_package(&options));
        let below = s
            .actors()
            .iter()
            .zip(&u)
            .any(|(a, &x)| !zopa_model::meets_reservation(x, a.reservation));
        status.push(match (red, below) {
            (true, _) => 0,
            (false, true) => 1,
            (false, false) => 2,
        });
        for (col, &x) in utilities.iter_mut().zip(&u) {
            col.push(x);
        }
    }
    Ok(SpaceDoc {
        schema: "zopa.space/1",
        actors: s.actors().iter().map(|a| a.id.clone()).collect(),
        size,
        listed: index.len() as u64,
        sampled: (index.len() as u64) < size,
        index,
        utilities,
        status,
        status_names: STATUS,
    })
}

/// `0..size` when it has at most `points` elements, else `points` distinct
/// indices `k·P mod size` (P = 2^61 − 1, a prime above any size, so the map
/// is a permutation), sorted.
fn sample(size: u64, points: u64) -> Vec<u64> {
    if size <= points {
        return (0..size).collect();
    }
    const P: u128 = (1 << 61) - 1;
    let mut v: Vec<u64> = (0..points)
        .map(|k| ((u128::from(k) * P) % u128::from(size)) as u64)
        .collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over every package: the statuses count the space's
    /// agreement and no-red-line sizes as the analysis does.
    #[test]
    fn statuses_count_as_the_analysis() {
        let inp = crate::input::resolve(None, None).unwrap();
        let l = crate::input::load(&inp, 1_000_000).unwrap();
        let d = space(&l, MAX_POINTS).unwrap();
        let a = zopa_analysis::analyze(&l.scenario, &Default::default()).unwrap();
        assert!(!d.sampled);
        assert_eq!(d.listed, a.space_size);
        let count = |k: u8| d.status.iter().filter(|&&x| x == k).count() as u64;
        assert_eq!(count(2), a.agreement_size);
        assert_eq!(count(1) + count(2), a.no_red_line_size);
    }

    #[test]
    fn samples_are_distinct_sorted_and_fixed() {
        for (size, points) in [(10u64, 3u64), (1_000_003, 1000), (1 << 40, 5000)] {
            let v = sample(size, points);
            assert_eq!(v.len() as u64, points);
            assert!(v.windows(2).all(|w| w[0] < w[1]), "{size}");
            assert!(v.iter().all(|&i| i < size));
            assert_eq!(v, sample(size, points));
        }
        assert_eq!(sample(5, 10), vec![0, 1, 2, 3, 4]);
    }
}

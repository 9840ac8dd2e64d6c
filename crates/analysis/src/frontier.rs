//! A compact store for sets of packages with every actor's utility: the
//! Pareto frontiers an [`crate::Analysis`] holds.
//!
//! Two contiguous arrays, no per-package allocation: the package numbers,
//! and the utilities actor by actor (m per package). Options are not stored:
//! a package number *is* its options packed in mixed radix, decoded on demand
//! ([`PackageRef::options`]). A package of m actors costs 8 + 8m bytes (48 for
//! five actors), against some 180 for a package with its own option and
//! utility vectors.

use zopa_model::OutcomeSpace;

use crate::Point;

/// Packages with every actor's utility, sorted by utility sum (descending),
/// then package number (ascending).
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    space: OutcomeSpace,
    actors: usize,
    indices: Vec<u64>,
    utilities: Vec<f64>,
}

/// One package of a [`Frontier`], borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackageRef<'a> {
    /// Package number (mixed radix, last issue fastest).
    pub index: u64,
    /// Utility per actor.
    pub utilities: &'a [f64],
    space: &'a OutcomeSpace,
}

impl PackageRef<'_> {
    /// Option index per issue, decoded from the package number.
    pub fn options(&self) -> Vec<usize> {
        self.space.options_of(self.index)
    }

    /// The package as an owned [`Point`].
    pub fn to_point(&self) -> Point {
        Point {
            index: self.index,
            options: self.options(),
            utilities: self.utilities.to_vec(),
        }
    }
}

impl Frontier {
    /// The packages numbered `indices` of `space`, with `utilities` m by m
    /// (`m = actors`), put in frontier order: utility sum descending, then
    /// package number.
    ///
    /// # Panics
    /// If `utilities` does not hold `actors` values per package (a caller's
    /// bug, not an input error).
    pub fn new(
        space: &OutcomeSpace,
        actors: usize,
        indices: Vec<u64>,
        utilities: Vec<f64>,
    ) -> Self {
        assert_eq!(
            indices.len() * actors,
            utilities.len(),
            "m utilities a package"
        );
        let sums: Vec<f64> = utilities
            .chunks_exact(actors.max(1))
            .map(|u| u.iter().sum())
            .collect();
        let mut order: Vec<usize> = (0..indices.len()).collect();
        order.sort_by(|&a, &b| {
            sums[b]
                .total_cmp(&sums[a])
                .then(indices[a].cmp(&indices[b]))
        });
        let mut f = Frontier::empty(space, actors);
        f.indices.reserve_exact(order.len());
        f.utilities.reserve_exact(utilities.len());
        for k in order {
            f.push(indices[k], &utilities[k * actors..(k + 1) * actors]);
        }
        f
    }

    /// No package.
    pub fn empty(space: &OutcomeSpace, actors: usize) -> Self {
        Frontier {
            space: space.clone(),
            actors,
            indices: Vec::new(),
            utilities: Vec::new(),
        }
    }

    fn push(&mut self, index: u64, utilities: &[f64]) {
        self.indices.push(index);
        self.utilities.extend_from_slice(utilities);
    }

    /// Number of packages.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether there is no package.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// Number of actors (utilities per package).
    pub fn actors(&self) -> usize {
        self.actors
    }

    /// The `k`-th package (`None` past the end).
    pub fn get(&self, k: usize) -> Option<PackageRef<'_>> {
        let index = *self.indices.get(k)?;
        Some(PackageRef {
            index,
            utilities: &self.utilities[k * self.actors..(k + 1) * self.actors],
            space: &self.space,
        })
    }

    /// The packages in frontier order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = PackageRef<'_>> + '_ {
        (0..self.len()).map(|k| self.get(k).expect("k < len"))
    }

    /// The packages for which `keep` holds, in the same order.
    pub fn filter(&self, mut keep: impl FnMut(&PackageRef<'_>) -> bool) -> Frontier {
        let mut f = Frontier::empty(&self.space, self.actors);
        for p in self.iter().filter(|p| keep(p)) {
            f.push(p.index, p.utilities);
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_sum_then_number_and_decodes_options() {
        let space = OutcomeSpace::numbered(&[2, 3]).unwrap();
        // Packages 5 (1,2), 0 (0,0), 3 (1,0), 4 (1,1); sums 1.0, 1.5, 1.5, 0.2.
        let f = Frontier::new(
            &space,
            2,
            vec![5, 0, 3, 4],
            vec![0.5, 0.5, 1.0, 0.5, 0.75, 0.75, 0.1, 0.1],
        );
        let order: Vec<u64> = f.iter().map(|p| p.index).collect();
        assert_eq!(order, [0, 3, 5, 4]);
        assert_eq!(f.get(1).unwrap().utilities, &[0.75, 0.75]);
        assert_eq!(f.get(2).unwrap().options(), [1, 2]);
        assert_eq!(f.get(4), None);
        let p = f.get(1).unwrap().to_point();
        assert_eq!(
            (p.index, p.options, p.utilities),
            (3, vec![1, 0], vec![0.75, 0.75])
        );
        let kept = f.filter(|p| p.utilities[0] > 0.6);
        assert_eq!(kept.iter().map(|p| p.index).collect::<Vec<_>>(), [0, 3]);
        assert_eq!(kept.len(), 2);
        assert!(f.filter(|_| false).is_empty());
    }
}

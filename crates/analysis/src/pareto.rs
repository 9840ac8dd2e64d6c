//! Exact N-party Pareto frontier of a finite set of utility vectors.
//!
//! A point is on the frontier iff no other point weakly dominates it (≥ in
//! every coordinate and > in at least one). Points with equal vectors do not
//! dominate each other, so duplicates of a frontier vector are all kept.

use std::cmp::Ordering;

/// Indices (ascending) of the non-dominated rows of `points`, a row-major
/// `n × m` table (`m ≥ 1` utilities per point).
///
/// Two parties: sort and sweep, O(n log n). More parties: sort by utility sum
/// (descending) and filter against the frontier found so far, O(n log n + n·f)
/// where f is the frontier size. Memory is O(n) indices; nothing is n².
pub fn frontier(points: &[f64], m: usize) -> Vec<usize> {
    assert!(m >= 1 && points.len() % m == 0);
    let n = points.len() / m;
    let row = |i: usize| &points[i * m..(i + 1) * m];
    let mut order: Vec<usize> = (0..n).collect();
    let mut keep = if m == 2 {
        // Sort by u0 desc, then u1 desc; a point survives iff its u1 beats every
        // u1 seen at a strictly larger u0, and it is the best u1 at its own u0.
        order.sort_unstable_by(|&a, &b| {
            let (ra, rb) = (row(a), row(b));
            cmp_desc(ra[0], rb[0]).then(cmp_desc(ra[1], rb[1]))
        });
        let mut keep = Vec::new();
        let mut best_prev = f64::NEG_INFINITY; // best u1 among strictly larger u0
        let mut g = 0;
        while g < n {
            let u0 = row(order[g])[0];
            let mut end = g;
            while end < n && row(order[end])[0] == u0 {
                end += 1;
            }
            let top = row(order[g])[1];
            if top > best_prev {
                keep.extend(
                    order[g..end]
                        .iter()
                        .copied()
                        .take_while(|&i| row(i)[1] == top),
                );
            }
            best_prev = best_prev.max(top);
            g = end;
        }
        keep
    } else {
        // Monotone order: if p dominates q then sum(p) ≥ sum(q) (floating-point
        // addition is monotone) and p precedes q lexicographically, so every
        // dominator of a point comes before it.
        let sums: Vec<f64> = (0..n).map(|i| row(i).iter().sum()).collect();
        order.sort_unstable_by(|&a, &b| {
            cmp_desc(sums[a], sums[b]).then_with(|| {
                row(a)
                    .iter()
                    .zip(row(b))
                    .map(|(x, y)| cmp_desc(*x, *y))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        });
        let mut keep: Vec<usize> = Vec::new();
        for &i in &order {
            let p = row(i);
            if !keep.iter().any(|&f| dominates(row(f), p)) {
                keep.push(i);
            }
        }
        keep
    };
    keep.sort_unstable();
    keep
}

/// Whether `a` weakly dominates `b`: ≥ everywhere and > somewhere.
#[inline]
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strict = false;
    for (x, y) in a.iter().zip(b) {
        if x < y {
            return false;
        }
        if x > y {
            strict = true;
        }
    }
    strict
}

fn cmp_desc(a: f64, b: f64) -> Ordering {
    b.total_cmp(&a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(points: &[f64], m: usize) -> Vec<usize> {
        let n = points.len() / m;
        let row = |i: usize| &points[i * m..(i + 1) * m];
        (0..n)
            .filter(|&i| !(0..n).any(|j| dominates(row(j), row(i))))
            .collect()
    }

    #[test]
    fn keeps_duplicates_and_drops_dominated() {
        // (1,1) twice, (2,0), (0,2), (1,0.5) dominated, (0,0) dominated.
        let pts = [1.0, 1.0, 2.0, 0.0, 0.0, 2.0, 1.0, 0.5, 1.0, 1.0, 0.0, 0.0];
        assert_eq!(frontier(&pts, 2), vec![0, 1, 2, 4]);
        let pts3: Vec<f64> = pts.chunks(2).flat_map(|c| [c[0], c[1], 0.0]).collect();
        assert_eq!(frontier(&pts3, 3), vec![0, 1, 2, 4]);
    }

    proptest! {
        // Coarse values make ties and duplicates common.
        #[test]
        fn matches_brute_force(m in 1usize..=5, raw in proptest::collection::vec(0u8..6, 0..300)) {
            let n = raw.len() / m;
            let pts: Vec<f64> = raw[..n * m].iter().map(|&x| x as f64 / 5.0).collect();
            prop_assert_eq!(frontier(&pts, m), brute(&pts, m));
        }

        #[test]
        fn matches_brute_force_continuous(m in 2usize..=4, pts in proptest::collection::vec(0.0f64..1.0, 0..400)) {
            let n = pts.len() / m;
            let pts = &pts[..n * m];
            prop_assert_eq!(frontier(pts, m), brute(pts, m));
        }
    }
}

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
    assert!(m >= 1 && points.len().is_multiple_of(m));
    let n = points.len() / m;
    let row = |i: usize| &points[i * m..(i + 1) * m];
    let mut keep = if m == 2 {
        let mut order: Vec<usize> = (0..n).collect();
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
    } else if m == 3 {
        frontier3(points)
    } else {
        sort_filter(points, m, dominates)
    };
    keep.sort_unstable();
    keep
}

/// Totally ordered f64 key (utilities are finite; -0.0 is folded into 0.0).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0 + 0.0).total_cmp(&(other.0 + 0.0))
    }
}

/// A 2-D staircase of points `(a, b)`: answers "is there a point with
/// a' ≥ a and b' ≥ b?" in O(log n). Keys ascend while values strictly descend.
#[derive(Default)]
struct Staircase(std::collections::BTreeMap<Key, f64>);

impl Staircase {
    fn covers(&self, a: f64, b: f64) -> bool {
        self.0.range(Key(a)..).next().is_some_and(|(_, &v)| v >= b)
    }
    fn insert(&mut self, a: f64, b: f64) {
        if self.covers(a, b) {
            return;
        }
        let stale: Vec<Key> = self
            .0
            .range(..=Key(a))
            .rev()
            .take_while(|(_, &v)| v <= b)
            .map(|(k, _)| *k)
            .collect();
        for k in stale {
            self.0.remove(&k);
        }
        self.0.insert(Key(a), b);
    }
}

/// Exact three-party frontier in O(n log n): sweep by the first utility
/// (descending) with a staircase of the other two; points with equal first
/// utility are compared among themselves in two dimensions.
fn frontier3(points: &[f64]) -> Vec<usize> {
    let n = points.len() / 3;
    let row = |i: usize| &points[i * 3..i * 3 + 3];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| {
        let (ra, rb) = (row(a), row(b));
        cmp_desc(ra[0], rb[0])
            .then(cmp_desc(ra[1], rb[1]))
            .then(cmp_desc(ra[2], rb[2]))
    });
    let mut stairs = Staircase::default();
    let mut keep = Vec::new();
    let mut g = 0;
    while g < n {
        let u0 = row(order[g])[0];
        let mut end = g;
        while end < n && row(order[end])[0] == u0 {
            end += 1;
        }
        // Within the group (sorted by u1, then u2, descending): a point is
        // dominated by one with larger u1 and no smaller u2, or with equal u1
        // and larger u2.
        let mut survivors = Vec::new();
        let mut best_prev = f64::NEG_INFINITY; // best u2 among strictly larger u1
        let mut k = g;
        while k < end {
            let u1 = row(order[k])[1];
            let mut sub_end = k;
            while sub_end < end && row(order[sub_end])[1] == u1 {
                sub_end += 1;
            }
            let top = row(order[k])[2];
            for &i in &order[k..sub_end] {
                let r = row(i);
                let in_group = r[2] < top || best_prev >= r[2];
                if !in_group && !stairs.covers(r[1], r[2]) {
                    survivors.push(i);
                }
            }
            best_prev = best_prev.max(top);
            k = sub_end;
        }
        for &i in &survivors {
            let r = row(i);
            stairs.insert(r[1], r[2]);
        }
        keep.extend(survivors);
        g = end;
    }
    keep
}

/// Three-party version of [`clearly_undominated`] in O(n log n): q is
/// clearly dominated iff some p ≥ q exceeds it by more than `margin` in
/// coordinate 0 (a staircase of the points with p0 > q0 + margin, queried at
/// (q1, q2)), or in coordinate 1 or 2 (a staircase of the points with
/// p0 ≥ q0, queried strictly above q1 + margin or q2 + margin).
fn clearly3(points: &[f64], margin: f64) -> Vec<usize> {
    let n = points.len() / 3;
    let row = |i: usize| &points[i * 3..i * 3 + 3];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| cmp_desc(row(a)[0], row(b)[0]));
    let mut far = Staircase::default(); // p0 > q0 + margin
    let mut near = Staircase::default(); // p0 >= q0
    let (mut in_far, mut in_near) = (0, 0);
    let mut keep = Vec::new();
    let mut g = 0;
    while g < n {
        let q0 = row(order[g])[0];
        let mut end = g;
        while end < n && row(order[end])[0] == q0 {
            end += 1;
        }
        while in_near < end {
            let p = row(order[in_near]);
            near.insert(p[1], p[2]);
            in_near += 1;
        }
        while in_far < n && row(order[in_far])[0] > q0 + margin {
            let p = row(order[in_far]);
            far.insert(p[1], p[2]);
            in_far += 1;
        }
        for &q in &order[g..end] {
            let r = row(q);
            let by0 = far.covers(r[1], r[2]);
            let by1 = near
                .0
                .range((
                    std::ops::Bound::Excluded(Key(r[1] + margin)),
                    std::ops::Bound::Unbounded,
                ))
                .next()
                .is_some_and(|(_, &v)| v >= r[2]);
            let by2 = near
                .0
                .range(Key(r[1])..)
                .next()
                .is_some_and(|(_, &v)| v > r[2] + margin);
            if !(by0 || by1 || by2) {
                keep.push(q);
            }
        }
        g = end;
    }
    keep
}

/// Indices (ascending) of the rows not *clearly* dominated: a row is dropped
/// only when another is ≥ in every coordinate and greater by more than
/// `margin` in one. Rows within `margin` of a dominator are kept, so the
/// result is a superset of [`frontier`], and dropping is safe even after
/// further floating-point sums (adding the same terms to both rows cannot
/// make a margin-dominated row non-dominated).
pub fn clearly_undominated(points: &[f64], m: usize, margin: f64) -> Vec<usize> {
    assert!(m >= 1 && points.len().is_multiple_of(m));
    if m == 3 {
        let mut keep = clearly3(points, margin);
        keep.sort_unstable();
        return keep;
    }
    let mut keep = sort_filter(points, m, |a, b| {
        a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| *x > y + margin)
    });
    keep.sort_unstable();
    keep
}

/// Sort-filter skyline: visit rows by utility sum (descending, ties
/// lexicographically descending) and keep those no kept row `beats`.
///
/// Correct for any `beats` that implies "≥ in every coordinate" and is
/// transitive through kept rows: then every beater of a row comes before it
/// (floating-point addition is monotone, so sum(a) ≥ sum(b)).
fn sort_filter(points: &[f64], m: usize, beats: impl Fn(&[f64], &[f64]) -> bool) -> Vec<usize> {
    let n = points.len() / m;
    let row = |i: usize| &points[i * m..(i + 1) * m];
    let sums: Vec<f64> = (0..n).map(|i| row(i).iter().sum()).collect();
    let mut order: Vec<usize> = (0..n).collect();
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
    // Kept rows stored contiguously for cache-friendly scans.
    let mut kept_rows: Vec<f64> = Vec::new();
    let mut keep: Vec<usize> = Vec::new();
    // Equal rows are adjacent in this order and share their fate: a row equal
    // to the one before reuses its verdict instead of scanning (so n equal
    // rows cost O(n), not O(n²)).
    let mut prev: Option<(usize, bool)> = None;
    for &i in &order {
        let p = row(i);
        let kept = match prev {
            Some((j, verdict)) if row(j) == p => verdict,
            _ => !kept_rows.chunks_exact(m).any(|f| beats(f, p)),
        };
        if kept {
            keep.push(i);
            kept_rows.extend_from_slice(p);
        }
        prev = Some((i, kept));
    }
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
        fn clearly_undominated_keeps_the_frontier_and_drops_only_clear_losers(
            m in 1usize..=4, raw in proptest::collection::vec(0u8..6, 0..200), margin in 0.0f64..0.3) {
            let n = raw.len() / m;
            let pts: Vec<f64> = raw[..n * m].iter().map(|&x| x as f64 / 5.0).collect();
            let kept = clearly_undominated(&pts, m, margin);
            let row = |i: usize| &pts[i * m..(i + 1) * m];
            for i in 0..n {
                let clear_loser = (0..n).any(|j| {
                    row(j).iter().zip(row(i)).all(|(x, y)| x >= y)
                        && row(j).iter().zip(row(i)).any(|(x, y)| *x > y + margin)
                });
                prop_assert_eq!(kept.binary_search(&i).is_ok(), !clear_loser, "row {}", i);
            }
        }

        #[test]
        fn three_party_clear_dominance_matches_brute_force(
            raw in proptest::collection::vec(0u8..12, 0..300), margin in prop_oneof![Just(0.0), Just(0.1), 0.0f64..0.3]) {
            let n = raw.len() / 3;
            let pts: Vec<f64> = raw[..n * 3].iter().map(|&x| x as f64 / 10.0).collect();
            let kept = clearly_undominated(&pts, 3, margin);
            let row = |i: usize| &pts[i * 3..i * 3 + 3];
            for i in 0..n {
                let loser = (0..n).any(|j| {
                    row(j).iter().zip(row(i)).all(|(x, y)| x >= y)
                        && row(j).iter().zip(row(i)).any(|(x, y)| *x > y + margin)
                });
                prop_assert_eq!(kept.binary_search(&i).is_ok(), !loser, "row {}", i);
            }
        }

        #[test]
        fn matches_brute_force_continuous(m in 2usize..=4, pts in proptest::collection::vec(0.0f64..1.0, 0..400)) {
            let n = pts.len() / m;
            let pts = &pts[..n * m];
            prop_assert_eq!(frontier(pts, m), brute(pts, m));
        }
    }
}

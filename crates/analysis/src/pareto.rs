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

/// [`frontier`] with utilities compared on zopa's grid
/// ([`zopa_model::UTILITY_GRID`]): rows whose utilities round to the same
/// multiples of 10^-9 tie, so the result does not depend on how each sum was
/// associated. Used by zopa's own analysis; NegMAS's semantics compare the
/// floats themselves ([`frontier`]).
pub fn frontier_on_grid(points: &[f64], m: usize) -> Vec<usize> {
    let snapped: Vec<f64> = points
        .iter()
        .map(|&u| zopa_model::on_utility_grid(u))
        .collect();
    frontier(&snapped, m)
}

/// The rows `keep` of a table of package numbers `idx` with their
/// utilities `utils` (m per package): what a skyline's answer keeps.
pub(crate) fn select(keep: &[usize], idx: &[u64], utils: &[f64], m: usize) -> (Vec<u64>, Vec<f64>) {
    (
        keep.iter().map(|&q| idx[q]).collect(),
        keep.iter()
            .flat_map(|&q| utils[q * m..(q + 1) * m].iter().copied())
            .collect(),
    )
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

/// Sort-filter skyline: visit rows in an order where every beater of a row
/// comes before it, and keep those no kept row `beats`.
///
/// Correct for any `beats` that implies "≥ in every coordinate" and is
/// transitive through kept rows. The order is by utility sum (descending;
/// floating-point addition is monotone, so a beater's sum is ≥), then
/// lexicographically (descending). With four or more coordinates, rows are
/// first ordered by their first coordinate (descending): then every kept row
/// is already ≥ the tested row there, and a test is an orthant search in the
/// other m − 1 coordinates, which is what the k-d trees ([`Kept`]) split on
/// (a quarter less time on 5-party frontiers of 2·10^5; see [`by_first`]).
/// A test visits only the part of the frontier so far that could reach the
/// row.
fn sort_filter(points: &[f64], m: usize, beats: impl Fn(&[f64], &[f64]) -> bool) -> Vec<usize> {
    let n = points.len() / m;
    let row = |i: usize| &points[i * m..(i + 1) * m];
    let sums: Vec<f64> = (0..n).map(|i| row(i).iter().sum()).collect();
    let mut order: Vec<usize> = (0..n).collect();
    let by_first = by_first(m);
    order.sort_unstable_by(|&a, &b| {
        let first = if by_first {
            cmp_desc(row(a)[0], row(b)[0])
        } else {
            Ordering::Equal
        };
        first.then(cmp_desc(sums[a], sums[b])).then_with(|| {
            row(a)
                .iter()
                .zip(row(b))
                .map(|(x, y)| cmp_desc(*x, *y))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        })
    });
    let mut kept = Kept::new(m);
    let mut keep: Vec<usize> = Vec::new();
    // Equal rows are adjacent in this order and share their fate: a row equal
    // to the one before reuses its verdict instead of searching (so n equal
    // rows cost O(n), not O(n²)).
    let mut prev: Option<(usize, bool)> = None;
    for &i in &order {
        let p = row(i);
        let verdict = match prev {
            Some((j, verdict)) if row(j) == p => verdict,
            _ => !kept.any(p, &beats),
        };
        if verdict {
            keep.push(i);
            kept.insert(p);
        }
        prev = Some((i, verdict));
    }
    keep
}

/// Rows (m utilities each) in static k-d trees of 2^i rows, at most one of
/// each size (the logarithmic method of Bentley and Saxe): an insertion
/// merges the trees it completes into one, so each row is rebuilt O(log n)
/// times, and a query searches every tree.
struct Kept {
    m: usize,
    trees: Vec<Option<KdTree>>,
    /// The last rows found beating a row, tried first: rows in sum order
    /// are often beaten by the same few.
    recent: Vec<f64>,
    next_recent: usize,
}

/// How many recent beaters are tried before the trees.
const RECENT: usize = 4;

impl Kept {
    fn new(m: usize) -> Self {
        Kept {
            m,
            trees: vec![],
            recent: Vec::with_capacity(RECENT * m),
            next_recent: 0,
        }
    }

    fn insert(&mut self, row: &[f64]) {
        let mut rows = row.to_vec();
        for slot in self.trees.iter_mut() {
            match slot.take() {
                Some(t) => rows.extend_from_slice(&t.rows),
                None => {
                    *slot = Some(KdTree::new(rows, self.m));
                    return;
                }
            }
        }
        self.trees.push(Some(KdTree::new(rows, self.m)));
    }

    /// Whether some kept row `beats` `p` (`beats` implies ≥ everywhere).
    /// The largest tree holds the earliest rows, the likeliest to beat
    /// later ones: it is searched first.
    fn any(&mut self, p: &[f64], beats: &impl Fn(&[f64], &[f64]) -> bool) -> bool {
        let m = self.m;
        if self.recent.chunks_exact(m).any(|r| beats(r, p)) {
            return true;
        }
        let Some(found) = self
            .trees
            .iter()
            .rev()
            .flatten()
            .find_map(|t| t.find(p, beats))
        else {
            return false;
        };
        if self.recent.len() < RECENT * m {
            self.recent.extend_from_slice(&found);
        } else {
            let k = self.next_recent;
            self.recent[k * m..(k + 1) * m].copy_from_slice(&found);
            self.next_recent = (k + 1) % RECENT;
        }
        true
    }
}

/// Rows this small are scanned rather than split.
const LEAF: usize = 8;

/// A static k-d tree stored implicitly: the node over rows `lo..hi` has its
/// median at `mid = (lo + hi) / 2` (split on its box's widest coordinate,
/// see [`build`]), its children over `lo..mid` and `mid + 1..hi`,
/// and the corners of its rows' bounding box at `min[mid]` and `max[mid]`.
struct KdTree {
    m: usize,
    rows: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
    /// The coordinate each node splits on.
    split: Vec<u8>,
}

impl KdTree {
    fn new(mut rows: Vec<f64>, m: usize) -> Self {
        let n = rows.len() / m;
        let mut min = vec![0.0; n * m];
        let mut max = vec![0.0; n * m];
        let mut split = vec![0u8; n];
        build(&mut rows, (&mut min, &mut max, &mut split), m);
        KdTree {
            m,
            rows,
            min,
            max,
            split,
        }
    }

    /// A row that `beats` `p`, if any.
    fn find(&self, p: &[f64], beats: &impl Fn(&[f64], &[f64]) -> bool) -> Option<Vec<f64>> {
        self.search(0, self.rows.len() / self.m, p, beats)
            .map(|r| self.rows[r * self.m..(r + 1) * self.m].to_vec())
    }

    /// The number of a row of `lo..hi` that `beats` `p`, if any.
    fn search(
        &self,
        lo: usize,
        hi: usize,
        p: &[f64],
        beats: &impl Fn(&[f64], &[f64]) -> bool,
    ) -> Option<usize> {
        let m = self.m;
        if lo >= hi {
            return None;
        }
        let mid = (lo + hi) / 2;
        let corner = mid * m..(mid + 1) * m;
        // No row here is ≥ p everywhere unless the box's upper corner is.
        if self.max[corner.clone()].iter().zip(p).any(|(c, x)| c < x) {
            return None;
        }
        // Every row here is ≥ the lower corner: if it beats p, they all do
        // (`beats` asks for ≥ everywhere and some margin somewhere).
        if beats(&self.min[corner], p) {
            return Some(mid);
        }
        if hi - lo <= LEAF {
            return (lo..hi).find(|&r| beats(&self.rows[r * m..(r + 1) * m], p));
        }
        let median = &self.rows[mid * m..(mid + 1) * m];
        if beats(median, p) {
            return Some(mid);
        }
        let d = self.split[mid] as usize;
        // The upper side first: its rows are ≥ the median on `d`. The lower
        // side's rows are ≤ it there, so none can reach p when it is below.
        self.search(mid + 1, hi, p, beats).or_else(|| {
            (median[d] >= p[d])
                .then(|| self.search(lo, mid, p, beats))
                .flatten()
        })
    }
}

/// Whether [`sort_filter`] visits rows of `m` coordinates by their first
/// coordinate first (then the kept rows never fall short there, and the k-d
/// trees split on the others only). With fewer than four coordinates,
/// ordering by sum and splitting on every coordinate measured faster (by
/// 15% on the 2-actor 10^12 scale bench).
fn by_first(m: usize) -> bool {
    m >= 4
}

/// Arrange `rows` (m columns) as an implicit k-d tree and fill each node's
/// box corners into `min` and `max` and its split coordinate into `split`,
/// all at the node's median. The split is the box's widest coordinate (but
/// the first, when [`by_first`]).
fn build(rows: &mut [f64], (min, max, split): (&mut [f64], &mut [f64], &mut [u8]), m: usize) {
    let n = rows.len() / m;
    if n == 0 {
        return;
    }
    let mid = n / 2;
    let mut lo = vec![f64::INFINITY; m];
    let mut hi = vec![f64::NEG_INFINITY; m];
    for r in rows.chunks_exact(m) {
        for ((l, h), x) in lo.iter_mut().zip(hi.iter_mut()).zip(r) {
            *l = l.min(*x);
            *h = h.max(*x);
        }
    }
    if n > LEAF {
        let d = (usize::from(by_first(m))..m)
            .max_by(|&a, &b| (hi[a] - lo[a]).total_cmp(&(hi[b] - lo[b])))
            .unwrap_or(0);
        split[mid] = d as u8;
        select_row(rows, m, mid, d);
        let (lower, rest) = rows.split_at_mut(mid * m);
        let (lower_min, rest_min) = min.split_at_mut(mid * m);
        let (lower_max, rest_max) = max.split_at_mut(mid * m);
        let (lower_split, rest_split) = split.split_at_mut(mid);
        build(lower, (lower_min, lower_max, lower_split), m);
        build(
            &mut rest[m..],
            (&mut rest_min[m..], &mut rest_max[m..], &mut rest_split[1..]),
            m,
        );
    }
    min[mid * m..(mid + 1) * m].copy_from_slice(&lo);
    max[mid * m..(mid + 1) * m].copy_from_slice(&hi);
}

/// Reorder the rows so that row `k` holds the k-th smallest on coordinate
/// `d`, rows before it no larger there and rows after it no smaller.
fn select_row(rows: &mut [f64], m: usize, k: usize, d: usize) {
    let n = rows.len() / m;
    let mut order: Vec<usize> = (0..n).collect();
    order.select_nth_unstable_by(k, |&a, &b| rows[a * m + d].total_cmp(&rows[b * m + d]));
    let copy = rows.to_vec();
    for (to, &from) in order.iter().enumerate() {
        rows[to * m..(to + 1) * m].copy_from_slice(&copy[from * m..(from + 1) * m]);
    }
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

    /// Two issues of two options, saliences 1:1. Actor a: x1 = 0.2, x2 = 0,
    /// y1 = 0.1, y2 = 0.3; actor b: x1 = 0, x2 = 1, y1 = 1, y2 = 0.5. Exactly,
    /// a gets 0.15 from (x1, y1) and from (x2, y2), and b prefers (x2, y2):
    /// (x1, y1) is dominated. In floats a's two sums differ by one ulp.
    #[test]
    fn a_one_ulp_difference_does_not_decide_dominance() {
        let (ax, ay, bx, by) = ([0.2, 0.0], [0.1, 0.3], [0.0, 1.0], [1.0, 0.5]);
        let mut pts = Vec::new();
        for x in 0..2 {
            for y in 0..2 {
                pts.extend([0.5 * ax[x] + 0.5 * ay[y], 0.5 * bx[x] + 0.5 * by[y]]);
            }
        }
        assert_ne!(pts[0], pts[6], "the float sums differ");
        // Packages (x1,y1)=0, (x1,y2)=1, (x2,y1)=2, (x2,y2)=3.
        assert_eq!(frontier_on_grid(&pts, 2), vec![1, 2, 3]);
        let pts3: Vec<f64> = pts.chunks(2).flat_map(|c| [c[0], 0.0, c[1]]).collect();
        assert_eq!(frontier_on_grid(&pts3, 3), vec![1, 2, 3]);
        let pts4: Vec<f64> = pts.chunks(2).flat_map(|c| [c[1], 0.5, c[0], 0.5]).collect();
        assert_eq!(frontier_on_grid(&pts4, 4), vec![1, 2, 3]);
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

        // Enough rows for deep k-d trees and many Bentley–Saxe merges;
        // anti-correlated rows (coordinates summing to about one) put most
        // of them on the frontier.
        #[test]
        fn matches_brute_force_many_parties(
            m in 4usize..=6,
            raw in proptest::collection::vec(0u8..20, 0..9000),
            anti in any::<bool>(),
        ) {
            let n = raw.len() / m;
            let mut pts: Vec<f64> = raw[..n * m].iter().map(|&x| x as f64 / 19.0).collect();
            if anti {
                for row in pts.chunks_exact_mut(m) {
                    let total: f64 = row.iter().sum::<f64>() + 1.0;
                    for x in row.iter_mut() {
                        *x = (*x / total * 20.0).round() / 20.0;
                    }
                }
            }
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

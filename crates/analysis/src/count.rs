//! Exact counting of the rational packages of an additive product space
//! without walking it: meet in the middle.
//!
//! The issues are split in two halves, A (the first issues) and B (the
//! rest), whose products are as equal as possible. Each half's partial
//! utilities are enumerated — |A| + |B| vectors instead of |A|·|B| packages.
//! A package is a pair (a, b) worth fl(a_i + b_i) to actor i, and it is
//! rational when fl(a_i + b_i) ≥ t_i for every actor (t_i = r_i − tolerance).
//!
//! Floating-point addition is monotone, so for a fixed a_i the values b_i
//! that pass form an up-set of B's values: everything from some rank of
//! B's sorted distinct values on. Each b becomes a vector of ranks, each a a
//! vector of rank thresholds, and the count is the number of (a, b) pairs
//! where b's ranks reach a's thresholds in every coordinate — an offline
//! dominance count:
//!
//! * two actors: sweep B by its first rank, Fenwick tree over the second,
//!   O(N log N);
//! * three actors: divide and conquer over the first rank (CDQ), merging by
//!   the second and a Fenwick tree over the third, O(N log² N).
//!
//! The utility of a package here is the sum of its halves' sums, which may
//! differ from the issue-by-issue sum of [`zopa_model::OutcomeSpace::for_each`]
//! in the last bits (a few ulps); only a package within that distance of
//! `r − tolerance` can be classified differently, and decimal inputs are
//! nowhere near it (the tolerance is 1e-9).

use std::sync::{Arc, Mutex};

use zopa_model::UtilityModel;

/// Most actors counted by meet in the middle; more need a dominance count in
/// four or more dimensions, out of reach at this scale.
pub(crate) const MAX_ACTORS: usize = 3;

/// Whether meet in the middle counts a scenario of this model: utilities are
/// sums over the issues, no combination is rejected together, and at most
/// [`MAX_ACTORS`] actors. The one definition, for the analysis's contexts
/// and for the method it announces.
pub(crate) fn applies(model: &UtilityModel, no_combinations: bool) -> bool {
    model.is_additive() && no_combinations && model.n_actors() <= MAX_ACTORS
}

/// Where the issues are split, and the size of each half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    /// Issues `..at` form half A, issues `at..` half B.
    pub at: usize,
    /// Partial packages of half A.
    pub left: u128,
    /// Partial packages of half B.
    pub right: u128,
}

impl Split {
    /// Partial packages enumerated in all (the work of one count).
    pub fn work(&self) -> u128 {
        self.left + self.right
    }
}

/// The split of `choices` whose larger half is smallest.
pub(crate) fn split(choices: &[Vec<usize>]) -> Split {
    let sizes: Vec<u128> = choices.iter().map(|c| c.len() as u128).collect();
    let total: u128 = sizes.iter().fold(1, |p, &s| p.saturating_mul(s));
    let mut best = Split {
        at: 0,
        left: 1,
        right: total,
    };
    let mut left = 1u128;
    for (at, &s) in sizes.iter().enumerate() {
        left = left.saturating_mul(s);
        let right = sizes[at + 1..]
            .iter()
            .fold(1u128, |p, &s| p.saturating_mul(s));
        if left.max(right) < best.left.max(best.right) {
            best = Split {
                at: at + 1,
                left,
                right,
            };
        }
    }
    best
}

/// Counts rational packages by meet in the middle, splitting the issues at
/// one fixed place (so that the halves of related counts — a red line
/// dropped, an issue narrowed to one option — are shared), and keeping the
/// last few prepared halves.
#[derive(Debug)]
pub(crate) struct Counter {
    at: usize,
    /// Every option of every issue: what a half prepared with every option
    /// is built from.
    every: Vec<Vec<usize>>,
    cache: Mutex<Vec<Cached>>,
}

#[derive(Debug)]
struct Cached {
    first: usize,
    choices: Vec<Vec<usize>>,
    half: Arc<Half>,
    used: u64,
    /// The rows admitted for the last product it served by mask (the
    /// agreement space's half serves every red line's count).
    mask: Option<Mask>,
}

/// A product served by mask, and the rows of the half it admits.
#[derive(Debug)]
struct Mask {
    part: Vec<Vec<usize>>,
    admits: Arc<[bool]>,
}

impl Cached {
    /// The rows of this half in `part` (`None`: all), remembered.
    fn admit(&mut self, part: &[Vec<usize>]) -> Option<Arc<[bool]>> {
        if self.choices == part {
            return None;
        }
        match &self.mask {
            Some(mask) if mask.part == part => Some(Arc::clone(&mask.admits)),
            _ => {
                let admits: Arc<[bool]> = admitted(&self.half, &self.choices, part).into();
                self.mask = Some(Mask {
                    part: part.to_vec(),
                    admits: Arc::clone(&admits),
                });
                Some(admits)
            }
        }
    }
}

/// Prepared halves kept: the two halves of the agreement space, and more
/// for whatever the current study varies.
const CACHED: usize = 4;

/// A prepared half with up to `slack(m)` times the rows a count of `m`
/// actors needs serves it, its other rows masked out. For two actors
/// preparing a half costs far more than counting over a few more rows, so
/// the agreement space's halves are prepared with every option (when red
/// lines remove less than half) and the joint study's counts — red lines
/// dropped — reuse them (2 × 10^12 scale bench: 959 → 833 ms). For three,
/// the divide-and-conquer count grows faster than preparing saves (9.05 →
/// 9.52 s): only halves of the very rows needed serve.
fn slack(m: usize) -> u128 {
    if m == 2 {
        2
    } else {
        1
    }
}

/// The rows of a prepared half a count admits, by position in the half's
/// first-value order (`None`: all of them).
type Admit<'a> = Option<&'a [bool]>;

fn admits(admit: Admit<'_>, k: usize) -> bool {
    admit.is_none_or(|a| a[k])
}

/// Partial packages of the product `choices`.
fn size(choices: &[Vec<usize>]) -> u128 {
    choices
        .iter()
        .fold(1u128, |p, o| p.saturating_mul(o.len() as u128))
}

/// Whether `part` and `whole` cover the same issues and every option of
/// `part` is in `whole`, issue by issue (lists in any order: an opened red
/// line's option comes last). Both halves start at issue 0 when the split
/// is at 0 (a space of one package): the issue count tells them apart.
fn within(part: &[Vec<usize>], whole: &[Vec<usize>]) -> bool {
    part.len() == whole.len()
        && part
            .iter()
            .zip(whole)
            .all(|(p, w)| p.iter().all(|o| w.contains(o)))
}

impl Counter {
    /// A counter for spaces of `radices` (options per issue), split where the
    /// whole space's larger half is smallest.
    pub fn new(radices: &[usize]) -> Self {
        let every: Vec<Vec<usize>> = radices.iter().map(|&r| (0..r).collect()).collect();
        Counter {
            at: split(&every).at,
            every,
            cache: Mutex::new(Vec::new()),
        }
    }

    /// The halves of `choices` at this counter's split.
    pub fn split(&self, choices: &[Vec<usize>]) -> Split {
        Split {
            at: self.at,
            left: size(&choices[..self.at]),
            right: size(&choices[self.at..]),
        }
    }

    /// Number of packages of the product `choices` whose utilities reach
    /// `thresholds` (one per actor, `-inf` for none). At most
    /// [`MAX_ACTORS`] actors.
    pub fn count(&self, model: &UtilityModel, choices: &[Vec<usize>], thresholds: &[f64]) -> u64 {
        debug_assert!(
            (2..=MAX_ACTORS).contains(&model.n_actors()) && thresholds.len() == model.n_actors()
        );
        if choices.iter().any(Vec::is_empty) {
            return 0;
        }
        let (a, admit_a) = self.half(model, choices, false);
        let (b, admit_b) = self.half(model, choices, true);
        let (mut a, mut b) = ((&*a, admit_a.as_deref()), (&*b, admit_b.as_deref()));
        // Counting is symmetric in the halves; the smaller one as the
        // points keeps the Fenwick tree small.
        if a.0.rows < b.0.rows {
            std::mem::swap(&mut a, &mut b);
        }
        let n = match model.n_actors() {
            2 => count2(a, b, [thresholds[0], thresholds[1]]),
            _ => count3(a, b, [thresholds[0], thresholds[1], thresholds[2]]),
        };
        u64::try_from(n).expect("a count never exceeds the space, which fits in 64 bits")
    }

    /// A prepared half serving the first or `second` half of `choices`, with
    /// the rows it admits when it holds more: the smallest cached one within
    /// [`slack`], or a new one — of every option of the half's issues when
    /// that is within [`slack`] too (so that later counts can share it), of
    /// exactly these options otherwise.
    fn half(
        &self,
        model: &UtilityModel,
        choices: &[Vec<usize>],
        second: bool,
    ) -> (Arc<Half>, Option<Arc<[bool]>>) {
        let (first, part) = if second {
            (self.at, &choices[self.at..])
        } else {
            (0, &choices[..self.at])
        };
        let need = size(part);
        let slack = slack(model.n_actors());
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let tick = cache.iter().map(|c| c.used).max().unwrap_or(0) + 1;
        let serving = |c: &Cached| {
            c.first == first && size(&c.choices) <= slack * need && within(part, &c.choices)
        };
        if let Some(c) = cache
            .iter_mut()
            .filter(|c| serving(c))
            .min_by_key(|c| c.half.rows)
        {
            c.used = tick;
            return (Arc::clone(&c.half), c.admit(part));
        }
        let every = &self.every[first..first + part.len()];
        let built = if size(every) <= slack * need {
            every.to_vec()
        } else {
            part.to_vec()
        };
        let half = Arc::new(Half::new(model, &built, first));
        if cache.len() == CACHED {
            // The smallest go first: a narrowed half serves one count, the
            // agreement space's halves serve all of them.
            let victim = (0..CACHED)
                .min_by_key(|&i| (cache[i].half.rows, cache[i].used))
                .unwrap_or(0);
            cache.swap_remove(victim);
        }
        let mut cached = Cached {
            first,
            choices: built,
            half: Arc::clone(&half),
            used: tick,
            mask: None,
        };
        let admit = cached.admit(part);
        cache.push(cached);
        (half, admit)
    }
}

/// Which rows of `half` (prepared from the product `built`) belong to the
/// product `part` ⊆ `built`, by position in the half's first-value order.
fn admitted(half: &Half, built: &[Vec<usize>], part: &[Vec<usize>]) -> Vec<bool> {
    // A row's id numbers its options' positions in `built` in mixed radix
    // (last issue fastest): enumerate the ids of `part`'s rows.
    let mut ids = vec![0usize];
    for (b, p) in built.iter().zip(part) {
        let positions: Vec<usize> = p
            .iter()
            .filter_map(|o| b.iter().position(|x| x == o))
            .collect();
        ids = ids
            .iter()
            .flat_map(|&id| positions.iter().map(move |&q| id * b.len() + q))
            .collect();
    }
    let mut by_id = vec![false; half.rows];
    for id in ids {
        by_id[id] = true;
    }
    half.ids.iter().map(|&id| by_id[id as usize]).collect()
}

/// One half's partial utilities, prepared to be counted against any other:
/// per actor, the half's distinct values ascending, and every row as its
/// ranks among them, rows ascending by the first actor's value.
#[derive(Debug)]
struct Half {
    /// Number of rows (partial packages).
    rows: usize,
    /// Per actor, the distinct values, ascending.
    values: Vec<Vec<f64>>,
    /// `rows × m` ranks (equal values share one), row-major, rows in
    /// ascending order of the first actor's value.
    ranks: Vec<u32>,
    /// Each row's id (its options' positions in mixed radix, last issue
    /// fastest), in the same order.
    ids: Vec<u32>,
}

impl Half {
    /// The half of `choices` (issues `first..`), each actor's column sorted
    /// by merging, issue by issue ([`merge_sorted`]).
    fn new(model: &UtilityModel, choices: &[Vec<usize>], first: usize) -> Half {
        let m = model.n_actors();
        let columns = (0..m)
            .map(|d| merge_sorted(model, choices, first, d))
            .collect();
        Self::of_sorted(columns)
    }

    /// A half of these `m`-column rows (any values), by sorting.
    #[cfg(test)]
    fn of_rows(sums: &[f64], m: usize) -> Half {
        let columns = (0..m)
            .map(|d| {
                let column: Vec<f64> = sums.iter().skip(d).step_by(m).copied().collect();
                let order = sort_by_value(&column);
                let values = order.iter().map(|&i| column[i as usize]).collect();
                (values, order)
            })
            .collect();
        Self::of_sorted(columns)
    }

    /// A half from each actor's column sorted ascending: the values, and the
    /// row each came from.
    fn of_sorted(columns: Vec<(Vec<f64>, Vec<u32>)>) -> Half {
        let m = columns.len();
        let rows = columns.first().map_or(0, |c| c.1.len());
        let mut ranks = vec![0u32; rows * m];
        let mut values = Vec::with_capacity(m);
        let mut first_order = Vec::new();
        for (d, (sorted, order)) in columns.into_iter().enumerate() {
            let mut distinct: Vec<f64> = Vec::new();
            for (&v, &i) in sorted.iter().zip(&order) {
                if distinct.last().is_none_or(|l| l.total_cmp(&v).is_ne()) {
                    distinct.push(v);
                }
                ranks[i as usize * m + d] = distinct.len() as u32 - 1;
            }
            values.push(distinct);
            if d == 0 {
                first_order = order;
            }
        }
        let ranks = first_order
            .iter()
            .flat_map(|&i| ranks[i as usize * m..(i as usize + 1) * m].iter().copied())
            .collect();
        Half {
            rows,
            values,
            ranks,
            ids: first_order,
        }
    }

    /// The rows' ranks, ascending by the first actor's value.
    fn rows(&self) -> std::slice::ChunksExact<'_, u32> {
        self.ranks.chunks_exact(self.values.len())
    }

    /// For each of this half's distinct values x for actor `d` (by rank):
    /// the first rank of `values` (ascending) whose value `v` passes
    /// `fl(x + v) ≥ t`, or `values.len()` if none does. As x decreases the
    /// threshold only grows: one pass over both lists.
    fn thresholds(&self, d: usize, values: &[f64], t: f64) -> Vec<u32> {
        let own = &self.values[d];
        let mut q = vec![0u32; own.len()];
        let mut j = 0usize;
        for (r, &x) in own.iter().enumerate().rev() {
            while j < values.len() && x + values[j] < t {
                j += 1;
            }
            q[r] = j as u32;
        }
        q
    }
}

/// Row numbers ascending by value (IEEE total order).
#[cfg(test)]
///
/// Each value's order-preserving bit pattern keeps its top bits and gives
/// its low bits to the row number, so one `u64` holds both; an LSD radix
/// sort orders those by the kept bits, then runs that share them (values
/// closer than the dropped bits can tell apart) are ordered by full value.
fn sort_by_value(value: &[f64]) -> Vec<u32> {
    let n = value.len();
    let row_bits = usize::BITS - n.saturating_sub(1).leading_zeros();
    let rows = (1u64 << row_bits) - 1;
    let key = |x: f64| {
        let b = x.to_bits();
        if b >> 63 == 1 {
            !b
        } else {
            b | 1 << 63
        }
    };
    let mut keys: Vec<u64> = value
        .iter()
        .enumerate()
        .map(|(i, &x)| (key(x) & !rows) | i as u64)
        .collect();
    keys.sort_unstable();
    let mut order: Vec<u32> = keys.iter().map(|&k| (k & rows) as u32).collect();
    let mut start = 0;
    while start < n {
        let prefix = keys[start] >> row_bits;
        let end = start
            + keys[start..]
                .iter()
                .take_while(|&&k| k >> row_bits == prefix)
                .count();
        if end - start > 1 {
            order[start..end]
                .sort_unstable_by(|&a, &b| value[a as usize].total_cmp(&value[b as usize]));
        }
        start = end;
    }
    order
}

/// Actor `d`'s partial utilities of every combination of `choices` (issues
/// `first..`), ascending, with the row of each (rows numbered with the last
/// issue fastest), each summed from 0.0 in issue order as the enumeration
/// sums.
///
/// Sorted without sorting: adding an option's contribution keeps the
/// previous issues' sorted list sorted (floating-point addition is
/// monotone), so each issue merges one shifted copy of the list per option.
fn merge_sorted(
    model: &UtilityModel,
    choices: &[Vec<usize>],
    first: usize,
    d: usize,
) -> (Vec<f64>, Vec<u32>) {
    let mut values = vec![0.0f64];
    let mut rows = vec![0u32];
    for (l, opts) in choices.iter().enumerate() {
        let shift: Vec<f64> = opts
            .iter()
            .map(|&o| model.contribution(first + l, o)[d])
            .collect();
        (values, rows) = if opts.len() <= MERGE_BY_SCAN {
            merge_by_scan(&values, &rows, &shift)
        } else {
            merge_by_sort(&values, &rows, &shift)
        };
    }
    (values, rows)
}

/// Issues with at most this many options merge by scanning their heads;
/// wider ones (a GENIUS issue of 50,000 items once took 5 s, quadratic in
/// the options) sort the shifted copies, which is O(n log k).
const MERGE_BY_SCAN: usize = 8;

/// The k shifted copies of the sorted `values` merged, by value, then copy,
/// then position (the order [`merge_by_sort`] gives too): row ids extend as
/// `row * k + copy`.
fn merge_by_scan(values: &[f64], rows: &[u32], shift: &[f64]) -> (Vec<f64>, Vec<u32>) {
    let (n, k) = (values.len(), shift.len());
    let r = k as u32;
    let mut next_values = Vec::with_capacity(n * k);
    let mut next_rows = Vec::with_capacity(n * k);
    // Each copy's next element, and its position in the list.
    let mut at = vec![0usize; k];
    let mut head: Vec<f64> = shift.iter().map(|c| values[0] + c).collect();
    for _ in 0..n * k {
        // The smallest head (values are finite; exhausted lists hold +inf).
        let mut j = 0;
        for m in 1..head.len() {
            if head[m] < head[j] {
                j = m;
            }
        }
        next_values.push(head[j]);
        next_rows.push(rows[at[j]] * r + j as u32);
        at[j] += 1;
        head[j] = if at[j] < n {
            values[at[j]] + shift[j]
        } else {
            f64::INFINITY
        };
    }
    (next_values, next_rows)
}

/// [`merge_by_scan`]'s result, by a stable sort of the copies laid end to
/// end (copy order, then position): equal values keep that order.
fn merge_by_sort(values: &[f64], rows: &[u32], shift: &[f64]) -> (Vec<f64>, Vec<u32>) {
    let r = shift.len() as u32;
    let mut pairs: Vec<(f64, u32)> = shift
        .iter()
        .enumerate()
        .flat_map(|(j, c)| {
            values
                .iter()
                .zip(rows)
                .map(move |(v, row)| (v + c, row * r + j as u32))
        })
        .collect();
    pairs.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    pairs.into_iter().unzip()
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    /// Both merges give the same values and rows, ties and wide issues
    /// included.
    #[test]
    fn sorting_merges_as_scanning_does() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % 5
        };
        for _ in 0..200 {
            let n = 1 + next() as usize * 3;
            let mut values: Vec<f64> = (0..n).map(|_| next() as f64 / 4.0).collect();
            values.sort_by(f64::total_cmp);
            let rows: Vec<u32> = (0..n as u32).rev().collect();
            let k = 1 + next() as usize * 4;
            let shift: Vec<f64> = (0..k).map(|_| next() as f64 / 8.0).collect();
            assert_eq!(
                merge_by_scan(&values, &rows, &shift),
                merge_by_sort(&values, &rows, &shift),
                "{values:?} {shift:?}"
            );
        }
    }
}

/// Counts of inserted ranks, answering "how many are ≥ r" in O(log n).
struct Fenwick {
    tree: Vec<u32>,
    total: u64,
}

impl Fenwick {
    fn new(n: usize) -> Self {
        Fenwick {
            tree: vec![0; n + 1],
            total: 0,
        }
    }

    fn add(&mut self, rank: u32, delta: i32) {
        let mut i = rank as usize + 1;
        while i < self.tree.len() {
            self.tree[i] = self.tree[i].wrapping_add_signed(delta);
            i += i & i.wrapping_neg();
        }
        self.total = self.total.wrapping_add_signed(delta as i64);
    }

    /// Inserted ranks below `rank`.
    fn below(&self, rank: u32) -> u64 {
        let mut i = (rank as usize).min(self.tree.len() - 1);
        let mut s = 0u64;
        while i > 0 {
            s += self.tree[i] as u64;
            i &= i - 1;
        }
        s
    }

    fn at_least(&self, rank: u32) -> u64 {
        self.total - self.below(rank)
    }
}

/// Two actors: sweep B by decreasing first rank while A's rows are answered
/// in decreasing order of their first threshold (increasing first value);
/// a Fenwick tree over B's second ranks counts the inserted rows that also
/// pass the second.
fn count2((a, admit_a): (&Half, Admit<'_>), (b, admit_b): (&Half, Admit<'_>), t: [f64; 2]) -> u128 {
    let q0 = a.thresholds(0, &b.values[0], t[0]);
    let q1 = a.thresholds(1, &b.values[1], t[1]);
    let points = &b.ranks; // (first rank, second rank) pairs, ascending
    let mut tree = Fenwick::new(b.values[1].len());
    let mut next = b.rows; // points from row `next` on are inserted
    let mut n = 0u128;
    for (k, r) in a.ranks.chunks_exact(2).enumerate() {
        let need = q0[r[0] as usize];
        if need as usize == b.values[0].len() || !admits(admit_a, k) {
            continue; // no row of B is enough for this one, or it is out
        }
        while next > 0 && points[2 * next - 2] >= need {
            next -= 1;
            if admits(admit_b, next) {
                tree.add(points[2 * next + 1], 1);
            }
        }
        n += tree.at_least(q1[r[1] as usize]) as u128;
    }
    n
}

/// A point (a row of B, as ranks) or a query (a row of A, as thresholds).
#[derive(Debug, Clone, Copy)]
struct Item {
    x: u32,
    y: u32,
    z: u32,
    point: bool,
}

/// Three actors: the number of (query, point) pairs with the point ≥ the
/// query in x, y and z, by CDQ divide and conquer.
fn count3((a, admit_a): (&Half, Admit<'_>), (b, admit_b): (&Half, Admit<'_>), t: [f64; 3]) -> u128 {
    let q: Vec<Vec<u32>> = (0..3)
        .map(|d| a.thresholds(d, &b.values[d], t[d]))
        .collect();
    // x descending; on ties points first, so a point before a query always
    // has x ≥ the query's, and a point after it always has x < it. B's rows
    // by decreasing first value and A's by increasing first value (the
    // threshold then decreases) are both already in that order: merge them.
    let points = b
        .rows()
        .enumerate()
        .rev()
        .filter(|&(k, _)| admits(admit_b, k))
        .map(|(_, r)| Item {
            x: r[0],
            y: r[1],
            z: r[2],
            point: true,
        });
    let queries = a
        .rows()
        .enumerate()
        .filter(|&(k, _)| admits(admit_a, k))
        .map(|(_, r)| Item {
            x: q[0][r[0] as usize],
            y: q[1][r[1] as usize],
            z: q[2][r[2] as usize],
            point: false,
        })
        .filter(|i| {
            (i.x as usize) < b.values[0].len()
                && (i.y as usize) < b.values[1].len()
                && (i.z as usize) < b.values[2].len()
        });
    let mut items: Vec<Item> = Vec::with_capacity(a.rows + b.rows);
    let mut points = points.peekable();
    for query in queries {
        while let Some(p) = points.next_if(|p| p.x >= query.x) {
            items.push(p);
        }
        items.push(query);
    }
    items.extend(points);
    let mut tree = Fenwick::new(b.values[2].len());
    let mut buf = items.clone();
    cdq(&mut items, &mut buf, &mut tree)
}

/// Pairs (point before query in `items`) with point.y ≥ query.y and
/// point.z ≥ query.z; leaves `items` sorted by y descending, points first
/// on ties.
fn cdq(items: &mut [Item], buf: &mut [Item], tree: &mut Fenwick) -> u128 {
    let n = items.len();
    if n <= 1 {
        return 0;
    }
    let mid = n / 2;
    let (left, right) = items.split_at_mut(mid);
    let (bl, br) = buf.split_at_mut(mid);
    let mut count = cdq(left, bl, tree) + cdq(right, br, tree);
    let before = |p: &Item, q: &Item| p.y > q.y || (p.y == q.y && p.point && !q.point);
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < left.len() || j < right.len() {
        let take_left = j == right.len() || (i < left.len() && !before(&right[j], &left[i]));
        if take_left {
            let p = left[i];
            if p.point {
                tree.add(p.z, 1);
            }
            buf[k] = p;
            i += 1;
        } else {
            let q = right[j];
            if !q.point {
                count += tree.at_least(q.z) as u128;
            }
            buf[k] = q;
            j += 1;
        }
        k += 1;
    }
    for p in left.iter().filter(|p| p.point) {
        tree.add(p.z, -1);
    }
    items.copy_from_slice(&buf[..n]);
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every pair, compared directly.
    fn brute(a: &[f64], b: &[f64], m: usize, t: &[f64]) -> u128 {
        let mut n = 0;
        for x in a.chunks_exact(m) {
            for y in b.chunks_exact(m) {
                n += (0..m).all(|d| x[d] + y[d] >= t[d]) as u128;
            }
        }
        n
    }

    fn half(rows: &[f64], m: usize) -> Half {
        Half::of_rows(rows, m)
    }

    proptest! {
        // Coarse values make ties common; thresholds sit on and between them.
        #[test]
        fn dominance_counts_match_every_pair(
            m in 2usize..=3,
            a in proptest::collection::vec(0u8..8, 0..120),
            b in proptest::collection::vec(0u8..8, 0..120),
            t in proptest::collection::vec(0u8..16, 3),
            negative in any::<bool>(),
        ) {
            let sign = if negative { -1.0 } else { 1.0 };
            let f = |v: &[u8]| -> Vec<f64> {
                let n = v.len() / m;
                v[..n * m].iter().map(|&x| sign * x as f64 / 7.0).collect()
            };
            let (a, b) = (f(&a), f(&b));
            let t: Vec<f64> = t[..m].iter().map(|&x| sign * x as f64 / 7.0 - 1.0).collect();
            let (ha, hb) = (half(&a, m), half(&b, m));
            let got = match m {
                2 => count2((&ha, None), (&hb, None), [t[0], t[1]]),
                _ => count3((&ha, None), (&hb, None), [t[0], t[1], t[2]]),
            };
            prop_assert_eq!(got, brute(&a, &b, m, &t));
        }

        /// Rows masked out of a prepared half are not counted: the count
        /// equals every pair of the admitted rows alone.
        #[test]
        fn masked_counts_match_every_admitted_pair(
            m in 2usize..=3,
            a in proptest::collection::vec(0u8..8, 0..120),
            b in proptest::collection::vec(0u8..8, 0..120),
            t in proptest::collection::vec(0u8..16, 3),
            keep_a in proptest::collection::vec(any::<bool>(), 40),
            keep_b in proptest::collection::vec(any::<bool>(), 40),
        ) {
            let f = |v: &[u8]| -> Vec<f64> {
                let n = v.len() / m;
                v[..n * m].iter().map(|&x| x as f64 / 7.0).collect()
            };
            let (a, b) = (f(&a), f(&b));
            let t: Vec<f64> = t[..m].iter().map(|&x| x as f64 / 7.0).collect();
            let (ha, hb) = (half(&a, m), half(&b, m));
            // Admitted by row, then by position in first-value order.
            let by_position = |h: &Half, keep: &[bool]| -> Vec<bool> {
                h.ids.iter().map(|&id| keep[id as usize % keep.len()]).collect()
            };
            let (pa, pb) = (by_position(&ha, &keep_a), by_position(&hb, &keep_b));
            let got = match m {
                2 => count2((&ha, Some(&pa)), (&hb, Some(&pb)), [t[0], t[1]]),
                _ => count3((&ha, Some(&pa)), (&hb, Some(&pb)), [t[0], t[1], t[2]]),
            };
            let admitted = |rows: &[f64], keep: &[bool]| -> Vec<f64> {
                rows.chunks_exact(m)
                    .enumerate()
                    .filter(|(i, _)| keep[i % keep.len()])
                    .flat_map(|(_, r)| r.to_vec())
                    .collect()
            };
            prop_assert_eq!(got, brute(&admitted(&a, &keep_a), &admitted(&b, &keep_b), m, &t));
        }

        #[test]
        fn sorting_orders_like_total_cmp(v in proptest::collection::vec(any::<f64>(), 0..300)) {
            let v: Vec<f64> = v.into_iter().filter(|x| !x.is_nan()).collect();
            let got: Vec<f64> = sort_by_value(&v).iter().map(|&i| v[i as usize]).collect();
            let mut want = v.clone();
            want.sort_by(f64::total_cmp);
            prop_assert_eq!(got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                            want.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        }
    }

    /// A model of `m` actors (at least two) over `radices`: every salience
    /// 1, option values drawn in turn from `raw` (in fifths).
    fn model_of(m: usize, radices: &[usize], raw: &[u8]) -> UtilityModel {
        let m = m.max(2);
        let mut k = 0;
        let mut draw = || {
            k += 1;
            raw[k % raw.len()] as f64 / 5.0
        };
        let t = zopa_model::Tables {
            radices: radices.to_vec(),
            saliences: (0..m)
                .map(|_| radices.iter().map(|_| 1.0).collect())
                .collect(),
            values: (0..m)
                .map(|_| {
                    radices
                        .iter()
                        .map(|&r| (0..r).map(|_| draw()).collect())
                        .collect()
                })
                .collect(),
            red_lines: vec![vec![]; m],
            reservations: vec![0.0; m],
            note: "test".into(),
        };
        UtilityModel::new(&t.build().expect("valid"))
    }

    /// A half built by merging equals one built by sorting the partial
    /// utilities summed the plain way (as multisets of rank rows: rows
    /// tied on the first actor may come in either order).
    #[test]
    fn merged_halves_equal_sorted_ones() {
        let mut runner = proptest::test_runner::TestRunner::default();
        let strategy = (
            1usize..=3,
            proptest::collection::vec(1usize..=5, 1..=4),
            proptest::collection::vec(0u8..6, 60),
        );
        runner
            .run(&strategy, |(m, radices, raw)| {
                let model = model_of(m, &radices, &raw);
                let m = model.n_actors();
                let choices: Vec<Vec<usize>> = radices.iter().map(|&r| (0..r).collect()).collect();
                let mut sums = vec![0.0; m];
                for (l, opts) in choices.iter().enumerate() {
                    let mut next = vec![];
                    for row in sums.chunks_exact(m) {
                        for &o in opts {
                            next.extend(
                                row.iter().zip(model.contribution(l, o)).map(|(x, y)| x + y),
                            );
                        }
                    }
                    sums = next;
                }
                let (merged, sorted) = (Half::new(&model, &choices, 0), Half::of_rows(&sums, m));
                prop_assert_eq!(&merged.values, &sorted.values);
                let rows = |h: &Half| {
                    let mut v: Vec<Vec<u32>> = h.rows().map(<[u32]>::to_vec).collect();
                    v.sort();
                    v
                };
                prop_assert_eq!(rows(&merged), rows(&sorted));
                Ok(())
            })
            .unwrap();
    }

    /// A counter answers every sub-product of a space exactly, in any
    /// order of counts (so halves are prepared, reused exactly and reused
    /// by mask in every combination): against walking the sub-product.
    #[test]
    fn counts_of_sub_products_match_a_walk() {
        let mut runner = proptest::test_runner::TestRunner::default();
        let strategy = (
            2usize..=3,
            proptest::collection::vec(1usize..=4, 2..=4),
            proptest::collection::vec(0u8..6, 60),
            proptest::collection::vec(proptest::collection::vec(any::<bool>(), 4), 1..=6),
            proptest::collection::vec(0u8..8, 3),
        );
        runner
            .run(&strategy, |(m, radices, raw, subsets, t)| {
                let model = model_of(m, &radices, &raw);
                let space = zopa_model::OutcomeSpace::numbered(&radices).expect("small");
                // Below grid points by the analysis's tolerance: the walk sums
                // issue by issue, the count half by half, and the two may
                // differ by a few ulps (docs/analysis.md, "Exactness").
                let thresholds: Vec<f64> = t[..m].iter().map(|&x| x as f64 / 4.0 - 1e-9).collect();
                let counter = Counter::new(&radices);
                for (n, keep) in subsets.iter().enumerate() {
                    // Each subset keeps options by `keep`, in reverse order
                    // every other time; an issue left empty keeps its last.
                    let choices: Vec<Vec<usize>> = radices
                        .iter()
                        .enumerate()
                        .map(|(l, &r)| {
                            let mut c: Vec<usize> =
                                (0..r).filter(|&o| keep[(o + l + n) % keep.len()]).collect();
                            if c.is_empty() {
                                c.push(r - 1);
                            }
                            if n % 2 == 1 {
                                c.reverse();
                            }
                            c
                        })
                        .collect();
                    let mut walked = 0u64;
                    space.for_each(&model, &choices, |_, _, u| {
                        walked += u.iter().zip(&thresholds).all(|(u, t)| u >= t) as u64;
                        std::ops::ControlFlow::Continue(())
                    });
                    prop_assert_eq!(counter.count(&model, &choices, &thresholds), walked);
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn split_balances_the_halves() {
        let c = |n: usize| (0..n).collect::<Vec<usize>>();
        let s = split(&[c(10), c(10), c(10), c(10)]);
        assert_eq!((s.at, s.left, s.right), (2, 100, 100));
        let s = split(&[c(1000), c(2), c(2)]);
        assert_eq!((s.at, s.left, s.right), (1, 1000, 4));
        let s = split(&[c(5)]);
        assert_eq!(s.left.max(s.right), 5);
    }
}

//! The statistics that read a tournament: bootstrap confidence intervals of
//! each strategy's mean score, pairwise tests with Holm's correction, the
//! head-to-head table, rank stability, and the empirical game of two-party
//! negotiations with its symmetric Nash equilibria.
//!
//! A strategy's *score* in a negotiation is its party's utility of the
//! agreement, or its reservation without one (what `report` averages).
//!
//! * **Bootstrap.** `B` resamples (seeded ChaCha8) of each strategy's
//!   scores; the interval is the 2.5 % and 97.5 % percentiles of the
//!   resampled means. Above [`RESERVOIR`] scores a strategy's scores are a
//!   seeded reservoir sample of that size, and the interval's distance from
//!   the mean is scaled by √(m/n) (the m-out-of-n bootstrap), so memory
//!   stays bounded whatever the tournament's size.
//! * **Pairwise tests.** Welch's t-test of every pair's mean scores (from
//!   the exact sums, not the sample), two-sided, then Holm's step-down
//!   correction over all pairs. Scores of one negotiation are not
//!   independent (the parties meet): read the p-values as a guide.
//! * **Rank stability.** In each bootstrap replicate the strategies are
//!   ranked by their resampled means; a strategy's stability is the share
//!   of replicates that give it its observed rank.
//! * **Empirical game.** Over two-party negotiations only: the payoff of
//!   strategy a against b is a's mean score in negotiations between a and
//!   b. Its symmetric Nash equilibria are found by support enumeration:
//!   for every support S, the mixed strategy on S that makes every member
//!   of S equally good (a linear system), kept if it is a probability
//!   vector and no strategy outside S does better. Exact for
//!   non-degenerate games; supports whose system is singular (a continuum
//!   of equilibria) are skipped. At most [`MAX_GAME_STRATEGIES`]
//!   strategies (2^12 supports).

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Most scores kept per strategy for the bootstrap.
pub const RESERVOIR: usize = 20_000;

/// Most strategies whose empirical game is solved.
pub const MAX_GAME_STRATEGIES: usize = 12;

/// Significance level of the pairwise tests (after Holm's correction).
pub const ALPHA: f64 = 0.05;

/// Scores gathered row by row.
pub struct Gather {
    names: Vec<String>,
    index: std::collections::HashMap<String, usize>,
    n: Vec<u64>,
    sum: Vec<f64>,
    sum_sq: Vec<f64>,
    sample: Vec<Vec<f64>>,
    rng: ChaCha8Rng,
    /// Sums and counts of a's score when b is among the other parties.
    h2h: Vec<Vec<(f64, u64)>>,
    /// The same over two-party negotiations only.
    game: Vec<Vec<(f64, u64)>>,
}

impl Gather {
    /// Empty; `seed` seeds the reservoir.
    pub fn new(seed: u64) -> Gather {
        Gather {
            names: Vec::new(),
            index: Default::default(),
            n: Vec::new(),
            sum: Vec::new(),
            sum_sq: Vec::new(),
            sample: Vec::new(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x005e_ed0f_b007),
            h2h: Vec::new(),
            game: Vec::new(),
        }
    }

    /// The index of strategy `name`, added if new.
    pub fn slot(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        self.n.push(0);
        self.sum.push(0.0);
        self.sum_sq.push(0.0);
        self.sample.push(Vec::new());
        for row in self.h2h.iter_mut().chain(self.game.iter_mut()) {
            row.push((0.0, 0));
        }
        self.h2h.push(vec![(0.0, 0); i + 1]);
        self.game.push(vec![(0.0, 0); i + 1]);
        i
    }

    /// One negotiation: each party's strategy and score.
    pub fn add(&mut self, strategies: &[usize], scores: &[f64]) {
        for (p, (&a, &x)) in strategies.iter().zip(scores).enumerate() {
            self.n[a] += 1;
            self.sum[a] += x;
            self.sum_sq[a] += x * x;
            let seen = self.n[a] as usize;
            if self.sample[a].len() < RESERVOIR {
                self.sample[a].push(x);
            } else {
                let j = self.rng.random_range(0..seen);
                if j < RESERVOIR {
                    self.sample[a][j] = x;
                }
            }
            for (q, &b) in strategies.iter().enumerate() {
                if q != p {
                    let c = &mut self.h2h[a][b];
                    c.0 += x;
                    c.1 += 1;
                    if strategies.len() == 2 {
                        let g = &mut self.game[a][b];
                        g.0 += x;
                        g.1 += 1;
                    }
                }
            }
        }
    }

    /// The same, strategies in name order.
    fn sorted(mut self) -> Gather {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&i, &j| self.names[i].cmp(&self.names[j]));
        let pick = |v: &[u64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let pickf = |v: &[f64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let grid = |m: &[Vec<(f64, u64)>]| {
            order
                .iter()
                .map(|&i| order.iter().map(|&j| m[i][j]).collect())
                .collect::<Vec<Vec<_>>>()
        };
        self.n = pick(&self.n);
        self.sum = pickf(&self.sum);
        self.sum_sq = pickf(&self.sum_sq);
        self.sample = order
            .iter()
            .map(|&i| std::mem::take(&mut self.sample[i]))
            .collect();
        self.h2h = grid(&self.h2h);
        self.game = grid(&self.game);
        self.names = order.iter().map(|&i| self.names[i].clone()).collect();
        self
    }

    /// The statistics, with `samples` bootstrap replicates seeded by `seed`;
    /// strategies in name order.
    pub fn finish(self, samples: usize, seed: u64) -> Statistics {
        let this = self.sorted();
        this.compute(samples, seed)
    }

    fn compute(self, samples: usize, seed: u64) -> Statistics {
        let k = self.names.len();
        let means: Vec<f64> = (0..k)
            .map(|a| self.sum[a] / self.n[a].max(1) as f64)
            .collect();
        let boot = bootstrap(&self.sample, &self.n, &means, samples, seed);
        let rank = ranks(&means);
        // Each replicate ranked once, not once per strategy.
        let boot_ranks: Vec<Vec<usize>> = boot.iter().map(|r| ranks(r)).collect();
        let mut strategies = Vec::with_capacity(k);
        for a in 0..k {
            let reps: Vec<f64> = boot.iter().map(|r| r[a]).collect();
            let (lo, hi) = interval(&reps, means[a]);
            let ranks_of: Vec<usize> = boot_ranks.iter().map(|r| r[a]).collect();
            let stable = ranks_of.iter().filter(|&&r| r == rank[a]).count();
            let mut sorted = ranks_of.clone();
            sorted.sort_unstable();
            strategies.push(StrategyStats {
                strategy: self.names[a].clone(),
                slots: self.n[a],
                mean: means[a],
                ci_low: lo,
                ci_high: hi,
                rank: rank[a],
                rank_stability: if boot.is_empty() {
                    1.0
                } else {
                    stable as f64 / boot.len() as f64
                },
                rank_range: (
                    percentile(&sorted, 0.025).unwrap_or(rank[a]),
                    percentile(&sorted, 0.975).unwrap_or(rank[a]),
                ),
            });
        }
        let pairwise = pairwise(&self.names, &self.n, &self.sum, &self.sum_sq);
        let cell = |c: &(f64, u64)| (c.1 > 0).then(|| c.0 / c.1 as f64);
        let head_to_head: Vec<Vec<Option<f64>>> = self
            .h2h
            .iter()
            .map(|row| row.iter().map(cell).collect())
            .collect();
        let payoffs: Vec<Vec<Option<f64>>> = self
            .game
            .iter()
            .map(|row| row.iter().map(cell).collect())
            .collect();
        let game = empirical_game(&self.names, payoffs);
        Statistics {
            seed,
            samples: boot.len(),
            strategies,
            pairwise,
            head_to_head,
            game,
        }
    }
}

/// Each strategy's bootstrap statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategyStats {
    /// Strategy spec.
    pub strategy: String,
    /// Scores (party slots).
    pub slots: u64,
    /// Mean score.
    pub mean: f64,
    /// Bootstrap 95 % interval of the mean.
    pub ci_low: f64,
    /// Its upper end.
    pub ci_high: f64,
    /// Rank by mean score (1: best).
    pub rank: usize,
    /// Share of bootstrap replicates that give it this rank.
    pub rank_stability: f64,
    /// 2.5 % and 97.5 % percentiles of its rank over the replicates.
    pub rank_range: (usize, usize),
}

/// One pair's test.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// First strategy.
    pub a: String,
    /// Second strategy.
    pub b: String,
    /// Mean score of a minus b's.
    pub difference: f64,
    /// Welch's t statistic.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Holm-adjusted p-value.
    pub p_holm: f64,
    /// `p_holm` below [`ALPHA`].
    pub significant: bool,
}

/// A symmetric Nash equilibrium of the empirical game.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    /// Probability of each strategy (the game's order).
    pub probabilities: Vec<f64>,
    /// Expected payoff of each player.
    pub payoff: f64,
}

/// The empirical game of two-party negotiations.
#[derive(Debug, Clone, PartialEq)]
pub enum Game {
    /// Solved: payoffs (row strategy against column) and equilibria.
    Solved {
        /// Strategy names, rows and columns.
        strategies: Vec<String>,
        /// Mean score of row against column.
        payoffs: Vec<Vec<f64>>,
        /// Its symmetric equilibria.
        equilibria: Vec<Equilibrium>,
    },
    /// Not computed, and why.
    Skipped(String),
}

/// Everything [`Gather::finish`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Bootstrap replicates.
    pub samples: usize,
    /// Per strategy, in name order.
    pub strategies: Vec<StrategyStats>,
    /// Every pair, in name order.
    pub pairwise: Vec<Pair>,
    /// Mean score of row strategy when column strategy is among the other
    /// parties (None: they never met).
    pub head_to_head: Vec<Vec<Option<f64>>>,
    /// The empirical game.
    pub game: Game,
}

/// `samples` replicates of every strategy's mean, resampling its kept
/// scores; a replicate of a sampled strategy is rescaled to its full count.
fn bootstrap(
    sample: &[Vec<f64>],
    n: &[u64],
    means: &[f64],
    samples: usize,
    seed: u64,
) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..samples)
        .map(|_| {
            sample
                .iter()
                .enumerate()
                .map(|(a, xs)| {
                    if xs.is_empty() {
                        return means[a];
                    }
                    let m = xs.len();
                    let s: f64 = (0..m).map(|_| xs[rng.random_range(0..m)]).sum();
                    let sample_mean = xs.iter().sum::<f64>() / m as f64;
                    let scale = (m as f64 / n[a].max(1) as f64).sqrt();
                    means[a] + (s / m as f64 - sample_mean) * scale
                })
                .collect()
        })
        .collect()
}

/// The 2.5 % and 97.5 % percentiles of `reps` (the mean itself without
/// replicates).
fn interval(reps: &[f64], mean: f64) -> (f64, f64) {
    let mut v = reps.to_vec();
    v.sort_by(f64::total_cmp);
    (
        percentile(&v, 0.025).unwrap_or(mean),
        percentile(&v, 0.975).unwrap_or(mean),
    )
}

/// The `q` quantile of sorted `v` (nearest rank), if any.
fn percentile<T: Copy>(v: &[T], q: f64) -> Option<T> {
    if v.is_empty() {
        return None;
    }
    let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    Some(v[i])
}

/// Rank of each value, 1 for the largest; ties share the better rank.
fn ranks(values: &[f64]) -> Vec<usize> {
    values
        .iter()
        .map(|x| 1 + values.iter().filter(|y| *y > x).count())
        .collect()
}

/// Welch's t-test of every pair, Holm-corrected.
fn pairwise(names: &[String], n: &[u64], sum: &[f64], sum_sq: &[f64]) -> Vec<Pair> {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let k = names.len();
    let var = |a: usize| {
        let m = n[a] as f64;
        if n[a] < 2 {
            return 0.0;
        }
        ((sum_sq[a] - sum[a] * sum[a] / m) / (m - 1.0)).max(0.0)
    };
    let mut pairs = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            let (ma, mb) = (sum[a] / n[a].max(1) as f64, sum[b] / n[b].max(1) as f64);
            let (sa, sb) = (var(a) / n[a].max(1) as f64, var(b) / n[b].max(1) as f64);
            let se = (sa + sb).sqrt();
            let (t, df, p) = if n[a] < 2 || n[b] < 2 {
                (f64::NAN, f64::NAN, 1.0)
            } else if se == 0.0 {
                // No variance: the means differ surely or not at all.
                let p = if ma == mb { 1.0 } else { 0.0 };
                (
                    if ma == mb {
                        0.0
                    } else {
                        f64::INFINITY.copysign(ma - mb)
                    },
                    f64::INFINITY,
                    p,
                )
            } else {
                let t = (ma - mb) / se;
                let df = (sa + sb).powi(2)
                    / (sa * sa / (n[a] as f64 - 1.0) + sb * sb / (n[b] as f64 - 1.0));
                let p = match StudentsT::new(0.0, 1.0, df) {
                    Ok(d) => (2.0 * d.cdf(-t.abs())).min(1.0),
                    Err(_) => 1.0,
                };
                (t, df, p)
            };
            pairs.push(Pair {
                a: names[a].clone(),
                b: names[b].clone(),
                difference: ma - mb,
                t,
                df,
                p,
                p_holm: p,
                significant: false,
            });
        }
    }
    let holm = holm(&pairs.iter().map(|p| p.p).collect::<Vec<_>>());
    for (p, h) in pairs.iter_mut().zip(holm) {
        p.p_holm = h;
        p.significant = h < ALPHA;
    }
    pairs
}

/// Holm's step-down adjusted p-values, in the input's order.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

/// The empirical game, when every pair of strategies met in two-party
/// negotiations.
fn empirical_game(names: &[String], payoffs: Vec<Vec<Option<f64>>>) -> Game {
    let k = names.len();
    if k > MAX_GAME_STRATEGIES {
        return Game::Skipped(format!(
            "{k} strategies: support enumeration is solved for at most {MAX_GAME_STRATEGIES}"
        ));
    }
    let mut full = vec![vec![0.0; k]; k];
    for a in 0..k {
        for b in 0..k {
            match payoffs[a][b] {
                Some(x) => full[a][b] = x,
                None => {
                    return Game::Skipped(format!(
                        "{} never met {} in a two-party negotiation",
                        names[a], names[b]
                    ))
                }
            }
        }
    }
    let equilibria = symmetric_equilibria(&full);
    Game::Solved {
        strategies: names.to_vec(),
        payoffs: full,
        equilibria,
    }
}

/// Tolerance of the equilibrium conditions.
const EPS: f64 = 1e-9;

/// Symmetric Nash equilibria of the symmetric game with row payoffs `a`,
/// by support enumeration (smallest supports first; duplicates dropped).
pub fn symmetric_equilibria(a: &[Vec<f64>]) -> Vec<Equilibrium> {
    let k = a.len();
    let mut out: Vec<Equilibrium> = Vec::new();
    let mut supports: Vec<u32> = (1..(1u32 << k)).collect();
    supports.sort_by_key(|s| (s.count_ones(), *s));
    for s in supports {
        let members: Vec<usize> = (0..k).filter(|&i| s & (1 << i) != 0).collect();
        let Some((x_s, v)) = indifference(a, &members) else {
            continue;
        };
        if x_s.iter().any(|&x| x < -EPS) {
            continue;
        }
        let mut x = vec![0.0; k];
        for (&i, &xi) in members.iter().zip(&x_s) {
            x[i] = xi.max(0.0);
        }
        let payoff_of = |i: usize| (0..k).map(|j| a[i][j] * x[j]).sum::<f64>();
        if (0..k).any(|i| payoff_of(i) > v + EPS) {
            continue;
        }
        if out.iter().any(|e| {
            e.probabilities
                .iter()
                .zip(&x)
                .all(|(p, q)| (p - q).abs() < 1e-7)
        }) {
            continue;
        }
        out.push(Equilibrium {
            probabilities: x,
            payoff: v,
        });
    }
    out
}

/// The mixed strategy on `members` that gives each of them the same
/// payoff `v` against it, summing to 1: solve [A_SS −1; 1ᵀ 0][x; v] = [0; 1]
/// by Gaussian elimination with partial pivoting (None when singular).
fn indifference(a: &[Vec<f64>], members: &[usize]) -> Option<(Vec<f64>, f64)> {
    let m = members.len();
    let mut mat = vec![vec![0.0; m + 2]; m + 1];
    for (r, &i) in members.iter().enumerate() {
        for (c, &j) in members.iter().enumerate() {
            mat[r][c] = a[i][j];
        }
        mat[r][m] = -1.0;
    }
    for x in mat[m].iter_mut().take(m) {
        *x = 1.0;
    }
    mat[m][m + 1] = 1.0;
    let size = m + 1;
    for col in 0..size {
        let pivot = (col..size).max_by(|&p, &q| mat[p][col].abs().total_cmp(&mat[q][col].abs()))?;
        if mat[pivot][col].abs() < 1e-12 {
            return None;
        }
        mat.swap(col, pivot);
        let pivot_row = mat[col].clone();
        for (r, row) in mat.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            if r != col && f != 0.0 {
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    let sol: Vec<f64> = (0..size).map(|r| mat[r][size] / mat[r][r]).collect();
    Some((sol[..m].to_vec(), sol[m]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_adjusts_step_down() {
        let got = holm(&[0.01, 0.04, 0.03, 0.005]);
        let want = [0.03, 0.06, 0.06, 0.02];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
        assert_eq!(holm(&[0.9, 0.8]), vec![1.0, 1.0]);
    }

    /// Whether `x` is a symmetric equilibrium of `a`, checked here without
    /// the solver: a probability vector, and no pure strategy earns more
    /// against it than `x` itself does.
    fn is_equilibrium(a: &[Vec<f64>], x: &[f64]) -> bool {
        let k = a.len();
        let total: f64 = x.iter().sum();
        let earn = |i: usize| (0..k).map(|j| a[i][j] * x[j]).sum::<f64>();
        let own: f64 = (0..k).map(|i| x[i] * earn(i)).sum();
        (total - 1.0).abs() < 1e-9
            && x.iter().all(|&p| p >= 0.0)
            && (0..k).all(|i| earn(i) <= own + 1e-7)
    }

    #[test]
    fn textbook_games_have_their_equilibria() {
        let rps = vec![
            vec![0.0, -1.0, 1.0],
            vec![1.0, 0.0, -1.0],
            vec![-1.0, 1.0, 0.0],
        ];
        let e = symmetric_equilibria(&rps);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0]
            .probabilities
            .iter()
            .all(|p| (p - 1.0 / 3.0).abs() < 1e-9));
        assert!(e[0].payoff.abs() < 1e-12);
        // Prisoner's dilemma (cooperate, defect): defect only.
        let pd = vec![vec![3.0, 0.0], vec![5.0, 1.0]];
        let e = symmetric_equilibria(&pd);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].probabilities, vec![0.0, 1.0]);
        // Hawk-dove: the mixed equilibrium only.
        let hd = vec![vec![0.0, 3.0], vec![1.0, 2.0]];
        let e = symmetric_equilibria(&hd);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!((e[0].probabilities[0] - 0.5).abs() < 1e-12 && (e[0].payoff - 1.5).abs() < 1e-12);
        // Coordination: both pure equilibria and the mixed one.
        let co = vec![vec![2.0, 0.0], vec![0.0, 1.0]];
        let e = symmetric_equilibria(&co);
        assert_eq!(e.len(), 3, "{e:?}");
    }

    /// Every symmetric game has a symmetric equilibrium (Nash); random ones
    /// are non-degenerate, so the enumeration finds at least one, and every
    /// one it reports passes the independent check.
    #[test]
    fn random_games_have_checked_symmetric_equilibria() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for k in 1..=6 {
            for _ in 0..50 {
                let a: Vec<Vec<f64>> = (0..k)
                    .map(|_| (0..k).map(|_| rng.random_range(0.0..1.0)).collect())
                    .collect();
                let e = symmetric_equilibria(&a);
                assert!(!e.is_empty(), "{a:?}");
                for x in &e {
                    assert!(is_equilibrium(&a, &x.probabilities), "{a:?} {x:?}");
                }
            }
        }
    }

    fn gathered(rows: &[(Vec<&str>, Vec<f64>)], seed: u64) -> Statistics {
        let mut g = Gather::new(seed);
        for (names, scores) in rows {
            let slots: Vec<usize> = names.iter().map(|n| g.slot(n)).collect();
            g.add(&slots, scores);
        }
        g.finish(500, seed)
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_mean() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let rows: Vec<(Vec<&str>, Vec<f64>)> = (0..400)
            .map(|i| {
                let names = if i % 2 == 0 {
                    vec!["b", "a"]
                } else {
                    vec!["a", "c"]
                };
                (
                    names,
                    vec![rng.random_range(0.0..1.0), rng.random_range(0.3..0.5)],
                )
            })
            .collect();
        let s = gathered(&rows, 9);
        assert_eq!(s, gathered(&rows, 9), "same seed, same statistics");
        assert_ne!(
            s.strategies[0].ci_low,
            gathered(&rows, 10).strategies[0].ci_low
        );
        assert_eq!(
            s.strategies
                .iter()
                .map(|x| x.strategy.as_str())
                .collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        for x in &s.strategies {
            assert!(x.ci_low <= x.mean && x.mean <= x.ci_high, "{x:?}");
            assert!(x.ci_high - x.ci_low < 0.2, "{x:?}");
        }
        // Three pairs, in name order; Holm never lowers a p-value.
        assert_eq!(s.pairwise.len(), 3);
        for p in &s.pairwise {
            assert!(p.p_holm >= p.p);
        }
    }

    /// Welch's statistic from the sums equals the two-pass textbook formula
    /// on the raw scores; clearly separated strategies test significant and
    /// keep their ranks in every replicate.
    #[test]
    fn welch_and_ranks_on_separated_strategies() {
        let hi: Vec<f64> = (0..60).map(|i| 0.8 + 0.002 * f64::from(i % 7)).collect();
        let lo: Vec<f64> = (0..40).map(|i| 0.3 + 0.003 * f64::from(i % 5)).collect();
        let mut rows = Vec::new();
        for &x in &hi {
            rows.push((vec!["hi"], vec![x]));
        }
        for &x in &lo {
            rows.push((vec!["lo"], vec![x]));
        }
        let s = gathered(&rows, 1);
        let stats = |v: &[f64]| {
            let n = v.len() as f64;
            let m = v.iter().sum::<f64>() / n;
            (
                m,
                v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0),
                n,
            )
        };
        let ((ma, va, na), (mb, vb, nb)) = (stats(&hi), stats(&lo));
        let t = (ma - mb) / (va / na + vb / nb).sqrt();
        let p = &s.pairwise[0];
        assert!((p.t - t).abs() < 1e-6 * t.abs(), "{} {t}", p.t);
        assert!(p.significant && p.p < 1e-10);
        assert_eq!((s.strategies[0].rank, s.strategies[1].rank), (1, 2));
        assert_eq!(s.strategies[0].rank_stability, 1.0);
        assert!(
            matches!(s.game, Game::Skipped(_)),
            "no two-party negotiations"
        );
    }

    #[test]
    fn the_empirical_game_of_two_party_negotiations() {
        // a against b scores 0 and b 3 (hawk-dove-like payoffs), repeated.
        let rows = vec![
            (vec!["h", "h"], vec![0.0, 0.0]),
            (vec!["h", "d"], vec![3.0, 1.0]),
            (vec!["d", "h"], vec![1.0, 3.0]),
            (vec!["d", "d"], vec![2.0, 2.0]),
        ];
        let s = gathered(&rows, 1);
        match &s.game {
            Game::Solved {
                strategies,
                payoffs,
                equilibria,
            } => {
                assert_eq!(strategies, &["d", "h"]);
                assert_eq!(payoffs, &vec![vec![2.0, 1.0], vec![3.0, 0.0]]);
                assert_eq!(equilibria.len(), 1);
                assert!((equilibria[0].probabilities[0] - 0.5).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
        // Head to head: h's mean score with d among the others is 3.
        assert_eq!(s.head_to_head[1][0], Some(3.0));
    }
}

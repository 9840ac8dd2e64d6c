//! KTAB's Spatial Model of Politics (SMP), ported from KTAB's C++ source
//! (`kmodel/libsrc/kmodel.cpp`, `examples/smp/libsrc/smp.cpp`, `smpbcn.cpp`,
//! snapshot `lsyaseen/KTAB` @ 3b5b063) with KTAB's default parameters:
//! proportional voting, linear victory probability, conditional PCE,
//! deterministic state transitions, risk range "Mid", perceived risk
//! "OneThird", semi-committed third parties, S2P2 bargains, initiator-only
//! interpolation. `docs/forecasting.md` gives the equations.
//!
//! Every constant (1e-8 coalition floor, 1e-6 bargain weight, rounding of
//! bargains to 4 decimals, 1e-3 position equivalence) and every summation
//! order follows KTAB, so that trajectories agree with KTAB's own runs.

// Index loops mirror KTAB's C++ so that the port can be checked line by line.
#![allow(clippy::needless_range_loop)]

/// One actor of an SMP run. Positions and saliences are on [0, 1] (KTAB's
/// CSV gives them on 0–100 and divides by 100).
#[derive(Debug, Clone, PartialEq)]
pub struct SmpActor {
    /// Name.
    pub name: String,
    /// Capability (influence), > 0.
    pub cap: f64,
    /// Position per dimension, in [0, 1].
    pub pos: Vec<f64>,
    /// Salience per dimension, in [0, 1], summing to at most 1 and more than 0.
    pub sal: Vec<f64>,
}

/// The state of one turn.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpTurn {
    /// Each actor's position (on [0, 1]).
    pub positions: Vec<Vec<f64>>,
    /// Probability that each actor's position is the outcome (actors that
    /// share a position share its probability).
    pub prob: Vec<f64>,
    /// Each actor's risk attitude in [−½, 1] (0 = neutral).
    pub risk: Vec<f64>,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpRun {
    /// Turn 0 (the input) to the last turn.
    pub turns: Vec<SmpTurn>,
    /// "Fractional change compared to first step" for turns 1.. (KTAB's stop statistic).
    pub change_ratios: Vec<f64>,
}

/// Stop-rule parameters (KTAB `configExec` defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SmpParams {
    /// Never stop before this many turns.
    pub min_turns: usize,
    /// Always stop at this many turns.
    pub max_turns: usize,
    /// Stop when the turn's movement is below this fraction of the first turn's.
    pub min_delta_ratio: f64,
}

impl Default for SmpParams {
    fn default() -> Self {
        SmpParams {
            min_turns: 2,
            max_turns: 100,
            min_delta_ratio: 0.02,
        }
    }
}

const MIN_COALITION: f64 = 1e-8;
const MIN_SIG_DELTA: f64 = 1e-4;
const POS_TOL: f64 = 1e-3;
const MIN_SIG_EDU: f64 = 1e-5;

/// KTAB `Model::vote` with the proportional rule.
#[inline]
fn vote(w: f64, ui: f64, uj: f64) -> f64 {
    w * (ui - uj)
}

/// KTAB `SMPModel::bsUtil`.
#[inline]
fn bs_util(sd: f64, r: f64) -> f64 {
    if sd <= 1.0 {
        (1.0 - sd) * (1.0 + sd * r)
    } else {
        (1.0 - sd) * (1.0 + r)
    }
}

/// KTAB `SMPModel::bvDiff`: salience-weighted distance of `d` (a difference vector).
fn bv_diff(d: &[f64], s: &[f64]) -> f64 {
    let (mut ds_sqr, mut ss_sqr) = (0.0, 0.0);
    for (&dij, &sij) in d.iter().zip(s) {
        let ds = dij * sij;
        ds_sqr += ds * ds;
        ss_sqr += sij * sij;
    }
    (ds_sqr / ss_sqr).sqrt()
}

fn diff(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// KTAB `Model::coalitions` for `n_opt` options voted on by `n_act` actors;
/// `c[i][j]` is the strength of the coalition for i against j.
fn coalitions(n_act: usize, n_opt: usize, v: impl Fn(usize, usize, usize) -> f64) -> Vec<Vec<f64>> {
    let mut c = vec![vec![0.0; n_opt]; n_opt];
    for i in 0..n_opt {
        for j in 0..i {
            let (mut cij, mut cji) = (MIN_COALITION, MIN_COALITION);
            for k in 0..n_act {
                let vkij = v(k, i, j);
                if vkij > 0.0 {
                    cij += vkij;
                }
                if vkij < 0.0 {
                    cji -= vkij;
                }
            }
            c[i][j] = cij;
            c[j][i] = cji;
        }
        c[i][i] = MIN_COALITION;
    }
    c
}

/// KTAB `Model::vProb` (linear) then `Model::condPCE`.
fn cond_pce(c: &[Vec<f64>]) -> Vec<f64> {
    let n = c.len();
    let mut pv = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..i {
            let (x1, x2) = (c[i][j], c[j][i]);
            pv[i][j] = x1 / (x1 + x2);
            pv[j][i] = x2 / (x1 + x2);
        }
        pv[i][i] = 0.5;
    }
    let mut p: Vec<f64> = pv
        .iter()
        .map(|row| row.iter().fold(1.0, |acc, x| acc * x))
        .collect();
    let total: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= total);
    p
}

/// KTAB `Model::scalarPCE`: `u[k][m]` is actor k's utility of option m.
fn scalar_pce(w: &[f64], u: &[Vec<f64>], n_opt: usize) -> Vec<f64> {
    let c = coalitions(w.len(), n_opt, |k, i, j| vote(w[k], u[k][i], u[k][j]));
    cond_pce(&c)
}

/// KTAB `Model::bigRfromProb` with the "Mid" range (guarded when all p are equal).
fn big_r_mid(p: &[f64]) -> Vec<f64> {
    let (mut p_min, mut p_max) = (1.0f64, 0.0f64);
    for &pi in p {
        p_min = if pi < p_min { pi } else { p_min };
        p_max = if pi > p_max { pi } else { p_max };
    }
    if p_max == p_min {
        return vec![0.0; p.len()];
    }
    p.iter()
        .map(|&pi| (3.0 * pi - (p_max + 2.0 * p_min)) / (2.0 * (p_max - p_min)))
        .collect()
}

/// Everything KTAB computes for one state before bargaining.
struct Eval<'a> {
    actors: &'a [SmpActor],
    pos: Vec<Vec<f64>>,
    ideals: Vec<Vec<f64>>,
    /// Risk attitudes (KTAB `nra`).
    nra: Vec<f64>,
    /// `a_util[h][i][j]`: h's estimate of i's utility of j's position.
    a_util: Vec<Vec<Vec<f64>>>,
    /// First actor of each distinct position, and each actor's class.
    u_indices: Vec<usize>,
    e_indices: Vec<usize>,
}

impl<'a> Eval<'a> {
    fn new(actors: &'a [SmpActor], pos: Vec<Vec<f64>>, ideals: Vec<Vec<f64>>) -> Self {
        let na = actors.len();
        let caps: Vec<f64> = actors.iter().map(|a| a.cap).collect();
        let v_diff: Vec<Vec<f64>> = (0..na)
            .map(|i| {
                (0..na)
                    .map(|j| bv_diff(&diff(&ideals[i], &pos[j]), &actors[i].sal))
                    .collect()
            })
            .collect();
        let rn: Vec<Vec<f64>> = v_diff
            .iter()
            .map(|row| row.iter().map(|&d| bs_util(d, 0.0)).collect())
            .collect();
        let c = coalitions(na, na, |k, i, j| vote(caps[k], rn[k][i], rn[k][j]));
        let nra = big_r_mid(&cond_pce(&c));
        let a_util = (0..na)
            .map(|h| {
                (0..na)
                    .map(|i| {
                        let rhi = (2.0 * nra[h] + nra[i]) / 3.0;
                        (0..na).map(|j| bs_util(v_diff[i][j], rhi)).collect()
                    })
                    .collect()
            })
            .collect();
        let (mut u_indices, mut e_indices) = (Vec::new(), Vec::new());
        for i in 0..na {
            match u_indices
                .iter()
                .position(|&k: &usize| norm(&diff(&pos[i], &pos[k])) < POS_TOL)
            {
                Some(j) => e_indices.push(j),
                None => {
                    u_indices.push(i);
                    e_indices.push(u_indices.len() - 1);
                }
            }
        }
        Eval {
            actors,
            pos,
            ideals,
            nra,
            a_util,
            u_indices,
            e_indices,
        }
    }

    fn caps(&self) -> Vec<f64> {
        self.actors.iter().map(|a| a.cap).collect()
    }

    /// KTAB `SMPState::pDist(-1)`: probability of each actor's position.
    fn prob(&self) -> Vec<f64> {
        let na = self.actors.len();
        let u: Vec<Vec<f64>> = (0..na)
            .map(|i| {
                self.u_indices
                    .iter()
                    .map(|&j| self.a_util[i][i][j])
                    .collect()
            })
            .collect();
        let p = scalar_pce(&self.caps(), &u, self.u_indices.len());
        self.e_indices.iter().map(|&e| p[e]).collect()
    }

    /// KTAB `SMPState::probEduChlg`: h's estimate of the effect on k of i
    /// challenging j; gives (probability i wins, change in k's expected utility).
    fn prob_edu_chlg(&self, h: usize, k: usize, i: usize, j: usize) -> (f64, f64) {
        let u = &self.a_util[h];
        let (uii, uij, uji, ujj) = (u[i][i], u[i][j], u[j][i], u[j][j]);
        let eu_sq = u[k][i] + u[k][j];
        let uhkij = u[k][i] + u[k][i];
        let uhkji = u[k][j] + u[k][j];
        let ai = &self.actors[i];
        let aj = &self.actors[j];
        let si: f64 = ai.sal.iter().sum();
        let sj: f64 = aj.sal.iter().sum();
        let contrib_i = vote(si * ai.cap, uii, uij);
        let contrib_j = vote(sj * aj.cap, uji, ujj);
        let (mut chij, mut chji) = (MIN_COALITION_EDU, MIN_COALITION_EDU);
        if contrib_i > 0.0 {
            chij += contrib_i;
        }
        if contrib_i < 0.0 {
            chji -= contrib_i;
        }
        if contrib_j > 0.0 {
            chij += contrib_j;
        }
        if contrib_j < 0.0 {
            chji -= contrib_j;
        }
        let (ci_ij, cj_ij) = (chij, chji);
        for (n, an) in self.actors.iter().enumerate() {
            if n == i || n == j {
                continue;
            }
            let sn: f64 = an.sal.iter().sum();
            let wn = sn * an.cap;
            let (uni, unj, unn) = (u[n][i], u[n][j], u[n][n]);
            // Actor::vProbLittle
            let contrib_n = vote(wn, uni, unj);
            let cni = if contrib_n > 0.0 {
                ci_ij + contrib_n
            } else {
                ci_ij
            };
            let cnj = if contrib_n < 0.0 {
                cj_ij - contrib_n
            } else {
                cj_ij
            };
            let pin = cni / (cni + cnj);
            let pjn = 1.0 - pin;
            // Actor::thirdPartyVoteSU, semi-committed.
            let u_ik_def_j = uni + uni + unn;
            let u_j_def_ik = unj + unj + unj;
            let u_i_def_jk = uni + uni + uni;
            let u_jk_def_i = unj + unj + unn;
            let u_ik_j = pin * u_ik_def_j + pjn * u_j_def_ik;
            let u_i_jk = pin * u_i_def_jk + pjn * u_jk_def_i;
            let vnij = vote(wn, u_ik_j, u_i_jk);
            if vnij > 0.0 {
                chij += vnij;
            }
            if vnij < 0.0 {
                chji -= vnij;
            }
        }
        let phij = chij / (chij + chji);
        let phji = chji / (chij + chji);
        let eu_vict = uhkij;
        let eu_cntst = phij * uhkij + phji * uhkji;
        let eu_chlg = (1.0 - sj) * eu_vict + sj * eu_cntst;
        (phij, eu_chlg - eu_sq)
    }

    /// KTAB `SMPActor::posUtil`: actor n's utility of position `p`.
    fn pos_util(&self, n: usize, p: &[f64]) -> f64 {
        bs_util(
            bv_diff(&diff(&self.ideals[n], p), &self.actors[n].sal),
            self.nra[n],
        )
    }
}

/// KTAB's minimum coalition in `probEduChlg`.
const MIN_COALITION_EDU: f64 = 1e-10;

/// A bargain: the initiator's and the receiver's new positions.
#[derive(Debug, Clone)]
struct Bargain {
    init: usize,
    rcvr: usize,
    pos_init: Vec<f64>,
    pos_rcvr: Vec<f64>,
}

fn round4(x: f64) -> f64 {
    // KTAB: (int)(0.5 + x*s) / s, truncation toward zero.
    ((0.5 + x * 10000.0) as i64) as f64 / 10000.0
}

/// KTAB `SMPActor::interpolateBrgn` with S2P2 (`interpBrgnSnPm(2, 2, …)`).
fn interpolate(
    ai: &SmpActor,
    aj: &SmpActor,
    pi: &[f64],
    pj: &[f64],
    prb_i: f64,
    prb_j: f64,
) -> (Vec<f64>, Vec<f64>) {
    let min_w = 1e-6;
    let mut bi = Vec::with_capacity(pi.len());
    let mut bj = Vec::with_capacity(pi.len());
    for k in 0..pi.len() {
        let (tik, sik, tjk, sjk) = (pi[k], ai.sal[k], pj[k], aj.sal[k]);
        let wik = sik.powi(2) * prb_i.powi(2);
        let wjk = sjk.powi(2) * prb_j.powi(2);
        bi.push(round4(
            ((wik + min_w) * tik + wjk * tjk) / (wik + min_w + wjk),
        ));
        bj.push(round4(
            (wik * tik + (min_w + wjk) * tjk) / (wik + min_w + wjk),
        ));
    }
    (bi, bj)
}

/// One bargaining turn (KTAB `SMPState::doBCN`): new positions.
fn step(e: &Eval<'_>) -> Vec<Vec<f64>> {
    let na = e.actors.len();
    // Queues in the order a sequential KTAB run fills them: bargains pushed by
    // earlier initiators, then the actor's own status quo and initiative.
    let mut queues: Vec<Vec<Bargain>> = vec![Vec::new(); na];
    for i in 0..na {
        queues[i].push(Bargain {
            init: i,
            rcvr: i,
            pos_init: e.pos[i].clone(),
            pos_rcvr: e.pos[i].clone(),
        });
        // KTAB `bestChallenge`: the largest gain above 1e-5, first j on ties.
        let mut best: Option<(usize, f64, f64)> = None;
        for j in 0..na {
            if i == j {
                continue;
            }
            let (pij, edu) = e.prob_edu_chlg(i, i, i, j);
            if MIN_SIG_EDU < edu && best.is_none_or(|(_, _, b)| b < edu) {
                best = Some((j, pij, edu));
            }
        }
        if let Some((j, piij, _)) = best {
            let (bi, bj) = interpolate(
                &e.actors[i],
                &e.actors[j],
                &e.pos[i],
                &e.pos[j],
                piij,
                1.0 - piij,
            );
            let b = Bargain {
                init: i,
                rcvr: j,
                pos_init: bi,
                pos_rcvr: bj,
            };
            queues[i].push(b.clone());
            queues[j].push(b);
        }
    }
    let caps = e.caps();
    (0..na)
        .map(|k| {
            let q = &queues[k];
            let nb = q.len();
            // u[n][m]: actor n's average utility over all positions if bargain m happens.
            let u: Vec<Vec<f64>> = (0..na)
                .map(|n| {
                    q.iter()
                        .map(|b| {
                            let mut s = 0.0;
                            if b.init == b.rcvr {
                                for m in 0..na {
                                    s += e.a_util[n][n][m];
                                }
                            } else {
                                s += e.pos_util(n, &b.pos_init);
                                s += e.pos_util(n, &b.pos_rcvr);
                                for m in 0..na {
                                    if m != b.init && m != b.rcvr {
                                        s += e.a_util[n][n][m];
                                    }
                                }
                            }
                            s / na as f64
                        })
                        .collect()
                })
                .collect();
            let p = scalar_pce(&caps, &u, nb);
            // KTAB `ndxMaxAbs`: the first index of the largest probability.
            let mut m_max = 0;
            for m in 1..nb {
                if p[m].abs() > p[m_max].abs() {
                    m_max = m;
                }
            }
            let b = &q[m_max];
            if b.init == b.rcvr {
                e.pos[k].clone()
            } else if b.init == k {
                b.pos_init.clone()
            } else {
                b.pos_rcvr.clone()
            }
        })
        .collect()
}

fn state_dist(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter().zip(b).map(|(x, y)| norm(&diff(x, y))).sum()
}

/// Run SMP to its stop rule.
pub fn run(actors: &[SmpActor], params: &SmpParams) -> SmpRun {
    let initial: Vec<Vec<f64>> = actors.iter().map(|a| a.pos.clone()).collect();
    let mut eval = Eval::new(actors, initial.clone(), initial);
    let mut turns = vec![SmpTurn {
        positions: eval.pos.clone(),
        prob: eval.prob(),
        risk: eval.nra.clone(),
    }];
    let mut ratios = Vec::new();
    let mut d01 = 0.0;
    for iter in 1.. {
        let next = step(&eval);
        // Identity accommodation: the new ideals are the new positions.
        eval = Eval::new(actors, next.clone(), next);
        turns.push(SmpTurn {
            positions: eval.pos.clone(),
            prob: eval.prob(),
            risk: eval.nra.clone(),
        });
        if iter == 1 {
            d01 = state_dist(&turns[0].positions, &turns[1].positions) + MIN_SIG_DELTA;
        }
        let dxy = state_dist(&turns[iter].positions, &turns[iter - 1].positions);
        let ratio = dxy / d01;
        ratios.push(ratio);
        if iter >= params.max_turns || (iter >= params.min_turns && ratio < params.min_delta_ratio)
        {
            break;
        }
    }
    SmpRun {
        turns,
        change_ratios: ratios,
    }
}

//! The project's own GENIUS and GeniusWeb examples (`examples/genius`,
//! `examples/geniusweb`) analysed by `zopa reference` (NegMAS 0.16's
//! semantics) and `zopa analyze` (GENIUS's), against values worked out here
//! independently of the code under test:
//!
//! * the numbers of each file are restated below (a file that drifts from
//!   them fails the comparison);
//! * utilities are computed in exact rational arithmetic;
//! * rationality, Pareto dominance, the frontier and every solution are
//!   defined here from their written definitions (docs/negmas-compatibility.md
//!   for NegMAS's, docs/analysis.md for zopa's), not imported from zopa.

mod common;

use std::path::PathBuf;

use common::zopa;
use serde_json::Value;
use zopa_testkit::exact::{argmax, undominated, Q};

// ------------------------------------------------------------ the domains

/// How one party values one issue, as its file writes it.
enum Eval {
    /// A discrete issue's raw `evaluation` per value.
    Discrete(Vec<i128>),
    /// An integer issue's linear evaluator: `offset`, `slope` (decimals).
    Linear(&'static str, &'static str),
}

/// One issue: its values (integer issues: `lowerbound..=upperbound`).
enum Issue {
    Discrete(usize),
    Integer(i128, i128),
}

impl Issue {
    fn len(&self) -> usize {
        match self {
            Issue::Discrete(n) => *n,
            Issue::Integer(lo, hi) => (hi - lo + 1) as usize,
        }
    }
}

struct Profile {
    weights: Vec<&'static str>,
    evals: Vec<Eval>,
    reservation: Option<&'static str>,
}

struct Domain {
    dir: &'static str,
    issues: Vec<Issue>,
    profiles: Vec<Profile>,
}

/// `examples/genius/supplier-contract`, restated.
fn supplier() -> Domain {
    Domain {
        dir: "examples/genius/supplier-contract",
        issues: vec![Issue::Discrete(3), Issue::Discrete(3), Issue::Discrete(2)],
        profiles: vec![
            Profile {
                weights: vec!["0.5", "0.3", "0.2"],
                evals: vec![
                    Eval::Discrete(vec![10, 6, 1]),
                    Eval::Discrete(vec![2, 6, 10]),
                    Eval::Discrete(vec![4, 8]),
                ],
                reservation: Some("0.35"),
            },
            Profile {
                weights: vec!["0.6", "0.25", "0.15"],
                evals: vec![
                    Eval::Discrete(vec![1, 5, 10]),
                    Eval::Discrete(vec![8, 5, 2]),
                    Eval::Discrete(vec![6, 3]),
                ],
                reservation: Some("0.3"),
            },
        ],
    }
}

/// `examples/genius/harbour-expansion`, restated (profiles in file-name
/// order: city, fishers, port).
fn harbour() -> Domain {
    Domain {
        dir: "examples/genius/harbour-expansion",
        issues: vec![Issue::Integer(2, 6), Issue::Discrete(3), Issue::Discrete(3)],
        profiles: vec![
            Profile {
                weights: vec!["0.3", "0.2", "0.5"],
                evals: vec![
                    Eval::Linear("0.5", "0.125"),
                    Eval::Discrete(vec![2, 2, 1]),
                    Eval::Discrete(vec![0, 6, 10]),
                ],
                reservation: Some("0.45"),
            },
            Profile {
                weights: vec!["0.25", "0.45", "0.3"],
                evals: vec![
                    Eval::Linear("1", "-0.25"),
                    Eval::Discrete(vec![9, 6, 0]),
                    Eval::Discrete(vec![0, 4, 8]),
                ],
                reservation: Some("0.3"),
            },
            Profile {
                weights: vec!["0.5", "0.3", "0.2"],
                evals: vec![
                    Eval::Linear("0", "0.25"),
                    Eval::Discrete(vec![1, 3, 4]),
                    Eval::Discrete(vec![5, 3, 1]),
                ],
                reservation: Some("0.4"),
            },
        ],
    }
}

/// The two readings of a profile's value of issue `k`'s `v`-th value.
#[derive(Clone, Copy, PartialEq)]
enum Semantics {
    /// NegMAS 0.16: raw evaluations, `offset + slope × value`, weights as written.
    Negmas,
    /// GENIUS: evaluations over the issue's largest, `clamp01(offset +
    /// slope × (value − lowerbound))`, weights normalised to sum 1.
    Genius,
}

fn value(d: &Domain, p: &Profile, k: usize, v: usize, s: Semantics) -> Q {
    match (&p.evals[k], &d.issues[k]) {
        (Eval::Discrete(e), _) => match s {
            Semantics::Negmas => Q::int(e[v]),
            Semantics::Genius => Q::new(e[v], *e.iter().max().unwrap()),
        },
        (Eval::Linear(off, slope), Issue::Integer(lo, _)) => {
            let (off, slope) = (Q::dec(off), Q::dec(slope));
            let x = Q::int(lo + v as i128);
            match s {
                Semantics::Negmas => off + slope * x,
                Semantics::Genius => (off + slope * (x - Q::int(*lo)))
                    .max(Q::int(0))
                    .min(Q::int(1)),
            }
        }
        _ => unreachable!("a linear evaluator on a discrete issue"),
    }
}

impl Domain {
    /// Every outcome as value positions, in NegMAS's order (last issue fastest).
    fn outcomes(&self) -> Vec<Vec<usize>> {
        let mut all = vec![vec![]];
        for issue in &self.issues {
            all = all
                .into_iter()
                .flat_map(|o: Vec<usize>| {
                    (0..issue.len()).map(move |v| {
                        let mut o = o.clone();
                        o.push(v);
                        o
                    })
                })
                .collect();
        }
        all
    }

    fn utility(&self, p: &Profile, o: &[usize], s: Semantics) -> Q {
        let weights: Vec<Q> = p.weights.iter().map(|w| Q::dec(w)).collect();
        let total = weights.iter().fold(Q::int(0), |a, &w| a + w);
        o.iter()
            .enumerate()
            .map(|(k, &v)| {
                let w = match s {
                    Semantics::Negmas => weights[k],
                    Semantics::Genius => weights[k] / total,
                };
                w * value(self, p, k, v, s)
            })
            .fold(Q::int(0), |a, b| a + b)
    }

    /// Every outcome's utility vector.
    fn table(&self, s: Semantics) -> Vec<Vec<Q>> {
        self.outcomes()
            .iter()
            .map(|o| {
                self.profiles
                    .iter()
                    .map(|p| self.utility(p, o, s))
                    .collect()
            })
            .collect()
    }

    fn reserved(&self) -> Vec<Q> {
        self.profiles
            .iter()
            .map(|p| p.reservation.map_or(Q::int(0), Q::dec))
            .collect()
    }

    fn path(&self) -> PathBuf {
        common::repo(self.dir)
    }
}

// ------------------------------------------------------------ comparing with zopa

fn json_of(args: &[&str]) -> Value {
    let o = zopa(args);
    assert!(
        o.status.success(),
        "zopa {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn near(a: &[f64], b: &[Q]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y.to_f64()).abs() <= 1e-9)
}

/// The set of utility vectors of `points` (a reference.json list) equals
/// the set of the exact vectors `want` (each matched both ways).
fn same_set(what: &str, points: &Value, want: &[Vec<Q>]) {
    let got: Vec<Vec<f64>> = points
        .as_array()
        .unwrap()
        .iter()
        .map(|p| floats(&p["utilities"]))
        .collect();
    assert_eq!(got.len(), want.len(), "{what}: {got:?}");
    for g in &got {
        assert!(
            want.iter().any(|w| near(g, w)),
            "{what}: {g:?} not expected"
        );
    }
    for w in want {
        assert!(got.iter().any(|g| near(g, w)), "{what}: {w:?} missing");
    }
}

/// `zopa reference DIR` against NegMAS 0.16's definitions, worked out here.
fn check_reference(d: &Domain) {
    let r = json_of(&["reference", d.path().to_str().unwrap()]);
    let table = d.table(Semantics::Negmas);
    let n = d.profiles.len();
    assert_eq!(r["n_outcomes"], table.len() as u64, "{}", d.dir);
    assert_eq!(r["n_parties"], n as u64);
    // Every sampled outcome's utilities.
    for s in r["samples"].as_array().unwrap() {
        let i = s["outcome_index"].as_u64().unwrap() as usize;
        assert!(
            near(&floats(&s["utilities"]), &table[i]),
            "{} sample {i}",
            d.dir
        );
    }
    // Ranges: min and max over the whole space.
    let ranges: Vec<(Q, Q)> = (0..n)
        .map(|a| {
            let col = table.iter().map(|u| u[a]);
            (col.clone().min().unwrap(), col.max().unwrap())
        })
        .collect();
    for (a, (lo, hi)) in ranges.iter().enumerate() {
        assert!(
            near(&floats(&r["ranges"][a]), &[*lo, *hi]),
            "{} range {a}",
            d.dir
        );
    }
    // Disagreement: the reserved value, or the minimum when it is below.
    let reserved = d.reserved();
    let dis: Vec<Q> = (0..n).map(|a| reserved[a].max(ranges[a].0)).collect();
    assert!(
        near(&floats(&r["disagreement_point"]), &dis),
        "{} disagreement",
        d.dir
    );
    // The frontier: rational outcomes (u ≥ reserved), undominated, equal
    // vectors collapsed to one.
    let rational: Vec<usize> = (0..table.len())
        .filter(|&i| (0..n).all(|a| table[i][a] >= reserved[a]))
        .collect();
    let mut front: Vec<Vec<Q>> = undominated(&table, &rational)
        .into_iter()
        .map(|i| table[i].clone())
        .collect();
    front.sort();
    front.dedup();
    assert_eq!(
        r["frontier"]["size"],
        front.len() as u64,
        "{} frontier",
        d.dir
    );
    same_set(
        &format!("{} frontier", d.dir),
        &r["frontier"]["points"],
        &front,
    );
    let rows: Vec<usize> = (0..front.len()).collect();
    let gains = |i: usize| -> Vec<Q> { (0..n).map(|a| front[i][a] - dis[a]).collect() };
    let pick =
        |ix: Vec<usize>| -> Vec<Vec<Q>> { ix.into_iter().map(|i| front[i].clone()).collect() };
    // Nash: the largest product of gains over the disagreement point.
    let nash = argmax(&rows, |i| {
        gains(i).into_iter().fold(Q::int(1), |a, b| a * b)
    });
    same_set(&format!("{} nash", d.dir), &r["nash_points"], &pick(nash));
    // NegMAS's "kalai": the largest smallest gain.
    let kalai = argmax(&rows, |i| gains(i).into_iter().min().unwrap());
    same_set(
        &format!("{} kalai", d.dir),
        &r["kalai_points"],
        &pick(kalai),
    );
    // Kalai–Smorodinsky as NegMAS has it: the smallest spread of relative
    // gains (u − d) / (ideal − d), the ideal over the whole space.
    let ks = argmax(&rows, |i| {
        let rel: Vec<Q> = (0..n)
            .map(|a| (front[i][a] - dis[a]) / (ranges[a].1 - dis[a]))
            .collect();
        *rel.iter().min().unwrap() - *rel.iter().max().unwrap()
    });
    same_set(&format!("{} ks", d.dir), &r["ks_points"], &pick(ks));
    let welfare = argmax(&rows, |i| front[i].iter().fold(Q::int(0), |a, &b| a + b));
    same_set(
        &format!("{} welfare", d.dir),
        &r["max_welfare_points"],
        &pick(welfare),
    );
}

/// `zopa analyze DIR --json` against zopa's definitions under GENIUS's
/// semantics, worked out here: the agreement space (every utility at least
/// the reservation), its frontier (every undominated package, duplicates
/// kept), and the Nash package (largest product of gains over the
/// reservations; a tie goes to the larger total, then the smaller index).
fn check_analyze(d: &Domain) -> Value {
    let r = json_of(&[
        "analyze",
        d.path().to_str().unwrap(),
        "--json",
        "--top",
        "0",
    ]);
    let table = d.table(Semantics::Genius);
    let reserved = d.reserved();
    let n = reserved.len();
    let agree: Vec<usize> = (0..table.len())
        .filter(|&i| (0..n).all(|a| table[i][a] >= reserved[a]))
        .collect();
    assert_eq!(r["space"]["size"], table.len() as u64, "{}", d.dir);
    assert_eq!(
        r["space"]["agreement"],
        agree.len() as u64,
        "{} ZOPA",
        d.dir
    );
    let front = undominated(&table, &agree);
    assert_eq!(
        r["agreement_frontier"]["size"],
        front.len() as u64,
        "{} agreement frontier",
        d.dir
    );
    let listed: Vec<u64> = r["agreement_frontier"]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["index"].as_u64().unwrap())
        .collect();
    let mut want: Vec<u64> = front.iter().map(|&i| i as u64).collect();
    let mut got = listed.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want, "{} agreement frontier packages", d.dir);
    let all: Vec<usize> = (0..table.len()).collect();
    let space_front = undominated(&table, &all);
    assert_eq!(
        r["space_frontier"]["size"],
        space_front.len() as u64,
        "{} space frontier",
        d.dir
    );
    let product = |i: usize| (0..n).fold(Q::int(1), |p, a| p * (table[i][a] - reserved[a]));
    let total = |i: usize| table[i].iter().fold(Q::int(0), |s, &u| s + u);
    let best = argmax(&agree, product);
    let nash = argmax(&best, total)[0]; // then the smallest index
    let got = &r["solutions"]["nash"];
    assert_eq!(got["index"], nash as u64, "{} nash package", d.dir);
    r
}

#[test]
fn the_supplier_contract_in_genius_format() {
    let d = supplier();
    check_reference(&d);
    let r = check_analyze(&d);
    assert_eq!(r["actors"].as_array().unwrap().len(), 2);
}

#[test]
fn the_three_party_harbour_domain_with_an_integer_issue() {
    let d = harbour();
    check_reference(&d);
    let r = check_analyze(&d);
    // The discount factors are read, reported by NegMAS's loader, and not
    // applied (ignore_discount=True): 0.9 and 0.8 as written, 0.0 absent.
    let p = json_of(&["reference", d.path().to_str().unwrap()]);
    let discounts: Vec<f64> = p["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["negmas_discount_factor"].as_f64().unwrap())
        .collect();
    assert_eq!(discounts, [0.9, 0.0, 0.8]);
    assert_eq!(r["issues"].as_array().unwrap().len(), 3);
}

/// The GeniusWeb example: utilities Σ weight × value utility (a number
/// range interpolated linearly), reservations the utility of each
/// profile's reservation bid, checked as above.
#[test]
fn the_geniusweb_job_offer() {
    // salary 40k..60k step 5k; workplace, start, training discrete.
    let salary =
        |lo_u: i128, hi_u: i128, v: usize| Q::int(lo_u) + Q::new((hi_u - lo_u) * v as i128, 4);
    let weights = [["0.5", "0.2", "0.2", "0.1"], ["0.4", "0.3", "0.1", "0.2"]];
    let discrete: [[[&str; 3]; 3]; 2] = [
        [
            ["1", "0.75", "0.25"],
            ["1", "0.5", "0"],
            ["1", "0.75", "0.25"],
        ],
        [["0", "0.75", "1"], ["0.5", "1", "0.5"], ["0", "0.5", "1"]],
    ];
    let ends = [(1, 0), (0, 1)];
    let utility = |p: usize, o: &[usize; 4]| -> Q {
        let mut u = Q::dec(weights[p][0]) * salary(ends[p].0, ends[p].1, o[0]);
        for k in 1..4 {
            u = u + Q::dec(weights[p][k]) * Q::dec(discrete[p][k - 1][o[k]]);
        }
        u
    };
    let mut outcomes = vec![];
    for s in 0..5 {
        for w in 0..3 {
            for t in 0..3 {
                for g in 0..3 {
                    outcomes.push([s, w, t, g]);
                }
            }
        }
    }
    let table: Vec<Vec<Q>> = outcomes
        .iter()
        .map(|o| (0..2).map(|p| utility(p, o)).collect())
        .collect();
    // Reservation bids: employer (55k, remote, May, course), candidate (45k, office, January, none).
    let reserved = [utility(0, &[3, 2, 2, 1]), utility(1, &[1, 0, 0, 0])];
    assert_eq!((reserved[0], reserved[1]), (Q::new(1, 4), Q::new(3, 20)));
    let dir = common::repo("examples/geniusweb/job-offer");
    let r = json_of(&["analyze", dir.to_str().unwrap(), "--json", "--top", "0"]);
    // Actors in file-name order: candidate, employer.
    let order = [1, 0];
    let agree: Vec<usize> = (0..table.len())
        .filter(|&i| order.iter().all(|&p| table[i][p] >= reserved[p]))
        .collect();
    assert_eq!(r["space"]["size"], 135);
    assert_eq!(r["space"]["agreement"], agree.len() as u64);
    let reservations: Vec<f64> = r["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["reservation"].as_f64().unwrap())
        .collect();
    assert!(
        near(&reservations, &[reserved[1], reserved[0]]),
        "{reservations:?}"
    );
    let ordered: Vec<Vec<Q>> = table.iter().map(|u| vec![u[1], u[0]]).collect();
    let front = undominated(&ordered, &agree);
    assert_eq!(r["agreement_frontier"]["size"], front.len() as u64);
    let product = |i: usize| (ordered[i][0] - reserved[1]) * (ordered[i][1] - reserved[0]);
    let best = argmax(&agree, product);
    let nash = argmax(&best, |i| ordered[i][0] + ordered[i][1])[0];
    assert_eq!(r["solutions"]["nash"]["index"], nash as u64);
    let u = &r["solutions"]["nash"]["utilities"];
    assert!((u["candidate"].as_f64().unwrap() - ordered[nash][0].to_f64()).abs() < 1e-9);
    assert!((u["employer"].as_f64().unwrap() - ordered[nash][1].to_f64()).abs() < 1e-9);
}

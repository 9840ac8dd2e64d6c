//! Decision rules (`[decision]`): the analysis against a brute force that
//! walks every package and decides by itself, exactly, who accepts it and
//! whether they win.
//!
//! The oracle shares nothing with the code under test but the scenario's
//! numbers: utilities and reservations are exact rationals (values and
//! saliences are small fractions), an actor accepts when the package holds
//! none of its red lines and its exact utility reaches its reservation, and
//! a coalition wins when it has `at_least` members, holds every
//! `must_include` actor and — powers being whole numbers and the share a
//! number of tenths — 10 × its power ≥ tenths × the total power.

use proptest::prelude::*;
use zopa_analysis::solutions::Concept;
use zopa_analysis::{analyze, Options};
use zopa_model::doc::{BasisDoc, DecisionDoc, Sp};
use zopa_model::*;
use zopa_testkit::exact::{self, Q};

/// A rule as the oracle reads it.
#[derive(Debug, Clone)]
struct Rule {
    at_least: usize,
    must_include: Vec<usize>,
    /// Tenths of the total power (`None`: no condition).
    tenths: Option<i128>,
}

/// A scenario from tables plus a `[decision]` table and whole powers.
fn with_rule(t: &Tables, powers: &[u8], rule: &Rule) -> Scenario {
    let mut doc = t.to_doc();
    for (a, p) in doc.actors.iter_mut().zip(powers) {
        a.power = Sp::bare(f64::from(*p));
    }
    doc.decision = Some(DecisionDoc {
        at_least: Some(Sp::bare(rule.at_least as f64)),
        must_include: rule
            .must_include
            .iter()
            .map(|&a| Sp::bare(doc.actors[a].id.value.clone()))
            .collect(),
        power_share: rule.tenths.map(|q| Sp::bare(q as f64 / 10.0)),
        basis: BasisDoc {
            assumption: true,
            note: Some("test rule".into()),
            ..BasisDoc::default()
        },
        span: None,
    });
    let mut diags = Diagnostics::new("rule");
    validate::validate(&doc, &MapLoader::default(), &mut diags).unwrap_or_else(|| panic!("{diags}"))
}

/// Random tables of 2–6 actors (values on a grid of `levels + 1` points),
/// powers 1–5 and a random rule.
fn arb_case(levels: u8) -> impl Strategy<Value = (Tables, Vec<u8>, Rule)> {
    (2usize..=6, prop::collection::vec(1usize..=4, 1..=4)).prop_flat_map(move |(m, radices)| {
        let n_opts: usize = radices.iter().sum();
        let k = radices.len();
        (
            prop::collection::vec(0u8..=4, m * k),
            prop::collection::vec(0u8..=levels, m * n_opts),
            prop::collection::vec(0u8..=5, m * n_opts),
            prop::collection::vec(0u8..=6, m),
            prop::collection::vec(1u8..=5, m),
            1usize..=m,
            prop::collection::vec(0u8..=3, m),
            prop::option::of(1i128..=10),
        )
            .prop_map(
                move |(sal, vals, red, res, powers, at_least, veto, tenths)| {
                    let mut t = Tables {
                        radices: radices.clone(),
                        note: "random test scenario".into(),
                        ..Tables::default()
                    };
                    let mut vi = 0;
                    for a in 0..m {
                        let mut salience: Vec<f64> =
                            (0..k).map(|i| f64::from(sal[a * k + i])).collect();
                        if salience.iter().all(|&x| x == 0.0) {
                            salience[0] = 1.0;
                        }
                        t.saliences.push(salience);
                        let mut values = vec![];
                        let mut reds = vec![];
                        for (i, &r) in radices.iter().enumerate() {
                            values.push(
                                (0..r)
                                    .map(|o| f64::from(vals[vi + o]) / f64::from(levels))
                                    .collect(),
                            );
                            let rejected: Vec<usize> =
                                (0..r).filter(|&o| red[vi + o] == 0).collect();
                            reds.extend(rejected.iter().take(r - 1).map(|&o| (i, o)));
                            vi += r;
                        }
                        t.values.push(values);
                        t.red_lines.push(reds);
                        t.reservations.push(f64::from(res[a]) / 10.0);
                    }
                    let must_include = (0..m).filter(|&a| veto[a] == 0).collect();
                    (
                        t,
                        powers,
                        Rule {
                            at_least,
                            must_include,
                            tenths,
                        },
                    )
                },
            )
    })
}

/// Every package's exact utilities, and which actors accept it (a red line
/// of `ignored` aside).
struct Brute {
    exact: Vec<Vec<Q>>,
    options: Vec<Vec<usize>>,
}

fn brute(s: &Scenario) -> Brute {
    let space = OutcomeSpace::new(&s.radices(), u64::MAX).unwrap();
    let mut b = Brute {
        exact: vec![],
        options: vec![],
    };
    for idx in 0..space.size() {
        let o = space.options_of(idx);
        b.exact.push(
            s.actors()
                .iter()
                .map(|a| {
                    Q::sum(o.iter().enumerate().map(|(i, &x)| {
                        Q::recover(a.weights[i], 48) * Q::recover(a.positions[i].values[x], 255)
                    }))
                })
                .collect(),
        );
        b.options.push(o);
    }
    b
}

/// Whether actor `a` accepts package `p`, exactly, with `ignored` set aside.
fn accepts(s: &Scenario, b: &Brute, p: usize, a: usize, ignored: &[RedLineRef]) -> bool {
    let actor = &s.actors()[a];
    let o = &b.options[p];
    let red = s
        .red_lines()
        .into_iter()
        .any(|r| r.actor == a && o[r.issue] == r.option && !ignored.contains(&r));
    !red && b.exact[p][a] >= Q::recover(actor.reservation, 10)
}

/// Whether the accepting actors win under `rule`, in whole numbers.
fn wins(rule: &Rule, powers: &[u8], members: &[bool]) -> bool {
    let count = members.iter().filter(|&&m| m).count();
    let power: i128 = members
        .iter()
        .zip(powers)
        .filter(|(m, _)| **m)
        .map(|(_, p)| i128::from(*p))
        .sum();
    let total: i128 = powers.iter().map(|&p| i128::from(p)).sum();
    count >= rule.at_least
        && rule.must_include.iter().all(|&a| members[a])
        && rule.tenths.is_none_or(|q| 10 * power >= q * total)
}

fn passing(
    s: &Scenario,
    b: &Brute,
    rule: &Rule,
    powers: &[u8],
    ignored: &[RedLineRef],
) -> Vec<usize> {
    (0..b.options.len())
        .filter(|&p| {
            let members: Vec<bool> = (0..s.n_actors())
                .map(|a| accepts(s, b, p, a, ignored))
                .collect();
            wins(rule, powers, &members)
        })
        .collect()
}

/// The Nash package among the exact frontier of `set`: the largest
/// Π max(u − r, 0), ties to the larger exact sum, then the smaller number.
fn nash(s: &Scenario, b: &Brute, set: &[usize]) -> Option<u64> {
    let res: Vec<Q> = s
        .actors()
        .iter()
        .map(|a| Q::recover(a.reservation, 10))
        .collect();
    let pareto = exact::undominated(&b.exact, set);
    let value = |i: usize| {
        Q::product(
            b.exact[i]
                .iter()
                .zip(&res)
                .map(|(u, r)| (*u - *r).max(Q::zero())),
        )
    };
    let best = exact::argmax(&pareto, value);
    let best = exact::argmax(&best, |i| Q::sum(b.exact[i].iter().copied()));
    best.into_iter().min().map(|i| i as u64)
}

fn check(t: &Tables, powers: &[u8], rule: &Rule) -> Result<(), TestCaseError> {
    let s = with_rule(t, powers, rule);
    let b = brute(&s);
    let a = analyze(&s, &Options::default()).unwrap();
    let pass = passing(&s, &b, rule, powers, &[]);
    let everyone = Rule {
        at_least: s.n_actors(),
        must_include: vec![],
        tenths: None,
    };
    prop_assert_eq!(
        a.agreement_size,
        pass.len() as u64,
        "agreement under {:?}",
        rule
    );
    prop_assert_eq!(
        a.unanimous_size,
        passing(&s, &b, &everyone, powers, &[]).len() as u64
    );
    let mut got: Vec<u64> = a.agreement_frontier.iter().map(|p| p.index).collect();
    got.sort_unstable();
    let want: Vec<u64> = exact::undominated(&b.exact, &pass)
        .into_iter()
        .map(|i| i as u64)
        .collect();
    prop_assert_eq!(got, want, "frontier under {:?}", rule);
    prop_assert_eq!(
        a.solution(Concept::Nash).map(|x| x.point.index),
        nash(&s, &b, &pass)
    );
    for bl in &a.blocking {
        let opened = passing(&s, &b, rule, powers, &[bl.red_line]);
        prop_assert_eq!(
            bl.agreement_if_dropped,
            opened.len() as u64,
            "{:?}",
            bl.red_line
        );
        prop_assert_eq!(bl.alone_removes, (opened.len() - pass.len()) as u64);
        prop_assert_eq!(
            bl.nash_if_dropped.as_ref().map(|x| x.point.index),
            nash(&s, &b, &opened)
        );
    }
    // Each actor's red lines dropped together.
    for (actor, d) in &a.joint.per_actor {
        let own: Vec<RedLineRef> = s
            .red_lines()
            .into_iter()
            .filter(|r| r.actor == *actor)
            .collect();
        prop_assert_eq!(
            d.agreement_if_dropped,
            passing(&s, &b, rule, powers, &own).len() as u64
        );
    }
    // An empty space: the smallest sets of red lines whose dropping lets a
    // package pass.
    let reds = s.red_lines();
    if let (
        Some(zopa_analysis::Unblocking::Sets {
            sets,
            truncated: false,
        }),
        true,
    ) = (&a.unblocking, reds.len() <= 8)
    {
        let mut want: Vec<Vec<RedLineRef>> = vec![];
        for size in 1..=reds.len() {
            for mask in 0u32..1 << reds.len() {
                if mask.count_ones() as usize != size {
                    continue;
                }
                let set: Vec<RedLineRef> = (0..reds.len())
                    .filter(|k| mask >> k & 1 == 1)
                    .map(|k| reds[k])
                    .collect();
                if !passing(&s, &b, rule, powers, &set).is_empty() {
                    want.push(set);
                }
            }
            if !want.is_empty() {
                break;
            }
        }
        want.sort();
        let mut got = sets.clone();
        got.sort();
        prop_assert_eq!(got, want);
    }
    // An empty space: the smallest sets of actors whose acceptance of
    // everything lets a package pass.
    if let Some(o) = &a.opening {
        prop_assert_eq!(a.agreement_size, 0);
        if !o.incomplete && !o.truncated {
            let m = s.n_actors();
            let mut want: Vec<Vec<usize>> = vec![];
            for size in 1..=m {
                for mask in 0u32..1 << m {
                    if mask.count_ones() as usize != size {
                        continue;
                    }
                    let opens = (0..b.options.len()).any(|p| {
                        let members: Vec<bool> = (0..m)
                            .map(|x| mask >> x & 1 == 1 || accepts(&s, &b, p, x, &[]))
                            .collect();
                        wins(rule, powers, &members)
                    });
                    if opens {
                        want.push((0..m).filter(|x| mask >> x & 1 == 1).collect());
                    }
                }
                if !want.is_empty() {
                    break;
                }
            }
            want.sort();
            prop_assert_eq!(&o.sets, &want, "opening under {:?}", rule);
        }
    } else {
        prop_assert!(a.agreement_size > 0);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn rules_match_brute_force_with_ties((t, powers, rule) in arb_case(4)) {
        check(&t, &powers, &rule)?;
    }

    #[test]
    fn rules_match_brute_force_fine_grained((t, powers, rule) in arb_case(255)) {
        check(&t, &powers, &rule)?;
    }
}

//! Property tests: every result of `analyze` against a brute-force oracle that
//! enumerates the whole outcome space, on random scenarios of 2–5 actors.
//!
//! The oracle's Pareto dominance is its own, on exact utilities: every
//! number of the random scenarios is a fraction with a small denominator
//! (saliences of at most 4 over their sum, values over 4 or 255,
//! interaction terms over 510), recovered exactly from the scenario and
//! summed as rationals. Two packages whose exact utilities are equal tie,
//! whatever the floats say (zopa's policy: `zopa_model::UTILITY_GRID`).

use proptest::prelude::*;
use zopa_analysis::solutions::Concept;
use zopa_analysis::{analyze, Options, Unblocking};
use zopa_model::*;
use zopa_testkit::exact::{self, Q};

/// A random scenario with option values on a grid of `levels + 1` points:
/// a coarse grid makes ties and duplicate utility vectors common, a fine one
/// exercises general floating-point sums.
fn arb_scenario(levels: u8) -> impl Strategy<Value = Scenario> {
    (2usize..=5, prop::collection::vec(1usize..=4, 1..=4)).prop_flat_map(move |(m, radices)| {
        let n_opts: usize = radices.iter().sum();
        let k = radices.len();
        (
            Just(m),
            Just(radices),
            prop::collection::vec(0u8..=4, m * k), // saliences
            prop::collection::vec(0u8..=levels, m * n_opts), // values
            prop::collection::vec(0u8..=9, m * n_opts), // red line if 0
            prop::collection::vec(0u8..=6, m),     // reservations /10
        )
            .prop_map(move |(m, radices, sal, vals, red, res)| {
                build(m, &radices, &sal, &vals, &red, &res, levels)
            })
    })
}

fn build(
    m: usize,
    radices: &[usize],
    sal: &[u8],
    vals: &[u8],
    red: &[u8],
    res: &[u8],
    levels: u8,
) -> Scenario {
    let k = radices.len();
    let mut t = Tables {
        radices: radices.to_vec(),
        note: "random test scenario".into(),
        ..Tables::default()
    };
    let mut vi = 0;
    for a in 0..m {
        let mut salience: Vec<f64> = (0..k).map(|i| sal[a * k + i] as f64).collect();
        if salience.iter().all(|&x| x == 0.0) {
            salience[0] = 1.0;
        }
        t.saliences.push(salience);
        let mut values = vec![];
        let mut reds = vec![];
        for (i, &r) in radices.iter().enumerate() {
            values.push(
                (0..r)
                    .map(|o| vals[vi + o] as f64 / levels as f64)
                    .collect(),
            );
            // A red line where the draw is 0, but never on every option.
            let rejected: Vec<usize> = (0..r).filter(|&o| red[vi + o] == 0).collect();
            reds.extend(rejected.iter().take(r - 1).map(|&o| (i, o)));
            vi += r;
        }
        t.values.push(values);
        t.red_lines.push(reds);
        t.reservations.push(res[a] as f64 / 10.0);
    }
    t.build().unwrap_or_else(|d| panic!("{d}"))
}

struct Brute {
    options: Vec<Vec<usize>>,
    utils: Vec<Vec<f64>>,
    /// The same utilities, exactly.
    exact: Vec<Vec<Q>>,
    /// Red lines each package violates.
    violated: Vec<Vec<RedLineRef>>,
    /// Whether the package hits a combination some actor rejects.
    combined: Vec<bool>,
    /// The combinations it hits, as (actor, index).
    hits: Vec<Vec<(usize, usize)>>,
    /// Meets every reservation (combinations aside).
    meets: Vec<bool>,
    /// Meets every reservation and hits no combination.
    rational: Vec<bool>,
}

/// Each actor's utility of package `o`, from the scenario's numbers alone:
/// salience-weighted values summed issue by issue, then every interaction
/// term whose two options the package holds.
fn utilities(s: &Scenario, o: &[usize]) -> Vec<f64> {
    s.actors()
        .iter()
        .map(|a| {
            let mut u = 0.0;
            for (i, &x) in o.iter().enumerate() {
                u += a.weights[i] * a.positions[i].values[x];
            }
            for t in &a.interactions {
                if t.options.iter().all(|&(i, x)| o[i] == x) {
                    u += t.value;
                }
            }
            u
        })
        .collect()
}

/// Each actor's exact utility of package `o`: the scenario's numbers as the
/// fractions they are (see the module's documentation), summed exactly.
fn exact_utilities(s: &Scenario, o: &[usize]) -> Vec<Q> {
    s.actors()
        .iter()
        .map(|a| {
            let issues = o.iter().enumerate().map(|(i, &x)| {
                Q::recover(a.weights[i], 16 * 3) * Q::recover(a.positions[i].values[x], 255)
            });
            let terms = a
                .interactions
                .iter()
                .filter(|t| t.options.iter().all(|&(i, x)| o[i] == x))
                .map(|t| Q::recover(t.value, 510));
            Q::sum(issues.chain(terms))
        })
        .collect()
}

fn brute(s: &Scenario) -> Brute {
    let space = OutcomeSpace::new(&s.radices(), u64::MAX).unwrap();
    let mut b = Brute {
        options: vec![],
        utils: vec![],
        exact: vec![],
        violated: vec![],
        combined: vec![],
        hits: vec![],
        meets: vec![],
        rational: vec![],
    };
    for idx in 0..space.size() {
        let o = space.options_of(idx);
        let u = utilities(s, &o);
        // A package hitting a combination rejected together is outside every
        // agreement space: it counts as not rational here (combinations are
        // never dropped by the blocking analysis).
        // A conditional red line (`unless`) is lifted when the package holds
        // every option of its condition.
        let rejects = |c: &zopa_model::Combination| {
            let all = |v: &[(usize, usize)]| v.iter().all(|&(i, x)| o[i] == x);
            all(&c.options) && (c.unless.is_empty() || !all(&c.unless))
        };
        let combined = s.actors().iter().flat_map(|a| &a.combinations).any(rejects);
        b.violated.push(
            s.red_lines()
                .into_iter()
                .filter(|r| o[r.issue] == r.option)
                .collect(),
        );
        b.combined.push(combined);
        b.hits.push(
            s.actors()
                .iter()
                .enumerate()
                .flat_map(|(a, x)| {
                    x.combinations
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| rejects(c))
                        .map(move |(k, _)| (a, k))
                })
                .collect(),
        );
        // Acceptability, exactly: every utility at least the reservation
        // (reservations are tenths).
        let exact = exact_utilities(s, &o);
        let meets = exact
            .iter()
            .zip(s.actors())
            .all(|(u, a)| *u >= Q::recover(a.reservation, 10));
        b.meets.push(meets);
        b.rational.push(!combined && meets);
        b.exact.push(exact);
        b.options.push(o);
        b.utils.push(u);
    }
    b
}

/// The packages of `set` no other package of it dominates, exactly.
fn frontier_of(b: &Brute, set: &[usize]) -> Vec<u64> {
    exact::undominated(&b.exact, set)
        .into_iter()
        .map(|i| i as u64)
        .collect()
}

/// The documented solution among the Pareto-optimal packages of `set`, by
/// brute force (callers pass the brute-force frontier of the agreement
/// space), each objective written out here and computed exactly:
///
/// * Nash: the largest Π max(u − r, 0);
/// * Kalai–Smorodinsky: the largest min over actors of max((u − r) / (I − r), 0),
///   an actor without room (I ≤ r, I its best in `set`) counting 1;
/// * utilitarian: the largest Σ u; egalitarian: the largest min u;
///
/// ties (exactly equal values) to the larger exact sum, then the smaller
/// package number.
fn solve_bf(b: &Brute, set: &[usize], c: Concept, res: &[Q]) -> Option<u64> {
    let m = res.len();
    let ideal: Vec<Q> = (0..m)
        .map(|a| {
            set.iter()
                .map(|&i| b.exact[i][a])
                .max()
                .unwrap_or(Q::zero())
        })
        .collect();
    let gain = |u: Q, a: usize| (u - res[a]).max(Q::zero());
    let value = |i: usize| -> Q {
        let u = &b.exact[i];
        match c {
            Concept::Nash => Q::product((0..m).map(|a| gain(u[a], a))),
            Concept::KalaiSmorodinsky => (0..m)
                .map(|a| {
                    let room = ideal[a] - res[a];
                    if room <= Q::zero() {
                        Q::int(1)
                    } else {
                        gain(u[a], a) / room
                    }
                })
                .min()
                .unwrap(),
            Concept::Utilitarian => Q::sum(u.iter().copied()),
            Concept::Egalitarian => u.iter().copied().min().unwrap(),
        }
    };
    let best = exact::argmax(set, value);
    let best = exact::argmax(&best, |i| Q::sum(b.exact[i].iter().copied()));
    best.into_iter().min().map(|i| i as u64)
}

/// A red line of either kind, for the joint study's oracle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Line {
    Single(RedLineRef),
    Combination(usize, usize),
}

impl Line {
    fn actor(self) -> usize {
        match self {
            Line::Single(r) => r.actor,
            Line::Combination(a, _) => a,
        }
    }
}

/// Every set of `reds` of the smallest size (from `from`) for which `pred`
/// holds, in the order subsets are enumerated by index (lexicographic in
/// `reds`' order, then sorted within the size); `None` when no set does.
fn smallest_sets<T: Copy + Ord>(
    reds: &[T],
    from: usize,
    pred: impl Fn(&[T]) -> bool,
) -> Option<Vec<Vec<T>>> {
    for size in from..=reds.len() {
        let mut found: Vec<Vec<T>> = (0u32..(1 << reds.len()))
            .filter(|mask| mask.count_ones() as usize == size)
            .map(|mask| {
                (0..reds.len())
                    .filter(|k| mask >> k & 1 == 1)
                    .map(|k| reds[k])
                    .collect::<Vec<_>>()
            })
            .filter(|set| pred(set))
            .collect();
        if !found.is_empty() {
            found.sort();
            return Some(found);
        }
    }
    None
}

/// The space of the packages `open` admits: its size and Nash package.
fn opened_by(b: &Brute, res: &[Q], open: impl Fn(usize) -> bool) -> (u64, Option<u64>) {
    let opened: Vec<usize> = (0..b.options.len()).filter(|&i| open(i)).collect();
    let pareto: Vec<usize> = frontier_of(b, &opened)
        .iter()
        .map(|&i| i as usize)
        .collect();
    (
        opened.len() as u64,
        solve_bf(b, &pareto, Concept::Nash, res),
    )
}

fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn analysis_matches_brute_force_with_ties(s in arb_scenario(4)) {
        check(&s)?;
    }

    #[test]
    fn analysis_matches_brute_force_fine_grained(s in arb_scenario(255)) {
        check(&s)?;
    }

    /// Non-additive scenarios: combinations rejected together and
    /// interaction terms, where the enumerating methods replace the fast ones.
    #[test]
    fn analysis_matches_brute_force_beyond_additive(s in arb_non_additive()) {
        prop_assert!(!s.is_additive());
        check(&s)?;
    }
}

/// The same scenario with its issues in reverse order (ids, values and
/// saliences follow their issues).
fn reversed_issues(s: &Scenario) -> Scenario {
    let mut doc = s.to_doc();
    doc.issues.reverse();
    let mut diags = Diagnostics::new("reversed");
    zopa_model::validate::validate(&doc, &MapLoader::default(), &mut diags)
        .unwrap_or_else(|| panic!("{diags}"))
}

/// A package as (issue id, option id) pairs, sorted: the same package in
/// any issue order.
fn named(s: &Scenario, options: &[usize]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = s
        .issues()
        .iter()
        .zip(options)
        .map(|(i, &o)| (i.id.clone(), i.options[o].id.clone()))
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The frontiers, counts and solutions do not depend on the order of the
    /// issues (which changes how every utility sum is associated).
    #[test]
    fn issue_order_does_not_change_the_analysis(s in arb_scenario(255)) {
        let r = reversed_issues(&s);
        let (a, b) = (analyze(&s, &Options::default()).unwrap(), analyze(&r, &Options::default()).unwrap());
        prop_assert_eq!((a.space_size, a.agreement_size), (b.space_size, b.agreement_size));
        let set = |x: &zopa_analysis::Frontier, s: &Scenario| {
            let mut v: Vec<_> = x.iter().map(|p| named(s, &p.options())).collect();
            v.sort();
            v
        };
        prop_assert_eq!(set(&a.agreement_frontier, &s), set(&b.agreement_frontier, &r));
        prop_assert_eq!(set(&a.space_frontier, &s), set(&b.space_frontier, &r));
        for c in Concept::ALL {
            let pick = |x: &zopa_analysis::Analysis, s: &Scenario| x.solution(c).map(|p| named(s, &p.point.options));
            let (pa, pb) = (pick(&a, &s), pick(&b, &r));
            // The last tie-break, the smaller package number, may pick
            // another package of equal value and equal total in the other
            // order; value and total must agree.
            if pa != pb {
                let key = |x: &zopa_analysis::Analysis| {
                    x.solution(c).map(|p| {
                        let total: f64 = p.point.utilities.iter().sum();
                        (zopa_model::on_utility_grid(p.value), zopa_model::on_utility_grid(total))
                    })
                };
                prop_assert_eq!(key(&a), key(&b), "{:?}", c);
            }
        }
    }
}

/// A random scenario with 1–3 combinations rejected together — some of them
/// conditional red lines (one option, `unless` another) — and 1–3
/// interaction terms (values in [−0.5, 0.5]), spread over random actors.
fn arb_non_additive() -> impl Strategy<Value = Scenario> {
    (
        arb_scenario(4),
        prop::collection::vec(
            (
                any::<u8>(),
                any::<u8>(),
                any::<u8>(),
                any::<u8>(),
                any::<u8>(),
            ),
            2..=6,
        ),
    )
        .prop_map(|(s, raw)| {
            let mut doc = s.to_doc();
            let radices = s.radices();
            let k = radices.len();
            let m = s.n_actors();
            // A second issue for the pairs: with one issue, add a two-option one.
            if k < 2 {
                doc.issues.push(zopa_model::doc::IssueDoc {
                    id: zopa_model::doc::Sp::bare("extra".into()),
                    name: zopa_model::doc::Sp::bare("Extra".into()),
                    description: None,
                    keywords: vec![],
                    options: zopa_model::doc::Sp::bare(
                        ["x0", "x1"]
                            .iter()
                            .map(|o| zopa_model::doc::OptionDoc {
                                id: zopa_model::doc::Sp::bare(o.to_string()),
                                label: zopa_model::doc::Sp::bare(o.to_string()),
                                keywords: vec![],
                                evidence: vec![],
                            })
                            .collect(),
                    ),
                });
                for a in &mut doc.actors {
                    a.salience.entries.push((
                        zopa_model::doc::Sp::bare("extra".into()),
                        zopa_model::doc::Sp::bare(1.0),
                    ));
                    let mut p = a.positions[0].clone();
                    p.issue = zopa_model::doc::Sp::bare("extra".into());
                    p.red_lines.clear();
                    p.values.entries = vec![
                        (
                            zopa_model::doc::Sp::bare("x0".into()),
                            zopa_model::doc::Sp::bare(0.0),
                        ),
                        (
                            zopa_model::doc::Sp::bare("x1".into()),
                            zopa_model::doc::Sp::bare(1.0),
                        ),
                    ];
                    a.positions.push(p);
                }
            }
            let ids: Vec<(String, Vec<String>)> = doc
                .issues
                .iter()
                .map(|i| {
                    (
                        i.id.value.clone(),
                        i.options.value.iter().map(|o| o.id.value.clone()).collect(),
                    )
                })
                .collect();
            let k = ids.len();
            for (n, &(who, i, j, oi, oj)) in raw.iter().enumerate() {
                let (i, mut j) = (i as usize % k, j as usize % k);
                if j == i {
                    j = (i + 1) % k;
                }
                let pair = |x: usize, o: u8| {
                    (
                        zopa_model::doc::Sp::bare(ids[x].0.clone()),
                        zopa_model::doc::Sp::bare(ids[x].1[o as usize % ids[x].1.len()].clone()),
                    )
                };
                let basis = zopa_model::doc::BasisDoc {
                    assumption: true,
                    note: Some("random".into()),
                    ..Default::default()
                };
                let actor = &mut doc.actors[who as usize % m];
                if n % 4 == 2 {
                    // A conditional red line: option oi of issue i, unless
                    // the package also holds option oj of issue j.
                    let options = vec![pair(i, oi)];
                    let same = |c: &zopa_model::doc::CombinationDoc| c.options == options;
                    if !actor.red_line_combinations.iter().any(same) {
                        actor
                            .red_line_combinations
                            .push(zopa_model::doc::CombinationDoc {
                                options,
                                unless: vec![pair(j, oj)],
                                basis,
                                span: None,
                            });
                    }
                } else if n % 2 == 0 {
                    let mut options = vec![pair(i, oi), pair(j, oj)];
                    options.sort_by(|x, y| x.0.value.cmp(&y.0.value));
                    let same = |c: &zopa_model::doc::CombinationDoc| {
                        let mut o = c.options.clone();
                        o.sort_by(|x, y| x.0.value.cmp(&y.0.value));
                        o == options
                    };
                    if !actor.red_line_combinations.iter().any(same) {
                        actor
                            .red_line_combinations
                            .push(zopa_model::doc::CombinationDoc {
                                options,
                                unless: vec![],
                                basis,
                                span: None,
                            });
                    }
                } else {
                    actor.interactions.push(zopa_model::doc::InteractionDoc {
                        options: vec![pair(i, oi), pair(j, oj)],
                        value: zopa_model::doc::Sp::bare((f64::from(oi) - 127.5) / 255.0),
                        basis,
                        span: None,
                    });
                }
            }
            let mut diags = Diagnostics::new("random");
            zopa_model::validate::validate(&doc, &MapLoader::default(), &mut diags)
                .unwrap_or_else(|| panic!("{diags}"))
        })
}

fn check(s: &Scenario) -> Result<(), TestCaseError> {
    {
        let a = analyze(s, &Options::default()).unwrap();
        let b = brute(s);
        let n = b.options.len();
        let res: Vec<Q> = s
            .actors()
            .iter()
            .map(|x| Q::recover(x.reservation, 10))
            .collect();
        let agreement: Vec<usize> = (0..n)
            .filter(|&i| b.violated[i].is_empty() && b.rational[i])
            .collect();
        let all: Vec<usize> = (0..n).collect();

        prop_assert_eq!(a.space_size, n as u64);
        prop_assert_eq!(
            a.no_red_line_size,
            (0..n)
                .filter(|&i| b.violated[i].is_empty() && !b.combined[i])
                .count() as u64
        );
        prop_assert_eq!(a.agreement_size, agreement.len() as u64);

        // Frontiers: exactly the non-dominated packages, utilities as computed.
        let got: Vec<u64> = a.agreement_frontier.iter().map(|p| p.index).collect();
        prop_assert_eq!(sorted(got), frontier_of(&b, &agreement));
        let got: Vec<u64> = a.space_frontier.iter().map(|p| p.index).collect();
        prop_assert_eq!(sorted(got), frontier_of(&b, &all));
        for p in a.agreement_frontier.iter().chain(a.space_frontier.iter()) {
            prop_assert_eq!(&p.utilities, &b.utils[p.index as usize]);
            prop_assert_eq!(&p.options(), &b.options[p.index as usize]);
        }

        // Solutions: the documented maximiser over the whole agreement space.
        for c in Concept::ALL {
            let got = a.solution(c).map(|s| s.point.index);
            let pareto: Vec<usize> = frontier_of(&b, &agreement)
                .iter()
                .map(|&i| i as usize)
                .collect();
            prop_assert_eq!(got, solve_bf(&b, &pareto, c, &res), "{:?}", c);
        }

        // Blocking: what each red line alone removes, and the Nash package without it.
        for bl in &a.blocking {
            let r = bl.red_line;
            let removed = (0..n)
                .filter(|&i| b.violated[i] == [r] && b.rational[i])
                .count() as u64;
            prop_assert_eq!(bl.alone_removes, removed);
            prop_assert_eq!(
                bl.violating,
                (0..n)
                    .filter(|&i| b.options[i][r.issue] == r.option)
                    .count() as u64
            );
            let opened: Vec<usize> = (0..n)
                .filter(|&i| b.rational[i] && b.violated[i].iter().all(|x| *x == r))
                .collect();
            prop_assert_eq!(bl.agreement_if_dropped, opened.len() as u64);
            prop_assert_eq!(
                bl.nash_if_dropped.as_ref().map(|s| s.point.index),
                solve_bf(
                    &b,
                    &frontier_of(&b, &opened)
                        .iter()
                        .map(|&i| i as usize)
                        .collect::<Vec<_>>(),
                    Concept::Nash,
                    &res
                )
            );
        }

        // Combinations rejected together, each dropped alone (and with every
        // copy), against the brute force.
        let without_combinations = |skip: &[(usize, usize)]| {
            opened_by(&b, &res, |i| {
                b.meets[i] && b.violated[i].is_empty() && b.hits[i].iter().all(|h| skip.contains(h))
            })
        };
        let n_combinations: usize = s.actors().iter().map(|x| x.combinations.len()).sum();
        prop_assert_eq!(a.combinations.len(), n_combinations);
        for c in &a.combinations {
            let mine = &s.actors()[c.actor].combinations[c.index].options;
            let copies: Vec<(usize, usize)> = s
                .actors()
                .iter()
                .enumerate()
                .flat_map(|(x, actor)| {
                    actor
                        .combinations
                        .iter()
                        .enumerate()
                        .filter(|(_, k)| &k.options == mine)
                        .map(move |(j, _)| (x, j))
                })
                .collect();
            let got = (
                c.agreement_if_dropped,
                c.nash_if_dropped.as_ref().map(|x| x.point.index),
            );
            if copies.len() == 1 {
                prop_assert!(c.also_rejected_by.is_empty());
                prop_assert_eq!(got, without_combinations(&[(c.actor, c.index)]));
                prop_assert!(c.all_copies_dropped.is_none());
            } else {
                prop_assert_eq!(got, without_combinations(&[]));
                let all = c
                    .all_copies_dropped
                    .as_ref()
                    .map(|(n, x)| (*n, x.as_ref().map(|x| x.point.index)));
                prop_assert_eq!(all, Some(without_combinations(&copies)));
            }
            prop_assert_eq!(c.alone_removes, c.agreement_if_dropped - a.agreement_size);
        }

        // Red lines together — single options and combinations alike —
        // against the brute force: the space without a set D is every package
        // meeting the reservations whose violated red lines and hit
        // combinations all lie in D.
        let mut lines: Vec<Line> = s.red_lines().into_iter().map(Line::Single).collect();
        for (x, actor) in s.actors().iter().enumerate() {
            lines.extend((0..actor.combinations.len()).map(|k| Line::Combination(x, k)));
        }
        let without = |set: &[Line]| {
            opened_by(&b, &res, |i| {
                b.meets[i]
                    && b.violated[i]
                        .iter()
                        .all(|x| set.contains(&Line::Single(*x)))
                    && b.hits[i]
                        .iter()
                        .all(|&(x, k)| set.contains(&Line::Combination(x, k)))
            })
        };
        let as_lines = |d: &zopa_analysis::Dropped| -> Vec<Line> {
            d.red_lines
                .iter()
                .map(|&r| Line::Single(r))
                .chain(d.combinations.iter().map(|&(x, k)| Line::Combination(x, k)))
                .collect()
        };
        let nash = |x: &Option<zopa_analysis::Solution>| x.as_ref().map(|s| s.point.index);
        let base = without(&[]);
        prop_assert!(!a.joint.budget_exhausted, "small spaces fit the budget");
        for (actor, d) in &a.joint.per_actor {
            let own: Vec<Line> = lines
                .iter()
                .copied()
                .filter(|l| l.actor() == *actor)
                .collect();
            prop_assert_eq!(&as_lines(d), &own);
            prop_assert_eq!(
                (d.agreement_if_dropped, nash(&d.nash_if_dropped)),
                without(&own)
            );
        }
        let actors_with: Vec<usize> = a.joint.per_actor.iter().map(|(k, _)| *k).collect();
        let mut want_actors: Vec<usize> = lines.iter().map(|l| l.actor()).collect();
        want_actors.sort_unstable();
        want_actors.dedup();
        prop_assert_eq!(actors_with, want_actors);
        let mut want_pairs = vec![];
        for i in 0..lines.len() {
            for j in i + 1..lines.len() {
                let (x, y) = (lines[i], lines[j]);
                if without(&[x]) == base && without(&[y]) == base && without(&[x, y]) != base {
                    want_pairs.push(vec![x, y]);
                }
            }
        }
        let got_pairs: Vec<Vec<Line>> = a.joint.pairs.iter().map(as_lines).collect();
        prop_assert_eq!(got_pairs, want_pairs);
        for d in a.joint.pairs.iter().chain(&a.joint.nash_changers) {
            prop_assert_eq!(
                (d.agreement_if_dropped, nash(&d.nash_if_dropped)),
                without(&as_lines(d))
            );
        }
        // The smallest sets moving the Nash package, by exhaustive subsets.
        if base.1.is_some() {
            let want = smallest_sets(&lines, 1, |set| without(set).1 != base.1).unwrap_or_default();
            let max = Options::default().max_unblocking_sets;
            let got: Vec<Vec<Line>> = a.joint.nash_changers.iter().map(as_lines).collect();
            prop_assert_eq!(a.joint.nash_changers_truncated, want.len() > max);
            prop_assert_eq!(got.as_slice(), &want[..want.len().min(max)]);
        } else {
            prop_assert!(a.joint.nash_changers.is_empty());
        }

        // Unblocking: all smallest red-line sets whose removal opens an agreement.
        prop_assert_eq!(a.unblocking.is_some(), agreement.is_empty());
        if let Some(u) = &a.unblocking {
            let reds = s.red_lines();
            let opens = |set: &[RedLineRef]| {
                (0..n).any(|i| b.rational[i] && b.violated[i].iter().all(|x| set.contains(x)))
            };
            let expected = smallest_sets(&reds, 0, opens);
            match (u, expected) {
                (Unblocking::ReservationsConflict, None) => {}
                (Unblocking::Sets { sets, truncated }, Some(exp)) => {
                    let max = Options::default().max_unblocking_sets;
                    prop_assert_eq!(*truncated, exp.len() > max);
                    prop_assert_eq!(sets.as_slice(), &exp[..exp.len().min(max)]);
                }
                (u, e) => prop_assert!(false, "got {:?}, expected {:?}", u, e),
            }
        }
    }
    Ok(())
}

/// The limit bounds work: meet in the middle enumerates both halves (2·10^8
/// partial packages for 10^16 packages), enumeration every package (4
/// actors), and no package may need more than 64 bits to number. Each is
/// refused before anything proportional to it is allocated.
#[test]
fn too_much_work_is_refused_before_allocating() {
    let s = build(2, &[10; 16], &[1; 32], &[2; 320], &[9; 320], &[0; 2], 4);
    let e = analyze(&s, &Options::default()).unwrap_err();
    assert!(
        matches!(&e, zopa_analysis::AnalysisError::Work(l) if l.knob == Some(zopa_model::Knob::Limit)),
        "{e:?}"
    );
    let e = e.to_string();
    assert!(
        e.contains(
            "the 100000000 partial packages of issues 1–8 plus the 100000000 of issues 9–16"
        ) && e.ends_with("is 200000000, above the limit of 10000000"),
        "{e}"
    );
    let s = build(4, &[10; 12], &[1; 48], &[2; 480], &[9; 480], &[0; 4], 4);
    let e = analyze(&s, &Options::default()).unwrap_err();
    assert!(e.to_string().contains("1000000000000 packages"), "{e}");
    let s = build(2, &[10; 20], &[1; 40], &[2; 400], &[9; 400], &[0; 2], 4);
    let e = analyze(&s, &Options::default()).unwrap_err();
    assert!(
        e.to_string().contains("more than 64-bit package numbers"),
        "{e}"
    );
}

/// Regression (found by proptest): packages 31 = (1, 3, 3) and 43 =
/// (2, 2, 3) have the same exact utilities, (5/8, 3/4), but the floats
/// differ by one unit in the last place for actor 1. This test once asserted
/// that 43 was the solution because the float made it dominate 31; since
/// utilities are compared on the 10^-9 grid (zopa_model::UTILITY_GRID) the
/// two tie exactly, both are on the frontier, and the documented tie-break
/// (larger total, then smaller index) picks 31. The expectation changed with
/// the policy, not to make a test pass.
#[test]
fn ulp_dominated_ties_are_not_solutions() {
    let t = Tables {
        radices: vec![4, 4, 4],
        saliences: vec![vec![3.0, 3.0, 0.0], vec![3.0, 2.0, 1.0]],
        values: vec![
            vec![
                vec![0.0, 1.0, 0.25, 0.0],
                vec![0.0, 0.0, 1.0, 0.25],
                vec![0.0; 4],
            ],
            vec![
                vec![0.0, 0.5, 1.0, 0.0],
                vec![0.0, 0.0, 0.25, 1.0],
                vec![0.0, 0.0, 0.0, 1.0],
            ],
        ],
        red_lines: vec![vec![(0, 0), (0, 3), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2)]; 2],
        reservations: vec![0.0, 0.0],
        note: "regression".into(),
    };
    let s = t.build().unwrap();
    check(&s).unwrap();
    let a = analyze(&s, &Options::default()).unwrap();
    assert_eq!(
        a.solution(Concept::KalaiSmorodinsky).unwrap().point.index,
        31
    );
    let frontier: Vec<u64> = a.agreement_frontier.iter().map(|p| p.index).collect();
    assert!(
        frontier.contains(&31) && frontier.contains(&43),
        "{frontier:?}"
    );
}

/// Two packages with exactly the same utilities, (3/20, 3/20), whose float
/// sums differ by an ulp: (x1, y1) sums 0.15 + 0.15, (x2, y2) sums
/// 0.1 + 0.05 = 0.15000000000000002 for each actor. Both are the Nash
/// package; the tie-break compares totals on the utility grid, so they tie
/// there too and the smaller package number, 0, wins (comparing the float
/// totals picked 3).
#[test]
fn equal_totals_tie_whatever_their_rounding() {
    // Actor a: x1 0, x2 0.2, y1 0.3, y2 0.1; actor b: x1 0.3, x2 0.1, y1 0, y2 0.2.
    let s = build(
        2,
        &[2, 2],
        &[1; 4],
        &[0, 2, 3, 1, 3, 1, 0, 2],
        &[9; 8],
        &[0, 0],
        10,
    );
    check(&s).unwrap();
    let a = analyze(&s, &Options::default()).unwrap();
    assert_eq!(a.agreement_frontier.len(), 4);
    let nash = a.solution(Concept::Nash).unwrap();
    assert_eq!(nash.point.index, 0);
    let floats: Vec<f64> = a
        .agreement_frontier
        .iter()
        .filter(|p| p.index == 3)
        .map(|p| p.utilities.iter().sum())
        .collect();
    assert_ne!(floats, vec![0.3], "the float totals differ");
}

/// Issue 26's reproduction: (x1, y1) and (x2, y2) both give actor a 0.15 in
/// exact arithmetic (0.5 × 0.2 + 0.5 × 0.1 against 0.5 × 0.3), b prefers
/// (x2, y2): the frontier is exactly (x1, y2), (x2, y1), (x2, y2), in either
/// issue order.
#[test]
fn the_one_ulp_reproduction_has_a_three_package_frontier() {
    let t = Tables {
        radices: vec![2, 2],
        saliences: vec![vec![1.0, 1.0], vec![1.0, 1.0]],
        values: vec![
            vec![vec![0.2, 0.0], vec![0.1, 0.3]],
            vec![vec![0.0, 1.0], vec![1.0, 0.5]],
        ],
        red_lines: vec![vec![], vec![]],
        reservations: vec![0.0, 0.0],
        note: "issue 26".into(),
    };
    let s = t.build().unwrap();
    check(&s).unwrap();
    for s in [s.clone(), reversed_issues(&s)] {
        let a = analyze(&s, &Options::default()).unwrap();
        for f in [&a.space_frontier, &a.agreement_frontier] {
            let mut got: Vec<Vec<(String, String)>> =
                f.iter().map(|p| named(&s, &p.options())).collect();
            got.sort();
            let pkg = |x: &str, y: &str| {
                vec![
                    ("i0".to_string(), x.to_string()),
                    ("i1".to_string(), y.to_string()),
                ]
            };
            let mut want = vec![pkg("o0", "o1"), pkg("o1", "o0"), pkg("o1", "o1")];
            want.sort();
            assert_eq!(got, want);
        }
    }
}

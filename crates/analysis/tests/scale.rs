//! The methods that avoid enumeration — meet-in-the-middle counting (two and
//! three actors) and the issue-by-issue frontier with its skylines (any
//! number) — against a brute-force oracle that walks every package, on
//! random additive scenarios of 2–6 actors with red lines and reservations,
//! up to 20,000 packages. Half the cases are anti-correlated (each option's
//! values across the actors sum to one), which puts many packages on the
//! frontier.

use proptest::prelude::*;
use zopa_analysis::{analyze, Options, RESERVATION_TOLERANCE};
use zopa_model::*;

/// Pareto dominance as zopa's analysis documents it (docs/analysis.md,
/// "Ties"), written out here: utilities compared after rounding to the
/// nearest multiple of 10^-9; `a` dominates `b` when it is at least as good
/// for everyone and better for one. (The weights here are arbitrary floats,
/// so exact rationals would overflow; equal utilities arise from equal terms
/// and round alike.)
fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| grid(*x) >= grid(*y))
        && a.iter().zip(b).any(|(x, y)| grid(*x) > grid(*y))
}

/// A utility in whole steps of 10^-9.
fn grid(u: f64) -> i64 {
    (u * 1e9).round() as i64
}

/// `m` actors over issues of `radices` options; values rounded to 1/1000
/// (so ties happen), anti-correlated if asked; each option rejected with
/// probability `red` by each actor (never every option of an issue);
/// reservation `res` for everyone.
fn scenario(m: usize, radices: &[usize], anti: bool, red: f64, res: f64, seed: u64) -> Scenario {
    Tables::synthetic(&Synthetic {
        actors: m,
        radices: radices.to_vec(),
        anti_correlated: anti,
        red_line_rate: red,
        reservation: res,
        grid: Some(1000.0),
        seed,
    })
    .build()
    .unwrap_or_else(|d| panic!("{d}"))
}

/// Each actor's utility of package `o`, from the scenario's numbers alone.
fn utilities(s: &Scenario, o: &[usize]) -> Vec<f64> {
    s.actors()
        .iter()
        .map(|a| {
            o.iter()
                .enumerate()
                .map(|(i, &x)| a.weights[i] * a.positions[i].values[x])
                .fold(0.0, |u, c| u + c)
        })
        .collect()
}

/// The package number of `o` (last issue fastest).
fn index(s: &Scenario, o: &[usize]) -> u64 {
    o.iter()
        .zip(s.radices())
        .fold(0u64, |n, (&x, r)| n * r as u64 + x as u64)
}

/// Every package: its number, options and utilities.
fn every_package(s: &Scenario) -> Vec<(u64, Vec<usize>, Vec<f64>)> {
    let radices = s.radices();
    let mut out = vec![];
    let mut o = vec![0; radices.len()];
    loop {
        out.push((index(s, &o), o.clone(), utilities(s, &o)));
        let mut l = radices.len();
        loop {
            if l == 0 {
                return out;
            }
            l -= 1;
            o[l] += 1;
            if o[l] < radices[l] {
                break;
            }
            o[l] = 0;
        }
    }
}

/// Package numbers of the members no other member weakly dominates.
///
/// A dominator's sum of grid steps is never below its victim's, so members
/// are visited by decreasing sum, a group of equal sums at a time: a member is
/// dominated iff a member kept from an earlier group or one of its own
/// group dominates it (dominance is transitive, so a kept — undominated —
/// member stands in for any earlier dominator).
fn frontier(members: &[&(u64, Vec<usize>, Vec<f64>)]) -> Vec<u64> {
    let sum = |p: &(u64, Vec<usize>, Vec<f64>)| p.2.iter().map(|u| grid(*u)).sum::<i64>();
    let mut order: Vec<_> = members.to_vec();
    order.sort_by_key(|p| std::cmp::Reverse(sum(p)));
    let mut kept: Vec<&(u64, Vec<usize>, Vec<f64>)> = vec![];
    let mut g = 0;
    while g < order.len() {
        let end = g + order[g..]
            .iter()
            .take_while(|p| sum(p) == sum(order[g]))
            .count();
        let group = &order[g..end];
        let survivors: Vec<_> = group
            .iter()
            .filter(|p| {
                !kept.iter().any(|q| dominates(&q.2, &p.2))
                    && !group.iter().any(|q| dominates(&q.2, &p.2))
            })
            .copied()
            .collect();
        kept.extend(survivors);
        g = end;
    }
    let mut out: Vec<u64> = kept.iter().map(|p| p.0).collect();
    out.sort_unstable();
    out
}

fn rejects(s: &Scenario, o: &[usize]) -> Vec<RedLineRef> {
    s.red_lines()
        .into_iter()
        .filter(|r| o[r.issue] == r.option)
        .collect()
}

fn rational(s: &Scenario, u: &[f64]) -> bool {
    u.iter()
        .zip(s.actors())
        .all(|(u, a)| *u >= a.reservation - RESERVATION_TOLERANCE)
}

fn check(s: &Scenario) -> Result<(), TestCaseError> {
    let a = analyze(s, &Options::default()).expect("analysable");
    let all = every_package(s);
    let clean: Vec<_> = all.iter().filter(|p| rejects(s, &p.1).is_empty()).collect();
    let zopa: Vec<_> = clean
        .iter()
        .copied()
        .filter(|p| rational(s, &p.2))
        .collect();
    prop_assert_eq!(a.space_size, all.len() as u64);
    prop_assert_eq!(a.no_red_line_size, clean.len() as u64);
    prop_assert_eq!(a.agreement_size, zopa.len() as u64);
    let mut got: Vec<u64> = a.agreement_frontier.iter().map(|p| p.index).collect();
    got.sort_unstable();
    prop_assert_eq!(got, frontier(&zopa), "agreement frontier");
    let everything: Vec<_> = all.iter().collect();
    let mut got: Vec<u64> = a.space_frontier.iter().map(|p| p.index).collect();
    got.sort_unstable();
    prop_assert_eq!(got, frontier(&everything), "space frontier");
    for b in &a.blocking {
        let alone = all
            .iter()
            .filter(|p| rejects(s, &p.1) == [b.red_line] && rational(s, &p.2))
            .count() as u64;
        let expected = if b.also_rejected_by.is_empty() {
            alone
        } else {
            0
        };
        prop_assert_eq!(b.alone_removes, expected, "{:?}", b.red_line);
    }
    Ok(())
}

fn arb_case() -> impl Strategy<Value = Scenario> {
    (
        2usize..=6,
        prop::collection::vec(2usize..=7, 2..=7),
        any::<bool>(),
        prop_oneof![Just(0.0), Just(0.05), Just(0.15)],
        0.0f64..0.6,
        any::<u64>(),
    )
        .prop_filter("at most 20,000 packages", |(_, r, ..)| {
            r.iter().product::<usize>() <= 20_000
        })
        .prop_map(|(m, radices, anti, red, res, seed)| {
            // Anti-correlated values sum to 1 per option: a reservation
            // near 1/m keeps the agreement space from being empty.
            let res = if anti { res / m as f64 } else { res };
            scenario(m, &radices, anti, red, res, seed)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn counts_frontiers_and_blocking_match_enumeration(s in arb_case()) {
        check(&s)?;
    }
}

/// Fixed anti-correlated cases with large frontiers, one per actor count.
#[test]
fn anti_correlated_frontiers_match_enumeration() {
    for (m, radices) in [
        (2, vec![10, 10, 10, 10]),
        (3, vec![8, 8, 8, 8]),
        (4, vec![6, 6, 6, 6, 6]),
        (5, vec![5, 5, 5, 5, 5]),
        (6, vec![4, 4, 4, 4, 4, 4]),
    ] {
        let s = scenario(m, &radices, true, 0.05, 0.5 / m as f64, 7 + m as u64);
        check(&s).unwrap_or_else(|e| panic!("{m} actors: {e}"));
    }
}

/// Four or more actors above the limit are refused, with a labelled estimate
/// close to the exact share (counted here with the limit raised), for fixed
/// cases with ZOPAs from small to large.
#[test]
fn refusals_beyond_enumeration_carry_a_labelled_estimate() {
    for (m, red, res, seed) in [(4, 0.05, 0.45, 1), (4, 0.0, 0.3, 2), (5, 0.1, 0.5, 3)] {
        let s = scenario(m, &[10, 10, 10, 10, 10], false, red, res, seed);
        let exact = analyze(&s, &Options::default()).expect("10^5 packages enumerate");
        let small = Options {
            limit: 10_000,
            ..Options::default()
        };
        match analyze(&s, &small) {
            Err(e @ zopa_analysis::AnalysisError::BeyondEnumeration { .. }) => {
                let text = e.to_string();
                assert!(
                    text.contains("estimate, not exact")
                        && text.contains("95% confidence interval")
                        && text.contains(&format!("With {m} actors")),
                    "{text}"
                );
                let zopa_analysis::AnalysisError::BeyondEnumeration { estimate, .. } = e else {
                    unreachable!()
                };
                // A 95% interval misses one time in twenty by design, so the
                // check is twice its half-width (about four standard errors:
                // a miss once in ~15,000 draws).
                let share = exact.agreement_size as f64 / exact.space_size as f64;
                let (lo, hi) = estimate.interval;
                let slack = hi - lo;
                assert!(
                    lo - slack / 2.0 <= share && share <= hi + slack / 2.0,
                    "{m} actors: exact share {share} far outside {:?}",
                    estimate.interval
                );
                assert_eq!(estimate.samples, 100_000);
            }
            other => panic!("{m} actors: expected a refusal with an estimate, got {other:?}"),
        }
    }
}

/// Without the red-line studies an analysis gives the same counts,
/// frontiers and solutions, with the studies' fields empty; and a scenario
/// whose studies are above the bound is still counted without them.
#[test]
fn the_studies_can_be_left_out() {
    for (m, radices, seed) in [
        (2, vec![6, 5, 4], 3),
        (3, vec![5, 5, 5], 4),
        (4, vec![4, 4, 4], 5),
    ] {
        let s = scenario(m, &radices, false, 0.2, 0.3, seed);
        let full = analyze(&s, &Options::default()).unwrap();
        let bare = analyze(
            &s,
            &Options {
                studies: false,
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(
            (
                bare.agreement_size,
                &bare.agreement_frontier,
                &bare.space_frontier,
                &bare.solutions
            ),
            (
                full.agreement_size,
                &full.agreement_frontier,
                &full.space_frontier,
                &full.solutions
            )
        );
        assert!(
            bare.blocking.is_empty() && bare.combinations.is_empty() && bare.unblocking.is_none()
        );
        assert!(
            !full.blocking.is_empty(),
            "{m} actors: the case has red lines"
        );
    }
    // Four actors are counted by walking the packages: a limit of exactly
    // the space admits the count, but not the studies of a few red lines
    // that each reopen most of it (each study walks its space twice, and
    // they may do 4 × the limit in all): refused with them, counted without.
    let s = scenario(4, &[6, 6, 6], false, 0.05, 0.0, 2);
    assert!(s.red_lines().len() >= 3, "{}", s.red_lines().len());
    let tight = Options {
        limit: 216,
        ..Options::default()
    };
    assert!(
        matches!(
            analyze(&s, &tight),
            Err(zopa_analysis::AnalysisError::Work(_))
        ),
        "{:?}",
        analyze(&s, &tight).map(|a| a.agreement_size)
    );
    let counted = analyze(
        &s,
        &Options {
            studies: false,
            ..tight
        },
    )
    .unwrap();
    assert_eq!(
        counted.agreement_size,
        analyze(&s, &Options::default()).unwrap().agreement_size
    );
}

//! Protocol invariants (property tests) and strategies against their definitions.

use proptest::prelude::*;
use zopa_model::{Scenario, Tables};
use zopa_simulation::protocol::Event;
use zopa_simulation::strategy::{Acceptance, Hardliner, TimeBased, TitForTat};
use zopa_simulation::{by_name, saop, single_text, Outcome, Session, Settings, SingleText};

type Strat = Box<dyn zopa_simulation::Strategy>;

fn scenario(m: usize, radices: &[usize], vals: &[u8], red: &[u8], res: &[u8]) -> Scenario {
    let k = radices.len();
    let mut t = Tables {
        radices: radices.to_vec(),
        note: "test".into(),
        ..Tables::default()
    };
    let mut vi = 0;
    for a in 0..m {
        t.saliences.push(vec![1.0; k]);
        let mut values = vec![];
        let mut reds = vec![];
        for (i, &r) in radices.iter().enumerate() {
            values.push(
                (0..r)
                    .map(|o| vals[(vi + o) % vals.len()] as f64 / 10.0)
                    .collect(),
            );
            let rej: Vec<usize> = (0..r).filter(|o| red[(vi + o) % red.len()] == 0).collect();
            reds.extend(rej.iter().take(r - 1).map(|&o| (i, o)));
            vi += r;
        }
        t.values.push(values);
        t.red_lines.push(reds);
        t.reservations.push(res[a % res.len()] as f64 / 10.0);
    }
    t.build().unwrap()
}

const NAMES: &[&str] = &[
    "boulware",
    "linear",
    "conceder",
    "hardliner",
    "random:0.5:1",
    "tft",
    "rtft",
    "micro",
    "aspiration",
    "time:2@const:0.6",
    "linear@time:0.9",
];

fn arb() -> impl Strategy<Value = (Scenario, Vec<&'static str>, u64)> {
    (2usize..=4, prop::collection::vec(1usize..=4, 1..=3)).prop_flat_map(|(m, radices)| {
        (
            Just(m),
            Just(radices),
            prop::collection::vec(0u8..=10, 40),
            prop::collection::vec(0u8..=6, 40),
            prop::collection::vec(0u8..=6, 4),
            prop::collection::vec(prop::sample::select(NAMES), m),
            any::<u64>(),
        )
            .prop_map(|(m, r, v, red, res, names, seed)| {
                (scenario(m, &r, &v, &red, &res), names, seed)
            })
    })
}

fn strategies(names: &[&str]) -> Vec<Strat> {
    names.iter().map(|n| by_name(n).unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn agreements_respect_every_red_line_and_reservation((s, names, seed) in arb()) {
        let session = Session::new(&s, 1_000_000).unwrap();
        let settings = Settings { deadline: 30, seed, trace: true, discount: None, cancel: Default::default() };
        let out = saop(&session, &mut strategies(&names), &settings);
        if let Some(a) = out.agreement {
            for p in 0..s.actors().len() {
                prop_assert!(session.acceptable(p, a), "party {} cannot accept {}", p, a);
            }
            prop_assert_eq!(out.utilities.clone().unwrap(), session.utilities(a));
        }
        prop_assert!(out.rounds <= 30);
        // The trace never shows an acceptance of an unacceptable offer.
        for e in &out.trace {
            if let Event::Accept { party, outcome, .. } = e {
                prop_assert!(session.acceptable(*party, *outcome));
            }
            if let Event::Offer { party, outcome, .. } = e {
                prop_assert!(session.acceptable(*party, *outcome));
            }
        }
        for kind in [SingleText::Veto, SingleText::HillClimbing] {
            let o = single_text(&session, kind, &settings);
            if let Some(a) = o.agreement {
                for p in 0..s.actors().len() {
                    prop_assert!(session.acceptable(p, a));
                }
            }
        }
    }

    #[test]
    fn deterministic_under_the_seed((s, names, seed) in arb()) {
        let session = Session::new(&s, 1_000_000).unwrap();
        let settings = Settings { deadline: 30, seed, trace: true, discount: None, cancel: Default::default() };
        let a = saop(&session, &mut strategies(&names), &settings);
        let b = saop(&session, &mut strategies(&names), &settings);
        prop_assert_eq!(a, b);
        let a = single_text(&session, SingleText::Veto, &settings);
        let b = single_text(&session, SingleText::Veto, &settings);
        prop_assert_eq!(a, b);
    }
}

/// Two parties, one issue of 11 options, opposed linear values.
fn opposed() -> Scenario {
    let t = Tables {
        radices: vec![11],
        saliences: vec![vec![1.0], vec![1.0]],
        values: vec![
            vec![(0..11).map(|o| o as f64 / 10.0).collect()],
            vec![(0..11).map(|o| 1.0 - o as f64 / 10.0).collect()],
        ],
        red_lines: vec![vec![], vec![]],
        reservations: vec![0.0, 0.0],
        note: "test".into(),
    };
    t.build().unwrap()
}

fn offers_of(out: &Outcome, party: usize) -> Vec<u64> {
    out.trace
        .iter()
        .filter_map(|e| match e {
            Event::Offer {
                party: p, outcome, ..
            } if *p == party => Some(*outcome),
            _ => None,
        })
        .collect()
}

#[test]
fn time_based_offers_never_rise_and_hardliner_never_concedes() {
    let s = opposed();
    let session = Session::new(&s, 1000).unwrap();
    for e in [0.25, 1.0, 4.0] {
        let mut st: Vec<Strat> = vec![
            Box::new(TimeBased::new("t", e, Acceptance::Next)),
            Box::new(Hardliner),
        ];
        let out = saop(
            &session,
            &mut st,
            &Settings {
                deadline: 50,
                seed: 1,
                trace: true,
                discount: None,
                cancel: Default::default(),
            },
        );
        let mine: Vec<f64> = offers_of(&out, 0)
            .iter()
            .map(|&o| session.utility(0, o))
            .collect();
        assert!(mine.len() > 5);
        assert!(
            mine.windows(2).all(|w| w[1] <= w[0] + 1e-12),
            "e={e}: {mine:?}"
        );
        assert!(mine.last().unwrap() < mine.first().unwrap(), "it concedes");
        let hard: Vec<f64> = offers_of(&out, 1)
            .iter()
            .map(|&o| session.utility(1, o))
            .collect();
        assert!(hard.iter().all(|&u| u == 1.0), "hardliner: {hard:?}");
        // Against a hardliner, a time-based party ends up accepting its best offer.
        assert_eq!(out.agreement, Some(0));
    }
}

#[test]
fn tit_for_tat_mirrors_a_concession() {
    let s = opposed();
    let session = Session::new(&s, 1000).unwrap();
    // A linear conceder against naive tit-for-tat: each time the conceder
    // gives 0.1 in its utility (= 0.1 in tft's), tft gives 0.1 back.
    let mut st: Vec<Strat> = vec![
        Box::new(TimeBased::new("lin", 1.0, Acceptance::Next)),
        Box::new(TitForTat::new(false)),
    ];
    let out = saop(
        &session,
        &mut st,
        &Settings {
            deadline: 20,
            seed: 1,
            trace: true,
            discount: None,
            cancel: Default::default(),
        },
    );
    let theirs: Vec<f64> = offers_of(&out, 0)
        .iter()
        .map(|&o| session.utility(1, o))
        .collect();
    let mine: Vec<f64> = offers_of(&out, 1)
        .iter()
        .map(|&o| session.utility(1, o))
        .collect();
    assert!(mine.len() >= 3, "{mine:?}");
    // tft's k-th offer concedes as much as the opponent had conceded by then.
    for k in 1..mine.len().min(theirs.len()) {
        let conceded_by_them = theirs[k] - theirs[0];
        let conceded_by_me = 1.0 - mine[k];
        assert!(
            (conceded_by_me - conceded_by_them).abs() < 0.1 + 1e-9,
            "k={k}: them {conceded_by_them}, me {conceded_by_me}"
        );
    }
    assert!(out.agreement.is_some());
}

#[test]
fn discounting_is_per_round_from_the_second() {
    let s = opposed();
    let session = Session::new(&s, 1000).unwrap();
    let run = |discount| {
        let mut st: Vec<Strat> = vec![by_name("linear").unwrap(), by_name("linear").unwrap()];
        saop(
            &session,
            &mut st,
            &Settings {
                deadline: 10,
                seed: 1,
                trace: false,
                discount,
                cancel: Default::default(),
            },
        )
    };
    let plain = run(None);
    let disc = run(Some(0.9));
    assert_eq!(
        plain.agreement, disc.agreement,
        "strategies do not see the discount"
    );
    let f = 0.9f64.powi(plain.rounds as i32 - 1);
    for (u, d) in plain
        .utilities
        .unwrap()
        .iter()
        .zip(disc.discounted.unwrap())
    {
        assert!((u * f - d).abs() < 1e-12);
    }
}

/// Strategy parameters are range-checked: no NaN or infinity, ordered bands,
/// no stray parameters.
#[test]
fn strategy_parameters_are_checked() {
    for bad in [
        "time:nan",
        "time:inf",
        "time:0",
        "random:nan:inf",
        "random:2:1",
        "random:0.8:0.2",
        "random:0.1",
        "aspiration:-1",
        "boulware@const:1.5",
        "boulware@time:nan",
        "linear:3",
        "hardliner:1",
    ] {
        assert!(by_name(bad).is_err(), "{bad} was accepted");
    }
    for good in [
        "time:2",
        "random:0.2:0.8",
        "random:0.5:0.5",
        "aspiration",
        "aspiration:2",
        "boulware@const:0.7",
        "conceder@time:0.9",
        "micro",
    ] {
        assert!(by_name(good).is_ok(), "{good} was refused");
    }
}

/// A cancelled negotiation stops at its next round under every protocol,
/// without agreement, however far its deadline; an uncancelled one with
/// the same settings plays on.
#[test]
fn a_cancelled_negotiation_stops_at_once() {
    // Two parties who never agree (each only accepts its own best).
    let s = scenario(
        2,
        &[4, 4],
        &[10, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 10, 10, 0, 0, 0],
        &[1],
        &[9],
    );
    let session = Session::new(&s, 1_000_000).unwrap();
    let cancel = zopa_model::Cancel::new();
    cancel.cancel();
    let settings = |cancel: zopa_model::Cancel| Settings {
        deadline: 1_000_000,
        seed: 3,
        trace: false,
        discount: None,
        cancel,
    };
    let stopped = saop(
        &session,
        &mut strategies(&["hardliner", "hardliner"]),
        &settings(cancel.clone()),
    );
    assert!(
        stopped.agreement.is_none() && stopped.rounds <= 1,
        "{}",
        stopped.rounds
    );
    let played = saop(
        &session,
        &mut strategies(&["hardliner", "hardliner"]),
        &settings(Default::default()),
    );
    assert!(played.rounds > 1000, "{}", played.rounds);
    for kind in [SingleText::Veto, SingleText::HillClimbing] {
        let stopped = single_text(&session, kind, &settings(cancel.clone()));
        assert!(
            stopped.agreement.is_none() && stopped.rounds == 0,
            "{kind:?}: {}",
            stopped.rounds
        );
    }
}

/// `s` with `[decision] at_least = k, must_include = vetoes`.
fn with_rule(s: &Scenario, k: usize, vetoes: &[usize]) -> Scenario {
    s.with_decision(k, vetoes, None, zopa_model::Basis::assumption("test rule"))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Under a rule an agreement is accepted by a winning coalition — at
    /// least k parties, every veto holder among them, each of whom can
    /// accept it — and, under SAOP, that coalition is the standing offer's
    /// proposer and the parties that accepted it after it was made.
    #[test]
    fn agreements_under_a_rule_are_carried_by_a_winning_coalition(
        (s, names, seed) in arb(),
        k in 1usize..=4,
        vetoes in prop::collection::vec(any::<bool>(), 4),
    ) {
        let m = s.actors().len();
        let k = k.min(m);
        let vetoes: Vec<usize> = (0..m).filter(|&a| vetoes[a]).collect();
        let s = with_rule(&s, k, &vetoes);
        let session = Session::new(&s, 1_000_000).unwrap();
        let settings = Settings { deadline: 30, seed, trace: true, discount: None, cancel: Default::default() };
        let wins = |c: &[usize]| c.len() >= k && vetoes.iter().all(|v| c.contains(v));
        let out = saop(&session, &mut strategies(&names), &settings);
        if let Some(a) = out.agreement {
            prop_assert!(wins(&out.coalition), "{:?} under at_least {} vetoes {:?}", out.coalition, k, vetoes);
            for &p in &out.coalition {
                prop_assert!(session.acceptable(p, a));
            }
            let last = out.trace.iter().rposition(|e| matches!(e, Event::Offer { .. })).unwrap();
            let mut carried: Vec<usize> = out.trace[last..]
                .iter()
                .filter_map(|e| match *e {
                    Event::Offer { party, .. } | Event::Accept { party, .. } => Some(party),
                    _ => None,
                })
                .collect();
            carried.sort_unstable();
            prop_assert_eq!(&carried, &out.coalition);
        } else {
            prop_assert!(out.coalition.is_empty());
        }
        for kind in [SingleText::Veto, SingleText::HillClimbing] {
            let o = single_text(&session, kind, &settings);
            if let Some(a) = o.agreement {
                let accepting: Vec<usize> = (0..m).filter(|&p| session.acceptable(p, a)).collect();
                prop_assert!(wins(&accepting));
                prop_assert_eq!(&o.coalition, &accepting);
            }
        }
    }
}

/// Three parties, two of three decide: the opening offer that party 1
/// accepts passes before party 2, who would refuse it, is asked.
#[test]
fn a_majority_agrees_over_the_third_partys_refusal() {
    let t = Tables {
        radices: vec![3],
        saliences: vec![vec![1.0]; 3],
        values: vec![
            vec![vec![0.0, 0.5, 1.0]],
            vec![vec![0.0, 0.5, 1.0]],
            vec![vec![1.0, 0.5, 0.0]],
        ],
        red_lines: vec![vec![], vec![], vec![(0, 2)]],
        reservations: vec![0.0; 3],
        note: "test".into(),
    };
    let settings = Settings {
        deadline: 10,
        seed: 1,
        trace: true,
        discount: None,
        cancel: Default::default(),
    };
    let unanimous = Session::new(&t.build().unwrap(), 1000).unwrap();
    let majority = Session::new(&with_rule(&t.build().unwrap(), 2, &[]), 1000).unwrap();
    let hardliners = || -> Vec<Strat> { (0..3).map(|_| Box::new(Hardliner) as Strat).collect() };
    // Unanimity: party 2's red line blocks party 0's best; hardliners never move.
    assert_eq!(
        saop(&unanimous, &mut hardliners(), &settings).agreement,
        None
    );
    let out = saop(&majority, &mut hardliners(), &settings);
    assert_eq!(out.agreement, Some(2));
    assert_eq!(out.coalition, vec![0, 1]);
    assert_eq!(out.rounds, 1);
}

/// Every text that stood is in the trace: hill climbing's starting text
/// opens it (adopted, round 0), and the last adopted text is the final one.
#[test]
fn a_traced_single_text_shows_every_text_that_stood() {
    let s = opposed();
    let session = Session::new(&s, 1_000_000).unwrap();
    for seed in 0..20 {
        let settings = Settings {
            deadline: 50,
            seed,
            trace: true,
            discount: None,
            cancel: Default::default(),
        };
        for kind in [SingleText::Veto, SingleText::HillClimbing] {
            let o = single_text(&session, kind, &settings);
            let adopted: Vec<u64> = o
                .trace
                .iter()
                .filter_map(|e| match *e {
                    Event::Mediator {
                        outcome,
                        adopted: true,
                        ..
                    } => Some(outcome),
                    _ => None,
                })
                .collect();
            assert_eq!(
                adopted.last().copied(),
                o.final_text,
                "{kind:?} seed {seed}"
            );
            if kind == SingleText::HillClimbing {
                assert!(
                    matches!(
                        o.trace[0],
                        Event::Mediator {
                            round: 0,
                            adopted: true,
                            ..
                        }
                    ),
                    "{:?}",
                    o.trace[0]
                );
            }
        }
    }
}

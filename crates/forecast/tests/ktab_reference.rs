//! KTAB's SMP reproduced: the guide's validation ladder on the reference
//! cases K1 (dummyData_3Dim) and K2 (SOE-Pol-Comp), whose per-turn
//! positions and probabilities were produced by KTAB's own `smpc`
//! (external data: `$ZOPA_EXTERNAL_DATA/guides/bargaining-reference/`, see
//! `zopa-testkit`; without it each test says what it skipped).

use std::path::{Path, PathBuf};

use zopa_forecast::ktab::read_csv;
use zopa_forecast::smp::{run, SmpParams, SmpRun};

/// KTAB's reference runs, or `None` after saying that `what` was skipped.
fn data(what: &str) -> Option<PathBuf> {
    zopa_testkit::external("guides/bargaining-reference", what)
}

fn read(dir: &Path, name: &str) -> String {
    let p = dir.join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `turn,actor_index,actor,dim,position` rows.
fn positions(dir: &Path, case: &str) -> Vec<(usize, usize, usize, f64)> {
    read(dir, &format!("ktab_{case}.positions_by_turn.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
            )
        })
        .collect()
}

/// `turn,actor,prob` rows.
fn probs(dir: &Path, case: &str) -> Vec<(usize, String, f64)> {
    read(
        dir,
        &format!("ktab_{case}.position_probability_by_turn.csv"),
    )
    .lines()
    .skip(1)
    .map(|l| {
        let f: Vec<&str> = l.split(',').collect();
        (
            f[0].parse().unwrap(),
            f[1].to_string(),
            f[2].parse().unwrap(),
        )
    })
    .collect()
}

fn run_case(dir: &Path, case: &str) -> (SmpRun, Vec<String>) {
    let s = read_csv(&read(dir, &format!("ktab_{case}.input.csv"))).unwrap();
    let names = s.actors.iter().map(|a| a.name.clone()).collect();
    (run(&s.actors, &SmpParams::default()), names)
}

/// Step (a): turn-0 probabilities (distances, utilities, votes, coalitions, PCE).
fn check_turn0(case: &str) {
    let Some(dir) = data(&format!("KTAB {case}: turn-0 probabilities")) else {
        return;
    };
    let dir = dir.as_path();
    let (r, names) = run_case(dir, case);
    for (turn, actor, p) in probs(dir, case).into_iter().filter(|x| x.0 == 0) {
        let a = names.iter().position(|n| *n == actor).unwrap();
        let ours = r.turns[turn].prob[a];
        assert!(
            (ours - p).abs() <= 5e-5 + 1e-9,
            "{case} turn 0 prob of {actor}: KTAB {p}, zopa {ours:.6}"
        );
    }
}

/// Steps (b) and (c): every position of every turn within 0.01, probabilities
/// to KTAB's 4 decimals, and the same stop turn.
fn check_trajectory(case: &str, turns: usize, up_to: usize) {
    let Some(dir) = data(&format!("KTAB {case}: SMP positions turn by turn")) else {
        return;
    };
    let dir = dir.as_path();
    let (r, names) = run_case(dir, case);
    let mut errors = Vec::new();
    for (turn, a, d, x) in positions(dir, case) {
        if turn > up_to {
            continue;
        }
        match r.turns.get(turn) {
            Some(t) => {
                let ours = t.positions[a][d] * 100.0;
                if (ours - x).abs() > 0.01 {
                    errors.push(format!(
                        "turn {turn} actor {} dim {d}: KTAB {x}, zopa {ours:.4}",
                        names[a]
                    ));
                }
            }
            None => errors.push(format!("zopa stopped before turn {turn}")),
        }
    }
    for (turn, actor, p) in probs(dir, case) {
        if turn > up_to || turn >= r.turns.len() {
            continue;
        }
        let a = names.iter().position(|n| *n == actor).unwrap();
        let ours = r.turns[turn].prob[a];
        if (ours - p).abs() > 5e-5 + 1e-9 {
            errors.push(format!(
                "turn {turn} prob of {actor}: KTAB {p}, zopa {ours:.6}"
            ));
        }
    }
    if up_to >= turns && r.turns.len() != turns + 1 {
        errors.push(format!(
            "KTAB stops after {turns} turns, zopa after {}",
            r.turns.len() - 1
        ));
    }
    errors.truncate(20);
    assert!(errors.is_empty(), "{case}:\n{}", errors.join("\n"));
    if up_to == usize::MAX {
        zopa_testkit::say(&format!(
            "KTAB's SMP run {case} reproduced turn by turn ({} turns)",
            r.turns.len() - 1
        ));
    }
}

#[test]
fn k1_turn0_probabilities() {
    check_turn0("dummyData_3Dim");
}

#[test]
fn k2_turn0_probabilities() {
    check_turn0("SOE-Pol-Comp");
}

#[test]
fn k1_turn1_positions() {
    check_trajectory("dummyData_3Dim", 10, 1);
}

#[test]
fn k2_turn1_positions() {
    check_trajectory("SOE-Pol-Comp", 27, 1);
}

#[test]
fn k1_whole_trajectory_and_stop_turn() {
    check_trajectory("dummyData_3Dim", 10, usize::MAX);
}

#[test]
fn k2_whole_trajectory_and_stop_turn() {
    check_trajectory("SOE-Pol-Comp", 27, usize::MAX);
}

#[test]
fn k1_change_ratios_match_ktab_log() {
    let Some(dir) = data("KTAB dummyData_3Dim: change ratios") else {
        return;
    };
    let (r, _) = run_case(&dir, "dummyData_3Dim");
    let ktab = [
        0.9999, 0.7631, 0.1780, 0.0801, 0.0853, 0.0686, 0.0639, 0.1058, 0.0398, 0.0045,
    ];
    assert_eq!(r.change_ratios.len(), ktab.len());
    for (t, (ours, k)) in r.change_ratios.iter().zip(ktab).enumerate() {
        assert!(
            (ours - k).abs() <= 5e-5 + 1e-9,
            "turn {}: KTAB {k}, zopa {ours:.6}",
            t + 1
        );
    }
}

#[test]
fn the_reference_data_is_really_compared() {
    // Guard against a vacuous comparison: the files hold every turn.
    let Some(dir) = data("KTAB's reference files: completeness") else {
        return;
    };
    let dir = dir.as_path();
    assert_eq!(positions(dir, "dummyData_3Dim").len(), 11 * 7 * 3);
    assert_eq!(positions(dir, "SOE-Pol-Comp").len(), 28 * 13 * 2);
    assert_eq!(probs(dir, "SOE-Pol-Comp").len(), 28 * 13);
    let (r, _) = run_case(dir, "SOE-Pol-Comp");
    assert_eq!(r.turns.len(), 28);
    // The guide's final positions (turn 27): XJ 43.18, 43.30; WY 15.00, 60.00.
    let last = &r.turns[27].positions;
    assert!((last[0][0] * 100.0 - 43.18).abs() < 0.01 && (last[0][1] * 100.0 - 43.30).abs() < 0.01);
    assert!((last[12][0] * 100.0 - 15.0).abs() < 1e-9 && (last[12][1] * 100.0 - 60.0).abs() < 1e-9);
}

#[test]
fn malformed_ktab_csv_is_located() {
    let cases = [
        (
            "S,d,2,1\nA,D,P,P1,S1\nA,x,10,50,50\n",
            "3:1: expected 2 actor lines, found 1",
        ),
        (
            "S,d,2,1\nA,D,P,P1,S1\nA,x,10,50,50\nB,y,ten,50,50\n",
            "4:3: the capability is not a number",
        ),
        (
            "S,d,2,1\nA,D,P,P1,S1\nA,x,10,150,50\nB,y,10,50,50\n",
            "3:4: position must be in [0, 100]",
        ),
        (
            "S,d,2,2\nA,D,P,P1,S1,P2,S2\nA,x,10,50,60,50,60\nB,y,10,50,50,1,1\n",
            "3:5: saliences must sum",
        ),
        ("S,d,x,1\n", "1:3: the number of actors is not a number"),
        ("", "1:1: empty file"),
    ];
    for (text, want) in cases {
        let e = read_csv(text).unwrap_err().to_string();
        assert!(e.starts_with(want), "want {want:?}, got {e:?}");
    }
}

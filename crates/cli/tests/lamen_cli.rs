//! A LAMEN game file (`examples/lamen/office-lease.yaml`, written for zopa in
//! that format) through the binary: analysed, scored, converted; its Pareto
//! frontier against a brute force on the scores LAMEN would give.

mod common;

use common::{repo, zopa};
use serde_json::Value;

const GAME: &str = "examples/lamen/office-lease.yaml";

/// The sides' scores as LAMEN scales them (weights 2:1:1 and 1:2:1, scale 100).
const SIDE1: [&[i64]; 3] = [
    &[0, 100, 200, 300, 400, 500],
    &[0, 75, 125, 150],
    &[0, 100, 200],
];
const SIDE2: [&[i64]; 3] = [
    &[250, 200, 150, 100, 50, 0],
    &[500, 350, 150, 0],
    &[50, 150, 250],
];

fn json(args: &[&str]) -> Value {
    let o = zopa(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_frontier_is_the_scores_frontier() {
    let d = json(&[
        "analyze",
        repo(GAME).to_str().unwrap(),
        "--json",
        "--top",
        "0",
    ]);
    assert_eq!(
        d["space"]["agreement"], 72,
        "LAMEN's rule: no deal below 0; none is"
    );
    let mut all = vec![];
    for a in 0..6 {
        for b in 0..4 {
            for c in 0..3 {
                let s = [
                    SIDE1[0][a] + SIDE1[1][b] + SIDE1[2][c],
                    SIDE2[0][a] + SIDE2[1][b] + SIDE2[2][c],
                ];
                all.push(((a * 4 + b) * 3 + c, s));
            }
        }
    }
    let mut want: Vec<u64> = all
        .iter()
        .filter(|(_, s)| {
            !all.iter()
                .any(|(_, t)| t[0] >= s[0] && t[1] >= s[1] && t != s)
        })
        .map(|(k, _)| *k as u64)
        .collect();
    want.sort_unstable();
    let mut got: Vec<u64> = d["agreement_frontier"]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["index"].as_u64().unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, want);
}

#[test]
fn a_deal_is_scored_by_its_labels() {
    let d = json(&[
        "score",
        repo(GAME).to_str().unwrap(),
        "--deal",
        "monthly_rent=$4800,fit_out=landlord pays 2/3,break_clause=after 24 months",
        "--json",
    ]);
    assert_eq!(d["passes"], true);
    let u: Vec<f64> = d["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["utility"].as_f64().unwrap())
        .collect();
    // Side 1: 200 + 75 + 100 = 375 of 0..850; side 2: 150 + 350 + 150 = 650 of 50..1000.
    assert!((u[0] * 850.0 - 375.0).abs() < 1e-9, "{u:?}");
    assert!((u[1] * 950.0 + 50.0 - 650.0).abs() < 1e-9, "{u:?}");
    let o = zopa(&[
        "convert",
        repo(GAME).to_str().unwrap(),
        "out.yaml",
        "--to",
        "lamen",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("reads LAMEN games but does not write them")
    );
}

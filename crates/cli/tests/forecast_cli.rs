//! `zopa forecast`: all models on the default scenario, deterministic
//! sensitivity, KTAB's CSV input, errors.

mod common;

use common::zopa;

use std::path::Path;

#[test]
fn forecast_reports_every_model_and_the_sensitivity() {
    let o = zopa(&["forecast", "--runs", "200"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    for m in ["mean", "median", "nash", "eum", "smp"] {
        assert!(out.contains(m), "{m} missing:\n{out}");
    }
    assert!(out.contains("Robustness"), "{out}");
    for issue in ["presence", "guarantee", "us_role", "russia_role", "burden"] {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(issue) && l.contains("robust")),
            "{issue}"
        );
    }
}

#[test]
fn same_seed_same_bytes_and_another_seed_differs() {
    let a = zopa(&["forecast", "--runs", "300", "--seed", "7", "--json"]);
    let b = zopa(&["forecast", "--runs", "300", "--seed", "7", "--json"]);
    let c = zopa(&["forecast", "--runs", "300", "--seed", "8", "--json"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["schema"], "zopa.forecast/1");
    assert_eq!(v["forecasts"].as_array().unwrap().len(), 5);
    let cell = &v["sensitivity"]["models"][0]["issues"][0];
    let (p5, med, p95) = (
        cell["p5"].as_f64().unwrap(),
        cell["median"].as_f64().unwrap(),
        cell["p95"].as_f64().unwrap(),
    );
    assert!(p5 <= med && med <= p95);
}

/// KTAB's own input file gives KTAB's own run (`smpc`'s final positions
/// and probabilities), through the external reference data.
#[test]
fn ktab_csv_reproduces_ktab() {
    let Some(dir) = zopa_testkit::external(
        "guides/bargaining-reference",
        "`zopa forecast --ktab-csv` on KTAB's dummyData_3Dim input",
    ) else {
        return;
    };
    let csv = dir.join("ktab_dummyData_3Dim.input.csv");
    let o = zopa(&["forecast", "--ktab-csv", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("stopped after 10 turns"), "{out}");
    assert!(
        out.contains("SActor-05     79.88  34.37  75.16  prob 0.4009"),
        "{out}"
    );
}

/// The project's own KTAB-format example: five actors on two dimensions
/// read, run to a stop, and every final position stays on the 0–100 scale;
/// the probabilities that each distinct position is the outcome sum to 1
/// (actors at the same position share one).
#[test]
fn the_example_ktab_csv_runs() {
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ktab/water-council.csv");
    let o = zopa(&["forecast", "--ktab-csv", csv.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dims"].as_array().unwrap().len(), 2);
    let actors = v["actors"].as_array().unwrap();
    assert_eq!(actors.len(), 5);
    assert_eq!(actors[4], "Ministry");
    let turns = v["turns"].as_array().unwrap();
    assert!(turns.len() >= 2, "at least the initial state and one turn");
    let last = turns.last().unwrap();
    let positions: Vec<Vec<f64>> = last["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect();
    assert!(
        positions
            .iter()
            .flatten()
            .all(|x| (0.0..=100.0).contains(x)),
        "{positions:?}"
    );
    let prob: Vec<f64> = last["prob"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_f64().unwrap())
        .collect();
    let mut seen: Vec<&Vec<f64>> = vec![];
    let mut total = 0.0;
    for (p, q) in positions.iter().zip(&prob) {
        if !seen.contains(&p) {
            seen.push(p);
            total += q;
        }
    }
    assert!(
        (total - 1.0).abs() < 1e-6,
        "{total} over {} distinct positions",
        seen.len()
    );
}

#[test]
fn bad_inputs_are_reported() {
    let o = zopa(&["forecast", "--model", "oracle"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown model `oracle`"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let bad = dir.join("bad-ktab.csv");
    std::fs::write(
        &bad,
        "S,desc,2,1,\nActor,Desc,Power,P1,S1,\nA,x,10,50,50,\nB,y,-3,20,40,\n",
    )
    .unwrap();
    let o = zopa(&["forecast", "--ktab-csv", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("bad-ktab.csv:4:3: error: capability must be > 0"),
        "{e}"
    );
}

//! `zopa simulate` on the default scenario.

mod common;

use common::zopa;

#[test]
fn four_boulware_parties_agree_inside_the_zopa() {
    let o = zopa(&["simulate", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "zopa.simulation/1");
    assert!(v["agreement"].is_object(), "{v}");
    assert!(v["distance_to_pareto"].as_f64().unwrap() < 1e-9);
    // Agreements never cross a red line: Russia rejects European and NATO troops.
    let presence = v["agreement"]["package"]["presence"].as_str().unwrap();
    assert!(presence == "none" || presence == "monitors", "{presence}");
}

#[test]
fn traces_are_json_lines_and_runs_are_deterministic() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (a, b) = (dir.join("t1.jsonl"), dir.join("t2.jsonl"));
    for (p, seed) in [(&a, "5"), (&b, "5")] {
        let o = zopa(&[
            "simulate",
            "--strategy",
            "ukraine=random:0.5:1",
            "--seed",
            seed,
            "--trace",
            p.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let ta = std::fs::read_to_string(&a).unwrap();
    assert_eq!(ta, std::fs::read_to_string(&b).unwrap());
    for line in ta.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["round"].is_u64() && v["action"].is_string());
    }
    let o = zopa(&[
        "simulate",
        "--protocol",
        "veto",
        "--json",
        "--deadline",
        "500",
    ]);
    assert!(o.status.success());
}

#[test]
fn bad_strategy_specs_are_reported() {
    let o = zopa(&["simulate", "--strategy", "mars=boulware"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown actor `mars`"));
    let o = zopa(&["simulate", "--strategy", "russia=genius"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown strategy `genius`"));
}

/// Mediated talks say why they ended: hill climbing that stops at a local
/// optimum before the deadline does not say the deadline passed, and both
/// mediated protocols show the final text and who refuses it.
#[test]
fn mediated_talks_say_why_they_ended() {
    let o = zopa(&["simulate", "--protocol", "hill"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("reached a local optimum before the deadline"),
        "{text}"
    );
    assert!(!text.contains("the deadline (100 rounds) passed"), "{text}");
    assert!(text.contains("The mediator's final text:"), "{text}");
    let o = zopa(&["simulate", "--protocol", "hill", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let na = &v["no_agreement"];
    assert_eq!(na["cause"], "local_optimum", "{v}");
    assert!(v["rounds"].as_u64().unwrap() < 100, "{v}");
    assert!(
        !na["final_text"]["refused_by"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{na}"
    );
    let o = zopa(&[
        "simulate",
        "--protocol",
        "veto",
        "--deadline",
        "30",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["no_agreement"]["cause"], "deadline", "{v}");
    assert!(
        v["no_agreement"]["final_text"]["package"].is_string(),
        "{v}"
    );
    // SAOP has no mediator.
    let o = zopa(&[
        "simulate",
        "--strategy",
        "russia=hardliner",
        "--deadline",
        "5",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["no_agreement"]["final_text"].is_null(), "{v}");
}

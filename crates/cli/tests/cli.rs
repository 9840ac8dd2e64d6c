//! The `zopa` binary end to end: golden reports of the default scenario, exit
//! codes, and help text.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::golden;

fn zopa(args: &[&str]) -> Output {
    common::zopa(args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

#[test]
fn default_json_report_is_golden() {
    let o = zopa(&["analyze", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    golden("security-guarantees.json", &stdout(&o));
}

#[test]
fn default_text_report_is_golden() {
    let o = zopa(&["analyze"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).is_empty(),
        "the default scenario has no warnings"
    );
    golden("security-guarantees.txt", &stdout(&o));
}

#[test]
fn the_file_and_the_builtin_give_the_same_analysis() {
    let file =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/security-guarantees.toml");
    let a = zopa(&["analyze", "--json", file.to_str().unwrap()]);
    let b = zopa(&["analyze", "--json"]);
    assert!(a.status.success(), "{}", stderr(&a));
    let strip = |o: &Output| -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["scenario"]["origin"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn json_report_is_consistent() {
    let o = zopa(&["analyze", "--json", "--top", "0"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "zopa.analysis/1");
    let zopa_size = v["space"]["agreement"].as_u64().unwrap();
    assert!(zopa_size > 0);
    assert!(zopa_size <= v["space"]["no_red_line"].as_u64().unwrap());
    let frontier = v["agreement_frontier"]["packages"].as_array().unwrap();
    assert_eq!(
        frontier.len() as u64,
        v["agreement_frontier"]["size"].as_u64().unwrap()
    );
    // Every solution is a frontier package and meets every reservation.
    for (name, sol) in v["solutions"].as_object().unwrap() {
        assert!(
            frontier.iter().any(|p| p["index"] == sol["index"]),
            "{name}"
        );
        for actor in v["actors"].as_array().unwrap() {
            let id = actor["id"].as_str().unwrap();
            let u = sol["utilities"][id].as_f64().unwrap();
            assert!(
                u >= actor["reservation"].as_f64().unwrap() - 1e-9,
                "{name} {id}"
            );
        }
    }
}

#[test]
fn output_is_deterministic() {
    assert_eq!(
        zopa(&["analyze", "--json"]).stdout,
        zopa(&["analyze", "--json"]).stdout
    );
}

#[test]
fn too_large_space_is_refused_with_size_and_limit() {
    let o = zopa(&["analyze", "--limit", "100"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("432 packages are above the enumeration limit of 100 (raise it with --limit)"),
        "{e}"
    );
}

#[test]
fn missing_file_exits_2_with_the_path() {
    let o = zopa(&["analyze", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read no/such/file.toml"),
        "{}",
        stderr(&o)
    );
    let o = zopa(&["analyze", "builtin:nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no built-in scenario `nope`"));
}

#[test]
fn invalid_scenario_exits_1() {
    let bad = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad/nan-weight.toml");
    let o = zopa(&["analyze", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nan-weight.toml:43:22: error:"));
}

#[test]
fn scenarios_lists_the_default() {
    let o = zopa(&["scenarios"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("security-guarantees (default)"));
}

/// Every command's help examples run as printed: `tests/tour.rs`.
#[test]
fn top_level_help_names_exit_codes_and_usage_errors_exit_2() {
    let o = zopa(&["--help"]);
    assert!(stdout(&o).contains("Exit codes"));
    let o = zopa(&["analyze", "--bogus"]);
    assert_eq!(o.status.code(), Some(2), "usage errors exit 2");
}

//! `zopa analyze --compare`: each reading's agreement space and Nash package
//! equal those of a full analysis of the scenario rewritten by hand the way
//! the reading says — another path (the TOML text, validation, the whole
//! analysis) to the same numbers.

mod common;

use common::{repo, tmp, zopa};
use serde_json::Value;

fn analysis_json(args: &[&str]) -> Value {
    let o = zopa(args);
    assert!(
        o.status.success(),
        "zopa {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The default scenario's text without its interpretations, with `edits`
/// (`from` → `to`, each found exactly once), written beside a copy of its
/// source; its path.
fn rewritten(name: &str, edits: &[(&str, &str)]) -> String {
    let dir = tmp(name);
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::copy(
        repo("scenarios/sources/security-guarantees-article.txt"),
        dir.join("sources/security-guarantees-article.txt"),
    )
    .unwrap();
    let mut text = std::fs::read_to_string(repo("scenarios/security-guarantees.toml")).unwrap();
    let cut = text
        .find("\n[[interpretations]]")
        .expect("the default scenario has interpretations");
    text.truncate(cut);
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from:?} is not unique");
        text = text.replace(from, to);
    }
    let path = dir.join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn reading<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["comparison"]["readings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no reading {id}: {:#}", doc["comparison"]))
}

#[test]
fn each_reading_equals_the_scenario_rewritten_by_hand() {
    let doc = analysis_json(&["analyze", "--compare", "--json", "--critical-budget", "0"]);
    let as_written = reading(&doc, "as_written");
    assert_eq!(as_written["agreement"], doc["space"]["agreement"]);
    assert_eq!(as_written["nash"], doc["solutions"]["nash"]["options"]);

    // The interpretation: Ukraine also rejects no foreign forces and monitors.
    let kyiv = reading(&doc, "kyiv-needs-western-troops");
    assert_eq!(kyiv["kind"], "interpretation");
    let path = rewritten(
        "compare-kyiv",
        &[(
            "values = { none = 0.0, monitors = 0.3, european_force = 0.8, nato_troops = 1.0 }\nassumption = true\nnote = \"Kyiv is assumed",
            "values = { none = 0.0, monitors = 0.3, european_force = 0.8, nato_troops = 1.0 }\nred_lines = [\"none\", \"monitors\"]\nassumption = true\nnote = \"Kyiv is assumed",
        )],
    );
    let by_hand = analysis_json(&["analyze", &path, "--json", "--critical-budget", "0"]);
    assert_eq!(kyiv["agreement"], by_hand["space"]["agreement"]);
    assert_eq!(kyiv["agreement"], 0, "{kyiv:#}");
    assert!(
        kyiv["text"]
            .as_str()
            .unwrap()
            .contains("The clash: no option of “Foreign military presence in Ukraine” is left"),
        "{kyiv:#}"
    );

    // Every walk-away point at the top of its band (+0.1).
    let top = reading(&doc, "reservations_at_top_of_band");
    let path = rewritten(
        "compare-reservations",
        &[
            // In an order that keeps each number unique when it is edited.
            ("reservation = 0.45\n", "reservation = 0.55\n"),
            ("reservation = 0.4\n", "reservation = 0.5\n"),
            ("reservation = 0.35\n", "reservation = 0.45\n"),
            ("reservation = 0.3\n", "reservation = 0.4\n"),
        ],
    );
    let by_hand = analysis_json(&["analyze", &path, "--json", "--critical-budget", "0"]);
    assert_eq!(top["agreement"], by_hand["space"]["agreement"]);
    assert_eq!(top["nash"], by_hand["solutions"]["nash"]["options"]);
    assert_ne!(top["agreement"], as_written["agreement"]);

    // Stated demands as red lines: every reading lists its changes.
    let demands = reading(&doc, "stated_demands_as_red_lines");
    let kinds: Vec<&str> = demands["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| *k == "insist"),
        "{kinds:?}"
    );
    assert_eq!(demands["agreement"], 0);
}

#[test]
fn without_compare_there_is_no_comparison() {
    let doc = analysis_json(&["analyze", "--json", "--critical-budget", "0"]);
    assert_eq!(doc["comparison"], Value::Null);
    let text = zopa(&["analyze", "--compare", "--critical-budget", "0"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("\nReadings side by side\n"), "{text}");
    assert!(text.contains("Interpretation “Kyiv insists on a Western armed presence”"));
}

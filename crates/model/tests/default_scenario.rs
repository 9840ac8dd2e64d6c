//! The embedded default scenario loads, every quote checks, and it survives
//! a write/read round trip through both TOML and JSON.

use std::path::Path;

use zopa_model::{load_file, load_str, FsLoader, Syntax};

fn path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/security-guarantees.toml")
}

#[test]
fn default_scenario_is_valid_without_warnings() {
    let loaded = load_file(&path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.items.is_empty(), "{}", loaded.warnings);
    let s = loaded.scenario;
    assert_eq!(s.actors().len(), 4);
    assert_eq!(s.issues().len(), 5);
    for a in s.actors() {
        let sum: f64 = a.weights.iter().sum();
        assert!((sum - 1.0).abs() < 1e-12);
    }
}

#[test]
fn default_scenario_round_trips_through_toml_and_json() {
    let s = load_file(&path()).unwrap().scenario;
    let loader = FsLoader {
        base: path().parent().unwrap().to_path_buf(),
    };
    let doc = s.to_doc();
    let toml = doc.to_toml_string().unwrap();
    let back = load_str(&toml, Syntax::Toml, "written.toml", &loader)
        .unwrap_or_else(|d| panic!("{d}\n{toml}"))
        .scenario;
    assert_eq!(back, s);
    let json = doc.to_json_string().unwrap();
    let back = load_str(&json, Syntax::Json, "written.json", &loader)
        .unwrap_or_else(|d| panic!("{d}\n{json}"))
        .scenario;
    assert_eq!(back, s);
}

#[test]
fn stated_positions_carry_evidence() {
    let s = load_file(&path()).unwrap().scenario;
    let actor = |id: &str| s.actors().iter().find(|a| a.id == id).unwrap();
    let issue = |id: &str| s.issues().iter().position(|i| i.id == id).unwrap();
    let opt = |i: usize, id: &str| {
        s.issues()[i]
            .options
            .iter()
            .position(|o| o.id == id)
            .unwrap()
    };
    let presence = issue("presence");
    let russia = actor("russia");
    for o in ["european_force", "nato_troops"] {
        let r = russia.positions[presence]
            .red_lines
            .iter()
            .find(|r| r.option == opt(presence, o))
            .expect("Russia's red line");
        assert!(!r.basis.is_assumption(), "stated in the article");
    }
    assert!(!russia.positions[issue("russia_role")].basis.is_assumption());
    let us = actor("us");
    let us_role = issue("us_role");
    assert!(us.positions[us_role].rejects(opt(us_role, "ground_troops")));
    assert!(!us.positions[us_role].basis.is_assumption());
    assert!(!us.positions[issue("burden")].basis.is_assumption());
    let ukraine = actor("ukraine");
    assert!(!ukraine.positions[issue("guarantee")].basis.is_assumption());
    assert!(!ukraine.positions[us_role].basis.is_assumption());
    assert!(!actor("europe").positions[presence].basis.is_assumption());
    // Ukraine's and Europe's red lines are not in the article: assumptions.
    for a in ["ukraine", "europe"] {
        for p in &actor(a).positions {
            for r in &p.red_lines {
                assert!(r.basis.assumption.as_deref().is_some_and(|n| !n.is_empty()));
            }
        }
    }
}

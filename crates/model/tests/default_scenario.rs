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
fn assumed_red_lines_carry_notes_and_stated_ones_their_speaker() {
    let s = load_file(&path()).unwrap().scenario;
    let claims = s.claims();
    let red: Vec<_> = claims
        .iter()
        .filter(|c| c.kind == zopa_model::ClaimKind::RedLine)
        .collect();
    assert_eq!(red.len(), 7);
    for c in red {
        let actor = &s.actors()[c.actor.unwrap()].id;
        if matches!(actor.as_str(), "ukraine" | "europe") {
            // Not in the article: assumptions with a note.
            assert!(
                !c.is_quoted() && c.note.is_some_and(|n| !n.is_empty()),
                "{}",
                c.text
            );
        } else {
            assert!(c.is_quoted(), "{actor} {}", c.text);
        }
    }
}

//! Conditional red lines: `[[actors.red_line_combinations]]` with `unless`
//! — an option rejected unless the package also holds others — validated,
//! located, round-tripped, and decided by `Combination::hit`.

mod common;

use std::collections::HashMap;

use zopa_model::{load_str, MapLoader, Syntax};

fn scenario(tail: &str) -> String {
    format!(
        r#"
[scenario]
id = "c"
title = "C"

[[issues]]
id = "chapter"
name = "Accession chapter"
options = [{{ id = "closed", label = "Closed" }}, {{ id = "open", label = "Opened" }}]

[[issues]]
id = "ports"
name = "Ports"
options = [{{ id = "shut", label = "Shut" }}, {{ id = "open", label = "Open to Cypriot ships" }}]

[[actors]]
id = "cyprus"
name = "Cyprus"
power = 1
reservation = 0
salience = {{ chapter = 1, ports = 1 }}

[[actors.positions]]
issue = "chapter"
values = {{ closed = 0, open = 1 }}
assumption = true
note = "test"

[[actors.positions]]
issue = "ports"
values = {{ shut = 0, open = 1 }}
assumption = true
note = "test"

{tail}

[[actors]]
id = "turkey"
name = "Turkey"
power = 1
reservation = 0
salience = {{ chapter = 1, ports = 1 }}

[[actors.positions]]
issue = "chapter"
values = {{ closed = 0, open = 1 }}
assumption = true
note = "test"

[[actors.positions]]
issue = "ports"
values = {{ shut = 1, open = 0 }}
assumption = true
note = "test"
"#
    )
}

fn load(tail: &str) -> Result<zopa_model::Scenario, zopa_model::Diagnostics> {
    load_str(
        &scenario(tail),
        Syntax::Toml,
        "c.toml",
        &MapLoader(HashMap::new()),
    )
    .map(|l| l.scenario)
}

const VETO: &str = r#"[[actors.red_line_combinations]]
options = { chapter = "open" }
unless = { ports = "open" }
assumption = true
note = "Nicosia lifts its veto on the chapter only if Ankara opens its ports""#;

#[test]
fn a_conditional_veto_rejects_only_without_its_condition() {
    let s = load(VETO).unwrap();
    let cyprus = &s.actors()[0];
    // (chapter, ports): open+shut rejected; open+open, closed+shut accepted.
    assert!(cyprus.rejects_package(&[1, 0]));
    assert!(!cyprus.rejects_package(&[1, 1]));
    assert!(!cyprus.rejects_package(&[0, 0]));
    let claims = s.claims();
    assert!(
        claims
            .iter()
            .any(|c| c.text == "rejects chapter.open unless ports.open"),
        "{:?}",
        claims.iter().map(|c| &c.text).collect::<Vec<_>>()
    );
    common::assert_round_trip(&s, &MapLoader(HashMap::new()));
}

#[test]
fn invalid_conditions_are_refused_and_located() {
    let one = "[[actors.red_line_combinations]]\noptions = { chapter = \"open\" }\nassumption = true\nnote = \"n\"";
    let e = load(one).unwrap_err().to_string();
    assert!(e.contains("or give `unless` for a conditional one"), "{e}");
    let same = VETO.replace(
        "unless = { ports = \"open\" }",
        "unless = { chapter = \"closed\" }",
    );
    let e = load(&same).unwrap_err().to_string();
    assert!(
        e.contains("`unless` names issue `chapter`, which `options` names too"),
        "{e}"
    );
    let unknown = VETO.replace(
        "unless = { ports = \"open\" }",
        "unless = { ports = \"ajar\" }",
    );
    let d = load(&unknown).unwrap_err();
    let shown = d.to_string();
    assert!(
        shown.contains("unknown option `ajar` of issue `ports`"),
        "{shown}"
    );
    let line = scenario(&unknown)
        .lines()
        .position(|l| l.starts_with("unless"))
        .unwrap()
        + 1;
    assert!(
        d.items.iter().any(|i| i.pos.map(|p| p.line) == Some(line)),
        "not located on line {line}: {shown}"
    );
}

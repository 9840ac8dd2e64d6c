//! Evidence grades: `direct` (the speaker's words in quotation marks),
//! `reported` (a journalist's paraphrase), `inferred` (the analyst's
//! reading of a passage) — read from the source when not declared, a
//! declared `direct` checked against the source's quotation marks, and
//! counted per claim by the strongest grade of its quotes.

mod common;

use std::collections::HashMap;

use zopa_model::{load_str, Grade, MapLoader, Syntax};

const SOURCE: &str = "Talks resumed.\nThe chair said “we want it high” at the meeting.\nOfficials indicated that the chair would never accept low.\n";

fn scenario(evidence: &str) -> String {
    format!(
        r#"
[scenario]
id = "g"
title = "G"

[[sources]]
id = "m"
path = "m.txt"

[[issues]]
id = "x"
name = "X"
options = [{{ id = "lo", label = "Low" }}, {{ id = "hi", label = "High" }}]

[[actors]]
id = "chair"
name = "Chair"
power = 1
reservation = 0.2
salience = {{ x = 1 }}

[[actors.positions]]
issue = "x"
values = {{ lo = 0, hi = 1 }}
note = "test"
evidence = [
{evidence}
]

[[actors]]
id = "b"
name = "B"
power = 1
reservation = 0.2
salience = {{ x = 1 }}

[[actors.positions]]
issue = "x"
values = {{ lo = 1, hi = 0 }}
assumption = true
note = "test"
"#
    )
}

fn loader() -> MapLoader {
    MapLoader(HashMap::from([("m.txt".to_string(), SOURCE.to_string())]))
}

fn load(evidence: &str) -> Result<zopa_model::Scenario, zopa_model::Diagnostics> {
    load_str(&scenario(evidence), Syntax::Toml, "g.toml", &loader()).map(|l| l.scenario)
}

const DIRECT: &str = r#"  { source = "m", speaker = "chair", quote = "we want it high", states = { best = "hi" } },"#;
const REPORTED: &str = r#"  { source = "m", speaker = "chair", quote = "the chair would never accept low", states = { worst = "lo" } },"#;

#[test]
fn undeclared_grades_are_read_from_the_source() {
    let s = load(&format!("{DIRECT}\n{REPORTED}")).unwrap();
    let grades: Vec<Grade> = s.actors()[0].positions[0]
        .basis
        .evidence
        .iter()
        .map(|e| e.grade)
        .collect();
    assert_eq!(grades, [Grade::Direct, Grade::Reported]);
    let c = s.claim_counts();
    assert_eq!((c.quoted, c.direct, c.reported, c.inferred), (2, 1, 1, 0));
}

#[test]
fn a_declared_grade_is_kept_and_round_trips() {
    let inferred = REPORTED.replace(" },", ", grade = \"inferred\" },");
    let s = load(&format!("{DIRECT}\n{inferred}")).unwrap();
    let c = s.claim_counts();
    assert_eq!((c.direct, c.reported, c.inferred), (1, 0, 1));
    assert!(s.to_doc().to_toml_string().unwrap().contains("inferred"));
    common::assert_round_trip(&s, &loader());
}

#[test]
fn a_direct_quote_must_sit_inside_quotation_marks() {
    let claimed = REPORTED.replace(" },", ", grade = \"direct\" },");
    let d = load(&claimed).unwrap_err();
    let shown = d.to_string();
    assert!(
        shown.contains("is not inside quotation marks in its source: grade it `reported`"),
        "{shown}"
    );
    let line = scenario(&claimed)
        .lines()
        .position(|l| l == claimed)
        .unwrap()
        + 1;
    assert!(
        d.items.iter().any(|i| i.pos.map(|p| p.line) == Some(line)),
        "not located on line {line}: {shown}"
    );
    let unknown = DIRECT.replace(" },", ", grade = \"verbatim\" },");
    let e = load(&unknown).unwrap_err().to_string();
    assert!(e.contains("unknown grade `verbatim`"), "{e}");
}

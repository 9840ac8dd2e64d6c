//! `[[interpretations]]`: other readings of the evidence, read, validated
//! and located like every other part of a scenario, and round-tripped.

mod common;

use std::collections::HashMap;

use zopa_model::{load_str, MapLoader, Override, RedLineRef, Syntax};

const SOURCE: &str = "Minutes.\nThe chair wants it high, whatever the others say.\n";

/// Two actors on one issue of three options (b rejects `lo`), then `tail`.
fn scenario(tail: &str) -> String {
    format!(
        r#"
[scenario]
id = "board"
title = "Board"

[[sources]]
id = "m"
path = "m.txt"

[[issues]]
id = "x"
name = "X"
options = [{{ id = "lo", label = "Low" }}, {{ id = "mid", label = "Mid" }}, {{ id = "hi", label = "High" }}]

[[actors]]
id = "chair"
name = "Chair"
power = 1
reservation = 0.2
salience = {{ x = 1 }}

[[actors.positions]]
issue = "x"
values = {{ lo = 0, mid = 0.5, hi = 1 }}
assumption = true
note = "test"

[[actors]]
id = "b"
name = "B"
power = 1
reservation = 0.2
salience = {{ x = 1 }}

[[actors.positions]]
issue = "x"
values = {{ lo = 1, mid = 0.5, hi = 0 }}
red_lines = ["hi"]
assumption = true
note = "test"

{tail}"#
    )
}

fn loader() -> MapLoader {
    MapLoader(HashMap::from([("m.txt".to_string(), SOURCE.to_string())]))
}

fn load(tail: &str) -> Result<zopa_model::Scenario, zopa_model::Diagnostics> {
    load_str(&scenario(tail), Syntax::Toml, "board.toml", &loader()).map(|l| l.scenario)
}

const FULL: &str = r#"[[interpretations]]
id = "chair-insists"
name = "The chair insists on high"
red_lines = [{ actor = "chair", issue = "x", option = "lo" }, { actor = "chair", issue = "x", option = "mid" }]
drop_red_lines = [{ actor = "b", issue = "x", option = "hi" }]
reservations = { b = 0.4 }
values = [{ actor = "b", issue = "x", option = "mid", value = 0.7 }]
note = "read strictly"
evidence = [{ source = "m", speaker = "chair", quote = "The chair wants it high, whatever the others say." }]
"#;

#[test]
fn an_interpretation_is_read_in_file_order() {
    let s = load(FULL).unwrap();
    let [x] = s.interpretations() else {
        panic!("one interpretation")
    };
    assert_eq!(
        (x.id.as_str(), x.name.as_str()),
        ("chair-insists", "The chair insists on high")
    );
    let r = |actor, option| RedLineRef {
        actor,
        issue: 0,
        option,
    };
    assert_eq!(
        x.overrides,
        [
            Override::AddRedLine(r(0, 0)),
            Override::AddRedLine(r(0, 1)),
            Override::DropRedLine(r(1, 2)),
            Override::Reservation {
                actor: 1,
                value: 0.4
            },
            Override::Value {
                actor: 1,
                issue: 0,
                option: 1,
                value: 0.7
            },
        ]
    );
    assert_eq!(x.basis.evidence.len(), 1);
    // The scenario as written is unchanged by its interpretations.
    assert_eq!(s.red_lines(), [r(1, 2)]);
}

#[test]
fn an_interpretation_survives_a_round_trip() {
    let s = load(FULL).unwrap();
    common::assert_round_trip(&s, &loader());
}

#[test]
fn invalid_interpretations_are_located() {
    let head = "[[interpretations]]\nid = \"i\"\nname = \"n\"\nassumption = true\nnote = \"n\"\n";
    for (body, message) in [
        (
            "red_lines = [{ actor = \"zed\", issue = \"x\", option = \"lo\" }]",
            "unknown actor `zed`",
        ),
        (
            "red_lines = [{ actor = \"chair\", issue = \"y\", option = \"lo\" }]",
            "unknown issue `y`",
        ),
        (
            "red_lines = [{ actor = \"chair\", issue = \"x\", option = \"top\" }]",
            "unknown option `top` of issue `x`",
        ),
        (
            "red_lines = [{ actor = \"b\", issue = \"x\", option = \"hi\" }]",
            "`b` already rejects `hi` on `x`",
        ),
        (
            "red_lines = [{ actor = \"b\", issue = \"x\", option = \"lo\" }, { actor = \"b\", issue = \"x\", option = \"mid\" }]",
            "would reject every option of `x`",
        ),
        (
            "drop_red_lines = [{ actor = \"chair\", issue = \"x\", option = \"hi\" }]",
            "`chair` has no red line on `hi` of `x` to drop",
        ),
        ("reservations = { chair = 1.5 }", "in [0, 1], got 1.5"),
        ("reservations = { zed = 0.5 }", "unknown actor `zed`"),
        (
            "values = [{ actor = \"b\", issue = \"x\", option = \"lo\", value = -1 }]",
            "an option value is in [0, 1], got -1",
        ),
        (
            "values = [{ actor = \"b\", issue = \"x\", option = \"lo\" }]",
            "missing `value`",
        ),
        ("weights = 3", "unknown key `weights`"),
    ] {
        let tail = format!("{head}{body}\n");
        let d = load(&tail).unwrap_err();
        let shown = d.to_string();
        assert!(shown.contains(message), "{body}: {shown}");
        let line = scenario(&tail).lines().position(|l| l == body).unwrap() + 1;
        assert!(
            d.items.iter().any(|i| i.pos.map(|lc| lc.line) == Some(line)),
            "{body}: not located on line {line}: {shown}"
        );
    }
    let e = load(head).unwrap_err().to_string();
    assert!(e.contains("the interpretation changes nothing"), "{e}");
    let bare = "[[interpretations]]\nid = \"i\"\nname = \"n\"\nreservations = { b = 0.5 }\n";
    let e = load(bare).unwrap_err().to_string();
    assert!(e.contains("the interpretation has no grounds"), "{e}");
    let twice =
        format!("{head}reservations = {{ b = 0.5 }}\n\n{head}reservations = {{ b = 0.6 }}\n");
    let e = load(&twice).unwrap_err().to_string();
    assert!(e.contains("`i` is defined twice"), "{e}");
}

//! `[decision]`: decision rules read, validated and located like every
//! other claim, round-tripped, and decided as the rule says.

mod common;

use std::collections::HashMap;

use zopa_model::{load_str, ClaimKind, MapLoader, Syntax};

const SOURCE: &str =
    "Minutes.\nThe board decides by a majority of four, and the chair must agree.\n";

/// Five actors (powers 1–5), two issues, and `decision` appended.
fn scenario(decision: &str) -> String {
    let mut s = String::from(
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
options = [{ id = "lo", label = "Low" }, { id = "hi", label = "High" }]
"#,
    );
    for (k, id) in ["chair", "b", "c", "d", "e"].iter().enumerate() {
        s.push_str(&format!(
            r#"
[[actors]]
id = "{id}"
name = "{id}"
power = {p}
reservation = 0
salience = {{ x = 1 }}

[[actors.positions]]
issue = "x"
values = {{ lo = 0, hi = 1 }}
assumption = true
note = "test"
"#,
            p = k + 1
        ));
    }
    s.push('\n');
    s.push_str(decision);
    s
}

fn load(decision: &str) -> Result<zopa_model::Scenario, zopa_model::Diagnostics> {
    let loader = MapLoader(HashMap::from([("m.txt".to_string(), SOURCE.to_string())]));
    load_str(&scenario(decision), Syntax::Toml, "board.toml", &loader).map(|l| l.scenario)
}

#[test]
fn without_a_table_the_rule_is_unanimity() {
    let s = load("").unwrap();
    let d = s.decision();
    assert!(d.is_unanimity() && !d.stated);
    assert_eq!(d.vetoes(), &[0, 1, 2, 3, 4]);
    assert!(!s.claims().iter().any(|c| c.kind == ClaimKind::Decision));
}

#[test]
fn a_quoted_rule_is_a_quoted_claim_and_decides() {
    let s = load(
        r#"[decision]
at_least = 4
must_include = ["chair"]
evidence = [{ source = "m", quote = "The board decides by a majority of four, and the chair must agree." }]
"#,
    )
    .unwrap();
    let d = s.decision();
    assert!(!d.is_unanimity());
    // The chair is named; nobody else is indispensable with 4 of 5.
    assert_eq!(d.vetoes(), &[0]);
    assert!(d.wins(&[true, true, true, true, false]));
    assert!(
        !d.wins(&[false, true, true, true, true]),
        "the chair's veto"
    );
    assert!(
        !d.wins(&[true, true, true, false, false]),
        "three are too few"
    );
    let claim = s
        .claims()
        .into_iter()
        .find(|c| c.kind == ClaimKind::Decision)
        .unwrap();
    assert!(claim.is_quoted());
    assert_eq!(claim.text, "at least 4 of 5 actors accept, including chair");
}

#[test]
fn power_shares_and_vetoes_in_effect() {
    // Powers 1..5 (total 15); 60 % is 9: without e (5) the rest hold 10,
    // without d and e only 6. Nobody alone is indispensable.
    let s = load("[decision]\npower_share = 0.6\nassumption = true\nnote = \"weighted vote\"\n")
        .unwrap();
    let d = s.decision();
    assert_eq!(d.at_least, 1, "no count condition without at_least");
    assert!(d.vetoes().is_empty());
    assert!(d.wins(&[false, false, false, true, true])); // 9 of 15
    assert!(d.wins(&[true, true, true, true, false])); // 10 of 15
    assert!(!d.wins(&[true, true, true, false, false])); // 6 of 15
    assert!(!d.wins(&[false, false, true, false, true])); // 8 of 15
}

#[test]
fn an_assumed_rule_needs_a_note_and_a_rule_needs_grounds() {
    let e = load("[decision]\nat_least = 3\n").unwrap_err().to_string();
    assert!(e.contains("the decision rule has no evidence"), "{e}");
    let e = load("[decision]\nat_least = 3\nassumption = true\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("an assumption needs a `note`"), "{e}");
}

#[test]
fn invalid_rules_are_located() {
    for (rule, line, message) in [
        ("at_least = 0", 1, "a whole number from 1 to 5"),
        ("at_least = 6", 1, "a whole number from 1 to 5"),
        ("at_least = 2.5", 1, "a whole number from 1 to 5"),
        (
            "must_include = [\"chair\", \"zed\"]",
            1,
            "unknown actor `zed`",
        ),
        ("must_include = [\"b\", \"b\"]", 1, "`b` is named twice"),
        ("power_share = 1.5", 1, "in (0, 1], got 1.5"),
        ("power_share = 0", 1, "in (0, 1], got 0"),
        ("quorum = 3", 1, "unknown key `quorum`"),
    ] {
        let text = format!("[decision]\n{rule}\nassumption = true\nnote = \"n\"\n");
        let d = load(&text).unwrap_err();
        let shown = d.to_string();
        assert!(shown.contains(message), "{rule}: {shown}");
        // The table starts on the line after the actors: the error is on
        // the rule's own line (one below `[decision]`).
        let rule_line = scenario(&text)
            .lines()
            .position(|l| l == rule)
            .expect("rule line")
            + 1;
        assert!(
            d.items
                .iter()
                .any(|i| i.pos.map(|lc| lc.line) == Some(rule_line)),
            "{rule} (line {line} of the table): {shown}"
        );
    }
    let e = load("[decision]\nassumption = true\nnote = \"n\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("states no condition"), "{e}");
}

#[test]
fn a_rule_survives_a_round_trip() {
    let s = load(
        "[decision]\nat_least = 3\nmust_include = [\"chair\", \"e\"]\npower_share = 0.5\nassumption = true\nnote = \"n\"\n",
    )
    .unwrap();
    let loader = MapLoader(HashMap::from([("m.txt".to_string(), SOURCE.to_string())]));
    common::assert_round_trip(&s, &loader);
}

#[test]
fn a_what_if_rule_is_checked_like_a_table() {
    use zopa_model::{Basis, RuleError};
    let s = load("").unwrap();
    let b = || Basis::assumption("what if");
    let t = s.with_decision(4, &[0], Some(0.5), b()).unwrap();
    assert_eq!(t.decision().vetoes(), &[0]);
    assert!(t.decision().stated && !t.decision().is_unanimity());
    assert_eq!(
        s.with_decision(0, &[], None, b()),
        Err(RuleError::AtLeast { at_least: 0, n: 5 })
    );
    assert_eq!(
        s.with_decision(2, &[7], None, b()),
        Err(RuleError::NoActor(7))
    );
    assert_eq!(
        s.with_decision(2, &[1, 1], None, b()),
        Err(RuleError::Twice(1))
    );
    assert_eq!(
        s.with_decision(2, &[], Some(1.5), b()),
        Err(RuleError::PowerShare(1.5))
    );
}

/// A rule in a scenario without actors is an error like any other (it
/// panicked once: the count was clamped to an empty range).
#[test]
fn a_rule_without_actors_is_refused_not_a_panic() {
    let text = "[scenario]\nid = \"x\"\ntitle = \"X\"\n\n[[issues]]\nid = \"i\"\nname = \"I\"\noptions = [{ id = \"a\", label = \"A\" }]\n\n[decision]\nat_least = 2\nassumption = true\nnote = \"n\"\n";
    let d = load_str(text, Syntax::Toml, "x.toml", &MapLoader::default()).unwrap_err();
    assert!(d.to_string().contains("a whole number from 1 to 0"), "{d}");
}

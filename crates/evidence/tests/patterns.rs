//! The extraction patterns one by one, on constructed sentences (not part of
//! the evaluation set, which is real news text only).

use zopa_evidence::{extract, Form, Keywords, Parties, Stance, Statement};

const SCENARIO: &str = r#"
[scenario]
id = "t"
title = "t"
[[issues]]
id = "troops"
name = "Troops"
keywords = ["troops"]
options = [{ id = "none", label = "None" }, { id = "nato", label = "NATO", keywords = ["NATO troops"] }]
[[actors]]
id = "north"
name = "Northland"
aliases = ["Nordville", "Olsen"]
power = 1
reservation = 0
salience = { troops = 1 }
positions = [{ issue = "troops", values = { none = 1, nato = 0 }, red_lines = [{ option = "nato" }], assumption = true, note = "t" }]
[[actors]]
id = "south"
name = "Southland"
aliases = ["Southern", "Sudport"]
power = 1
reservation = 0
salience = { troops = 1 }
positions = [{ issue = "troops", values = { none = 0, nato = 1 }, assumption = true, note = "t" }]
"#;

fn run(text: &str) -> Vec<Statement> {
    let s = zopa_model::load_str(
        SCENARIO,
        zopa_model::Syntax::Toml,
        "t",
        &zopa_model::MapLoader(Default::default()),
    )
    .unwrap()
    .scenario;
    extract(text, &Parties::of(&s), &Keywords::of(&s))
}

fn brief(s: &[Statement]) -> Vec<(String, Option<String>, Form)> {
    s.iter()
        .map(|s| (s.text.clone(), s.speaker.party.clone(), s.form))
        .collect()
}

fn one(text: &str, party: &str) -> (String, Form) {
    let s = run(text);
    let b = brief(&s);
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].1.as_deref(), Some(party), "{b:?}");
    (b[0].0.clone(), b[0].2)
}

#[test]
fn a_quotation_attributed_after_it() {
    assert_eq!(
        one(
            "“We will never accept NATO troops,” Northland’s foreign minister Anna Olsen said.",
            "north"
        ),
        ("We will never accept NATO troops".into(), Form::Quote)
    );
    assert_eq!(
        one(
            "\"We need more time,\" said Southern envoy Bo Lind.",
            "south"
        ),
        ("We need more time".into(), Form::Quote)
    );
}

#[test]
fn a_quotation_attributed_before_it_and_one_split_by_its_attribution() {
    assert_eq!(
        one(
            "Olsen told reporters: “The answer is no. We are firm.”",
            "north"
        ),
        ("The answer is no. We are firm.".into(), Form::Quote)
    );
    let s = brief(&run("“We are ready,” Olsen said, “but not at any price.”"));
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[1].0, "but not at any price.");
    assert_eq!(s[1].1.as_deref(), Some("north"));
}

#[test]
fn reported_speech_with_that_without_it_and_after_the_clause() {
    assert_eq!(
        one(
            "Southland said on Monday that it wants NATO troops on its soil.",
            "south"
        )
        .0,
        "it wants NATO troops on its soil"
    );
    assert_eq!(
        one("Nordville insists the talks must continue.", "north").0,
        "the talks must continue"
    );
    assert_eq!(
        one("The troops must leave, Olsen said.", "north").0,
        "The troops must leave"
    );
}

#[test]
fn according_to() {
    assert_eq!(
        one(
            "According to Sudport, the deal should include NATO troops.",
            "south"
        )
        .0,
        "the deal should include NATO troops"
    );
    assert_eq!(
        one(
            "The deal should include NATO troops, according to Sudport.",
            "south"
        )
        .0,
        "The deal should include NATO troops"
    );
}

#[test]
fn pronouns_and_surnames_refer_back_to_the_last_speaker() {
    let s = brief(&run(
        "Northland President Anna Olsen said the plan was useful. Later she warned that it will not accept NATO troops.\n\nHe spoke. Southern spokesman Bo Lind said talks must go on. Lind added that he wants a deal.",
    ));
    let parties: Vec<_> = s.iter().map(|x| x.1.clone().unwrap_or_default()).collect();
    assert_eq!(parties, ["north", "north", "south", "south"], "{s:?}");
}

#[test]
fn stances_come_from_cue_verbs_and_phrases() {
    let stance = |t: &str| run(t).first().map(|s| s.stance);
    assert_eq!(
        stance("Olsen said Northland will not allow NATO troops."),
        Some(Stance::RedLine)
    );
    assert_eq!(
        stance("Southland rejected the plan."),
        Some(Stance::Rejects)
    );
    assert_eq!(
        stance("Southland welcomed the plan."),
        Some(Stance::Accepts)
    );
    assert_eq!(
        stance("Olsen urged Southland to sign."),
        Some(Stance::Demand)
    );
    assert_eq!(
        stance("Olsen proposed that monitors be sent."),
        Some(Stance::Proposes)
    );
}

#[test]
fn reports_of_fact_and_text_without_attribution_give_nothing() {
    assert!(run("Olsen said the convoy had arrived at noon.").is_empty());
    assert!(run("The talks continue. Nothing was agreed, and troops remain.").is_empty());
    assert!(run("").is_empty());
    assert!(run("\n\n  \n").is_empty());
}

#[test]
fn every_span_is_the_article_s_own_bytes_with_its_place() {
    let text = "Intro line.\n\nOlsen said “we will not go” today.";
    for s in run(text) {
        let [a, b] = s.location.bytes;
        assert_eq!(&text[a..b], s.text);
        assert_eq!(s.location.line, 3);
    }
}

#[test]
fn unknown_speakers_are_kept_without_a_party() {
    let s = brief(&run(
        "Westland’s prime minister Karl Berg said troops must stay.",
    ));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].1, None);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Any text, however broken its quotations and sentences: no panic, and
    /// every statement is the article's own bytes at the place it names.
    #[test]
    fn any_text_gives_verbatim_spans(
        words in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::Just("said".to_string()),
                proptest::prelude::Just("according to".to_string()),
                proptest::prelude::Just("that".to_string()),
                proptest::prelude::Just("he".to_string()),
                proptest::prelude::Just("Olsen".to_string()),
                proptest::prelude::Just("President".to_string()),
                proptest::prelude::Just("will not".to_string()),
                proptest::prelude::Just(", and".to_string()),
                proptest::prelude::Just("“".to_string()),
                proptest::prelude::Just("”".to_string()),
                proptest::prelude::Just("\"".to_string()),
                proptest::prelude::Just(".".to_string()),
                proptest::prelude::Just(",".to_string()),
                proptest::prelude::Just(":".to_string()),
                proptest::prelude::Just("\n\n".to_string()),
                "\\PC{0,6}",
            ],
            0..40,
        )
    ) {
        let text = words.join(" ");
        let lines = text.split('\n').count();
        for s in run(&text) {
            let [a, b] = s.location.bytes;
            proptest::prop_assert_eq!(&text[a..b], s.text.as_str());
            proptest::prop_assert!(a < b && s.location.line <= s.location.end_line && s.location.end_line <= lines);
        }
    }
}

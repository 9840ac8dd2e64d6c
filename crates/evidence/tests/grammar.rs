//! The grammar of attribution and the parties read from the text alone,
//! one construction at a time, on sentences written for these tests (the
//! evaluation on real reports is `reports.rs`). No scenario is given.

use zopa_evidence::{extract, Form, Keywords, Parties, Statement};

fn run(text: &str) -> Vec<Statement> {
    extract(text, &Parties::none(), &Keywords::default())
}

/// (statement, affiliation) of each statement.
fn pairs(text: &str) -> Vec<(String, Option<String>)> {
    run(text)
        .into_iter()
        .map(|s| (s.text, s.speaker.affiliation))
        .collect()
}

fn one(text: &str) -> Statement {
    let s = run(text);
    assert_eq!(
        s.len(),
        1,
        "{:#?}",
        s.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    s.into_iter().next().unwrap()
}

fn aff(s: &Statement) -> Option<&str> {
    s.speaker.affiliation.as_deref()
}

#[test]
fn titles_demonyms_and_seats_name_the_country() {
    let p = pairs(
        "Turkish Prime Minister Ahmet Yilmaz said the deal must be revised. \
         Yilmaz added that it will not yield. EU officials said the offer was unacceptable. \
         Athens insisted that the islands have a zone of their own.",
    );
    assert_eq!(
        p.iter().map(|x| x.1.as_deref()).collect::<Vec<_>>(),
        [
            Some("Turkey"),
            Some("Turkey"),
            Some("European Union"),
            Some("Greece")
        ],
        "{p:?}"
    );
}

#[test]
fn organisations_are_their_own_party_with_their_short_form() {
    let s = run("The Southern Defence Forces (SDF) said talks must resume. \
         Later the SDF warned that it will not disarm. \
         The Turkish Ministry of Foreign Affairs rejected the plan.");
    let a: Vec<_> = s.iter().map(aff).collect();
    assert_eq!(
        a,
        [
            Some("Southern Defence Forces"),
            Some("Southern Defence Forces"),
            Some("Turkey")
        ],
        "{s:#?}"
    );
}

#[test]
fn an_apposition_ties_a_person_to_a_party_for_the_rest_of_the_article() {
    let s = run(
        "Karl Berg, a Hamas spokesman, commented that the truce must hold. \
         \"We are ready,\" Berg said.",
    );
    assert_eq!(s.len(), 2, "{s:#?}");
    assert_eq!(s[0].speaker.written, "Karl Berg");
    assert!(s.iter().all(|x| aff(x) == Some("Hamas")), "{s:#?}");
}

#[test]
fn the_passive_takes_its_agent_or_attributes_nothing() {
    let s = one("The plan was condemned in a joint statement by Egypt and Greece on Monday.");
    assert_eq!(s.form, Form::Stance);
    assert_eq!(aff(&s), Some("Egypt"));
    assert!(s.text.starts_with("was condemned"), "{}", s.text);
    assert!(run("The plan was condemned on Monday.").is_empty());
}

#[test]
fn a_quotation_after_a_colon_is_the_subjects() {
    let s = one("Greece set a deadline: \"We will decide by May.\"");
    assert_eq!(s.form, Form::Quote);
    assert_eq!(s.text, "We will decide by May.");
    assert_eq!(aff(&s), Some("Greece"));
}

#[test]
fn conditions_start_statements_of_their_own_and_are_captured() {
    let s = run("\"We would like it to continue. If they attack, we will respond,\" said the Israeli envoy Dan Adler.");
    assert_eq!(s.len(), 2, "{s:#?}");
    assert_eq!(s[1].condition.as_deref(), Some("If they attack"));
    let s = one("Ankara will accept the deal only if the EU lifts the visa requirement, the Turkish minister said.");
    assert_eq!(
        s.condition.as_deref(),
        Some("only if the EU lifts the visa requirement")
    );
    assert_eq!(aff(&s), Some("Turkey"));
}

#[test]
fn coordinated_clauses_and_contrasts_are_two_statements() {
    let t: Vec<String> = run(
        "Greek Foreign Minister Eva Pappas said that troops must leave, and that talks should resume. \
         Pappas said Athens would allow monitors but would not accept troops.",
    )
    .into_iter()
    .map(|s| s.text)
    .collect();
    assert_eq!(
        t,
        [
            "troops must leave",
            "talks should resume",
            "Athens would allow monitors",
            "would not accept troops"
        ]
    );
}

#[test]
fn nested_speech_is_the_inner_speakers_reported_by_the_outer() {
    let s = one("Erdogan said Trump had told him that the US would withdraw its troops.");
    assert_eq!(s.text, "the US would withdraw its troops");
    assert_eq!(s.speaker.written, "Trump");
    assert_eq!(s.reported_by.as_deref(), Some("Erdogan"));
    let s = one(
        "Palestinian leader Omar Haddad will press Washington to ensure \"there is no return to war,\" said Palestinian negotiator Sami Nasser.",
    );
    assert_eq!(s.speaker.written, "Palestinian leader Omar Haddad");
    assert_eq!(
        s.reported_by.as_deref(),
        Some("Palestinian negotiator Sami Nasser")
    );
}

#[test]
fn commentators_media_and_analysts_are_no_party() {
    assert!(run("\"It will fail,\" said Jane Roe of the Example Institute.").is_empty());
    assert!(run("According to Example TV news agency, the talks must stop.").is_empty());
    assert!(run(
        "\"It is doomed,\" said Ann Lee, an analyst at a think tank. Lee also argued that it must fail."
    )
    .is_empty());
}

#[test]
fn headlines_capitalised_words_and_counts_are_not_statements() {
    // The first paragraph, short and without a full stop, is the headline.
    assert!(run("Northland rejects the plan\n\nTalks went on.").is_empty());
    // "States" in "United States" is no cue verb.
    assert!(run("At the summit, United States President Ann Cole read a text.").is_empty());
    // A count reported with a neutral verb is a fact, not a position.
    assert!(run("The army said it had downed 74 drones overnight.").is_empty());
    // A cue word after a determiner is a noun.
    assert!(run("Turkey wants a say in the projects.").len() <= 1);
}

#[test]
fn pronouns_and_definite_titles_refer_back() {
    let s = run(
        "The EU partially funded the studies, as it considers the pipeline a priority. \
         Italian minister Luca Neri sent a letter, but the minister said they will build another pipeline.",
    );
    let a: Vec<_> = s.iter().map(aff).collect();
    assert_eq!(a, [Some("European Union"), Some("Italy")], "{s:#?}");
}

#[test]
fn a_quotation_between_two_attributions_is_one_statement() {
    let t: Vec<String> = run("“Yes,” the Greek minister said, “no,” he said, “maybe,” he said.")
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert_eq!(t, ["Yes", "no", "maybe"]);
}

#[test]
fn the_frames_an_analyst_met_in_a_second_negotiation() {
    // "has made clear he will …", "argue that …", "pushing hard for …",
    // a conditional veto, a draft text that is no person.
    let s = run(
        "Turkish Prime Minister Ali Demir has made clear he will not accept the quota. \
         German officials argue that the deal must hold. \
         France is pushing hard for visa liberalisation. \
         Ankara will approve the readmission deal only if the EU lifts the visa requirement, Demir said. \
         The draft text says that border controls will be reinforced.",
    );
    let t: Vec<(&str, Option<&str>)> = s.iter().map(|s| (s.text.as_str(), aff(s))).collect();
    assert_eq!(
        t,
        [
            ("he will not accept the quota", Some("Turkey")),
            ("the deal must hold", Some("Germany")),
            ("France is pushing hard for visa liberalisation", Some("France")),
            (
                "Ankara will approve the readmission deal only if the EU lifts the visa requirement",
                Some("Turkey")
            ),
            ("border controls will be reinforced", None),
        ],
        "{s:#?}"
    );
    assert_eq!(
        s[3].condition.as_deref(),
        Some("only if the EU lifts the visa requirement")
    );
    assert!(!s[4].speaker.person, "a document is not a person");
}

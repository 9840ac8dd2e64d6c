//! The default scenario covers its article: every attributed statement of
//! position (hand-annotated in
//! `scenarios/sources/security-guarantees-statements.toml`) is used as
//! evidence spoken by its party, or listed under `[[unmodelled]]` with a
//! reason — and no claim is marked quoted that its quote does not state.

use std::path::{Path, PathBuf};

use zopa_model::evidence::SourceText;
use zopa_model::{load_file, Evidence, Scenario};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

#[derive(serde::Deserialize)]
struct Statements {
    statements: Vec<Statement>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)] // every field is read by the deserializer; some only documented
struct Statement {
    id: String,
    line: usize,
    speaker: String,
    party: String,
    stance: String,
    span: String,
    grade: String,
}

fn statements() -> Vec<Statement> {
    let text = std::fs::read_to_string(dir().join("sources/security-guarantees-statements.toml"))
        .expect("the annotation file");
    toml::from_str::<Statements>(&text)
        .expect("annotations parse")
        .statements
}

/// Every quote of the scenario with its speaker's actor id, the unmodelled
/// statements included.
fn quotes(s: &Scenario) -> Vec<(&Evidence, Option<&str>)> {
    let speaker = |e: &Evidence| e.speaker.map(|a| s.actors()[a].id.as_str());
    s.evidence()
        .chain(s.unmodelled().iter().map(|u| &u.evidence))
        .map(|e| (e, speaker(e)))
        .collect()
}

#[test]
fn every_attributed_statement_is_used_or_noted_with_its_party() {
    let s = load_file(&dir().join("security-guarantees.toml"))
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario;
    let article = SourceText::new(
        &std::fs::read_to_string(dir().join("sources/security-guarantees-article.txt")).unwrap(),
    );
    let quotes = quotes(&s);
    let statements = statements();
    assert!(
        statements.len() >= 19,
        "the annotation lists {}",
        statements.len()
    );
    let mut missing = Vec::new();
    for st in &statements {
        let span = article
            .range_of(&st.span)
            .unwrap_or_else(|| panic!("annotation {} is not verbatim in the article", st.id));
        let covered = quotes.iter().any(|(e, speaker)| {
            let Some(q) = article.range_of(&e.quote) else {
                return false;
            };
            let overlap = span.end.min(q.end).saturating_sub(span.start.max(q.start));
            *speaker == Some(st.party.as_str()) && 2 * overlap >= span.len()
        });
        if !covered {
            missing.push(format!("{} (line {}, {})", st.id, st.line, st.party));
        }
    }
    assert!(
        missing.is_empty(),
        "statements neither used nor noted: {missing:?}"
    );
}

/// The grades zopa reads from the article agree with the hand annotation:
/// every quote of the scenario that carries an annotated statement has the
/// statement's grade — or is declared `inferred`, the analyst's own
/// reading of the passage.
#[test]
fn evidence_grades_agree_with_the_hand_annotation() {
    let s = load_file(&dir().join("security-guarantees.toml"))
        .unwrap()
        .scenario;
    let article = SourceText::new(
        &std::fs::read_to_string(dir().join("sources/security-guarantees-article.txt")).unwrap(),
    );
    let statements = statements();
    let mut checked = 0;
    for (e, speaker) in quotes(&s) {
        let Some(q) = article.range_of(&e.quote) else {
            continue;
        };
        for st in &statements {
            let span = article.range_of(&st.span).unwrap();
            let overlap = span.end.min(q.end).saturating_sub(span.start.max(q.start));
            if speaker != Some(st.party.as_str()) || 2 * overlap < q.len().min(span.len()) {
                continue;
            }
            checked += 1;
            let want = if e.grade == zopa_model::Grade::Inferred && e.grade_declared {
                "inferred"
            } else {
                st.grade.as_str()
            };
            assert_eq!(
                e.grade.key(),
                want,
                "{:?} carries statement {} ({})",
                e.quote,
                st.id,
                st.grade
            );
        }
    }
    assert!(checked >= 15, "only {checked} quotes matched a statement");
}

#[test]
fn quoted_claims_are_exactly_the_reviewed_list() {
    // Reviewed by hand against the article: each quote states its claim.
    let want = [
        ("russia", "presence weighs most", 7),
        ("russia", "presence.european_force = 0", 6),
        ("russia", "presence.nato_troops = 0", 4),
        ("russia", "rejects presence.european_force", 6),
        ("russia", "rejects presence.nato_troops", 11),
        ("russia", "us_role.mediator = 1", 5),
        ("russia", "us_role.ground_troops = 0", 11),
        ("russia", "rejects us_role.ground_troops", 11),
        ("russia", "russia_role.guarantor = 1", 11),
        ("ukraine", "guarantee weighs most", 9),
        ("ukraine", "guarantee.article5 = 1", 9),
        ("ukraine", "backstop > mediator", 15),
        ("ukraine", "burden.shared = 1", 15),
        ("us", "us_role.ground_troops = 0", 10),
        ("us", "rejects us_role.ground_troops", 10),
        ("us", "burden.europe_led = 1", 10),
    ];
    let s = load_file(&dir().join("security-guarantees.toml"))
        .unwrap()
        .scenario;
    let got: Vec<(&str, String, usize)> = s
        .claims()
        .iter()
        .filter(|c| c.is_quoted())
        .map(|c| {
            (
                s.actors()[c.actor.unwrap()].id.as_str(),
                c.text.clone(),
                c.quotes[0].line,
            )
        })
        .collect();
    let want: Vec<(&str, String, usize)> = want
        .iter()
        .map(|&(a, t, l)| (a, t.to_string(), l))
        .collect();
    assert_eq!(got, want);
    // Every quoted claim's quotes are spoken by the actor it is about.
    for c in s.claims().iter().filter(|c| c.is_quoted()) {
        assert!(c.quotes.iter().all(|e| e.speaker == c.actor), "{}", c.text);
    }
}

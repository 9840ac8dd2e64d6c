//! The extractor against the hand-made annotations in `scenarios/sources/`:
//! every article there with a `*-statements.toml` file is scored, and the
//! scores may not drop below the ones recorded in `docs/evidence.md`.

use std::path::{Path, PathBuf};

use zopa_evidence::eval::{score, Annotations, Score};
use zopa_evidence::{extract, Keywords, Parties};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One article of the evaluation set with its recorded scores.
struct Case {
    name: &'static str,
    article: &'static str,
    annotations: &'static str,
    scenario: &'static str,
    /// Recorded in docs/evidence.md: the scores may not drop below these.
    precision: f64,
    recall: f64,
}

const SET: [Case; 1] = [Case {
    name: "security-guarantees",
    article: "scenarios/sources/security-guarantees-article.txt",
    annotations: "scenarios/sources/security-guarantees-statements.toml",
    scenario: "scenarios/security-guarantees.toml",
    precision: 0.95,
    recall: 0.95,
}];

fn run(c: &Case) -> Score {
    let text = std::fs::read_to_string(root().join(c.article)).unwrap();
    let gold: Annotations =
        toml::from_str(&std::fs::read_to_string(root().join(c.annotations)).unwrap()).unwrap();
    let s = zopa_model::load_file(&root().join(c.scenario))
        .unwrap()
        .scenario;
    let found = extract(&text, &Parties::of(&s), &Keywords::of(&s));
    score(&text, &gold, &found)
}

/// The row docs/evidence.md shows for a score.
fn row(name: &str, s: &Score) -> String {
    format!(
        "| {name} | {} | {} | {} | {:.2} | {:.2} |",
        s.gold, s.found, s.matched, s.precision, s.recall
    )
}

#[test]
fn scores_do_not_drop_below_the_recorded_ones() {
    let docs = std::fs::read_to_string(root().join("docs/evidence.md")).unwrap();
    let (mut gold, mut matched) = (0, 0);
    for c in &SET {
        let s = run(c);
        assert!(
            s.unlocated.is_empty(),
            "{}: annotations not in the article: {:?}",
            c.name,
            s.unlocated
        );
        assert!(
            s.precision >= c.precision && s.recall >= c.recall,
            "{}: precision {:.3} (recorded {}), recall {:.3} (recorded {}); missed {:?}",
            c.name,
            s.precision,
            c.precision,
            s.recall,
            c.recall,
            s.missed
        );
        assert!(
            docs.contains(&row(c.name, &s)),
            "docs/evidence.md lacks the row {}",
            row(c.name, &s)
        );
        gold += s.gold;
        matched += s.matched;
    }
    // The targets.
    let first = run(&SET[0]);
    assert!(first.recall >= 0.9 && first.precision >= 0.8);
    assert!(matched as f64 / gold as f64 >= 0.8, "overall recall");
}

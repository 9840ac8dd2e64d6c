//! The extractor on eight real news reports it was not written for
//! (`evidence-reports/` of the external data: English Wikinews, with hand
//! annotations made before any tool ran). No scenario is given: speakers
//! resolve to parties from the text alone.
//!
//! Tuning used five reports; the other three were set aside before any
//! rule was changed for them (docs/evidence.md, "Eight news reports") and
//! are reported separately. A score below the recorded one fails, and so
//! does an overall score below the targets of issue 28 (recall 0.85,
//! precision 0.80, party 0.8).
//!
//! `ZOPA_EVIDENCE_DETAIL=1` prints what was missed and found in excess on
//! the tuning reports (never on the held-out ones).

use std::path::Path;

use zopa_evidence::eval::{score, Annotations, Score};
use zopa_evidence::{extract, Keywords, Parties, Statement};

/// A report with its recorded scores.
struct Report {
    name: &'static str,
    held_out: bool,
    /// Annotations matched.
    matched: usize,
    /// Statements found.
    found: usize,
    /// Matches whose party is right.
    party: usize,
}

const fn tuned(name: &'static str, matched: usize, found: usize, party: usize) -> Report {
    Report {
        name,
        held_out: false,
        matched,
        found,
        party,
    }
}

const fn held(name: &'static str, matched: usize, found: usize, party: usize) -> Report {
    Report {
        name,
        held_out: true,
        matched,
        found,
        party,
    }
}

/// Recorded in docs/evidence.md; a run may do better, never worse.
const SET: [Report; 8] = [
    tuned("annapolis-conference_2007", 7, 7, 3),
    tuned("cairo-eastmed-maritime-dispute_2020", 17, 17, 17),
    tuned("eastmed-pipeline_2020", 24, 24, 23),
    tuned("gaza-ceasefire_2009", 9, 13, 9),
    tuned("hamas-israel-truce_2008", 21, 22, 21),
    held("g7-amazon-fires_2019", 5, 7, 3),
    held("npt-review-conference_2005", 7, 13, 7),
    held("syria-kurds-damascus-deal_2019", 7, 8, 7),
];

fn run(dir: &Path, name: &str) -> (Annotations, Score, Vec<Statement>) {
    let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap();
    let text = read("txt");
    let gold = Annotations::parse(&read("annotations.json")).unwrap();
    let found = extract(&text, &Parties::none(), &Keywords::default());
    let s = score(&text, &gold, &found);
    (gold, s, found)
}

/// Sums over a group of reports: (annotated, found, matched, party right).
#[derive(Default)]
struct Total(usize, usize, usize, usize);

impl Total {
    fn add(&mut self, s: &Score) {
        self.0 += s.gold;
        self.1 += s.found;
        self.2 += s.matched;
        self.3 += s.party_correct;
    }
    fn row(&self, name: &str) -> String {
        let r = |n: usize, d: usize| n as f64 / d.max(1) as f64;
        format!(
            "| **{name}** | {} | {} | {} | {:.2} | {:.2} | {:.2} |",
            self.0,
            self.1,
            self.2,
            r(self.2, self.1),
            r(self.2, self.0),
            r(self.3, self.2)
        )
    }
}

fn row(r: &Report, s: &Score) -> String {
    format!(
        "| {}{} | {} | {} | {} | {:.2} | {:.2} | {:.2} |",
        r.name,
        if r.held_out { " (held out)" } else { "" },
        s.gold,
        s.found,
        s.matched,
        s.precision,
        s.recall,
        s.party
    )
}

fn detail(name: &str, gold: &Annotations, s: &Score, found: &[Statement]) {
    let ann = |id: &String| gold.statements.iter().find(|a| &a.id == id).unwrap();
    eprintln!("== {name}");
    for id in &s.missed {
        let a = ann(id);
        eprintln!("  MISSED {id} [{}] {}", a.party, a.span);
    }
    for id in &s.wrong_party {
        let a = ann(id);
        eprintln!("  PARTY {id} [{}] {}", a.party, a.span);
    }
    for &k in &s.spurious {
        let x = &found[k];
        eprintln!(
            "  EXTRA {} [{:?}] {}: {}",
            k + 1,
            x.speaker.affiliation,
            x.speaker.written,
            x.text
        );
    }
}

#[test]
fn eight_reports_without_a_scenario() {
    let Some(dir) = zopa_testkit::external(
        "evidence-reports",
        "the evidence extractor on 8 news reports",
    ) else {
        return;
    };
    let verbose = std::env::var_os("ZOPA_EVIDENCE_DETAIL").is_some();
    let docs = std::fs::read_to_string(zopa_testkit::repo_root().join("docs/evidence.md")).unwrap();
    let (mut tuning, mut held_out, mut all) =
        (Total::default(), Total::default(), Total::default());
    let mut problems = Vec::new();
    for r in &SET {
        let (gold, s, found) = run(&dir, r.name);
        assert!(s.unlocated.is_empty(), "{}: {:?}", r.name, s.unlocated);
        if verbose && !r.held_out {
            detail(r.name, &gold, &s, &found);
        }
        let line = row(r, &s);
        eprintln!("{line}");
        if !docs.contains(&line) {
            problems.push(format!("docs/evidence.md lacks the row {line}"));
        }
        // Precision may not drop: matched/found ≥ recorded matched/found.
        let worse = s.matched < r.matched
            || s.party_correct < r.party
            || s.matched * r.found < r.matched * s.found;
        if worse {
            problems.push(format!(
                "{}: matched {} (recorded {}), found {} (recorded {}), party right {} (recorded {})",
                r.name, s.matched, r.matched, s.found, r.found, s.party_correct, r.party
            ));
        }
        if r.held_out {
            &mut held_out
        } else {
            &mut tuning
        }
        .add(&s);
        all.add(&s);
    }
    for (name, t) in [
        ("tuning (5)", &tuning),
        ("held out (3)", &held_out),
        ("all 8", &all),
    ] {
        let line = t.row(name);
        eprintln!("{line}");
        if !docs.contains(&line) {
            problems.push(format!("docs/evidence.md lacks the row {line}"));
        }
    }
    let Total(gold, found, matched, party) = all;
    zopa_testkit::say(&format!(
        "evidence on 8 reports without a scenario: recall {:.3} ({matched}/{gold}), precision {:.3} ({matched}/{found}), party {:.3} ({party}/{matched})",
        matched as f64 / gold as f64,
        matched as f64 / found as f64,
        party as f64 / matched as f64
    ));
    // The targets, on all eight.
    if 100 * matched < 85 * gold || 100 * matched < 80 * found || 10 * party < 8 * matched {
        problems.push("below the targets: recall 0.85, precision 0.80, party 0.8".into());
    }
    assert!(problems.is_empty() || verbose, "{problems:#?}");
}

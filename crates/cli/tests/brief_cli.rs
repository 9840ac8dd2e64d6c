//! `zopa brief`: the golden brief of the default scenario, a lint that
//! holds every brief to labels (no ids) and short numbers, and the claims
//! each sentence cites, checked against `zopa claims`.

mod common;

use std::collections::BTreeSet;

use common::{golden, repo, tmp, zopa};
use serde_json::Value;

fn out(args: &[&str]) -> String {
    let o = zopa(args);
    assert!(
        o.status.success(),
        "zopa {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&out(args)).unwrap()
}

const SCENARIOS: [&str; 5] = [
    "security-guarantees",
    "examples/supplier-contract.toml",
    "examples/deliberation/harbour-board",
    "examples/lamen/office-lease.yaml",
    "examples/genius/harbour-expansion",
];

fn path(s: &str) -> String {
    if s.starts_with("examples/") {
        repo(s).display().to_string()
    } else {
        s.to_string()
    }
}

#[test]
fn the_default_brief_is_golden() {
    golden("security-guarantees-brief.md", &out(&["brief"]));
}

/// The words of `text`: runs of letters, digits, `_` and `-`.
fn words(text: &str) -> BTreeSet<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Every id of the scenario that a reader would not recognise as a word of
/// its own label or name (`europe` for "European states", `none` for "No
/// foreign forces"): none may appear in a brief.
fn foreign_ids(scenario: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |id: &str, label: &str| {
        let label = label.to_lowercase();
        if !words(&label).contains(id.to_lowercase().as_str()) {
            out.push(id.to_string());
        }
    };
    check(
        scenario["scenario"]["id"].as_str().unwrap(),
        scenario["scenario"]["title"].as_str().unwrap(),
    );
    for a in scenario["actors"].as_array().unwrap() {
        check(a["id"].as_str().unwrap(), a["name"].as_str().unwrap());
    }
    for i in scenario["issues"].as_array().unwrap() {
        check(i["id"].as_str().unwrap(), i["name"].as_str().unwrap());
        for o in i["options"].as_array().unwrap() {
            check(o["id"].as_str().unwrap(), o["label"].as_str().unwrap());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_brief_uses_labels_and_short_numbers() {
    for s in SCENARIOS {
        let p = path(s);
        let brief = out(&["brief", &p]);
        let analysis = json(&["analyze", &p, "--json", "--critical-budget", "0"]);
        let claims = json(&["claims", &p, "--json"]);
        let said = words(&brief);
        for id in foreign_ids(&analysis) {
            assert!(
                !said.contains(id.as_str()),
                "{s}: the brief uses the id `{id}`:\n{brief}"
            );
        }
        assert!(!brief.contains('='), "{s}: an `id=option` pair:\n{brief}");
        // Sources are cited by title and line, never `id:line`.
        for c in claims["claims"].as_array().unwrap() {
            for q in c["quotes"].as_array().unwrap() {
                let cite = format!("{}:", q["source"].as_str().unwrap());
                assert!(!brief.contains(&cite), "{s}: cites `{cite}`:\n{brief}");
            }
        }
        // No number with more than two decimals.
        let long = brief
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .find(|t| {
                t.split_once('.').is_some_and(|(w, d)| {
                    !w.is_empty() && d.len() > 2 && d.chars().all(|c| c.is_ascii_digit())
                })
            });
        assert_eq!(
            long, None,
            "{s}: a number with more than two decimals:\n{brief}"
        );
        // The bottom line comes first, and the terms define the jargon used.
        let bottom = brief.find("## Bottom line").expect("a bottom line");
        assert!(bottom < brief.find("## What matters").unwrap());
        for term in [
            "Nash bargaining solution",
            "Zone of possible agreement (ZOPA)",
        ] {
            assert!(brief.contains(term), "{s}: {term} is not defined");
        }
    }
}

#[test]
fn every_sentence_cites_claims_that_exist() {
    for s in SCENARIOS {
        let p = path(s);
        let doc = json(&["brief", &p, "--json"]);
        assert_eq!(doc["schema"], "zopa.brief/1");
        let claims = json(&["claims", &p, "--json"]);
        let ids: BTreeSet<&str> = claims["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        for x in doc["sentences"].as_array().unwrap() {
            let cited = x["claims"].as_array().unwrap();
            // Definitions and zopa's own default rule are not claims.
            let own =
                x["section"] == "terms" || x["text"].as_str().unwrap().contains("zopa assumes");
            if !own {
                assert!(!cited.is_empty(), "{s}: a sentence cites nothing: {x}");
            }
            for c in cited {
                assert!(
                    ids.contains(c.as_str().unwrap()),
                    "{s}: unknown claim {c} in {x}"
                );
            }
        }
    }
}

#[test]
fn the_html_brief_is_one_page_written_where_asked() {
    let file = tmp("brief.html");
    let o = zopa(&["brief", "--format", "html", "--out", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("wrote the brief to"));
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h2>Bottom line</h2>"));
    assert!(html.contains("<strong>Is a deal possible?</strong>"));
    assert!(!html.contains("**"), "Markdown left in the page");
}

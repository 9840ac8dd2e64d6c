//! `zopa evidence` end to end: the default article against the default
//! scenario, the documented JSON, candidates that validate, and bad input.

mod common;

use common::{tmp, zopa};

const ARTICLE: &str = "../../scenarios/sources/security-guarantees-article.txt";

fn article() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(ARTICLE)
        .display()
        .to_string()
}

fn ok(args: &[&str]) -> String {
    let o = zopa(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "zopa {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn fails(args: &[&str], code: i32) -> String {
    let o = zopa(args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "zopa {args:?}: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stderr).unwrap()
}

#[test]
fn the_default_article_against_the_default_scenario() {
    let a = article();
    let out = ok(&["evidence", &a, "--scenario", "security-guarantees"]);
    assert!(out.contains("20 attributed statement(s)"), "{out}");
    assert!(
        out.contains("cites this article as source `article`"),
        "{out}"
    );
    assert!(out.contains("he (Peskov)"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "evidence",
        &a,
        "--scenario",
        "security-guarantees",
        "--json",
    ]))
    .unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "article",
            "bytes",
            "coverage",
            "lines",
            "scenario",
            "schema",
            "score",
            "statements"
        ]
    );
    assert_eq!(json["schema"], "zopa.evidence/1");
    // Every span is the article's own bytes at the place it names.
    let text = std::fs::read(&a).unwrap();
    for s in json["statements"].as_array().unwrap() {
        let b = s["location"]["bytes"].as_array().unwrap();
        let (x, y) = (
            b[0].as_u64().unwrap() as usize,
            b[1].as_u64().unwrap() as usize,
        );
        assert_eq!(
            std::str::from_utf8(&text[x..y]).unwrap(),
            s["text"].as_str().unwrap()
        );
    }
}

#[test]
fn gold_scores_are_printed() {
    let a = article();
    let gold = a.replace("article.txt", "statements.toml");
    let out = ok(&[
        "evidence",
        &a,
        "--scenario",
        "security-guarantees",
        "--gold",
        &gold,
    ]);
    assert!(out.contains("precision 0.95, recall 0.95"), "{out}");
}

#[test]
fn candidates_appended_to_a_scenario_validate() {
    let dir = tmp("evidence-candidates");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    let a = article();
    std::fs::copy(&a, dir.join("sources/report.txt")).unwrap();
    // A scenario without the article as a source: the candidates declare it.
    let scenario = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/security-guarantees.toml"),
    )
    .unwrap()
    .replace(
        "sources/security-guarantees-article.txt",
        "sources/report.txt",
    );
    std::fs::write(dir.join("s.toml"), &scenario).unwrap();
    let s = dir.join("s.toml").display().to_string();
    let report = dir.join("sources/report.txt").display().to_string();
    let toml = ok(&["evidence", &report, "--scenario", &s, "--toml"]);
    assert!(toml.contains("[[unmodelled]]"), "{toml}");
    assert!(
        !toml.contains("[[sources]]"),
        "the scenario cites it already: {toml}"
    );
    std::fs::write(dir.join("s.toml"), scenario.clone() + "\n" + &toml).unwrap();
    ok(&["validate", &s]);
    // Without a scenario every statement is a candidate, and the source is declared.
    let all = ok(&["evidence", &report, "--toml"]);
    assert_eq!(all.matches("\n[[unmodelled]]\n").count(), 21, "{all}");
    let all = all.replace(
        &format!("path = \"{report}\""),
        "path = \"sources/report.txt\"",
    );
    let bare = scenario
        .replace("id = \"article\"\n", "id = \"seed\"\n")
        .replace("source = \"article\"", "source = \"seed\"");
    std::fs::write(dir.join("s.toml"), bare + "\n" + &all).unwrap();
    ok(&["validate", &s]);
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let dir = tmp("evidence-bad");
    std::fs::create_dir_all(&dir).unwrap();
    let p = |n: &str| dir.join(n).display().to_string();
    std::fs::write(dir.join("latin1.txt"), b"Peskov said\nno caf\xe9 today").unwrap();
    let e = fails(&["evidence", &p("latin1.txt")], 2);
    assert!(
        e.contains("line 2, column 7") && e.contains("not UTF-8"),
        "{e}"
    );
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    assert!(ok(&["evidence", &p("empty.txt")]).contains("No statement attributed"));
    std::fs::write(
        dir.join("plain.txt"),
        "The weather was fine. Nothing happened.\n",
    )
    .unwrap();
    assert!(ok(&["evidence", &p("plain.txt")]).contains("0 attributed statement(s)"));
    let big = std::fs::File::create(dir.join("big.txt")).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap();
    let e = fails(&["evidence", &p("big.txt")], 2);
    assert!(e.contains("above the limit"), "{e}");
    let e = fails(&["evidence", &p("missing.txt")], 2);
    assert!(e.contains("cannot read"), "{e}");
}

/// `--draft --out`: a scenario drafted from reports validates with no
/// warning, cites the reports relative to itself, attaches or lists every
/// statement, and `zopa analyze` runs on it.
fn drafts_a_scenario_that_analyze_accepts(dir: &std::path::Path, reports: &[String]) {
    std::fs::create_dir_all(dir.join("drafts")).unwrap();
    let out = dir.join("drafts/draft.toml").display().to_string();
    let mut args = vec!["evidence", "--draft", "--out", &out];
    args.extend(reports.iter().map(String::as_str));
    ok(&args);
    let toml = std::fs::read_to_string(&out).unwrap();
    assert!(
        toml.contains("path = \"../"),
        "cited relative to the draft: {toml}"
    );
    let v = ok(&["validate", &out]);
    assert!(v.contains("0 warning(s)"), "{v}");
    let json: serde_json::Value = serde_json::from_str(&ok(&["analyze", &out, "--json"])).unwrap();
    assert_eq!(json["schema"], "zopa.analysis/1", "{json}");
    // Every statement is used: as evidence or as [[unmodelled]].
    let mut args = vec!["evidence", "--draft", "--json"];
    args.extend(reports.iter().map(String::as_str));
    let doc: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(doc["schema"], "zopa.evidence-draft/1");
    let d = &doc["draft"];
    let total = d["attached"].as_u64().unwrap() + d["unmodelled"].as_u64().unwrap();
    assert_eq!(total, doc["statements"].as_u64().unwrap(), "{doc}");
    assert!(d["actors"].as_array().unwrap().len() >= 2, "{doc}");
}

#[test]
fn a_scenario_drafted_from_the_seed_article_validates_and_analyzes() {
    let dir = tmp("evidence-draft-seed");
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::fs::copy(article(), dir.join("reports/seed.txt")).unwrap();
    drafts_a_scenario_that_analyze_accepts(
        &dir,
        &[dir.join("reports/seed.txt").display().to_string()],
    );
}

#[test]
fn a_scenario_drafted_from_held_out_reports_validates_and_analyzes() {
    let Some(reports) = zopa_testkit::external(
        "evidence-reports",
        "zopa evidence --draft on held-out reports",
    ) else {
        return;
    };
    let dir = tmp("evidence-draft-held-out");
    for name in ["g7-amazon-fires_2019", "syria-kurds-damascus-deal_2019"] {
        let one = reports.join(format!("{name}.txt")).display().to_string();
        drafts_a_scenario_that_analyze_accepts(&dir.join(name), &[one]);
    }
    // A negotiation followed over time: two reports in one draft.
    let two: Vec<String> = [
        "eastmed-pipeline_2020",
        "cairo-eastmed-maritime-dispute_2020",
    ]
    .iter()
    .map(|n| reports.join(format!("{n}.txt")).display().to_string())
    .collect();
    drafts_a_scenario_that_analyze_accepts(&dir.join("two"), &two);
}

#[test]
fn draft_with_a_scenario_gives_what_to_append_and_it_validates() {
    let dir = tmp("evidence-update");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    std::fs::copy(root.join("security-guarantees.toml"), dir.join("s.toml")).unwrap();
    std::fs::copy(
        root.join("sources/security-guarantees-article.txt"),
        dir.join("sources/security-guarantees-article.txt"),
    )
    .unwrap();
    // A later report, written for this test.
    std::fs::write(
        dir.join("sources/later.txt"),
        "Talks resume\n\nKremlin spokesman Dmitry Peskov said on Monday that Russia would never \
         accept NATO troops in Ukraine. Ukrainian President Volodymyr Zelenskyy insisted that \
         any guarantee must include an Article 5-like commitment.\n",
    )
    .unwrap();
    let s = dir.join("s.toml").display().to_string();
    let later = dir.join("sources/later.txt").display().to_string();
    let block = ok(&["evidence", &later, "--scenario", &s, "--draft"]);
    assert!(
        block.contains("[[sources]]\nid = \"later\"\npath = \"sources/later.txt\""),
        "{block}"
    );
    let text = std::fs::read_to_string(&s).unwrap();
    std::fs::write(&s, text + &block).unwrap();
    ok(&["validate", &s]);
}

#[test]
fn several_articles_need_draft() {
    let a = article();
    let e = fails(&["evidence", &a, &a], 2);
    assert!(e.contains("--draft"), "{e}");
}

#[test]
fn malformed_annotations_are_refused_with_where() {
    let dir = tmp("evidence-bad-gold");
    std::fs::create_dir_all(&dir).unwrap();
    let g = dir.join("gold.json");
    std::fs::write(&g, "[{\"party\": \"x\"}]").unwrap();
    let e = fails(&["evidence", &article(), "--gold", g.to_str().unwrap()], 2);
    assert!(
        e.contains("not an annotation file") && e.contains("missing field `span` at line 1 column"),
        "{e}"
    );
    std::fs::write(&g, "statements = [\n  { id = \"a\" party = \"x\" },\n]\n").unwrap();
    let e = fails(&["evidence", &article(), "--gold", g.to_str().unwrap()], 2);
    assert!(
        e.contains("as TOML:") && e.contains("at line 2 column"),
        "{e}"
    );
}

//! Malformed and hostile GENIUS / GeniusWeb input: a clear, located error,
//! never a panic. Includes a bounded mutation fuzz of every example domain file.

mod common;

use proptest::prelude::*;
use zopa_interop::genius::{read_domain_str, read_profile_str, GeniusDomain};
use zopa_interop::geniusweb;
use zopa_model::Diagnostics;

const DOMAIN: &str = r#"<negotiation_template>
<utility_space number_of_issues="2">
<objective index="0" etype="objective" type="objective" name="root">
<issue index="1" etype="discrete" type="discrete" vtype="discrete" name="color">
<item index="1" value="red"/>
<item index="2" value="blue"/>
</issue>
<issue index="2" etype="integer" type="integer" vtype="integer" name="qty" lowerbound="1" upperbound="3"/>
</objective>
</utility_space>
</negotiation_template>
"#;

fn domain() -> GeniusDomain {
    read_domain_str(DOMAIN, "d.xml").unwrap()
}

fn profile(body: &str) -> String {
    format!(
        "<utility_space>\n<objective index=\"0\" name=\"root\">\n{body}\n</objective>\n<reservation value=\"0.1\"/>\n</utility_space>\n"
    )
}

const GOOD_ISSUES: &str = r#"<issue index="1" name="color"><item index="1" value="red" evaluation="2"/><item index="2" value="blue" evaluation="1"/></issue>
<issue index="2" name="qty"><evaluator ftype="linear" slope="0.5" offset="0"/></issue>
<weight index="1" value="0.6"/>
<weight index="2" value="0.4"/>"#;

/// Every error, as `line:col: message` lines (all must be located).
fn first(d: &Diagnostics) -> String {
    assert!(d.has_errors());
    d.items
        .iter()
        .filter(|x| x.severity == zopa_model::Severity::Error)
        .map(|e| {
            let p = e.pos.expect("located");
            format!("{}:{}: {}", p.line, p.col, e.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_well_formed_profile_reads() {
    let p = read_profile_str(&profile(GOOD_ISSUES), "p.xml", &domain()).unwrap();
    assert_eq!(p.weights, vec![Some(0.6), Some(0.4)]);
    assert_eq!(p.reservation.as_ref().unwrap().1, 0.1);
}

#[test]
fn malformed_genius_profiles_are_located() {
    let cases: &[(String, &str)] = &[
        (profile(&GOOD_ISSUES.replace("name=\"color\"", "name=\"colour\"")), "3:1: issue \"colour\" is not in the domain"),
        (profile(&GOOD_ISSUES.replace(r#"<item index="2" value="blue" evaluation="1"/>"#, "")), "3:1: issue \"color\" has no evaluation for [\"blue\"]"),
        (profile(&GOOD_ISSUES.replace("evaluation=\"2\"", "evaluation=\"-2\"")), "3:31: evaluation -2 of \"red\" is negative"),
        (profile(&GOOD_ISSUES.replace("evaluation=\"2\"", "evaluation=\"NaN\"")), "3:31: <item> attribute `evaluation` is not a finite number"),
        (profile(&GOOD_ISSUES.replace("value=\"0.6\"", "value=\"-0.6\"")), "5:1: weight -0.6 is negative"),
        (profile(&GOOD_ISSUES.replace("value=\"red\" evaluation", "value=\"green\" evaluation")), "3:31: value \"green\" is not a value of issue \"color\""),
        (profile(&GOOD_ISSUES.replace("ftype=\"linear\"", "ftype=\"faratin\"")), "4:29: evaluator type \"faratin\" of issue \"qty\" is not supported"),
        {
            let full = profile(GOOD_ISSUES);
            (full[..full.find("</objective>").unwrap()].to_string(), "unexpected end of file: <objective>")
        },
        ("<utility_space><objective><weight index=\"1\" value=\"&lol;\"/></objective></utility_space>".into(), "attribute `value` of <weight>"),
        ("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><utility_space>&b;</utility_space>".into(), "not allowed"),
        ("<negotiation_template/>".into(), "root element is <negotiation_template>, expected <utility_space>"),
    ];
    for (text, want) in cases {
        let d = read_profile_str(text, "p.xml", &domain()).expect_err(want);
        assert!(
            first(&d).contains(want),
            "want {want:?}, got {:?}",
            first(&d)
        );
    }
}

#[test]
fn malformed_genius_domains_are_located() {
    let cases: &[(String, &str)] = &[
        (
            DOMAIN.replace("value=\"blue\"", "value=\"red\""),
            "6:1: duplicate value \"red\" in issue \"color\"",
        ),
        (
            DOMAIN.replace("name=\"qty\"", "name=\"color\""),
            "8:1: duplicate issue name \"color\"",
        ),
        (
            DOMAIN.replace("lowerbound=\"1\"", "lowerbound=\"9\""),
            "8:1: issue \"qty\": lowerbound 9 is above upperbound 3",
        ),
        (
            DOMAIN.replace("type=\"integer\" vtype", "type=\"complex\" vtype"),
            "8:1: issue \"qty\" has unknown type \"complex\"",
        ),
        (
            "<utility_space/>".into(),
            "root element is <utility_space>, expected <negotiation_template>",
        ),
        ("".into(), "no root element"),
    ];
    for (text, want) in cases {
        let d = read_domain_str(text, "d.xml").expect_err(want);
        assert!(
            first(&d).contains(want),
            "want {want:?}, got {:?}",
            first(&d)
        );
    }
}

const GW_DOMAIN: &str =
    r#"{"name": "d", "issuesValues": {"a": {"values": ["x", "y"]}, "b": {"values": ["p", "q"]}}}"#;

fn gw_profile(weights: &str, a: &str) -> String {
    format!(
        r#"{{"LinearAdditiveUtilitySpace": {{
  "issueUtilities": {{
    "a": {{"DiscreteValueSetUtilities": {{"valueUtilities": {a}}}}},
    "b": {{"discreteutils": {{"valueUtilities": {{"p": 1.0, "q": 0.0}}}}}}
  }},
  "issueWeights": {weights},
  "name": "p1"
}}}}"#
    )
}

#[test]
fn malformed_geniusweb_files_are_located() {
    let d = geniusweb::read_domain_str(GW_DOMAIN, "d.json").unwrap();
    let ok = gw_profile(r#"{"a": 0.5, "b": 0.5}"#, r#"{"x": 1.0, "y": 0.25}"#);
    let p = geniusweb::read_profile_str(&ok, "p.json", &d).unwrap();
    assert_eq!(p.utility(&[1, 0]), 0.625);
    let cases: &[(String, &str)] = &[
        (
            gw_profile(r#"{"a": 0.5, "b": 0.6}"#, r#"{"x": 1.0, "y": 0.25}"#),
            "6:19: weights sum to 1.1, not 1",
        ),
        (
            gw_profile(r#"{"a": 0.5, "c": 0.5}"#, r#"{"x": 1.0, "y": 0.25}"#),
            "weight for unknown issue \"c\"",
        ),
        (
            gw_profile(r#"{"a": 0.5, "b": 0.5}"#, r#"{"x": 1.0}"#),
            "issue \"a\" has no utility for [\"y\"]",
        ),
        (
            gw_profile(r#"{"a": 0.5, "b": 0.5}"#, r#"{"x": 1.0, "y": 1.5}"#),
            "utility 1.5 of \"y\" is outside [0, 1]",
        ),
        (
            gw_profile(
                r#"{"a": 0.5, "b": 0.5}"#,
                r#"{"x": 1.0, "y": 0.2, "z": 0.1}"#,
            ),
            "\"z\" is not a value of issue \"a\"",
        ),
        (ok[..80].to_string(), "JSON syntax error"),
        (
            "{\"LinearAdditiveUtilitySpace\": 3}".into(),
            "1:32: LinearAdditiveUtilitySpace must be an object",
        ),
    ];
    for (text, want) in cases {
        let e = geniusweb::read_profile_str(text, "p.json", &d).expect_err(want);
        assert!(
            first(&e).contains(want),
            "want {want:?}, got {:?}",
            first(&e)
        );
    }
    let e = geniusweb::read_domain_str(
        r#"{"issuesValues": {"a": {"values": ["x", "x"]}}}"#,
        "d.json",
    )
    .unwrap_err();
    assert!(first(&e).contains("duplicate value \"x\""), "{}", first(&e));
}

/// Every example domain file's text (the project's own GENIUS and
/// GeniusWeb examples), with how to read it.
fn corpus_texts() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for dir in [
        "genius/supplier-contract",
        "genius/harbour-expansion",
        "geniusweb/job-offer",
    ] {
        for f in std::fs::read_dir(common::example(dir))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
        {
            v.push((
                f.display().to_string(),
                std::fs::read_to_string(&f).unwrap(),
            ));
        }
    }
    v.sort();
    v
}

fn read_any(name: &str, text: &str) {
    if name.ends_with(".xml") {
        let dom = read_domain_str(DOMAIN, "d.xml").unwrap();
        let a = read_domain_str(text, name);
        let b = read_profile_str(text, name, &dom);
        for d in [a.err(), b.err()].into_iter().flatten() {
            for item in &d.items {
                assert!(
                    item.pos.is_some() || item.span.is_none(),
                    "{name}: {item:?}"
                );
            }
        }
    } else {
        let dom = geniusweb::read_domain_str(GW_DOMAIN, "d.json").unwrap();
        let _ = geniusweb::read_domain_str(text, name);
        let _ = geniusweb::read_profile_str(text, name, &dom);
    }
}

proptest! {
    // Bounded: a few hundred mutated files per CI run; the seed varies, and
    // failures are persisted in proptest-regressions/.
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_example_files_never_panic(pick in any::<prop::sample::Index>(),
                                        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..6)) {
        let texts = corpus_texts();
        let (name, text) = &texts[pick.index(texts.len())];
        let mut b = text.as_bytes().to_vec();
        for (at, byte, op) in &edits {
            if b.is_empty() { break; }
            let i = at.index(b.len());
            match op {
                0 => b[i] = *byte,
                1 => { b.remove(i); }
                2 => b.insert(i, *byte),
                _ => b.truncate(i),
            }
        }
        let mutated = String::from_utf8_lossy(&b);
        read_any(name, &mutated);
    }
}

/// GeniusWeb utilities of the wrong kind, or given twice, are refused and
/// located (they once read as 0 for every value, or kept the last).
#[test]
fn geniusweb_utilities_of_the_wrong_kind_or_twice_are_refused() {
    let domain = r#"{"name": "d", "issuesValues": {"colour": {"values": ["red", "blue"]}}}"#;
    let d = geniusweb::read_domain_str(domain, "d.json").unwrap();
    let profile = |utils: &str| {
        format!(
            r#"{{"LinearAdditiveUtilitySpace": {{"name": "p", "issueWeights": {{"colour": 1}},
  "domain": {domain},
  "issueUtilities": {{"colour": {utils}}}}}}}"#
        )
    };
    let number = profile(
        r#"{"NumberValueSetUtilities": {"lowValue": 0, "lowUtility": 0, "highValue": 1, "highUtility": 1}}"#,
    );
    let e = geniusweb::read_profile_str(&number, "p.json", &d).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("issue \"colour\" has the value \"red\": use DiscreteValueSetUtilities")
            && text.contains("p.json:3:"),
        "{text}"
    );
    let twice = profile(
        r#"{"DiscreteValueSetUtilities": {"valueUtilities": {"red": 1, "blue": 0, "red": 0.5}}}"#,
    );
    let e = geniusweb::read_profile_str(&twice, "p.json", &d).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("\"red\" of issue \"colour\" has a second utility")
            && text.contains("p.json:3:"),
        "{text}"
    );
}

//! `zopa score`: the text report (golden), its JSON equal to the
//! application layer's document, and usage errors.

mod common;

use common::{golden, zopa};

fn out(args: &[&str]) -> (i32, String, String) {
    let o = zopa(args);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The Nash package passes and is optimal; a package across two red lines
/// is refused, each refusal with its reason.
#[test]
fn the_text_report() {
    let (code, nash, err) = out(&[
        "score",
        "--deal",
        "monitors,arms_aid,backstop,guarantor,europe_led",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, refused, err) = out(&[
        "score",
        "security-guarantees",
        "--deal",
        "presence=european_force,guarantee=political,us_role=none,russia_role=consulted,burden=europe_led",
    ]);
    assert_eq!(code, 0, "{err}");
    golden("score.txt", &format!("{nash}\n{refused}"));
}

#[test]
fn the_json_is_the_application_layers() {
    let deal = "p100,fast";
    let file = common::repo("examples/supplier-contract.toml");
    let (code, json, err) = out(&["score", file.to_str().unwrap(), "--deal", deal, "--json"]);
    assert_eq!(code, 0, "{err}");
    let loaded = zopa_app::input::load(
        &zopa_app::input::resolve(Some(file.to_str().unwrap()), None).unwrap(),
        zopa_model::DEFAULT_LIMIT,
    )
    .unwrap();
    let doc = zopa_app::score::score(
        &loaded.scenario,
        deal,
        zopa_model::DEFAULT_LIMIT,
        zopa_model::limits::MAX_FRONTIER,
        &Default::default(),
    )
    .unwrap();
    let mut want = serde_json::to_string_pretty(&doc).unwrap();
    want.push('\n');
    assert_eq!(json, want);
}

#[test]
fn a_wrong_deal_is_a_usage_error_naming_the_options() {
    let (code, _, err) = out(&[
        "score",
        "--deal",
        "monitors,arms_aid,backstop,guarantor,nobody",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "issue `burden` has no option `nobody` (its options: us_led, shared, europe_led)"
        ),
        "{err}"
    );
}

//! The CLI on third-party files: `zopa analyze` on GENIUS and GeniusWeb
//! folders, `zopa convert` between every format, exit codes for bad input.

mod common;

use common::{repo, tmp, zopa};

use std::process::Output;

/// A frontier as a canonical set: package index -> sorted (actor, utility)
/// pairs (GeniusWeb folders list parties in file-name order, so the actor
/// order, and the order of near-equal totals, may change).
fn canonical(frontier: &serde_json::Value) -> Vec<(u64, Vec<(String, String)>)> {
    let mut v: Vec<(u64, Vec<(String, String)>)> = frontier["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut u: Vec<(String, String)> = p["utilities"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, x)| (k.clone(), format!("{:.12}", x.as_f64().unwrap())))
                .collect();
            u.sort();
            (p["index"].as_u64().unwrap(), u)
        })
        .collect();
    v.sort();
    v
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn analyze_reads_a_genius_folder_with_genius_semantics() {
    let dir = repo("examples/genius/supplier-contract");
    let v = json(&zopa(&[
        "analyze",
        "--json",
        "--top",
        "0",
        dir.to_str().unwrap(),
    ]));
    assert_eq!(v["actors"].as_array().unwrap().len(), 2);
    assert_eq!(v["space"]["size"], 18);
    // GENIUS semantics: utilities in [0, 1], each party's best package is
    // worth 1 (the evaluations are divided by the largest).
    for actor in ["supplier-contract_buyer", "supplier-contract_seller"] {
        let best = v["space_frontier"]["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["utilities"][actor].as_f64().unwrap())
            .fold(f64::NEG_INFINITY, f64::max);
        assert!((best - 1.0).abs() < 1e-12, "{actor}: {best}");
    }
    let err = String::from_utf8(zopa(&["analyze", dir.to_str().unwrap()]).stderr).unwrap();
    assert!(
        err.contains("discount_factor 0.95 is not represented"),
        "{err}"
    );
}

#[test]
fn analyze_reads_a_geniusweb_folder() {
    let dir = repo("examples/geniusweb/job-offer");
    let v = json(&zopa(&["analyze", "--json", dir.to_str().unwrap()]));
    assert_eq!(v["space"]["size"], 5 * 3 * 3 * 3);
    // The candidate's reservation bid (45000, office, January, none):
    // 0.4 × 0.25 + 0.1 × 0.5.
    let r = v["actors"][0]["reservation"].as_f64().unwrap();
    assert!(
        (r - 0.15).abs() < 1e-9,
        "reservation = utility of the reservation bid: {r}"
    );
}

#[test]
fn convert_between_all_formats_keeps_the_analysis() {
    let base = json(&zopa(&["analyze", "--json", "--top", "0"]));
    // zopa -> GeniusWeb keeps every utility (GeniusWeb values are not rescaled).
    let w = tmp("cli-gw");
    let o = zopa(&[
        "convert",
        "security-guarantees",
        w.to_str().unwrap(),
        "--to",
        "geniusweb",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("red line(s) are not expressible in GeniusWeb JSON"),
        "{err}"
    );
    let gw = json(&zopa(&[
        "analyze",
        "--json",
        "--top",
        "0",
        w.to_str().unwrap(),
    ]));
    assert_eq!(
        canonical(&gw["space_frontier"]),
        canonical(&base["space_frontier"])
    );
    // GeniusWeb -> TOML -> GeniusWeb is lossless.
    let t = tmp("cli-back.toml");
    let o = zopa(&["convert", w.to_str().unwrap(), t.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let back = json(&zopa(&[
        "analyze",
        "--json",
        "--top",
        "0",
        t.to_str().unwrap(),
    ]));
    assert_eq!(
        canonical(&back["space_frontier"]),
        canonical(&gw["space_frontier"])
    );
    assert_eq!(
        canonical(&back["agreement_frontier"]),
        canonical(&gw["agreement_frontier"])
    );
    // zopa -> GENIUS warns about everything GENIUS cannot hold, including the
    // rescaling GENIUS applies to issues whose best value is below 1.
    let g = tmp("cli-genius");
    let o = zopa(&[
        "convert",
        t.to_str().unwrap(),
        g.to_str().unwrap(),
        "--to",
        "genius",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("GENIUS divides evaluations by the issue maximum"),
        "{err}"
    );
    let gen = json(&zopa(&["analyze", "--json", g.to_str().unwrap()]));
    assert_eq!(gen["space"]["size"], base["space"]["size"]);
}

#[test]
fn convert_needs_a_format_for_folders() {
    let o = zopa(&[
        "convert",
        "security-guarantees",
        tmp("cli-noformat").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--to genius / geniusweb"));
}

#[test]
fn malformed_genius_folder_exits_1_with_position() {
    let d = tmp("cli-bad-genius");
    std::fs::create_dir_all(&d).unwrap();
    let src = repo("examples/genius/supplier-contract");
    for f in [
        "supplier-contract_domain.xml",
        "supplier-contract_buyer.xml",
    ] {
        std::fs::copy(src.join(f), d.join(f)).unwrap();
    }
    let seller = std::fs::read_to_string(src.join("supplier-contract_seller.xml"))
        .unwrap()
        .replacen("evaluation=\"", "evaluation=\"-", 1);
    std::fs::write(d.join("supplier-contract_seller.xml"), seller).unwrap();
    for cmd in ["analyze", "reference"] {
        let o = zopa(&[cmd, d.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        let e = String::from_utf8(o.stderr).unwrap();
        assert!(
            e.contains("supplier-contract_seller.xml:") && e.contains("is negative"),
            "{cmd}: {e}"
        );
    }
}

#[test]
fn reference_refuses_a_non_domain_folder() {
    let o = zopa(&[
        "reference",
        repo("examples/geniusweb/job-offer").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("has no GENIUS domain file"));
}

/// A built-in exported to TOML or JSON brings its cited sources along, so the
/// exported file validates again on its own; re-exporting over them is a no-op
/// and a different file already in a source's place is left alone, with a warning.
#[test]
fn a_builtin_exports_to_files_that_validate_again() {
    for ext in ["toml", "json"] {
        let dir = tmp(&format!("export-builtin-{ext}"));
        let out = dir.join(format!("sg.{ext}"));
        let out = out.to_str().unwrap();
        let o = zopa(&["convert", "security-guarantees", out]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(dir
            .join("sources/security-guarantees-article.txt")
            .is_file());
        let v = zopa(&["validate", out]);
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        let analysis = |s: &str| {
            let mut d = json(&zopa(&["analyze", s, "--json"]));
            d["scenario"]["origin"] = serde_json::Value::Null;
            d
        };
        assert_eq!(analysis(out), analysis("security-guarantees"));
        let again = zopa(&["convert", "security-guarantees", out]);
        assert!(again.status.success());
        assert!(!String::from_utf8_lossy(&again.stderr).contains("warning"));
    }
    let dir = tmp("export-builtin-clash");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::write(dir.join("sources/security-guarantees-article.txt"), "other").unwrap();
    let o = zopa(&[
        "convert",
        "security-guarantees",
        dir.join("sg.toml").to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("exists with other content"));
    assert_eq!(
        std::fs::read_to_string(dir.join("sources/security-guarantees-article.txt")).unwrap(),
        "other"
    );
}

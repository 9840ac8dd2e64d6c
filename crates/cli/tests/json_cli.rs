//! Every command's `--json` document parses and has exactly the top-level
//! keys documented in docs/json-report.md; failures print the error object.

mod common;

use common::{tmp, zopa};
use serde_json::Value;

fn repo(rel: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
        .display()
        .to_string()
}

/// Run, expect `code`, parse stdout as one JSON document.
fn json_of(args: &[&str], code: i32) -> Value {
    let o = zopa(args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "zopa {args:?}\nstderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "zopa {args:?} printed no single JSON document ({e}):\n{}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn assert_keys(doc: &Value, schema: &str, keys: &[&str]) {
    assert_eq!(doc["schema"], schema, "{doc:#}");
    let mut have: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut want: Vec<&str> = keys.iter().copied().chain(["schema"]).collect();
    have.sort_unstable();
    want.sort_unstable();
    assert_eq!(have, want, "{schema}: keys differ from docs/json-report.md");
}

const DIAGNOSTIC_KEYS: [&str; 6] = ["file", "line", "column", "severity", "path", "message"];

fn assert_diagnostic(d: &Value) {
    let mut have: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    have.sort_unstable();
    let mut want = DIAGNOSTIC_KEYS.to_vec();
    want.sort_unstable();
    assert_eq!(have, want, "{d}");
}

/// `--robustness N --seed S`: the documented shape, and the same bytes for
/// the same seed whatever the thread count.
#[test]
fn robustness() {
    let run = |threads: &str, seed: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(["analyze", "--robustness", "300", "--seed", seed, "--json"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let one = run("1", "5");
    assert_eq!(
        one,
        run("2", "5"),
        "same seed, same bytes on 1 and 2 threads"
    );
    assert_ne!(one, run("2", "6"));
    let d: Value = serde_json::from_slice(&one).unwrap();
    let r = &d["robustness"];
    let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "bands",
            "conclusions",
            "nash",
            "packages",
            "perturbed",
            "runs",
            "seed",
            "zopa_nonempty",
            "zopa_size"
        ]
    );
    assert_eq!(r["runs"], 300);
    // Shares are shares of the runs; the Nash packages' shares sum to the
    // share of runs with a non-empty ZOPA.
    let total: f64 = r["nash"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["share"].as_f64().unwrap())
        .sum();
    assert!((total - r["zopa_nonempty"].as_f64().unwrap()).abs() < 1e-9);
    let c = &r["conclusions"][0];
    assert_eq!(c["text"], "The ZOPA is not empty");
    assert_eq!(c["holds"], c["share"].as_f64().unwrap() >= 0.9);
    let o = zopa(&["analyze", "--seed", "3"]);
    assert_eq!(o.status.code(), Some(2), "--seed needs --robustness");
}

#[test]
fn claims() {
    let d = json_of(&["claims", "--json"], 0);
    assert_keys(
        &d,
        "zopa.claims/1",
        &[
            "origin",
            "scenario",
            "analyst",
            "counts",
            "claims",
            "analyst_options",
            "unmodelled",
        ],
    );
    let claims = d["claims"].as_array().unwrap();
    assert_eq!(claims.len() as u64, d["counts"]["claims"].as_u64().unwrap());
    // Claim ids are unique: reports cite claims by them.
    let mut ids: Vec<&str> = claims.iter().map(|c| c["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), claims.len(), "claim ids repeat");
    // The default scenario's grades: two direct quotes, one inferred reading.
    let counts = &d["counts"];
    assert_eq!(
        (&counts["direct"], &counts["reported"], &counts["inferred"]),
        (&Value::from(2), &Value::from(13), &Value::from(1)),
        "{counts}"
    );
    for c in claims {
        let mut keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "actor", "author", "basis", "claim", "context", "grade", "id", "issue", "kind",
                "note", "option", "quotes"
            ]
        );
        // Quoted claims name their quotes and have a grade; assumed ones
        // have neither.
        assert_eq!(
            c["basis"] == "quoted",
            !c["quotes"].as_array().unwrap().is_empty(),
            "{c}"
        );
        assert_eq!(c["basis"] == "quoted", !c["grade"].is_null(), "{c}");
    }
    let only = json_of(&["claims", "--json", "--assumed", "--actor", "us"], 0);
    let rows = only["claims"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|c| c["actor"] == "us" && c["basis"] == "assumed"));
    let err = json_of(&["claims", "--json", "--actor", "nobody"], 2);
    assert!(
        err["error"].as_str().unwrap().contains("no actor `nobody`"),
        "{err}"
    );
}

#[test]
fn analyze() {
    let d = json_of(&["analyze", "--json"], 0);
    assert_keys(
        &d,
        "zopa.analysis/1",
        &[
            "summary",
            "joint_blocking",
            "scenario",
            "actors",
            "issues",
            "evidence",
            "space",
            "decision",
            "agreement_frontier",
            "space_frontier",
            "ideal",
            "solutions",
            "status_quo",
            "blocking",
            "combination_blocking",
            "stated_demands",
            "unblocking",
            "opening",
            "robustness",
            "critical",
            "comparison",
        ],
    );
    assert_eq!(d["robustness"], Value::Null, "only with --robustness N");
    // The stated demands the critical search makes red lines, listed for a
    // what-if: Russia's quoted best on its own role, Ukraine's on the
    // guarantee.
    let demands = d["stated_demands"].as_array().unwrap();
    let has = |actor: &str, issue: &str, option: &str| {
        demands.iter().any(|x| {
            x["actor"] == actor
                && x["issue"] == issue
                && x["option"] == option
                && x["kind"] == "insist"
        })
    };
    assert!(has("russia", "russia_role", "guarantor"), "{demands:?}");
    assert!(has("ukraine", "guarantee", "article5"), "{demands:?}");
    // What the conclusions depend on: agreement survives every single
    // change and falls to two pairs of stated demands made red lines.
    let c = &d["critical"];
    assert_eq!(c["complete_through"], 2, "{c:#}");
    let agreement = &c["conclusions"][0];
    assert_eq!(agreement["conclusion"], "agreement");
    assert_eq!(agreement["found"], 2);
    for r in agreement["reversed_by"].as_array().unwrap() {
        assert_eq!(r["agreement"], 0);
        let kinds: Vec<&str> = r["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["insist", "insist"], "{r:#}");
    }
    assert!(agreement["unless"]
        .as_str()
        .unwrap()
        .starts_with("This conclusion holds unless"));
    assert_eq!(c["conclusions"][1]["conclusion"], "nash");
    let off = json_of(&["analyze", "--critical-budget", "0", "--json"], 0);
    assert_eq!(
        off["critical"],
        Value::Null,
        "--critical-budget 0 turns it off"
    );
    // The summary opens with whether the parties can agree; the joint study
    // finds the pair of assumed red lines that moves the Nash package.
    assert_eq!(d["summary"][0]["topic"], "agreement");
    let pairs = d["joint_blocking"]["pairs"].as_array().unwrap();
    assert!(pairs
        .iter()
        .any(|p| p["nash_if_dropped"]["options"]["russia_role"] == "guarantor"));
    // The default scenario's status quo, with its utilities, is acceptable to all.
    assert_eq!(d["status_quo"]["package"]["options"]["us_role"], "mediator");
    assert_eq!(d["status_quo"]["in_agreement_space"], true);
    assert_eq!(d["status_quo"]["refused_by"], serde_json::json!([]));
}

#[test]
fn scenarios_and_docs() {
    let d = json_of(&["scenarios", "--json"], 0);
    assert_keys(&d, "zopa.scenarios/1", &["default", "scenarios"]);
    assert_eq!(d["scenarios"][0]["name"], d["default"]);
    let d = json_of(&["docs", "--json"], 0);
    assert_keys(&d, "zopa.docs/1", &["documents"]);
    assert!(d["documents"].as_array().unwrap().len() >= 5);
    let d = json_of(&["--json", "docs", "scenario-format"], 0);
    assert_keys(&d, "zopa.docs/1", &["name", "markdown"]);
    assert!(d["markdown"]
        .as_str()
        .unwrap()
        .starts_with("# The zopa scenario format"));
}

#[test]
fn validate_valid_and_invalid() {
    let d = json_of(
        &[
            "validate",
            &repo("examples/supplier-contract.toml"),
            "--json",
        ],
        0,
    );
    assert_keys(
        &d,
        "zopa.validation/1",
        &[
            "origin",
            "valid",
            "actors",
            "issues",
            "claims",
            "assumptions",
            "analyst_options",
            "evidence_quotes",
            "warnings",
        ],
    );
    assert_eq!(d["valid"], true);
    assert_eq!(d["warnings"].as_array().unwrap().len(), 1);
    assert_diagnostic(&d["warnings"][0]);
    assert_eq!(d["warnings"][0]["line"], 87);

    let bad = repo("crates/cli/tests/bad/nan-weight.toml");
    let e = json_of(&["validate", &bad, "--json"], 1);
    assert_keys(&e, "zopa.error/1", &["error", "exit_code", "diagnostics"]);
    assert_eq!(e["exit_code"], 1);
    let errors: Vec<&Value> = e["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(!errors.is_empty());
    for d in &errors {
        assert_diagnostic(d);
    }
    assert_eq!(
        (&errors[0]["line"], &errors[0]["column"]),
        (&43.into(), &22.into())
    );
    assert_eq!(errors[0]["file"], bad.as_str());
}

#[test]
fn failures_print_one_error_object() {
    for (args, code) in [
        (vec!["analyze", "no/such.toml", "--json"], 2),
        (vec!["analyze", "--bogus", "--json"], 2),
        (vec!["analyze", "--limit", "10", "--json"], 2),
        (vec!["reference", "/no/such/folder", "--json"], 2),
        (vec!["report", "/no/such.sqlite", "--json"], 2),
    ] {
        let e = json_of(&args, code);
        assert_keys(&e, "zopa.error/1", &["error", "exit_code", "diagnostics"]);
        assert_eq!(e["exit_code"], code);
        assert!(!e["error"].as_str().unwrap().is_empty());
    }
    let o = zopa(&["reference", "/no/such/folder"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.matches("No such file or directory").count(),
        1,
        "the OS error is printed once: {err}"
    );
}

#[test]
fn ktab_csv_errors_are_located() {
    let dir = tmp("bad-ktab");
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.csv");
    std::fs::write(&f, "name,desc,2,1\nActor,Desc,Cap,D1,S1\nA,a,x,50,50\n").unwrap();
    let e = json_of(
        &["forecast", "--ktab-csv", f.to_str().unwrap(), "--json"],
        1,
    );
    assert_diagnostic(&e["diagnostics"][0]);
    assert_eq!(e["diagnostics"][0]["line"], 3);
}

#[test]
fn convert_lists_what_it_wrote() {
    let out = tmp("convert-json").join("sg.toml");
    let d = json_of(
        &[
            "convert",
            "security-guarantees",
            out.to_str().unwrap(),
            "--json",
        ],
        0,
    );
    assert_keys(
        &d,
        "zopa.conversion/1",
        &["input", "output", "format", "written", "warnings"],
    );
    assert_eq!(d["format"], "toml");
    let written = d["written"].as_array().unwrap();
    assert_eq!(written.len(), 2, "the scenario and its source: {d:#}");
    for w in written {
        assert!(std::path::Path::new(w.as_str().unwrap()).is_file());
    }

    let folder = tmp("convert-json-genius");
    let d = json_of(
        &[
            "convert",
            &repo("examples/supplier-contract.toml"),
            folder.to_str().unwrap(),
            "--to",
            "genius",
            "--json",
        ],
        0,
    );
    assert_eq!(d["format"], "genius");
    assert_eq!(
        d["written"].as_array().unwrap().len(),
        3,
        "domain + 2 profiles"
    );
    assert!(!d["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn forecast_simulate() {
    let d = json_of(&["forecast", "--runs", "20", "--json"], 0);
    assert_keys(
        &d,
        "zopa.forecast/1",
        &[
            "scenario",
            "forecasts",
            "agreement",
            "status_quo",
            "ignored",
            "sensitivity",
        ],
    );
    // The default scenario declares its status quo; Nash bargains against it.
    let sq = d["status_quo"].as_array().unwrap();
    assert!(sq.iter().all(|x| x["declared"] == true));
    assert_eq!(sq[1]["option"], "arms_aid");
    let model = &d["forecasts"][0];
    for key in [
        "model",
        "name",
        "issues",
        "rounds",
        "converged",
        "trajectory",
    ] {
        assert!(model.get(key).is_some(), "forecasts[0] lacks {key}");
    }
    for key in ["issue", "position", "nearest", "rejected_by"] {
        assert!(
            model["issues"][0].get(key).is_some(),
            "issues[0] lacks {key}"
        );
    }
    let d = json_of(
        &[
            "forecast",
            "--ktab-csv",
            &repo("examples/ktab/water-council.csv"),
            "--json",
        ],
        0,
    );
    assert_keys(
        &d,
        "zopa.smp/1",
        &["scenario", "dims", "actors", "turns", "change_ratios"],
    );
    let d = json_of(&["simulate", "--json"], 0);
    assert_keys(
        &d,
        "zopa.simulation/1",
        &[
            "protocol",
            "deadline",
            "seed",
            "strategies",
            "rounds",
            "discount",
            "discounted_utilities",
            "agreement",
            "distance_to_pareto",
            "distance_to_nash",
            "no_agreement",
        ],
    );
    assert_eq!(d["no_agreement"], Value::Null, "Boulware parties agree");
    // A hard-line Russia keeps offering its ideal package until the deadline;
    // it crosses Ukraine's red line on political assurances, and falls below
    // Europe's reservation (no red line of Europe's is crossed).
    let d = json_of(
        &[
            "simulate",
            "--strategy",
            "russia=hardliner",
            "--deadline",
            "30",
            "--json",
        ],
        0,
    );
    let why = &d["no_agreement"];
    assert_eq!(why["cause"], "deadline");
    assert_eq!(why["left"], Value::Null);
    let offers = why["last_offers"].as_array().unwrap();
    assert_eq!(offers.len(), 4);
    assert_eq!(offers[0]["party"], "russia");
    let refused = offers[0]["refused_by"].as_array().unwrap();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert_eq!(refused[0]["actor"], "ukraine");
    assert_eq!(refused[0]["red_line"]["option"], "political");
    assert_eq!(refused[1]["actor"], "europe");
    assert!(refused[1]["utility"].as_f64().unwrap() < refused[1]["reservation"].as_f64().unwrap());
}

#[test]
fn tournament_plan_run_and_report() {
    let dir = tmp("json-tournament");
    std::fs::create_dir_all(&dir).unwrap();
    let laptop = common::repo("examples/genius/supplier-contract");
    let file = dir.join("t.toml");
    std::fs::write(
        &file,
        format!(
            "name = \"json\"\nseed = 1\nrepetitions = 1\nprotocol = \"saop\"\ndeadline = 50\nrotate_roles = false\ndomains = [{:?}]\nstrategies = [\"boulware\", \"hardliner\"]\n",
            laptop.display().to_string()
        ),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let d = json_of(&["tournament", f, "--dry-run", "--json"], 0);
    assert_keys(
        &d,
        "zopa.tournament-plan/1",
        &["name", "planned", "domains"],
    );
    let planned = d["planned"].as_u64().unwrap();
    assert!(planned > 0);

    let db = dir.join("r.sqlite");
    let db = db.to_str().unwrap();
    let d = json_of(&["tournament", f, "--db", db, "--json"], 0);
    assert_keys(
        &d,
        "zopa.tournament-run/1",
        &[
            "name",
            "planned",
            "skipped",
            "completed",
            "elapsed_s",
            "database",
        ],
    );
    assert_eq!(
        (d["planned"].as_u64(), d["completed"].as_u64()),
        (Some(planned), Some(planned))
    );
    let again = json_of(&["tournament", f, "--db", db, "--json"], 0);
    assert_eq!(
        (again["skipped"].as_u64(), again["completed"].as_u64()),
        (Some(planned), Some(0))
    );

    let d = json_of(&["report", db, "--json"], 0);
    assert_keys(
        &d,
        "zopa.tournament-report/1",
        &[
            "name",
            "negotiations_planned",
            "negotiations_completed",
            "strategies",
            "statistics",
        ],
    );
}

/// Every built-in runs through every command that reads a scenario; the
/// commission's rule lets a package pass over a refusal, so its ZOPA holds
/// more than the unanimous packages and only the dam's state has a veto.
#[test]
fn every_builtin_runs_through_every_command() {
    let d = json_of(&["scenarios", "--json"], 0);
    let names: Vec<String> = d["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.len() >= 3, "{names:?}");
    for name in &names {
        let a = json_of(&["analyze", name, "--json", "--critical-budget", "0"], 0);
        assert!(a["space"]["agreement"].as_u64().unwrap() > 0, "{name}");
        for cmd in [
            &["claims", name.as_str(), "--json"][..],
            &["brief", name.as_str(), "--json"],
            &["forecast", name.as_str(), "--json", "--runs", "20"],
            &["simulate", name.as_str(), "--json"],
            &["validate", name.as_str(), "--json"],
        ] {
            json_of(cmd, 0);
        }
    }
    let c = json_of(
        &[
            "analyze",
            "basin-commission",
            "--json",
            "--critical-budget",
            "0",
        ],
        0,
    );
    assert_eq!(c["decision"]["vetoes"], serde_json::json!(["norvalia"]));
    assert_eq!(c["decision"]["quoted"], true);
    let (zopa, all) = (&c["space"]["agreement"], &c["space"]["unanimous"]);
    assert!(zopa.as_u64() > all.as_u64(), "{zopa} {all}");
}

/// A robustness study run in shards and merged gives the unsharded
/// analysis document byte for byte; a missing shard is named.
#[test]
fn a_sharded_robustness_study_merges_to_the_same_document() {
    let dir = tmp("robustness-shards");
    let d = dir.to_str().unwrap();
    for k in ["1/3", "2/3", "3/3"] {
        let o = zopa(&[
            "analyze",
            "--robustness",
            "150",
            "--seed",
            "9",
            "--shard",
            k,
            "--out",
            d,
        ]);
        assert!(o.status.success(), "{o:?}");
    }
    let whole = zopa(&["analyze", "--robustness", "150", "--seed", "9", "--json"]);
    let merged = zopa(&[
        "analyze",
        "--robustness",
        "150",
        "--seed",
        "9",
        "--robustness-from",
        d,
        "--json",
    ]);
    assert!(
        whole.status.success() && merged.status.success(),
        "{merged:?}"
    );
    assert_eq!(whole.stdout, merged.stdout);
    std::fs::remove_file(dir.join("robustness-2-of-3.json")).unwrap();
    let o = zopa(&[
        "analyze",
        "--robustness",
        "150",
        "--seed",
        "9",
        "--robustness-from",
        d,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("missing robustness shards 2/3"),
        "{o:?}"
    );
}

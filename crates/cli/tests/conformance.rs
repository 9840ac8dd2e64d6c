//! Conformance with NegMAS 0.16 on the whole ANAC corpus (external data:
//! `$ZOPA_EXTERNAL_DATA/corpus/genius`, see `zopa-testkit`): `zopa reference`
//! for every domain must agree with the `reference.json` NegMAS produced. Issues, values and counts exactly;
//! utilities, ranges and disagreement points to 1e-9; the frontier and the
//! Nash / Kalai / Kalai–Smorodinsky / max-welfare points as the same sets of
//! utility vectors, ties included. A failure names the domain and the field.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const TOL: f64 = 1e-9;

fn close(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= TOL * 1f64.max(x.abs()).max(y.abs()),
        _ => a == b,
    }
}

fn close_all(a: &Value, b: &Value) -> bool {
    match (a.as_array(), b.as_array()) {
        (Some(x), Some(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| close_all(p, q)),
        _ => close(a, b),
    }
}

/// The utility vectors of a list of points.
fn vectors(points: &Value) -> Vec<Vec<f64>> {
    points
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    p["utilities"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|u| u.as_f64().unwrap())
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Same set of vectors (each matched within the tolerance, both ways).
fn same_vectors(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    let near = |u: &Vec<f64>, v: &Vec<f64>| {
        u.len() == v.len()
            && u.iter()
                .zip(v)
                .all(|(x, y)| (x - y).abs() <= TOL * 1f64.max(x.abs()).max(y.abs()))
    };
    a.len() == b.len()
        && a.iter().all(|u| b.iter().any(|v| near(u, v)))
        && b.iter().all(|v| a.iter().any(|u| near(u, v)))
}

fn compare(domain: &str, r: &Value, z: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let mut check = |ok: bool, field: &str, a: &Value, b: &Value| {
        if !ok {
            let s = |v: &Value| {
                let t = v.to_string();
                if t.len() > 200 {
                    format!("{}…", &t[..200])
                } else {
                    t
                }
            };
            errs.push(format!(
                "{domain}: {field}: NegMAS {} vs zopa {}",
                s(a),
                s(b)
            ));
        }
    };
    for k in [
        "domain_file",
        "n_parties",
        "dummy_issues_removed",
        "n_outcomes",
    ] {
        check(r[k] == z[k], k, &r[k], &z[k]);
    }
    let issues = |v: &Value| -> Vec<Value> {
        v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| serde_json::json!([i["name"], i["negmas_type"], i["n_values"], i["values"]]))
            .collect()
    };
    check(issues(r) == issues(z), "issues", &r["issues"], &z["issues"]);
    let (rp, zp) = (
        r["profiles"].as_array().unwrap(),
        z["profiles"].as_array().unwrap(),
    );
    check(
        rp.len() == zp.len(),
        "profiles",
        &r["profiles"],
        &z["profiles"],
    );
    for (i, (a, b)) in rp.iter().zip(zp).enumerate() {
        for k in [
            "file",
            "negmas_ufun_type",
            "reservation_in_file",
            "discount_factor_in_file",
        ] {
            check(a[k] == b[k], &format!("profiles[{i}].{k}"), &a[k], &b[k]);
        }
        for k in [
            "negmas_reserved_value",
            "negmas_discount_factor",
            "negmas_weights",
            "negmas_max_value_per_issue",
            "negmas_min_utility",
            "negmas_max_utility",
        ] {
            if !a[k].is_null() {
                check(
                    close_all(&a[k], &b[k]),
                    &format!("profiles[{i}].{k}"),
                    &a[k],
                    &b[k],
                );
            }
        }
    }
    let (rs, zs) = (
        r["samples"].as_array().unwrap(),
        z["samples"].as_array().unwrap(),
    );
    check(
        rs.len() == zs.len(),
        "samples",
        &r["samples"],
        &z["samples"],
    );
    for (i, (a, b)) in rs.iter().zip(zs).enumerate() {
        check(
            a["outcome_index"] == b["outcome_index"],
            &format!("samples[{i}].outcome_index"),
            &a["outcome_index"],
            &b["outcome_index"],
        );
        check(
            a["outcome"] == b["outcome"],
            &format!("samples[{i}].outcome"),
            &a["outcome"],
            &b["outcome"],
        );
        check(
            close_all(&a["utilities"], &b["utilities"]),
            &format!("samples[{i}].utilities"),
            &a["utilities"],
            &b["utilities"],
        );
    }
    let (rf, zf) = (&r["frontier"], &z["frontier"]);
    check(
        rf["size"] == zf["size"],
        "frontier.size",
        &rf["size"],
        &zf["size"],
    );
    let ties = "n_outcomes_with_a_frontier_utility_vector";
    if !rf[ties].is_null() {
        check(
            rf[ties] == zf[ties],
            &format!("frontier.{ties}"),
            &rf[ties],
            &zf[ties],
        );
    }
    if !rf["points"].is_null() {
        check(
            same_vectors(&vectors(&rf["points"]), &vectors(&zf["points"])),
            "frontier.points (utility vectors)",
            &rf["points"],
            &zf["points"],
        );
    }
    check(
        close_all(&r["ranges"], &z["ranges"]),
        "ranges",
        &r["ranges"],
        &z["ranges"],
    );
    check(
        close_all(&r["disagreement_point"], &z["disagreement_point"]),
        "disagreement_point",
        &r["disagreement_point"],
        &z["disagreement_point"],
    );
    for k in [
        "nash_points",
        "kalai_points",
        "ks_points",
        "max_welfare_points",
    ] {
        check(
            same_vectors(&vectors(&r[k]), &vectors(&z[k])),
            &format!("{k} (utility vectors)"),
            &r[k],
            &z[k],
        );
    }
    errs
}

#[test]
fn zopa_reference_agrees_with_negmas_on_the_whole_corpus() {
    let Some(corpus) = zopa_testkit::external(
        "corpus/genius",
        "`zopa reference` against NegMAS 0.16's reference values on the 47 ANAC domains",
    ) else {
        return;
    };
    let domains: Vec<PathBuf> = zopa_testkit::folders(&corpus)
        .into_iter()
        .filter(|p| p.join("reference.json").is_file())
        .collect();
    assert!(
        domains.len() >= 47,
        "expected the 47 corpus domains, found {}",
        domains.len()
    );
    let mut errors = Vec::new();
    for d in &domains {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        let reference: Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("reference.json")).unwrap())
                .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_zopa"))
            .arg("reference")
            .arg(d)
            .output()
            .unwrap();
        if !out.status.success() {
            errors.push(format!(
                "{name}: zopa reference failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
        errors.extend(compare(&name, &reference, &ours));
    }
    assert!(
        errors.is_empty(),
        "{} disagreement(s):\n{}",
        errors.len(),
        errors.join("\n")
    );
    zopa_testkit::say(&format!(
        "`zopa reference` equals NegMAS 0.16's reference values on {} GENIUS domains",
        domains.len()
    ));
}

//! Hostile inputs (docs/limits.md): each is generated here, run against the
//! built binary under a virtual-memory ceiling, and must end with the
//! documented refusal or a bounded result — never an abort, a hang or an
//! exhausted machine.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Virtual-memory ceiling for every run, in KiB (`ulimit -v`). Virtual size
/// counts reserved thread stacks and allocator arenas, so it sits above the
/// resident sizes measured by bench/hostile.sh.
const CEILING_KIB: u64 = 400 * 1024;

/// Run `zopa ARGS` in `dir` under the ceiling, with a hang guard.
fn zopa_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let bin = env!("CARGO_BIN_EXE_zopa");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "ulimit -v {CEILING_KIB}; exec timeout 120 '{bin}' {}",
        quoted.join(" ")
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .output()
        .expect("run sh");
    let code = o.status.code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&o.stderr).into_owned())
}

fn expect(dir: &Path, args: &[&str], code: i32, needle: &str) {
    let (c, err) = zopa_in(dir, args);
    assert_ne!(c, 124, "zopa {args:?} hung (killed after 120 s)");
    assert_eq!(c, code, "zopa {args:?}: exit {c}\n{err}");
    assert!(
        err.contains(needle),
        "zopa {args:?}: expected `{needle}` in:\n{err}"
    );
}

fn workdir(name: &str) -> PathBuf {
    let d = common::tmp(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A GeniusWeb folder: a domain with the given issues (JSON value sets) and
/// two profiles valuing every discrete value 0.5 and every range linearly.
fn geniusweb(dir: &Path, issues: &[(String, serde_json::Value)]) {
    let domain = serde_json::json!({
        "name": "d",
        "issuesValues": issues.iter().cloned().collect::<serde_json::Map<_, _>>(),
    });
    write(&dir.join("domain.json"), &domain.to_string());
    let n = issues.len() as f64;
    for p in ["p1", "p2"] {
        let utils: serde_json::Map<_, _> = issues
            .iter()
            .map(|(k, set)| {
                let u = match set.get("range") {
                    Some(r) => serde_json::json!({"NumberValueSetUtilities": {
                        "lowValue": r["low"], "lowUtility": 0, "highValue": r["high"], "highUtility": 1}}),
                    None => {
                        let vals: serde_json::Map<_, _> = set["values"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| (v.as_str().unwrap().to_string(), serde_json::json!(0.5)))
                            .collect();
                        serde_json::json!({"DiscreteValueSetUtilities": {"valueUtilities": vals}})
                    }
                };
                (k.clone(), u)
            })
            .collect();
        let weights: serde_json::Map<_, _> = issues
            .iter()
            .map(|(k, _)| (k.clone(), serde_json::json!(1.0 / n)))
            .collect();
        let profile = serde_json::json!({"LinearAdditiveUtilitySpace": {
            "name": p, "issueUtilities": utils, "issueWeights": weights, "domain": domain}});
        write(&dir.join(format!("{p}.json")), &profile.to_string());
    }
}

fn range_issues(k: usize, values: u64) -> Vec<(String, serde_json::Value)> {
    (0..k)
        .map(|j| {
            (
                format!("i{j}"),
                serde_json::json!({"range": {"low": 0, "high": values - 1, "step": 1}}),
            )
        })
        .collect()
}

/// A zopa scenario: `actors` actors, `issues` issues of `options` options,
/// every value `value`; `options_text` overrides the option list.
fn scenario(actors: usize, issues: usize, options: usize, power: &str, salience: &str) -> String {
    let mut s = String::from("[scenario]\nid = \"h\"\ntitle = \"h\"\n");
    let opts: Vec<String> = (0..options)
        .map(|o| format!("{{ id = \"o{o}\", label = \"o\" }}"))
        .collect();
    for i in 0..issues {
        s += &format!(
            "[[issues]]\nid = \"i{i}\"\nname = \"i\"\noptions = [{}]\n",
            opts.join(", ")
        );
    }
    let sal: Vec<String> = (0..issues).map(|i| format!("i{i} = {salience}")).collect();
    let vals: Vec<String> = (0..options).map(|o| format!("o{o} = 0.5")).collect();
    for a in 0..actors {
        s += &format!(
            "[[actors]]\nid = \"a{a}\"\nname = \"a\"\npower = {power}\nreservation = 0\nsalience = {{ {} }}\n",
            sal.join(", ")
        );
        for i in 0..issues {
            s += &format!(
                "[[actors.positions]]\nissue = \"i{i}\"\nvalues = {{ {} }}\nassumption = true\nnote = \"n\"\n",
                vals.join(", ")
            );
        }
    }
    s
}

#[test]
fn simulation_and_tournament_sizes() {
    let d = workdir("hostile-sim");
    expect(&d, &["simulate", "--deadline", "1000000000000"], 2, "the deadline (rounds) is 1000000000000, above the limit of 1000000 (raise it with --max-rounds)");
    for bad in [
        "russia=time:nan",
        "russia=random:nan:inf",
        "russia=random:2:1",
    ] {
        expect(&d, &["simulate", "--strategy", bad], 2, "outside");
    }
    let laptop =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/genius/supplier-contract");
    let atlas =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/genius/harbour-expansion");
    write(
        &d.join("reps.toml"),
        &format!("name = \"h\"\nrepetitions = 18446744073709551615\ndomains = [{:?}]\nstrategies = [\"boulware\", \"linear\"]\n", laptop.display().to_string()),
    );
    expect(
        &d,
        &["tournament", "reps.toml", "--dry-run"],
        2,
        "(raise it with --max-negotiations)",
    );
    write(
        &d.join("deadline.toml"),
        &format!("name = \"h\"\ndeadline = 1000000000000\ndomains = [{:?}]\nstrategies = [\"boulware\"]\n", laptop.display().to_string()),
    );
    expect(
        &d,
        &["tournament", "deadline.toml", "--dry-run"],
        2,
        "(raise it with --max-rounds)",
    );
    let many: Vec<String> = (1..=200).map(|e| format!("\"time:{e}\"")).collect();
    write(
        &d.join("many.toml"),
        &format!(
            "name = \"h\"\ndomains = [{:?}]\nstrategies = [{}]\n",
            atlas.display().to_string(),
            many.join(", ")
        ),
    );
    expect(&d, &["tournament", "many.toml", "--dry-run"], 0, "");
    expect(
        &d,
        &[
            "tournament",
            "many.toml",
            "--db",
            "x.sqlite",
            "--jobs",
            "100000",
        ],
        2,
        "not in 1..=256",
    );
}

#[test]
fn geniusweb_ranges_and_duplicates() {
    let d = workdir("hostile-gw");
    for k in [1, 2, 4] {
        let f = d.join(format!("range7-{k}"));
        geniusweb(&f, &range_issues(k, 10_000_000));
        expect(
            &d,
            &["analyze", f.to_str().unwrap()],
            1,
            "above the limit of 100000 values per issue",
        );
    }
    let f = d.join("range5-2");
    geniusweb(&f, &range_issues(2, 100_000));
    expect(
        &d,
        &["analyze", f.to_str().unwrap()],
        2,
        "above the enumeration limit of 10000000",
    );
    let f = d.join("dups");
    geniusweb(
        &f,
        &[(
            "a".into(),
            serde_json::json!({"values": vec!["v"; 100_000]}),
        )],
    );
    expect(
        &d,
        &["analyze", f.to_str().unwrap()],
        1,
        "duplicate value \"v\"",
    );
    let f = d.join("wide");
    let values: Vec<String> = (0..20_000).map(|i| format!("v{i}")).collect();
    geniusweb(&f, &[("a".into(), serde_json::json!({ "values": values }))]);
    expect(&d, &["analyze", f.to_str().unwrap(), "--top", "1"], 0, "");
}

#[test]
fn genius_issue_with_many_items() {
    let d = workdir("hostile-genius");
    let n = 50_000;
    let items: String = (0..n)
        .map(|i| format!("<item index=\"{}\" value=\"v{i}\"/>", i + 1))
        .collect();
    write(
        &d.join("g/domain.xml"),
        &format!("<negotiation_template><utility_space><objective index=\"0\" name=\"o\" type=\"objective\"><issue index=\"1\" name=\"a\" type=\"discrete\" etype=\"discrete\" vtype=\"discrete\">{items}</issue></objective></utility_space></negotiation_template>"),
    );
    let evals: String = (0..n)
        .map(|i| {
            format!(
                "<item index=\"{}\" value=\"v{i}\" evaluation=\"{}\"/>",
                i + 1,
                1 + i % 7
            )
        })
        .collect();
    for p in ["p1", "p2"] {
        write(
            &d.join(format!("g/{p}.xml")),
            &format!("<utility_space><objective index=\"0\" name=\"o\" type=\"objective\"><issue index=\"1\" weight=\"1\" name=\"a\" type=\"discrete\" etype=\"discrete\" vtype=\"discrete\">{evals}</issue><weight index=\"1\" value=\"1\"/></objective></utility_space>"),
        );
    }
    expect(&d, &["analyze", "g", "--top", "1"], 0, "");
    expect(&d, &["reference", "g"], 0, "");
}

#[test]
fn scenario_sizes_and_numbers() {
    let d = workdir("hostile-scenario");
    // 10^5 duplicate options of one issue.
    let mut s = String::from(
        "[scenario]\nid = \"h\"\ntitle = \"h\"\n[[issues]]\nid = \"i\"\nname = \"i\"\noptions = [",
    );
    s += &vec!["{ id = \"o\", label = \"x\" }"; 100_000].join(",");
    s += "]\n";
    write(&d.join("dups.toml"), &s);
    expect(&d, &["validate", "dups.toml"], 1, "duplicate option id `o`");
    // 50,000 unknown keys on one line.
    let keys: Vec<String> = (0..50_000).map(|i| format!("\"unknown{i}\":1")).collect();
    write(
        &d.join("keys.json"),
        &format!(
            "{{\"scenario\":{{\"id\":\"h\",\"title\":\"h\"}},{}}}",
            keys.join(",")
        ),
    );
    expect(&d, &["validate", "keys.json"], 1, "keys.json:1:");
    // Too many actors; huge numbers.
    write(&d.join("actors.toml"), &scenario(1001, 1, 2, "1", "1"));
    expect(
        &d,
        &["validate", "actors.toml"],
        1,
        "the number of actors is 1001, above the limit of 1000",
    );
    write(&d.join("huge.toml"), &scenario(2, 1, 3, "1e308", "1e308"));
    expect(
        &d,
        &["validate", "huge.toml"],
        1,
        "power must be in (0, 1000000000000], got 1e308",
    );
    // Endless and oversized files.
    expect(
        &d,
        &["validate", "/dev/zero"],
        2,
        "above the limit of 4194304",
    );
    write(&d.join("big.toml"), &"#".repeat(5 << 20));
    expect(
        &d,
        &["validate", "big.toml"],
        2,
        "the file size (bytes) is 5242880",
    );
    // 10^6 packages with equal utilities: every one is on the frontier.
    write(&d.join("ties.toml"), &scenario(2, 6, 10, "1", "1"));
    expect(
        &d,
        &["analyze", "ties.toml"],
        2,
        "(raise it with --max-frontier)",
    );
    // 200 actors × 4^10 packages (a 0.3 MB file): every candidate holds 200
    // utilities, so it counts as 50 against --max-frontier, and the search
    // is refused within the memory ceiling (it once reached 5 GB).
    write(&d.join("many-actors.toml"), &scenario(200, 10, 4, "1", "1"));
    expect(
        &d,
        &["analyze", "many-actors.toml"],
        2,
        "each of 200 actors counting 50",
    );
    // 10^12 packages, every one tied: meet in the middle counts them, the
    // frontier would hold them all and is refused at its bound.
    write(&d.join("wide.toml"), &scenario(2, 12, 10, "1", "1"));
    expect(
        &d,
        &["analyze", "wide.toml", "--limit", "10000000000000"],
        2,
        "is not in 1..=1000000000",
    );
    expect(
        &d,
        &["analyze", "wide.toml"],
        2,
        "(raise it with --max-frontier)",
    );
    // Meet in the middle far above the work limit: 2·10^8 partial packages.
    write(&d.join("wider.toml"), &scenario(2, 16, 10, "1", "1"));
    expect(
        &d,
        &["analyze", "wider.toml"],
        2,
        "the work of exact counting by meet in the middle (the 100000000 partial packages of issues 1–8 plus the 100000000 of issues 9–16) is 200000000, above the limit of 10000000",
    );
    // Even with --limit at its most, the halves must fit in memory: refused
    // at once, naming the memory bound and no flag to raise it.
    expect(
        &d,
        &["analyze", "wider.toml", "--limit", "1000000000"],
        2,
        "of issues 9–16), at about 44 bytes each (memory bounds it at 100000000 whatever the limit says) is 200000000, above the limit of 100000000",
    );
    // Four actors are counted by enumeration, far above the limit: refused,
    // with a labelled estimate from a fixed sample.
    write(&d.join("four.toml"), &scenario(4, 12, 10, "1", "1"));
    expect(
        &d,
        &["analyze", "four.toml"],
        2,
        "above the enumeration limit",
    );
    expect(
        &d,
        &["analyze", "four.toml"],
        2,
        "estimate, not exact: 100.000% of the packages are in the agreement space",
    );
}

#[test]
fn forecast_sizes() {
    let d = workdir("hostile-forecast");
    expect(
        &d,
        &["forecast", "--runs", "1000000000"],
        2,
        "(raise it with --max-runs)",
    );
    let mut csv = String::from("h,d,1000,1\nActor,Desc,Cap,D1,S1\n");
    for i in 0..1000 {
        csv += &format!("A{i},d,{},{},50\n", 1 + i % 7, i % 100);
    }
    write(&d.join("k.csv"), &csv);
    expect(
        &d,
        &["forecast", "--ktab-csv", "k.csv"],
        2,
        "the number of actors to forecast is 1000, above the limit of 100",
    );
    write(&d.join("many.toml"), &scenario(1000, 1, 3, "1", "1"));
    expect(
        &d,
        &["forecast", "many.toml"],
        2,
        "(raise it with --max-actors)",
    );
    // 100 actors (the most a forecast takes): one Monte Carlo run still
    // means 50 driver runs per assumption, hours of SMP; refused before it
    // starts, and the forecast without a sensitivity analysis finishes.
    write(&d.join("hundred.toml"), &scenario(100, 1, 5, "1", "1"));
    expect(
        &d,
        &["forecast", "hundred.toml", "--runs", "1"],
        2,
        "the sensitivity analysis's work (15001 model runs",
    );
    expect(&d, &["forecast", "hundred.toml", "--runs", "0"], 0, "");
}

/// A listing is bounded like a request: 64,000 tied packages are all on
/// the frontier, and `--top 0` (all) lists the first
/// `limits::MAX_LISTED` of them, saying how many there are; the text
/// report says the listing is cut.
#[test]
fn listings_are_bounded() {
    let d = workdir("listing");
    write(&d.join("tied.toml"), &scenario(2, 3, 40, "1", "1"));
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(args)
            .current_dir(&d)
            .output()
            .expect("run zopa");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let out = run(&["analyze", "tied.toml", "--top", "0", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let f = &doc["agreement_frontier"];
    let max = zopa_model::limits::MAX_LISTED;
    assert_eq!(
        (f["size"].as_u64(), f["listed"].as_u64()),
        (Some(64_000), Some(max))
    );
    assert_eq!(f["packages"].as_array().unwrap().len() as u64, max);
    assert!(out.len() < 20 << 20, "{} bytes", out.len());
    let text = String::from_utf8(run(&["analyze", "tied.toml", "--top", "0"])).unwrap();
    assert!(
        text.contains(
            "64000 package(s), the first 20000 by total utility (at most 20000 are listed)"
        ),
        "{}",
        &text[..2000.min(text.len())]
    );
}

/// Names and titles cannot drive the terminal: escape sequences and
/// bidirectional overrides in a scenario are printed as visible `\u{…}`
/// escapes in text output and messages.
#[test]
fn text_output_escapes_control_characters() {
    let d = workdir("escapes");
    let s = scenario(2, 1, 2, "1", "1").replacen(
        "title = \"h\"",
        "title = \"\\u001b[2J\\u001b[31mPWNED \\u202e evil\"",
        1,
    );
    write(&d.join("esc.toml"), &s);
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["analyze", "esc.toml"])
        .current_dir(&d)
        .output()
        .expect("run zopa");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text}"
    );
    assert!(
        text.starts_with("\\u001b[2J\\u001b[31mPWNED \\u202e evil"),
        "{text}"
    );
}

/// A named pipe nobody writes to is read as empty, not waited on forever
/// (opening a FIFO for reading blocks until a writer comes).
#[test]
fn a_fifo_without_a_writer_does_not_hang() {
    let d = workdir("fifo");
    let fifo = d.join("pipe.toml");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    expect(&d, &["validate", "pipe.toml"], 1, "missing `scenario`");
}

/// A GENIUS folder whose domain file is broken is still read as GENIUS,
/// so the error names the file, line and column (it was "holds neither a
/// GENIUS domain nor a GeniusWeb domain" unless `--from genius`).
#[test]
fn a_broken_genius_domain_is_located() {
    let d = workdir("broken-genius");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/genius/supplier-contract");
    let f = d.join("supplier-contract");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        let mut text = std::fs::read_to_string(e.path()).unwrap();
        if e.file_name().to_string_lossy().ends_with("_domain.xml") {
            text = text.replacen("</issue>", "</isue>", 1);
        }
        write(&f.join(e.file_name()), &text);
    }
    expect(
        &d,
        &["analyze", "supplier-contract"],
        1,
        "supplier-contract_domain.xml:12:5: error: XML syntax error",
    );
}

/// 3 actors, 3 issues of 60 options (216,000 packages), `combinations`
/// combinations rejected together spread over the actors; values vary.
fn with_combinations(combinations: usize) -> String {
    let mut s = String::from("[scenario]\nid = \"c\"\ntitle = \"c\"\n");
    let opts: Vec<String> = (0..60)
        .map(|o| format!("{{ id = \"o{o}\", label = \"o\" }}"))
        .collect();
    for i in 0..3 {
        s += &format!(
            "[[issues]]\nid = \"i{i}\"\nname = \"i\"\noptions = [{}]\n",
            opts.join(", ")
        );
    }
    for a in 0..3 {
        s += &format!(
            "[[actors]]\nid = \"a{a}\"\nname = \"a\"\npower = 1\nreservation = 0.3\nsalience = {{ i0 = 1, i1 = 1, i2 = 1 }}\n"
        );
        for i in 0..3 {
            let vals: Vec<String> = (0..60)
                .map(|o| {
                    format!(
                        "o{o} = {:.3}",
                        ((a * 31 + i * 7 + o * 13) % 97) as f64 / 97.0
                    )
                })
                .collect();
            s += &format!(
                "[[actors.positions]]\nissue = \"i{i}\"\nvalues = {{ {} }}\nassumption = true\nnote = \"n\"\n",
                vals.join(", ")
            );
        }
        for k in (a..combinations).step_by(3) {
            s += &format!(
                "[[actors.red_line_combinations]]\noptions = {{ i0 = \"o{}\", i1 = \"o{}\" }}\nassumption = true\nnote = \"n\"\n",
                k % 60,
                (k / 60 + 7 * k) % 60
            );
        }
    }
    s
}

/// The number of studies cannot multiply the work: the studies of each
/// combination alone are costed before any starts (100 of them on 216,000
/// packages are refused at once, naming `--limit`; they took 129 s), and
/// the studies of red lines together share one budget and say when they
/// stopped at it (9 combinations took 16 s).
#[test]
fn combinations_cannot_multiply_the_work() {
    let dir = workdir("hostile-combinations");
    write(&dir.join("c100.toml"), &with_combinations(100));
    expect(&dir, &["analyze", "c100.toml"], 2, "combinations alone");
    expect(&dir, &["analyze", "c100.toml"], 2, "--limit");
    write(&dir.join("c9.toml"), &with_combinations(9));
    let path = dir.join("c9.toml");
    let o = common::zopa(&["analyze", path.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        doc["combination_blocking"].as_array().map(Vec::len),
        Some(9),
        "every combination studied alone"
    );
    assert_eq!(
        doc["joint_blocking"]["budget_exhausted"], true,
        "{}",
        doc["joint_blocking"]
    );
}

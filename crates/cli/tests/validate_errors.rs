//! `zopa validate` on a corpus of malformed scenarios (tests/bad/): each must
//! exit 1 and name the file, line and column of every problem; none may panic.

use std::path::PathBuf;
use std::process::Command;

fn bad(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad")
        .join(name)
}

/// Run `zopa validate` on a fixture; give (exit code, stderr).
fn validate(name: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .arg("validate")
        .arg(bad(name))
        .output()
        .expect("run zopa");
    (
        out.status.code().expect("exited, not killed"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// An error a fixture must report: (line, column, part of the message).
type Expect = (usize, usize, &'static str);

/// Each fixture, with every error it must report.
const CASES: &[(&str, &[Expect])] = &[
    (
        "unmodelled-without-reason.toml",
        &[(
            57,
            1,
            "missing `reason` (why the statement is not modelled)",
        )],
    ),
    (
        "reservation-wrong-word.toml",
        &[(
            23,
            15,
            "expected a number or \"status_quo\", found a string",
        )],
    ),
    (
        "alias-of-two-actors.toml",
        &[(42, 22, "alias `acme` already names actor `buyer`")],
    ),
    ("blank-keyword.toml", &[(12, 22, "empty word")]),
    (
        "combination-of-one-issue.toml",
        &[(57, 1, "a combination names options of at least two issues")],
    ),
    (
        "combination-unknown-option.toml",
        &[(58, 37, "unknown option `medium` of issue `speed`")],
    ),
    (
        "interaction-out-of-range.toml",
        &[(59, 9, "an interaction's value must be in [-1, 1], got 1.5")],
    ),
    (
        "interaction-of-one-issue.toml",
        &[(
            57,
            1,
            "an interaction names options of exactly two issues, not 1",
        )],
    ),
    (
        "quote-wrong-speaker.toml",
        &[(
            30,
            81,
            "a quote spoken by `seller` cannot ground a claim of `buyer`",
        )],
    ),
    (
        "unknown-speaker.toml",
        &[(30, 81, "unknown speaker `buyr`: name an actor id, or leave `speaker` out for the source's own voice or anyone who is not a party; did you mean `buyer`?")],
    ),
    (
        "stated-best-not-top.toml",
        &[(
            30,
            108,
            "`best` pins the option's value at 1 (the top of the scale), but it is 0.9",
        )],
    ),
    (
        "stated-order-not-decreasing.toml",
        &[(
            30,
            110,
            "the stated order needs strictly decreasing numbers",
        )],
    ),
    (
        "states-without-speaker.toml",
        &[(30, 80, "a quote that states a claim needs `speaker`")],
    ),
    (
        "states-on-power.toml",
        &[(26, 103, "a quote here is context: it cannot state a number")],
    ),
    (
        "status-quo-unknown-option.toml",
        &[(58, 21, "unknown option `medium` of issue `price`")],
    ),
    (
        "reservation-status-quo-without-table.toml",
        &[(
            23,
            15,
            "`reservation = \"status_quo\"` needs a [status_quo] table",
        )],
    ),
    (
        "unknown-issue-in-salience.toml",
        &[(24, 40, "unknown issue `color`")],
    ),
    (
        "unknown-issue-in-position.toml",
        &[
            (33, 9, "unknown issue `sped`; did you mean `speed`?"),
            (20, 6, "no position on issue `speed`"),
        ],
    ),
    (
        "unknown-option-in-values.toml",
        &[(29, 35, "unknown option `medium` of issue `price`")],
    ),
    (
        "unknown-option-in-red-line.toml",
        &[(49, 14, "unknown option `free` of issue `price` in red line")],
    ),
    ("unknown-source.toml", &[(55, 24, "unknown source `memo`")]),
    (
        "duplicate-actor-id.toml",
        &[(39, 6, "duplicate actor id `buyer`")],
    ),
    (
        "duplicate-issue-id.toml",
        &[(15, 6, "duplicate issue id `price`")],
    ),
    (
        "duplicate-option-id.toml",
        &[(12, 50, "duplicate option id `low`")],
    ),
    (
        "duplicate-position.toml",
        &[(53, 9, "second position on issue `price`")],
    ),
    (
        "negative-weight.toml",
        &[(43, 22, "salience must be in [0, 1000000000000], got -0.5")],
    ),
    (
        "nan-weight.toml",
        &[(43, 22, "salience must be in [0, 1000000000000], got NaN")],
    ),
    (
        "all-zero-weights.toml",
        &[(43, 12, "every salience of actor `seller` is zero")],
    ),
    (
        "missing-weight.toml",
        &[(43, 12, "no salience for issue `speed`")],
    ),
    (
        "value-out-of-range.toml",
        &[(54, 31, "option value must be in [0, 1], got 1.5")],
    ),
    (
        "quote-too-short.json",
        &[(66, 24, "quote \"no\" has fewer than 4 letters or digits")],
    ),
    (
        "duplicate-key.json",
        &[(
            4,
            34,
            "duplicate key `title`: it is given earlier in this table",
        )],
    ),
    (
        "value-out-of-range.json",
        &[(108, 21, "option value must be in [0, 1], got 1.5")],
    ),
    (
        "missing-value.toml",
        &[(54, 10, "gives no value for option `fast`")],
    ),
    (
        "empty-options.toml",
        &[(17, 11, "issue `speed` has no options")],
    ),
    (
        "red-line-excludes-everything.toml",
        &[(46, 1, "exclude every option of issue `price`")],
    ),
    (
        "quote-not-verbatim.toml",
        &[(
            55,
            41,
            "quote does not occur verbatim in source `notes`: \"The seller wants a fast deal.\"; the nearest passage, line 1 of the source: \"The seller wants a quick deal.\"",
        )],
    ),
    (
        "position-without-basis.toml",
        &[(
            46,
            1,
            "the position of actor `seller` on `price` has no evidence",
        )],
    ),
    (
        "assumption-without-note.toml",
        &[(46, 1, "an assumption needs a `note`")],
    ),
    (
        "power-not-positive.toml",
        &[(41, 9, "power must be in (0, 1000000000000], got 0")],
    ),
    (
        "reservation-out-of-range.toml",
        &[(42, 15, "reservation must be in [0, 1], got 1.2")],
    ),
    (
        "missing-source-file.toml",
        &[(7, 8, "(a source's `path` is relative to the scenario file's folder)")],
    ),
    ("unknown-key.toml", &[(41, 1, "unknown key `strength`")]),
    (
        "wrong-type.toml",
        &[(41, 9, "expected a number, found a string")],
    ),
    ("missing-required-key.toml", &[(9, 1, "missing `name`")]),
    (
        "options-as-strings.toml",
        &[(8, 12, "write { id = \"slow\", label = \"…\" }")],
    ),
    (
        "single-actor.toml",
        &[(19, 1, "at least two actors, found 1")],
    ),
    ("toml-syntax-error.toml", &[(3, 26, "TOML syntax error")]),
    ("json-syntax-error.json", &[(3, 14, "JSON syntax error")]),
    ("not-utf8.toml", &[(3, 13, "not valid UTF-8")]),
    (
        "deep-nesting.toml",
        &[(4, 74, "nested more than 64 levels")],
    ),
];

#[test]
fn every_malformed_fixture_is_rejected_with_its_position() {
    for (file, expected) in CASES {
        let (code, stderr) = validate(file);
        assert_eq!(code, 1, "{file}: exit code\n{stderr}");
        assert!(!stderr.contains("panicked"), "{file} panicked:\n{stderr}");
        for (line, col, msg) in *expected {
            let want = format!("{file}:{line}:{col}: error: ");
            let found = stderr.lines().any(|l| l.contains(&want) && l.contains(msg));
            assert!(found, "{file}: expected `{want}…{msg}` in:\n{stderr}");
        }
        // Every error line is located.
        for l in stderr.lines().filter(|l| l.contains(": error: ")) {
            if l.starts_with("zopa: error:") {
                continue;
            }
            assert!(
                l.contains(&format!("{file}:")),
                "{file}: unlocated error line: {l}"
            );
        }
    }
}

#[test]
fn the_corpus_covers_every_fixture() {
    let mut files: Vec<String> = std::fs::read_dir(bad(""))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "valid.toml")
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(files, listed, "every fixture in tests/bad has expectations");
}

#[test]
fn the_valid_base_fixture_is_valid() {
    let out = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .arg("validate")
        .arg(bad("valid.toml"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("valid — 2 actors, 2 issues"), "{stdout}");
    assert!(
        stdout.contains("2 evidence quotes found verbatim"),
        "{stdout}"
    );
}

/// A name that is neither a file nor a built-in points to where to look:
/// the example of that name when there is one, else the built-ins and how
/// paths are read.
#[test]
fn a_missing_file_says_where_to_look() {
    let run = |arg: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(["analyze", arg])
            .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let e = run("supplier-contract");
    assert!(
        e.contains("did you mean examples/supplier-contract.toml?"),
        "{e}"
    );
    let e = run("no-such-negotiation");
    assert!(
        e.contains("`zopa scenarios` lists the built-in scenarios"),
        "{e}"
    );
}

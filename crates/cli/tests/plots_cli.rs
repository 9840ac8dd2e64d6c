//! Plots and the HTML report: golden files (the same input gives the same
//! bytes), every SVG well-formed XML with labelled axes, and the HTML report
//! self-contained (no script, no reference outside itself).

mod common;

use std::path::Path;

use common::{golden, tmp, zopa};

fn run(args: &[&str]) {
    let o = zopa(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Well-formed XML: every element closed in order, one root.
fn well_formed(name: &str, text: &str) {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                if stack.is_empty() {
                    roots += 1;
                }
                stack.push(e.name().into_inner().to_string());
            }
            Ok(Event::End(e)) => {
                let open = stack.pop();
                assert_eq!(open.as_deref(), Some(e.name().into_inner()), "{name}");
            }
            Ok(Event::Empty(_)) if stack.is_empty() => roots += 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "{name} is not well-formed XML at {}: {e}",
                r.buffer_position()
            ),
        }
    }
    assert!(
        stack.is_empty() && roots == 1,
        "{name}: {stack:?}, {roots} roots"
    );
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn plots_are_golden_well_formed_and_labelled() {
    let dir = tmp("plots");
    std::fs::create_dir_all(&dir).unwrap();
    let f = |n: &str| dir.join(n).display().to_string();
    run(&[
        "analyze",
        "--svg",
        &f("space.svg"),
        "--axes",
        "us,europe",
        "--html",
        &f("report.html"),
    ]);
    run(&["forecast", "--runs", "50", "--svg", &f("forecast.svg")]);
    run(&[
        "simulate",
        "--strategy",
        "russia=conceder",
        "--deadline",
        "60",
        "--svg",
        &f("simulate.svg"),
    ]);
    let t = dir.join("t.toml");
    let laptop = common::repo("examples/genius/supplier-contract")
        .canonicalize()
        .unwrap();
    std::fs::write(
        &t,
        format!("name = \"plots\"\nseed = 2\nrepetitions = 2\ndeadline = 100\ndomains = [{:?}]\nstrategies = [\"boulware\", \"conceder\", \"hardliner\"]\n", laptop.display().to_string()),
    )
    .unwrap();
    run(&["tournament", t.to_str().unwrap(), "--db", &f("t.sqlite")]);
    run(&["report", &f("t.sqlite"), "--svg", &f("report.svg")]);
    for (file, labels) in [
        (
            "space.svg",
            &[
                "utility of United States",
                "utility of European states",
                "Nash",
                "Pareto frontier of the ZOPA",
                "reservations",
            ][..],
        ),
        (
            "forecast.svg",
            &[
                "Forecasts of security-guarantees",
                "presence",
                "KTAB Spatial Model of Politics",
            ][..],
        ),
        (
            "simulate.svg",
            &["round", "utility of its own offer", "russia", "europe"][..],
        ),
        ("report.svg", &["mean utility", "boulware", "hardliner"][..]),
    ] {
        let text = read(&dir.join(file));
        well_formed(file, &text);
        for l in labels {
            assert!(text.contains(l), "{file} lacks `{l}`");
        }
        golden(&format!("plot-{file}"), &text);
    }
    // The same command, the same bytes.
    run(&["analyze", "--svg", &f("again.svg"), "--axes", "us,europe"]);
    assert_eq!(read(&dir.join("again.svg")), read(&dir.join("space.svg")));
}

#[test]
fn the_html_report_stands_alone() {
    let dir = tmp("html-report");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("r.html");
    run(&["analyze", "--html", out.to_str().unwrap()]);
    let html = read(&out);
    golden("report.html", &html);
    let lower = html.to_ascii_lowercase();
    for banned in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import",
    ] {
        assert!(
            !lower.contains(banned),
            "the report references something: {banned}"
        );
    }
    let rest = html.replace("http://www.w3.org/2000/svg", "");
    assert!(!rest.contains("http://") && !rest.contains("https://"));
    for section in [
        "Agreement space",
        "Bargaining solutions",
        "What blocks agreement",
        "Evidence",
        "<svg",
    ] {
        assert!(html.contains(section), "{section}");
    }
    // Every quote of the scenario is in the evidence list.
    assert!(html.contains("it will not allow the presence of NATO troops"));
    // Unknown actors on the axes are refused with the list of actors.
    let o = zopa(&[
        "analyze",
        "--svg",
        dir.join("x.svg").to_str().unwrap(),
        "--axes",
        "us,nobody",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no actor `nobody`"));
}

/// `--svg` and `--html` say what they wrote; a file name that promises
/// another format is refused before any work, or with `--force` written
/// with a warning.
#[test]
fn written_files_are_announced_and_misnamed_ones_refused_unless_forced() {
    let png = common::tmp("space.png");
    let _ = std::fs::remove_file(&png);
    let o = common::zopa(&["analyze", "--svg", png.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("does not end in .svg") && err.contains("--force"),
        "{err}"
    );
    assert!(!png.exists(), "nothing written");
    let o = common::zopa(&[
        "analyze",
        "--critical-budget",
        "0",
        "--force",
        "--svg",
        png.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("does not end in .svg, but it holds the agreement-space plot (SVG)"),
        "{err}"
    );
    assert!(
        err.contains("wrote the agreement-space plot (SVG) to"),
        "{err}"
    );
    assert!(std::fs::read_to_string(&png).unwrap().contains("<svg"));
}

//! `[bands]`: the analyst's bands for robustness, sensitivity and the
//! critical-assumption search — defaults where none is given, ranges
//! checked and located, round-tripped.

mod common;

use std::collections::HashMap;

use zopa_model::perturb::Bands;
use zopa_model::{load_str, MapLoader, Syntax};

const BASE: &str = r#"
[scenario]
id = "b"
title = "B"

[[issues]]
id = "x"
name = "X"
options = [{ id = "lo", label = "Low" }, { id = "hi", label = "High" }]

[[actors]]
id = "a"
name = "A"
power = 1
reservation = 0.2
salience = { x = 1 }
[[actors.positions]]
issue = "x"
values = { lo = 0, hi = 1 }
assumption = true
note = "test"

[[actors]]
id = "c"
name = "C"
power = 1
reservation = 0.2
salience = { x = 1 }
[[actors.positions]]
issue = "x"
values = { lo = 1, hi = 0 }
assumption = true
note = "test"
"#;

fn load(tail: &str) -> Result<zopa_model::Scenario, zopa_model::Diagnostics> {
    let text = format!("{BASE}\n{tail}");
    load_str(&text, Syntax::Toml, "b.toml", &MapLoader(HashMap::new())).map(|l| l.scenario)
}

#[test]
fn bands_not_given_are_the_defaults() {
    assert_eq!(load("").unwrap().bands(), &Bands::default());
    let s = load(
        "[bands]\nreservation = 0.05\nred_line_add = 0.3\nnote = \"tight walk-away points\"\n",
    )
    .unwrap();
    assert_eq!(
        s.bands(),
        &Bands {
            reservation: 0.05,
            red_line_add: 0.3,
            ..Bands::default()
        }
    );
    assert_eq!(s.bands_note(), Some("tight walk-away points"));
    common::assert_round_trip(&s, &MapLoader(HashMap::new()));
}

#[test]
fn bands_out_of_range_are_located() {
    for (line, message) in [
        (
            "value = 1.5",
            "`value` is at least 0 and at most 1, got 1.5",
        ),
        (
            "salience = 1",
            "`salience` is a relative spread: at least 0 and below 1, got 1",
        ),
        ("power = -0.1", "`power` is a relative spread"),
        (
            "red_line_add = 2",
            "`red_line_add` is a probability: 0 to 1, got 2",
        ),
        ("spread = 0.1", "unknown key `spread`"),
    ] {
        let tail = format!("[bands]\n{line}\n");
        let d = load(&tail).unwrap_err();
        let shown = d.to_string();
        assert!(shown.contains(message), "{line}: {shown}");
        let at = format!("{BASE}\n{tail}")
            .lines()
            .position(|l| l == line)
            .unwrap()
            + 1;
        assert!(
            d.items.iter().any(|i| i.pos.map(|p| p.line) == Some(at)),
            "{line} not located on line {at}: {shown}"
        );
    }
}

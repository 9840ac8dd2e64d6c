//! Helpers shared by the model's integration tests.
#![allow(dead_code)]

use zopa_model::{load_str, MapLoader, Scenario, Syntax};

/// `s` written as TOML and as JSON loads back as `s` (sources from `loader`).
pub fn assert_round_trip(s: &Scenario, loader: &MapLoader) {
    for text in [
        s.to_doc().to_toml_string().unwrap(),
        s.to_doc().to_json_string().unwrap(),
    ] {
        let syntax = if text.starts_with('{') {
            Syntax::Json
        } else {
            Syntax::Toml
        };
        let back = load_str(&text, syntax, "back", loader)
            .unwrap_or_else(|d| panic!("{d}\n{text}"))
            .scenario;
        assert_eq!(&back, s, "{text}");
    }
}

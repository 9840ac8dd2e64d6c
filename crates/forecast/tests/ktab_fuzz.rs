//! KTAB's CSV reader never panics: random splices into and truncations of
//! KTAB's own input files give a scenario or an error with line and column.

use proptest::prelude::*;
use zopa_forecast::{ktab, ForecastError};

const INPUTS: [&str; 2] = [
    include_str!("../../../corpus/ktab/ktab_dummyData_3Dim.input.csv"),
    include_str!("../../../corpus/ktab/ktab_SOE-Pol-Comp.input.csv"),
];

/// `text` with `insert` spliced in at `at` (clamped to a character boundary)
/// and cut after `keep` bytes.
fn splice(text: &str, at: usize, insert: &str, keep: usize) -> String {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut s = format!("{}{insert}{}", &text[..at], &text[at..]);
    let mut keep = keep.min(s.len());
    while !s.is_char_boundary(keep) {
        keep -= 1;
    }
    s.truncate(keep);
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn mutated_ktab_csv_never_panics(
        which in 0usize..2,
        at in any::<usize>(),
        insert in prop_oneof![Just(",".to_string()), Just("\n".to_string()), Just("nan".to_string()),
                              Just("-1e999".to_string()), Just("\"".to_string()), ".{0,12}"],
        keep in any::<usize>(),
    ) {
        let text = splice(INPUTS[which], at, &insert, keep);
        match ktab::read_csv(&text) {
            Ok(s) => prop_assert!(s.actors.iter().all(|a| a.cap.is_finite() && a.cap > 0.0)),
            Err(ForecastError::Input { line, col, .. }) => prop_assert!(line >= 1 && col >= 1),
            Err(other) => prop_assert!(false, "unlocated error: {other}"),
        }
    }
}

//! KTAB's CSV reader never panics: random splices into and truncations of
//! inputs in KTAB's format (the project's own example, and one written here
//! with KTAB's quirks: a quoted description, spaces around numbers, a
//! trailing comma) give a scenario or an error with line and column.

use proptest::prelude::*;
use zopa_forecast::{ktab, ForecastError};

const INPUTS: [&str; 2] = [
    include_str!("../../../examples/ktab/water-council.csv"),
    "Three,\"Three actors, three dimensions\",3,3,\n\
     Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,Pstn3,Sal3,\n\
     A-1, First, 10.5, 10.00, 20.00, 90.00, 30.00, 50.00, 50.00,\n\
     B-2, Second,  7.25, 80.00, 60.00, 40.00, 20.00,  0.00, 20.00,\n\
     C-3, Third, 120.0, 55.55, 33.33, 12.50, 33.33, 100.00, 33.34,\n",
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

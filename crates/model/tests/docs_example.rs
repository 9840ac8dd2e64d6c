//! The annotated example in docs/scenario-format.md is a valid scenario.

use std::collections::HashMap;
use std::path::Path;

use zopa_model::{load_str, MapLoader, Syntax};

#[test]
fn the_documented_example_is_valid() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/scenario-format.md"),
    )
    .unwrap();
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let toml = &doc[start..end];
    let minutes = "Minutes, 3 March. Buyer: “Price is our first concern. We will not sign \
                   above 100 euros.” Seller: “90 euros does not cover our costs.”";
    let loader = MapLoader(HashMap::from([(
        "sources/minutes.txt".to_string(),
        minutes.to_string(),
    )]));
    let loaded = load_str(toml, Syntax::Toml, "scenario-format.md", &loader)
        .unwrap_or_else(|d| panic!("{d}"));
    // The one warning the example demonstrates: the seller's unstated bases.
    assert_eq!(loaded.warnings.items.len(), 1, "{}", loaded.warnings);
    assert!(loaded.warnings.items[0]
        .message
        .contains("actor `seller`: power, reservation without a basis"));
    let s = loaded.scenario;
    assert_eq!(s.actors[0].weights, vec![2.0 / 3.0, 1.0 / 3.0]);
    assert_eq!(s.actors[1].positions[0].red_lines.len(), 1);
}

//! The annotated example in docs/scenario-format.md is
//! `examples/supplier-contract.toml`, byte for byte, and a valid scenario
//! whose quotes are found in `examples/sources/minutes.txt`.

use std::path::Path;

use zopa_model::load_file;

#[test]
fn the_documented_example_is_the_example_file_and_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(root.join("docs/scenario-format.md")).unwrap();
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let file = root.join("examples/supplier-contract.toml");
    assert_eq!(
        &doc[start..end],
        std::fs::read_to_string(&file).unwrap(),
        "docs/scenario-format.md's example and examples/supplier-contract.toml differ"
    );
    let loaded = load_file(&file).unwrap_or_else(|e| panic!("{e}"));
    // The one warning the example demonstrates: the seller's unstated bases.
    assert_eq!(loaded.warnings.items.len(), 1, "{}", loaded.warnings);
    assert!(loaded.warnings.items[0]
        .message
        .contains("actor `seller`: power, reservation without a basis"));
    let s = loaded.scenario;
    assert_eq!(s.actors()[0].weights, vec![2.0 / 3.0, 1.0 / 3.0]);
    assert_eq!(s.actors()[1].positions[0].red_lines.len(), 1);
}

//! The tournament-file reader never panics: the example file with lines
//! replaced, duplicated or dropped gives a plan or an error naming the file
//! (and, for syntax errors, line and column).

use std::path::Path;

use proptest::prelude::*;
use zopa_tournament::TournamentFile;

/// examples/tournament.toml with its domains made absolute.
fn example() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let text = std::fs::read_to_string(root.join("tournament.toml")).unwrap();
    let abs = |d: &str| format!("\"{}/{d}", root.display());
    text.replace("\"genius/", &abs("genius/"))
        .replace("\"geniusweb/", &abs("geniusweb/"))
        .replace("\"supplier-contract.toml", &abs("supplier-contract.toml"))
        .lines()
        .map(str::to_string)
        .collect()
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("repetitions = 18446744073709551615".to_string()),
        Just("deadline = 0".to_string()),
        Just("discount = nan".to_string()),
        Just("strategies = [\"random:2:1\"]".to_string()),
        Just("strategies = []".to_string()),
        Just("protocol = \"auction\"".to_string()),
        Just("domains = [\"/nonexistent/*\"]".to_string()),
        Just("[extra]".to_string()),
        Just("seed = -1".to_string()),
        ".{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn edited_tournament_files_never_panic(
        edits in prop::collection::vec((any::<usize>(), 0u8..3, line()), 1..4)
    ) {
        let mut lines = example();
        for (at, kind, text) in edits {
            let i = at % (lines.len() + 1);
            match kind {
                0 if i < lines.len() => lines[i] = text,
                1 if i < lines.len() => { lines.remove(i); }
                _ => lines.insert(i, text),
            }
        }
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("config-fuzz");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("t.toml");
        std::fs::write(&file, lines.join("\n")).unwrap();
        if let Err(e) = TournamentFile::load(&file) {
            prop_assert!(e.to_string().contains("t.toml"), "{e}");
        }
    }
}

//! User input never panics: random byte mutations and truncations of a real
//! scenario (TOML and JSON) give either a scenario or located diagnostics.

use std::path::Path;

use proptest::prelude::*;
use zopa_model::{load_file, load_str, FsLoader, Syntax};

fn default_texts() -> (String, String) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/security-guarantees.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let json = load_file(&path)
        .unwrap()
        .scenario
        .to_doc()
        .to_json_string()
        .unwrap();
    (toml, json)
}

fn loader() -> FsLoader {
    FsLoader {
        base: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios"),
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, String),
    Truncate(usize),
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (
            any::<usize>(),
            prop_oneof![
                Just("\"".to_string()),
                Just("[".to_string()),
                Just("{".to_string()),
                Just("nan".to_string()),
                Just("-1".to_string()),
                Just("\n[[actors]]\n".to_string()),
                Just("1e999".to_string()),
                Just(",".to_string()),
                Just("\u{201c}".to_string()),
            ]
        )
            .prop_map(|(i, s)| Mutation::Insert(i, s)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, muts: &[Mutation]) -> String {
    let mut b = text.as_bytes().to_vec();
    for m in muts {
        let n = b.len().max(1);
        match m {
            Mutation::Flip(i, x) => {
                if !b.is_empty() {
                    b[i % n] = *x;
                }
            }
            Mutation::Delete(i, k) => {
                let s = i % n;
                let e = (s + k).min(b.len());
                b.drain(s.min(b.len())..e);
            }
            Mutation::Insert(i, s) => {
                let at = i % (b.len() + 1);
                b.splice(at..at, s.bytes());
            }
            Mutation::Truncate(i) => b.truncate(i % n),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_scenarios_never_panic(muts in prop::collection::vec(arb_mutation(), 1..4), json in any::<bool>()) {
        let (toml, js) = default_texts();
        let (text, syntax) = if json { (js, Syntax::Json) } else { (toml, Syntax::Toml) };
        let mutated = apply(&text, &muts);
        if let Err(diags) = load_str(&mutated, syntax, "mutated", &loader()) {
            prop_assert!(diags.has_errors());
            for d in &diags.items {
                prop_assert!(d.pos.is_some(), "every problem is located: {d:?}");
            }
        }
    }
}

#[test]
fn odd_documents_give_located_errors() {
    for (text, syntax) in [
        ("[1, 2]", Syntax::Json),
        ("\"just a string\"", Syntax::Json),
        ("", Syntax::Toml),
        ("", Syntax::Json),
        ("scenario = 3\nissues = {}\nactors = \"x\"\n", Syntax::Toml),
        (
            "{\"scenario\": null, \"issues\": [null], \"actors\": [[]]}",
            Syntax::Json,
        ),
    ] {
        let diags = load_str(text, syntax, "odd", &loader()).unwrap_err();
        assert!(diags.has_errors());
        for d in &diags.items {
            assert!(d.pos.is_some(), "{text:?}: unlocated {d:?}");
        }
    }
}

//! Printing the application layer's JSON documents.

use serde::Serialize;

/// Pretty-printed, with a final newline.
pub fn pretty(doc: &impl Serialize) -> String {
    serde_json::to_string_pretty(doc).expect("documents are plain data") + "\n"
}

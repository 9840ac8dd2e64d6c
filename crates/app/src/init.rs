//! `zopa init`: the files of a new scenario — a small, complete, commented
//! example that validates without warnings and that the analyst edits into
//! their own negotiation.

/// The files `zopa init` writes, as `(path relative to the folder, text)`:
/// `scenario.toml` and the source its quotes come from.
pub const FILES: [(&str, &str); 2] = [
    ("scenario.toml", include_str!("init/scenario.toml")),
    ("sources/notes.txt", include_str!("init/notes.txt")),
];

#[cfg(test)]
mod tests {
    /// The template validates without a warning, from memory.
    #[test]
    fn the_template_validates_without_warnings() {
        let sources = [(super::FILES[1].0.to_string(), super::FILES[1].1.to_string())];
        let l = zopa_model::load_str(
            super::FILES[0].1,
            zopa_model::Syntax::Toml,
            "scenario.toml",
            &zopa_model::MapLoader(sources.into_iter().collect()),
        )
        .unwrap();
        assert!(l.warnings.items.is_empty(), "{}", l.warnings);
    }
}

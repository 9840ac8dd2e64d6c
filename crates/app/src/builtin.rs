//! Scenarios compiled into the binary.

use zopa_model::{load_str, Diagnostics, Loaded, MapLoader, Syntax};

/// A built-in scenario: its TOML text and the source documents it cites.
#[derive(Debug)]
pub struct Builtin {
    /// Name used on the command line.
    pub name: &'static str,
    /// One-line description.
    pub summary: &'static str,
    /// The scenario file.
    pub toml: &'static str,
    /// `(path as cited, text)` of every source.
    pub sources: &'static [(&'static str, &'static str)],
}

/// The default scenario, run by `zopa analyze` with no argument.
pub const DEFAULT: &str = "security-guarantees";

/// Every built-in scenario.
pub const BUILTINS: &[Builtin] = &[Builtin {
    name: "security-guarantees",
    summary: "Security guarantees for Ukraine: Russia, Ukraine, the US and the European Coalition of the Willing (4 actors, 5 issues)",
    toml: include_str!("../../../scenarios/security-guarantees.toml"),
    sources: &[(
        "sources/security-guarantees-article.txt",
        include_str!("../../../scenarios/sources/security-guarantees-article.txt"),
    )],
}];

/// The built-in called `name`.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

impl Builtin {
    /// Name shown in diagnostics and reports.
    pub fn origin(&self) -> String {
        format!("builtin:{}", self.name)
    }

    /// Load and check it: once per process (a built-in never changes), then
    /// a copy of that result.
    pub fn load(&self) -> Result<Loaded, Diagnostics> {
        use std::sync::OnceLock;
        static LOADED: [OnceLock<Result<Loaded, Diagnostics>>; BUILTINS.len()] =
            [const { OnceLock::new() }; BUILTINS.len()];
        match BUILTINS.iter().position(|b| std::ptr::eq(b, self)) {
            Some(i) => LOADED[i].get_or_init(|| self.load_uncached()).clone(),
            None => self.load_uncached(),
        }
    }

    fn load_uncached(&self) -> Result<Loaded, Diagnostics> {
        let loader = MapLoader(
            self.sources
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        );
        load_str(self.toml, Syntax::Toml, &self.origin(), &loader)
    }
}

/// The default built-in, loaded as a surface loads it (for the app's tests).
#[cfg(test)]
pub(crate) fn default_loaded() -> crate::Loaded {
    let b = find(DEFAULT).expect("the default is built in");
    crate::input::load(&crate::Input::Builtin(b), zopa_model::DEFAULT_LIMIT)
        .expect("the default loads")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_is_valid_without_warnings() {
        for b in super::BUILTINS {
            let loaded = b.load().unwrap_or_else(|d| panic!("{d}"));
            assert!(loaded.warnings.items.is_empty(), "{}", loaded.warnings);
        }
    }
}

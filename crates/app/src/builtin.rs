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

use crate::error::AppError;

/// The default scenario, run by `zopa analyze` with no argument.
pub const DEFAULT: &str = "security-guarantees";

/// Every built-in scenario.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "security-guarantees",
        summary: "Security guarantees for Ukraine: Russia, Ukraine, the US and the European Coalition of the Willing (4 actors, 5 issues)",
        toml: include_str!("../../../scenarios/security-guarantees.toml"),
        sources: &[(
            "sources/security-guarantees-article.txt",
            include_str!("../../../scenarios/sources/security-guarantees-article.txt"),
        )],
    },
    Builtin {
        name: "cell-supply",
        summary: "Illustrative, invented firms: a carmaker and a cell maker negotiate a five-year battery cell supply contract (2 actors, 5 issues)",
        toml: include_str!("../../../scenarios/cell-supply.toml"),
        sources: &[(
            "sources/cell-supply-notes.txt",
            include_str!("../../../scenarios/sources/cell-supply-notes.txt"),
        )],
    },
    Builtin {
        name: "basin-commission",
        summary: "Illustrative, invented states: a river basin commission sets a dam's operating rules, four of five deciding with the dam's state (5 actors, 5 issues, a decision rule)",
        toml: include_str!("../../../scenarios/basin-commission.toml"),
        sources: &[(
            "sources/basin-commission-record.txt",
            include_str!("../../../scenarios/sources/basin-commission-record.txt"),
        )],
    },
];

/// Scenarios a server opened from the user's files at start (`zopa serve
/// FILE…`), offered beside the built-ins under their ids for the life of
/// the process.
static OPENED: std::sync::OnceLock<Vec<Builtin>> = std::sync::OnceLock::new();

/// The built-in — or scenario opened at start — called `name`.
pub fn find(name: &str) -> Option<&'static Builtin> {
    all().find(|b| b.name == name)
}

/// Every built-in, then every scenario opened at start.
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    BUILTINS.iter().chain(OPENED.get().into_iter().flatten())
}

/// Open zopa TOML scenario files (with the sources they cite) for the rest
/// of the process: each is checked first, and then offered as a built-in
/// named by its scenario id. Once per process; an id already taken, a
/// file that is not TOML or does not validate is refused.
pub fn open_files(paths: &[std::path::PathBuf]) -> Result<Vec<&'static str>, AppError> {
    let mut opened: Vec<Builtin> = Vec::new();
    for path in paths {
        if crate::input::detect(path)? != crate::input::Format::Toml {
            return Err(AppError::Usage(format!(
                "{}: a server opens zopa TOML scenarios (`zopa convert FILE OUT.toml` writes one)",
                path.display()
            )));
        }
        let input = crate::input::Input::Path(path.clone(), crate::input::Format::Toml);
        let loaded = crate::input::load(&input, zopa_model::DEFAULT_LIMIT)?;
        let s = &loaded.scenario;
        let id = s.meta().id.clone();
        if find(&id).is_some() || opened.iter().any(|b| b.name == id) {
            return Err(AppError::Usage(format!(
                "{}: a scenario called `{id}` is already offered; give this one another [scenario] id",
                path.display()
            )));
        }
        let text = zopa_model::limits::read_text(path).map_err(AppError::Usage)?;
        let base = path.parent().unwrap_or(std::path::Path::new("."));
        let mut sources = Vec::new();
        for src in s.sources() {
            let t =
                zopa_model::limits::read_text(&base.join(&src.path)).map_err(AppError::Usage)?;
            sources.push((leak(src.path.clone()), leak(t)));
        }
        opened.push(Builtin {
            name: leak(id),
            summary: leak(format!(
                "{} (opened from {})",
                s.meta().title,
                path.display()
            )),
            toml: leak(text),
            sources: Box::leak(sources.into_boxed_slice()),
        });
    }
    let names = opened.iter().map(|b| b.name).collect();
    OPENED
        .set(opened)
        .map_err(|_| AppError::Usage("scenario files are opened once, at start".into()))?;
    Ok(names)
}

/// Text kept for the life of the process (scenarios opened at start).
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl Builtin {
    /// Name shown in diagnostics and reports.
    pub fn origin(&self) -> String {
        if BUILTINS.iter().any(|b| std::ptr::eq(b, self)) {
            format!("builtin:{}", self.name)
        } else {
            format!("opened:{}", self.name)
        }
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

    /// The built-ins written for the purpose say so: in their title, their
    /// description and the first line of every source.
    #[test]
    fn invented_builtins_are_marked_illustrative() {
        for b in super::BUILTINS.iter().filter(|b| b.name != super::DEFAULT) {
            let loaded = b.load().unwrap();
            let meta = loaded.scenario.meta();
            assert!(meta.title.ends_with("(illustrative)"), "{}", meta.title);
            assert!(
                meta.description
                    .as_deref()
                    .unwrap_or("")
                    .starts_with("ILLUSTRATIVE"),
                "{}",
                b.name
            );
            for (path, text) in b.sources {
                assert!(text.starts_with("ILLUSTRATIVE SOURCE"), "{path}");
            }
        }
    }

    /// The commission decides by its charter — four of five, the dam's state
    /// among them — and that rule is quoted, not assumed.
    #[test]
    fn the_commission_decides_by_its_quoted_rule() {
        let loaded = super::find("basin-commission").unwrap().load().unwrap();
        let d = loaded.scenario.decision();
        assert_eq!(d.at_least, 4);
        assert_eq!(d.must_include, vec![0], "norvalia, the first actor");
        assert!(d.is_quoted());
    }
}

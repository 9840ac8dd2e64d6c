//! Conversions for every surface, in memory: a scenario as zopa TOML or
//! JSON (with the source documents its evidence cites, so the result
//! validates again), a GENIUS folder or a GeniusWeb folder. Surfaces decide
//! where the files go (the CLI writes them; a server returns them).

use std::path::{Component, Path};

use zopa_interop::convert as ic;

use crate::input::{Format, Input, Loaded};
use crate::AppError;

/// One file of a conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct OutFile {
    /// Path relative to the output: a zopa scenario's own file name and its
    /// sources' cited paths, or a folder's file names.
    pub path: String,
    /// Its text.
    pub text: String,
    /// A cited source document (an existing copy may be kept).
    pub is_source: bool,
}

/// What a conversion produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// The files, the scenario (or domain) first.
    pub files: Vec<OutFile>,
    /// What the target format cannot hold, and sources that could not be
    /// carried along.
    pub warnings: Vec<String>,
}

/// Convert `loaded` (from `input`) to `to`; `file_name` names a zopa
/// scenario's file; `limit` bounds GeniusWeb's enumeration of reservation bids.
pub fn convert(
    input: &Input,
    loaded: &Loaded,
    to: Format,
    file_name: &str,
    limit: u64,
) -> Result<Converted, AppError> {
    let s = &loaded.scenario;
    let mut warnings = Vec::new();
    let file = |path: String, text: String| OutFile {
        path,
        text,
        is_source: false,
    };
    let files = match to {
        Format::Toml | Format::Json => {
            let doc = s.to_doc();
            let text = if to == Format::Toml {
                doc.to_toml_string()
            } else {
                doc.to_json_string()
            }
            .map_err(|e| AppError::Engine(format!("cannot serialise the scenario: {e}")))?;
            let mut files = vec![file(file_name.to_string(), text)];
            files.extend(sources(input, loaded, &mut warnings)?);
            files
        }
        Format::Genius => {
            let (folder, w) = ic::to_genius(s);
            warnings.extend(w);
            ic::genius_folder_files(&folder)
                .into_iter()
                .map(|(p, t)| file(p, t))
                .collect()
        }
        Format::Deliberation | Format::Lamen => {
            return Err(AppError::Usage(format!(
                "zopa reads {} games but does not write them: convert to toml, json, genius or geniusweb",
                if to == Format::Lamen { "LAMEN" } else { "LLM-Deliberation" }
            )))
        }
        Format::Geniusweb => {
            let (set, w) = ic::to_geniusweb(s, limit);
            warnings.extend(w);
            ic::geniusweb_folder_files(&set)
                .into_iter()
                .map(|(p, t)| file(p, t))
                .collect()
        }
    };
    Ok(Converted { files, warnings })
}

/// The cited source documents, by the relative paths the scenario gives; a
/// path that leaves the scenario's folder is not carried along (a warning says so).
fn sources(
    input: &Input,
    loaded: &Loaded,
    warnings: &mut Vec<String>,
) -> Result<Vec<OutFile>, AppError> {
    let mut out = Vec::new();
    for src in loaded.scenario.sources() {
        let rel = Path::new(&src.path);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            warnings.push(format!(
                "source `{}` ({}) is not below the scenario's folder: copy it yourself so that `zopa validate` can check its quotes",
                src.id, src.path
            ));
            continue;
        }
        out.push(OutFile {
            path: src.path.clone(),
            text: source_text(input, &src.path)?,
            is_source: true,
        });
    }
    Ok(out)
}

/// The text of a cited source: compiled in for a built-in, sent with text,
/// or read next to the scenario file (validation has just read it).
pub(crate) fn source_text(input: &Input, cited: &str) -> Result<String, AppError> {
    match input {
        Input::Builtin(b) => b
            .sources
            .iter()
            .find(|(p, _)| *p == cited)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| AppError::Engine(format!("built-in source {cited} is missing"))),
        // As validation found it (an exact path, or the one file of that name).
        Input::Text { sources, .. } => {
            use zopa_model::SourceLoader;
            zopa_model::MapLoader(sources.clone())
                .load(cited)
                .map_err(AppError::NotFound)
        }
        Input::Files { name, .. } => Err(AppError::NotFound(format!(
            "source {cited} is not among the files of {name}"
        ))),
        Input::Path(p, _) => {
            let path = p.parent().unwrap_or(Path::new("")).join(cited);
            zopa_model::limits::read_text(&path).map_err(AppError::NotFound)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use crate::input;

    /// A built-in converts in memory to a scenario plus its cited source,
    /// which load again from memory alone; a GENIUS folder has a domain and
    /// one profile per actor.
    #[test]
    fn conversions_are_in_memory_and_load_again() {
        let inp = Input::Builtin(builtin::find(builtin::DEFAULT).unwrap());
        let loaded = input::load(&inp, 1000).unwrap();
        let c = convert(&inp, &loaded, Format::Toml, "sg.toml", 1000).unwrap();
        assert_eq!(c.files.len(), 2);
        assert_eq!(c.files[0].path, "sg.toml");
        assert!(!c.files[0].is_source && c.files[1].is_source);
        let again = Input::Text {
            name: "sg.toml".into(),
            syntax: zopa_model::Syntax::Toml,
            text: c.files[0].text.clone(),
            sources: [(c.files[1].path.clone(), c.files[1].text.clone())].into(),
        };
        assert_eq!(input::load(&again, 1000).unwrap().scenario, loaded.scenario);

        let g = convert(&inp, &loaded, Format::Genius, "", 1000).unwrap();
        assert_eq!(g.files.len(), 1 + loaded.scenario.actors().len());
        assert!(g.files.iter().all(|f| f.path.ends_with(".xml")));
        assert!(
            !g.warnings.is_empty(),
            "GENIUS cannot hold red lines or evidence"
        );
    }
}

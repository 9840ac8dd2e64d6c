//! `zopa convert IN OUT`.

use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use clap::Args;
use zopa_interop::convert as ic;

use zopa_app::documents::{self, ConversionDoc, Diagnostic};
use zopa_model::Scenario;

use crate::input::{self, interop_failure, Format, Input};
use crate::{emit, jsonout, Failure};

/// Arguments of `zopa convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Input: zopa .toml/.json file, GENIUS or GeniusWeb folder, or a built-in name.
    input: String,
    /// Output file (.toml, .json) or folder (with --to genius / geniusweb).
    output: PathBuf,
    /// Input format: toml, json, genius or geniusweb (default: folders by
    /// content, files by extension).
    #[arg(long, value_name = "FORMAT", value_parser = input::format_parser())]
    from: Option<Format>,
    /// Output format: toml, json, genius or geniusweb (default: by the
    /// output's extension; folders need it).
    #[arg(long, value_name = "FORMAT", value_parser = input::format_parser())]
    to: Option<Format>,
    /// Refuse outcome spaces with more than N outcomes.
    #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_ENUMERATION))]
    limit: u64,
}

/// Run the conversion; warnings (what the target cannot express) go to
/// stderr, or into the JSON summary.
pub fn run(args: ConvertArgs, json: bool) -> Result<(), Failure> {
    let inp = input::resolve(Some(&args.input), args.from)?;
    let loaded = input::load(&inp, args.limit)?;
    if !json {
        input::print_warnings(&loaded);
    }
    let s = &loaded.scenario;
    let to = match args.to {
        Some(t) => t,
        None => output_format(&args.output)?,
    };
    let mut warnings = Vec::new();
    let out = &args.output;
    let written = match to {
        Format::Toml | Format::Json => {
            let doc = s.to_doc();
            let text = if to == Format::Toml {
                doc.to_toml_string()
            } else {
                doc.to_json_string()
            }
            .context("cannot serialise the scenario")?;
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?;
            let mut written = vec![out.clone()];
            written.extend(write_sources(&inp, s, out, &mut warnings)?);
            written
        }
        Format::Genius => {
            let (folder, w) = ic::to_genius(s);
            warnings.extend(w);
            ic::write_genius_folder(&folder, out).map_err(interop_failure)?
        }
        Format::Geniusweb => {
            let (set, w) = ic::to_geniusweb(s, args.limit);
            warnings.extend(w);
            ic::write_geniusweb_folder(&set, out).map_err(interop_failure)?
        }
    };
    if json {
        let mut all = documents::warnings(&loaded);
        all.extend(
            warnings
                .iter()
                .map(|w| Diagnostic::unplaced_warning(&loaded.origin, w)),
        );
        return emit(&jsonout::pretty(&ConversionDoc {
            schema: "zopa.conversion/1",
            input: loaded.origin.clone(),
            output: out.display().to_string(),
            format: to.name(),
            written: written.iter().map(|p| p.display().to_string()).collect(),
            warnings: all,
        }));
    }
    for w in &warnings {
        eprintln!("zopa: warning: {w}");
    }
    eprintln!(
        "zopa: wrote {} ({}) from {}",
        out.display(),
        to.name(),
        loaded.origin
    );
    Ok(())
}

fn output_format(out: &Path) -> Result<Format, Failure> {
    match out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("toml") => Ok(Format::Toml),
        Some(e) if e.eq_ignore_ascii_case("json") => Ok(Format::Json),
        _ => Err(anyhow::anyhow!(
            "cannot tell the output format of {}: use a .toml or .json file, or --to genius / geniusweb for a folder",
            out.display()
        )
        .into()),
    }
}

/// Copy the cited source documents next to `out` (their paths are relative
/// to the scenario file), so that the written scenario validates again. A
/// file already there with other content is left alone, with a warning; so is
/// a source whose path leaves the output's folder.
fn write_sources(
    inp: &Input,
    s: &Scenario,
    out: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<PathBuf>, Failure> {
    let base = out.parent().unwrap_or(Path::new(""));
    let mut written = Vec::new();
    for src in &s.sources {
        let rel = Path::new(&src.path);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            warnings.push(format!(
                "source `{}` ({}) is not below the scenario's folder: copy it to {} yourself so that `zopa validate` can check its quotes",
                src.id,
                src.path,
                base.join(rel).display()
            ));
            continue;
        }
        let text = source_text(inp, &src.path)?;
        let dest = base.join(rel);
        match std::fs::read_to_string(&dest) {
            Ok(existing) if existing == text => continue,
            Ok(_) => {
                warnings.push(format!(
                    "{} exists with other content than source `{}`: left unchanged, so `zopa validate` may not find the quotes",
                    dest.display(),
                    src.id
                ));
                continue;
            }
            Err(_) => {}
        }
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&dest, text).with_context(|| format!("cannot write {}", dest.display()))?;
        written.push(dest);
    }
    Ok(written)
}

/// The text of a cited source: compiled in for a built-in, else read next to
/// the scenario file (validation has just read it).
fn source_text(inp: &Input, cited: &str) -> Result<String, Failure> {
    match inp {
        Input::Builtin(b) => Ok(b
            .sources
            .iter()
            .find(|(p, _)| *p == cited)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| anyhow::anyhow!("built-in source {cited} is missing"))?),
        Input::Path(p, _) => {
            let path = p.parent().unwrap_or(Path::new("")).join(cited);
            Ok(std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read source {}", path.display()))?)
        }
        Input::Text { sources, .. } => Ok(sources
            .get(cited)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("source {cited} was not given"))?),
    }
}
